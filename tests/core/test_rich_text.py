"""Rich text to Markdown: what Google Docs, Word, LibreOffice and a web page put on the
clipboard (kept as fixtures in tests/data/clipboard) becomes the Markdown a journalist
would have typed; hostile HTML becomes inert text or nothing."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from newsdesk.core.intake.link_clean import clean_link
from newsdesk.core.intake.rich_text import html_to_markdown, worth_converting
from newsdesk.publish.markdown import MarkdownRenderer

CLIPBOARD = Path(__file__).parents[1] / "data" / "clipboard"
PICTURE_LEFT_OUT = (
    "a picture left out (pictures are never fetched from where they were copied; add "
    "them with Insert picture)"
)


def clip(name: str) -> str:
    return (CLIPBOARD / name).read_text(encoding="utf-8")


def test_google_docs() -> None:
    converted = html_to_markdown(clip("google_docs.html"))
    assert converted.markdown == (
        "## Council responds\n"
        "\n"
        "The council said it had **no warning**, a claim "
        "[the report](https://www.example.org/report?id=7) disputes.\n"
        "\n"
        "*Updated at 10:00*  \n"
        "***Correction*** appended\n"
        "\n"
        "- Pier\n"
        "    - North side\n"
        "- School\n"
        "\n"
        "| Gauge | Level |\n"
        "| --- | --- |\n"
        "| Pier | 2.1 m |\n"
    )
    assert converted.dropped == ("tracking parameters removed from a link", PICTURE_LEFT_OUT)


def test_word() -> None:
    converted = html_to_markdown(clip("word.html"))
    assert converted.markdown == (
        "Ferry services from Oban were **cancelled** on *Tuesday*, "
        "[CalMac said](https://www.calmac.co.uk/service-status?route=oban).[^1]\n"
        "\n"
        "## Who is affected\n"
        "\n"
        "- Commuters to Mull\n"
        "    - Craignure\n"
        "- Hauliers\n"
        "\n"
        "1. Check the timetable\n"
        "2. Call ahead\n"
        "\n"
        "> We have no ferry and no answers.\n"
        "\n"
        "[^1]: Timetable as published on 30 November.\n"
    )
    assert PICTURE_LEFT_OUT in converted.dropped  # the clip_image file is never read


def test_libreoffice() -> None:
    converted = html_to_markdown(clip("libreoffice.html"))
    assert converted.markdown == (
        "## Harbour reopens\n"
        "\n"
        "The harbour at **Tobermory** reopened on *Friday* after repairs costing £2m, "
        "[the council](https://www.argyll-bute.gov.uk/news/harbour?section=ports) said.[^1]\n"
        "\n"
        "1. Boats return  \n"
        "    from Monday\n"
        "    1. fishing first\n"
        "2. Ferries next\n"
        "\n"
        "> “It took too long,” said one skipper.\n"
        "\n"
        "[^1]: Figures from the council's budget.\n"
    )


def test_web_page_relative_links_resolved_or_dropped() -> None:
    page = "https://news.example.com/2026/storm"
    converted = html_to_markdown(clip("web_page.html"), base_url=page)
    assert converted.markdown == (
        "# Storm warning for the west coast\n"
        "\n"
        "The Met Office issued an **amber warning** for wind, "
        "[see the map](https://news.example.com/weather/warnings?ref=home) and "
        "[the official page](https://www.metoffice.gov.uk/weather/warnings?region=west#map). "
        "Winds of 70\\*mph\\* are expected in *exposed* places.\n"
        "\n"
        "Waves at Oban. Photo: Staff\n"
        "\n"
        "Check [travel updates](https://www.example.com/travel) before setting off.\n"
    )
    unresolved = html_to_markdown(clip("web_page.html"))
    assert "see the map" in unresolved.markdown
    assert "[see the map]" not in unresolved.markdown  # no page to resolve it against
    assert any("relative link (/weather/warnings" in line for line in unresolved.dropped)


def test_the_markdown_renders_as_the_source_read() -> None:
    """Our renderer shows the tables, footnotes, nested lists and breaks the copy had."""
    html = MarkdownRenderer().render(html_to_markdown(clip("libreoffice.html")).markdown)
    assert '<sup id="fnref:1">' in html and "Figures from the council" in html
    assert "<li>Boats return<br>" in html and "<li>fishing first</li>" in html
    table = MarkdownRenderer().render(html_to_markdown(clip("google_docs.html")).markdown)
    assert "<th>Gauge</th>" in table and "<td>2.1 m</td>" in table


def test_hostile_html_is_inert() -> None:
    converted = html_to_markdown(clip("hostile.html"))
    assert converted.markdown == (
        "Click here or there or this or that.\n"
        "\n"
        "Typed as text: &lt;script>alert(1)&lt;/script> and &lt;img src=x "
        "onerror=alert(1)> and &amp;lt; too.\n"
        "\n"
        "Styled **words**\n"
        "\n"
        "\\[link\\](javascript:alert(1)) \\*not emphasis\\* # not heading\n"
    )
    assert "a script (never run)" in converted.dropped
    assert "an embedded frame" in converted.dropped
    rendered = MarkdownRenderer().render(converted.markdown)
    assert _tags(rendered) == {("p", ("data-line",)), ("strong", ())}  # nothing else
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered  # shown, as it was typed


def _tags(html: str) -> set[tuple[str, tuple[str, ...]]]:
    """Every element of ``html`` with the names of its attributes."""
    found: set[tuple[str, tuple[str, ...]]] = set()

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.add((tag, tuple(sorted(name for name, _ in attrs))))

    Reader().feed(html)
    return found


def test_emphasis_wraps_words_not_spaces() -> None:
    html = "<p>a<b> bold </b>b <i>it</i><b><i>both</i> bold</b> un<b>believ</b>able</p>"
    assert html_to_markdown(html).markdown == "a **bold** b *it****both* bold** un**believ**able\n"


def test_google_docs_wrapper_and_weights() -> None:
    html = (
        '<b style="font-weight:normal;" id="docs-internal-guid-1"><p>'
        '<span style="font-weight:400">plain</span> <span style="font-weight:700">heavy</span>'
        "</p></b>"
    )
    assert html_to_markdown(html).markdown == "plain **heavy**\n"


def test_text_that_looks_like_markdown_stays_text() -> None:
    html = (
        "<p># Not a heading</p><p>- not a list</p><p>1984. A year</p><p>> no quote</p>"
        "<p>Title<br>===</p>"
    )
    converted = html_to_markdown(html)
    rendered = MarkdownRenderer().render(converted.markdown)
    assert _tags(rendered) == {("p", ("data-line",)), ("br", ())}
    assert "# Not a heading" in rendered and ">1984. A year<" in rendered
    assert "\\" not in rendered and "Title<br>\n===" in rendered


def test_empty_paragraphs_and_styles_dropped() -> None:
    html = "<p>&nbsp;</p><p style='color:red'><font face=Arial>One</font></p><p> </p><p>Two</p>"
    assert html_to_markdown(html).markdown == "One\n\nTwo\n"


def test_mammoth_footnotes() -> None:
    html = (
        '<p>Text<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup> more</p>'
        '<ol><li id="footnote-1"><p> Note text <a href="#footnote-ref-1">↑</a></p></li></ol>'
    )
    assert html_to_markdown(html).markdown == "Text[^1] more\n\n[^1]: Note text\n"


def test_lifted_title() -> None:
    html = '<h1 class="title">Headline</h1><p class="subtitle">Stand</p><p>Body</p>'
    converted = html_to_markdown(html, lift=("title", "subtitle"))
    assert converted.markdown == "Body\n"
    assert converted.lifted == {"title": "Headline", "subtitle": "Stand"}


@pytest.mark.parametrize(
    ("href", "url", "why"),
    [
        ("https://a.example/x?utm_source=n&utm_medium=e&id=1", "https://a.example/x?id=1", ""),
        ("https://a.example/x?fbclid=abc", "https://a.example/x", ""),
        ("https://a.example/x?gclid=1&msclkid=2#top", "https://a.example/x#top", ""),
        ("https://www.google.com/url?q=https://b.example/p&sa=D&ust=1", "https://b.example/p", ""),
        ("mailto:desk@example.org", "mailto:desk@example.org", ""),
        ("javascript:alert(1)", "", "a javascript: link (only web and mail addresses)"),
        ("  JaVaScRiPt:alert(1)", "", "a javascript: link (only web and mail addresses)"),
        ("java\nscript:alert(1)", "", "a javascript: link (only web and mail addresses)"),
        ("data:text/html,x", "", "a data: link (only web and mail addresses)"),
        ("/local", "", "a relative link (/local) with no page to resolve"),
        ("#top", "", "a link within the page it came from"),
    ],
)
def test_clean_link(href: str, url: str, why: str) -> None:
    cleaned = clean_link(href)
    assert (cleaned.url, cleaned.why_dropped) == (url, why)


def test_worth_converting() -> None:
    assert worth_converting(clip("google_docs.html"))
    assert worth_converting('<a href="https://x.example">x</a>')
    assert not worth_converting("<meta charset='utf-8'><span>plain words</span>")


def test_nesting_thousands_deep_neither_crashes_nor_hangs() -> None:
    converted = html_to_markdown("<div>" * 20_000 + "<b>deep</b> words" + "</div>" * 20_000)
    assert converted.markdown == "deep words\n"  # the words; past 100 levels, no emphasis
