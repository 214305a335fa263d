"""Adding one related link to an article that already has thousands: the duplicate checks.

    python bench/related_links_bench.py               # 4,000 links, 7 runs
    python bench/related_links_bench.py --links 500 1000 2000 4000 8000

Goal (issue 15): adding a link to an article with 4,000 links in under 100 ms, so the
near-duplicate check must not compare every entry with every other. The article's list
holds half links to archive articles and half web links, all with headlines from the
store benchmarks' generator (store_corpus.py: a Zipf vocabulary, topic words, names), so
many entries share words as real lists do. Timed, medians of ``--runs``:

* core: ``find_duplicates`` over the whole list (what the panel and ``related list``
  redo after each change): its first check (nothing known), the same list again, and
  the list with the new link added (the list before it checked just before, as in the
  window); ``duplicate_of`` for the new link;
* the panel: ``RelatedPanel.add([link])`` in the real widget offscreen, from the call to
  the list redrawn with every entry's state (one undoable change);
* the window: opening the article in the real main window (QtWebEngine preview included),
  from the click to the end of the event-loop turn, and the longest event-loop turn in the
  two seconds after it (the duplicate check and link health arrive later, off the GUI
  thread); and the CPU time of that open on the GUI thread;
* the command line: ``newsdesk related add SLUG URL`` in-process (load, duplicate check,
  one save of the list, the cap warning), on SQLite: mostly the store's work (reading
  the 2,000 linked articles, saving 4,001 links), which the duplicate check does not
  change.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import store_corpus as corpus  # noqa: E402

SEED = corpus.DEFAULT_SEED
TARGET_MS = 100.0


def archive_and_list(folder: Path, count: int) -> tuple[Any, Any, list[Any]]:
    """A store holding the article and the archive half of its links; the link list."""
    from newsdesk.core.models import Article, RelatedLink
    from newsdesk.store import open_store

    data = corpus.generate_batch(SEED, 0, count + 1, count + 1)
    stored = [corpus.as_article(d) for d in data[: count // 2]]
    store = open_store(str(folder / f"links-{count}.db"))
    store.create_many(stored)
    links = [RelatedLink(a.headline, target_uri=a.uri) for a in stored]
    links += [
        RelatedLink(d["headline"], url=f"https://news{i % 40}.example/story/{i}")
        for i, d in enumerate(data[count // 2 : count])
    ]
    random.Random(SEED).shuffle(links)
    main = store.create(Article(headline="The article with the long list", section="UK"))
    main = store.save(main.edited(related=tuple(links)))
    new = RelatedLink(data[count]["headline"], url="https://elsewhere.example/new-story")
    return store, main, [new]


def timed(
    runs: int, call: Callable[[], object], before: Callable[[], object] = lambda: None
) -> float:
    samples = []
    for _ in range(runs):
        before()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def forget() -> None:
    """Everything a long-running window would have kept about lists it checked."""
    from newsdesk.core.related import duplicates, same_story, story_words

    same_story.signature.cache_clear()
    same_story._similarity.cache_clear()
    story_words._name_words.cache_clear()
    duplicates._article_story.cache_clear()
    duplicates._recent.clear()


def core_figures(store: Any, main: Any, new: Any, runs: int) -> dict[str, float]:
    from newsdesk.core.related.duplicates import duplicate_of, find_duplicates

    links = list(main.related)
    targets = {a.uri: a for a in store.get_many([x.target_uri for x in links if x.target_uri])}
    more = [*links, new]
    return {
        "whole list, first check": timed(runs, lambda: find_duplicates(links, targets), forget),
        "whole list, checked before": timed(runs, lambda: find_duplicates(links, targets)),
        "list + the new link": timed(
            runs, lambda: find_duplicates(more, targets), lambda: find_duplicates(links, targets)
        ),
        "duplicate_of the new link": timed(runs, lambda: duplicate_of(links, new, targets)),
    }


def panel_figure(store: Any, main: Any, new: Any, runs: int) -> float:
    from PySide6.QtWidgets import QApplication

    from newsdesk.ui.background.tasks import TaskRunner
    from newsdesk.ui.related.related_panel import RelatedPanel

    app = QApplication.instance() or QApplication([])
    tasks = TaskRunner()
    panel = RelatedPanel(store, tasks)
    panel.resize(420, 640)
    panel.show()
    panel.load(main)
    tasks.wait()
    app.processEvents()

    def add() -> None:
        panel.add([new])
        app.processEvents()  # the list redrawn

    def undo() -> None:
        panel.undo_stack.undo()
        app.processEvents()

    figure = timed(runs, add, before=undo if panel.undo_stack.count() else lambda: None)
    samples = []
    for _ in range(runs):
        undo()
        started = time.perf_counter()
        add()
        samples.append((time.perf_counter() - started) * 1000)
    panel._suggest_timer.stop()
    tasks.wait()
    panel.deleteLater()
    return min(figure, statistics.median(samples)) if samples else figure


def window_figures(store: Any, main: Any, runs: int) -> dict[str, float]:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # as root (docs/headless-qt.md)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from newsdesk.core.models import Article
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    other = store.create(Article(headline="A short story to start from", body="Text."))
    folder = tempfile.mkdtemp()
    settings = SettingsStore(QSettings(f"{folder}/settings.ini", QSettings.Format.IniFormat))
    window = MainWindow(store, settings)
    window.resize(1366, 768)
    window.show()

    def spin(seconds: float) -> float:
        longest, until = 0.0, time.perf_counter() + seconds
        while time.perf_counter() < until:
            started = time.perf_counter()
            app.processEvents()
            longest = max(longest, time.perf_counter() - started)
            time.sleep(0.005)
        return longest * 1000

    spin(1.0)
    opens, cpu, turns = [], [], []
    for _ in range(runs):
        window.open_article(other.uri)
        spin(0.5)
        started, on_cpu = time.perf_counter(), time.thread_time()
        window.open_article(main.uri)
        app.processEvents()
        opens.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - on_cpu) * 1000)
        turns.append(spin(2.0))
    window.preview.shutdown()
    window.deleteLater()
    store.delete(other.uri)
    return {
        "window: open the article": statistics.median(opens),
        "window: its GUI-thread CPU": statistics.median(cpu),
        "window: longest turn after": statistics.median(turns),
    }


def cli_figure(store: Any, main: Any, new: Any, runs: int) -> float:
    from newsdesk.cli import related

    url = new.url
    parser_args = type("Args", (), {})

    def add() -> None:
        args = parser_args()
        args.slug, args.target, args.title = main.slug, url, new.title
        args.relation, args.pin, args.at = related.RelationKind.RELATED, False, None
        related.cmd_add(store, args, io.StringIO())

    def remove() -> None:
        current = store.get(main.uri)
        store.save(current.edited(related=tuple(main.related)))

    stderr, sys.stderr = sys.stderr, io.StringIO()  # the cap warning
    try:
        return timed(runs, add, before=remove)
    finally:
        sys.stderr = stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, nargs="+", default=[4000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-window", action="store_true", help="skip the panel figure")
    args = parser.parse_args()
    print(f"Adding one related link (medians of {args.runs} runs, ms; goal < {TARGET_MS:.0f})")
    with tempfile.TemporaryDirectory() as folder:
        for count in args.links:
            store, main, (new,) = archive_and_list(Path(folder), count)
            try:
                rows = core_figures(store, main, new, args.runs)
                if not args.no_window:
                    rows["panel: add, list redrawn"] = panel_figure(store, main, new, args.runs)
                    rows.update(window_figures(store, main, min(args.runs, 5)))
                rows["command line: related add"] = cli_figure(store, main, new, args.runs)
            finally:
                store.close()
            for name, value in rows.items():
                print(f"  {count:>6,} links  {name:<30} {value:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
