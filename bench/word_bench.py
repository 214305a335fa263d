"""Copy from anywhere: the figures of issue 13.

    python bench/word_bench.py [--rounds 5] [--workdir DIR]

* ``docx``: a 10,000-word Word document with 20 embedded photos (1200 x 800 JPEG, each
  different), built with python-docx, imported into a fresh SQLite store: read, checked,
  converted and stored (``plan_import`` + ``create_many``, what ``newsdesk import`` and
  File ▸ Import… do). Target: under 2 s.
* ``paste``: 5,000 words of Google Docs clipboard HTML (every run a styled span, bold and
  italic runs, links with tracking, nested lists, the ``<b style="font-weight:normal">``
  wrapper) converted to Markdown (what a paste into the body does). Target: under 200 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench._util import timed  # noqa: E402
from tests.word_samples import long_story  # noqa: E402

from newsdesk.core.intake.importing import plan_import  # noqa: E402
from newsdesk.core.intake.rich_text import html_to_markdown  # noqa: E402
from newsdesk.store import open_store  # noqa: E402

_SPAN = (
    '<span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;'
    "background-color:transparent;font-weight:{w};font-style:{s};font-variant:normal;"
    'text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">'
    "{text}</span>"
)


def google_docs_html(words: int) -> str:
    """Clipboard HTML as Google Docs writes it, about ``words`` words long."""
    parts = ['<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">']
    sentence = "the river rose in the night and the town woke to water in the streets "
    count = 0
    index = 0
    while count < words:
        runs = [
            _SPAN.format(w=400, s="normal", text=sentence.capitalize()),
            _SPAN.format(w=700, s="normal", text="two metres "),
            _SPAN.format(w=400, s="italic", text="said the council "),
            f'<a href="https://example.org/r{index}?utm_source=docs&amp;id={index}">'
            + _SPAN.format(w=400, s="normal", text="in a report")
            + "</a>",
            _SPAN.format(w=400, s="normal", text=". " + sentence),
        ]
        parts.append('<p dir="ltr" style="line-height:1.38;margin-top:0pt;">' + "".join(runs))
        parts.append("</p><br>")
        if index % 10 == 9:
            item = '<li dir="ltr" aria-level="{l}"><p dir="ltr" role="presentation">{t}</p></li>'
            parts.append(
                "<ul>"
                + item.format(l=1, t=_SPAN.format(w=400, s="normal", text="first point here"))
                + "<ul>"
                + item.format(l=2, t=_SPAN.format(w=400, s="normal", text="a sub point"))
                + "</ul></ul>"
            )
            count += 6
        count += 34
        index += 1
    parts.append("</b>")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="word-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    document = long_story(work / "long-read.docx", words=10_000, pictures=20)
    size = document.stat().st_size
    stores: list[Path] = []

    def fresh(run: int) -> None:
        path = work / f"store-{run}.db"
        path.unlink(missing_ok=True)
        open_store(str(path)).close()  # the schema is made before the clock starts
        stores.append(path)

    def import_once(run: int) -> None:
        store = open_store(str(work / f"store-{run}.db"))
        try:
            plan = plan_import([document], store)
            store.create_many(plan.articles, media=plan.media)
            assert len(plan.media) == 20 and len(plan.articles[0].body.split()) >= 10_000
        finally:
            store.close()

    print(f"docx: 10,000 words, 20 photos, {size / 1e6:.1f} MB; import into a fresh store")
    print("  " + timed(args.rounds, import_once, fresh) + "   target < 2000 ms")
    html = google_docs_html(5_000)
    words = len(html_to_markdown(html).markdown.split())
    print(f"paste: Google Docs HTML, {len(html) / 1e3:.0f} kB, {words:,} words of Markdown")
    print("  " + timed(args.rounds * 4, lambda _run: html_to_markdown(html)) + "   target < 200 ms")


if __name__ == "__main__":
    main()
