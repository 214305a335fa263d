"""The window's figures: keystroke to preview DOM, start-up on a big store, memory.

    python bench/window_bench.py typing [--words 5000 20000] [--keys 80]
        (NEWSDESK_BENCH_NO_CHECKS=1: with spelling and house style switched off)
    python bench/window_bench.py startup [--articles 10000] [--runs 7]
    python bench/window_bench.py picture [--runs 7] [--megapixels 24]
    python bench/window_bench.py hung [--engine sqlite|postgresql] [--keys 120] [--runs 3]
        [--answering] (the key handler while the store does not answer, or, for comparison,
        while it does; postgresql: NEWSDESK_BENCH_PG_URL)

Runs offscreen in the real widget stack (QtWebEngine included). Never run by the tests.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-dev-shm-usage")

from _util import p95, summary, tree_rss_mb  # noqa: E402
from corpus import article, body  # noqa: E402

OUT = HERE / "out"


def _window(store_path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from newsdesk.store import open_store
    from newsdesk.ui.background.collector import collect_on_gui_thread
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.palette import apply_palette
    from newsdesk.ui.preview.preview import register_scheme
    from newsdesk.ui.settings import SettingsStore

    register_scheme()
    app = QApplication.instance() or QApplication([])
    apply_palette(app, dark=False)
    collect_on_gui_thread(app)  # as newsdesk.app.run_window: cycles collected here only
    store = open_store(str(store_path))
    settings = SettingsStore(
        QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    )
    if os.environ.get("NEWSDESK_BENCH_NO_CHECKS"):  # the same run without spelling and style
        chosen = settings.load()
        chosen.check_spelling = False
        settings.save(chosen)
    window = MainWindow(store, settings)
    window.resize(1500, 950)
    window.show()
    gc.freeze()  # as run_window: what the start made is out of the collector's walks
    return app, store, window


def _wait(app, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not answer in time")
        app.processEvents()
        time.sleep(0.0005)


def typing(words_list: list[int], keys: int) -> None:
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    from newsdesk.core.models import Article

    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp())
    app = store = window = None
    for words in words_list:
        path = folder / f"typing-{words}.db"
        from newsdesk.store import open_store

        seed = open_store(str(path))
        stored = seed.create(Article(headline=f"A {words}-word article", body=body(rng, words)))
        seed.close()
        app, store, window = _window(path)
        window.open_article(stored.uri)
        loaded: list[bool] = []
        window.preview.load_finished.connect(loaded.append)
        _wait(app, loaded.__len__)
        done: dict[int, float] = {}

        def arrived(seq: int, _seconds: float, done: dict[int, float] = done) -> None:
            done.setdefault(seq, time.perf_counter())

        window.preview.updated.connect(arrived)
        editor = window.editor.body
        editor.setFocus()
        cursor = editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        editor.setTextCursor(cursor)
        latencies: list[float] = []
        handler: list[float] = []
        text = "The council said the river rose again overnight. " * 10
        for index in range(keys):
            before = window.preview._sequence
            t0 = time.perf_counter()
            QTest.keyClick(editor, text[index % len(text)])
            handler.append((time.perf_counter() - t0) * 1000)
            target = window.preview._sequence
            assert target > before
            _wait(app, lambda target=target, done=done: any(seq >= target for seq in done))
            reached = min(t for seq, t in done.items() if seq >= target)
            latencies.append((reached - t0) * 1000)
            pause = time.perf_counter() + 0.12  # a brisk typist: ~8 keys a second
            while time.perf_counter() < pause:
                app.processEvents()
                time.sleep(0.001)
        print(f"{words:>6} words  keystroke -> preview DOM: {summary(latencies)}")
        print(f"{'':>6}        keystroke handler (typing waits): {summary(handler)}")
        print(f"{'':>6}        memory, all processes (PSS): {tree_rss_mb():.0f} MB")
        window.session.flush()
        window.close()
        store.close()
    del app


def _make_store(count: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"startup-{count}.db"
    if path.exists():
        return path
    from newsdesk.store import open_store

    rng = random.Random(11)
    store = open_store(str(path))
    batch = 2000
    for start in range(0, count, batch):
        store.create_many([article(rng, i) for i in range(start, min(count, start + batch))])
        print(f"  generated {min(count, start + batch):,}/{count:,}", file=sys.stderr)
    store.close()
    return path


CHILD = r"""
import os, sys, time
t_main = time.time()
sys.path.insert(0, {here!r})
from window_bench import _window
app, store, window = _window({path!r})
from PySide6.QtCore import QTimer
def usable():
    rows = window.library.model.rowCount()
    print(f"USABLE {{time.time():.6f}} rows={{rows}}", flush=True)
    app.quit()
QTimer.singleShot(0, usable)
app.exec()
os._exit(0)
"""


def startup(count: int, runs: int) -> None:
    path = _make_store(count)
    env = dict(os.environ, XDG_CONFIG_HOME=tempfile.mkdtemp())
    samples = []
    for _ in range(runs):
        t0 = time.time()
        result = subprocess.run(
            [sys.executable, "-c", CHILD.format(here=str(HERE), path=str(path))],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        line = next(x for x in result.stdout.splitlines() if x.startswith("USABLE"))
        samples.append((float(line.split()[1]) - t0) * 1000)
    print(f"start-up to a usable window, {count:,} articles: {summary(samples)}")


def picture(runs: int, megapixels: int) -> None:
    """Insert image: a camera JPEG dropped into the body, until the preview has drawn it.

    Each run adds a file never seen before (its own bytes, so no rendition is cached) and
    waits for the preview's ``<img>`` of that file to be loaded (``naturalWidth > 0``):
    intake, the store, the page's update and the rendition the preview asks for.
    """
    from media_bench import base_photo, unique_copy
    from newsdesk.core.models import Article
    from newsdesk.store import open_store

    width = int((megapixels * 1_000_000 * 1.5) ** 0.5)
    height = width * 2 // 3
    folder = Path(tempfile.mkdtemp())
    base = base_photo(5, width, height)
    path = folder / "picture.db"
    seed = open_store(str(path))
    stored = seed.create(Article(headline="A story with pictures", body="First paragraph."))
    seed.close()
    app, store, window = _window(path)
    window.open_article(stored.uri)
    loaded: list[bool] = []
    window.preview.load_finished.connect(loaded.append)
    _wait(app, loaded.__len__)
    editor = window.editor.body
    samples: list[float] = []
    for run in range(runs):
        photo = folder / f"camera-{run}.jpg"
        photo.write_bytes(unique_copy(base, run))
        keys_before = set(re.findall(r"media:([0-9a-f]{12})", editor.toPlainText()))
        t0 = time.perf_counter()
        editor.insert_images([photo])
        key: list[str] = []

        def inserted(keys_before: set[str] = keys_before, key: list[str] = key) -> bool:
            found = set(re.findall(r"media:([0-9a-f]{12})", editor.toPlainText()))
            key.extend(found - keys_before)
            return bool(key)

        _wait(app, inserted)
        box: dict[str, object] = {}
        script = (
            f"[...document.images].some(i => i.currentSrc.includes('-{key[0]}-') && "
            "i.complete && i.naturalWidth > 0)"
        )

        def shown(box: dict[str, object] = box, script: str = script) -> bool:
            if box.get("pending"):
                return False
            if box.get("value") is True:
                return True
            box["pending"] = True

            def answer(value: object, box: dict[str, object] = box) -> None:
                box["value"], box["pending"] = value, False

            window.preview.run_js(script, answer)
            return False

        _wait(app, shown)
        samples.append((time.perf_counter() - t0) * 1000)
    print(
        f"insert a {width} x {height} JPEG ({len(base) / 1e6:.1f} MB) -> drawn in the preview: "
        f"{summary(samples)}"
    )
    window.session.flush()
    window.close()
    store.close()
    del app


HOLD_SQLITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.read()
"""
HOLD_ROW_LOCK = """
import sys
from sqlalchemy import create_engine, text
with create_engine(sys.argv[1]).connect() as conn:
    conn.execute(text("SELECT id FROM article WHERE uri = :uri FOR UPDATE"), {"uri": sys.argv[2]})
    print("held", flush=True)
    sys.stdin.read()
"""


def hung(engine: str, keys: int, runs: int, answering: bool = False) -> None:
    """The key handler's time while every write of the window hangs on the store.

    SQLite: another process holds the write lock (the window's busy wait is 1 s, then it
    retries). PostgreSQL: another session holds the article's row lock, so the window's
    UPDATE gets no answer until the window's answer limit (10 s) gives up on it. The
    handler is timed as a test does: the key event and the events it sets off at once.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from newsdesk.core.journal import Journal
    from newsdesk.core.models import Article
    from newsdesk.store import open_store
    from newsdesk.ui.background.collector import collect_on_gui_thread
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.preview.preview import register_scheme
    from newsdesk.ui.settings import SettingsStore

    register_scheme()
    app = QApplication.instance() or QApplication([])
    collect_on_gui_thread(app)  # as newsdesk.app.run_window
    rng = random.Random(11)
    run_p95: list[float] = []
    for run in range(runs):
        folder = Path(tempfile.mkdtemp())
        if engine == "sqlite":
            url = str(folder / "hung.db")
        else:
            url = os.environ["NEWSDESK_BENCH_PG_URL"]
            _reset_schema(url)
        seed = open_store(url)
        stored = seed.create(Article(headline="A hung store", body=body(rng, 2000)))
        seed.close()
        store = open_store(url, busy_timeout=1.0, answer_timeout=10.0)  # as app.py opens it
        settings = SettingsStore(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        journal = Journal(folder / "journal")  # as app.py gives it: typing goes there too
        window = MainWindow(store, settings, journal=journal)
        window.resize(1500, 950)
        window.show()
        window.open_article(stored.uri)
        script, args = (
            (HOLD_SQLITE_LOCK, [url]) if engine == "sqlite" else (HOLD_ROW_LOCK, [url, stored.uri])
        )
        if answering:
            script = "import sys; print('held', flush=True); sys.stdin.read()"
        holder = subprocess.Popen(
            [sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        editor = window.editor.body
        editor.setFocus()
        editor.moveCursor(QTextCursor.MoveOperation.End)
        text = " The council said the river rose again overnight."
        handler: list[float] = []
        for index in range(keys):
            t0 = time.perf_counter()
            QTest.keyClick(editor, text[index % len(text)])
            app.processEvents()
            handler.append((time.perf_counter() - t0) * 1000)
            pause = time.perf_counter() + 0.12  # a brisk typist: ~8 keys a second
            while time.perf_counter() < pause:
                app.processEvents()
                time.sleep(0.001)
        said = window.statusBar().currentMessage()
        run_p95.append(p95(handler))
        state = "answering" if answering else "hung"
        print(f"run {run + 1}: key handler, {engine} {state}: {summary(handler)}")
        print(f"        status bar: {said[:110]}")
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(20)
        window.session.flush()
        window.session.WAIT_S = 0.1
        window.session.discard()
        window.close()
        window.preview.shutdown()
        store.close()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"key handler p95, store {'answering' if answering else 'hung'} ({engine}): "
        f"median of {runs} runs "
        f"{statistics.median(run_p95):.1f} ms (runs: {', '.join(f'{x:.1f}' for x in run_p95)}); "
        f"load average {load}"
    )


def _reset_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("typing")
    t.add_argument("--words", type=int, nargs="+", default=[5000, 20000])
    t.add_argument("--keys", type=int, default=80)
    s = sub.add_parser("startup")
    s.add_argument("--articles", type=int, default=10_000)
    s.add_argument("--runs", type=int, default=7)
    p = sub.add_parser("picture")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--megapixels", type=int, default=24)
    h = sub.add_parser("hung")
    h.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    h.add_argument("--keys", type=int, default=120)
    h.add_argument("--runs", type=int, default=3)
    h.add_argument("--answering", action="store_true", help="the store answers (comparison)")
    args = parser.parse_args()
    if args.what == "hung":
        hung(args.engine, args.keys, args.runs, args.answering)
    elif args.what == "picture":
        picture(args.runs, args.megapixels)
    elif args.what == "typing":
        typing(args.words, args.keys)
    else:
        startup(args.articles, args.runs)


if __name__ == "__main__":
    main()
