"""A pasted list read as entries: a web page's links with their text, headline/URL pairs."""

from __future__ import annotations

from newsdesk.core.related.pasted import PastedEntry, has_links, parse_pasted, parse_pasted_html


def test_a_headline_on_the_line_before_an_address_is_its_title() -> None:
    block = (
        "Related Articles\n"
        "\n"
        "GDP growth remains the most telling barometer of Britain's economy\n"
        "https://londondaily.example/business/gdp-growth\n"
        "\n"
        "Kharkiv: Russian strike on flats leaves nine dead\n"
        "\n"
        "https://londondaily.example/world/kharkiv\n"
        "• Read more:\n"
        "https://other.example/a\n"
        "A headline alone\n"
        "https://x.example/1 https://x.example/2\n"
        "https://x.example/3\n"
    )
    assert [(e.url, e.title) for e in parse_pasted(block)] == [
        ("", ""),  # "Related Articles": a headline to look up (and refuse)
        (
            "https://londondaily.example/business/gdp-growth",
            "GDP growth remains the most telling barometer of Britain's economy",
        ),
        (
            "https://londondaily.example/world/kharkiv",
            "Kharkiv: Russian strike on flats leaves nine dead",
        ),
        ("https://other.example/a", "Read more"),
        ("", ""),  # two addresses on its next line: none is its own
        ("https://x.example/1", ""),
        ("https://x.example/2", ""),
        ("https://x.example/3", ""),  # the line before is an address
    ]
    assert parse_pasted(block)[4] == PastedEntry("A headline alone")


def test_html_links_become_entries_titled_by_their_text() -> None:
    html = (
        "<meta charset='utf-8'><h2>Related</h2><ul>"
        '<li><a href="https://a.example/1"><img src="1.jpg" alt=""></a>'
        '<a href="https://a.example/1">Floods &amp; <b>rain</b><br>in York</a></li>'
        '<li><a href="#comments">12 comments</a></li>'
        '<li><a href=" https://b.example/2 ">https://b.example/2</a></li>'
        '<li><a href="javascript:alert(1)">Click</a></li>'
        '<li><a href="https://c.example/3">First</a> <a href="https://c.example/3">Again</a>'
        "<li><a href='https://d.example/4'>Unclosed"
    )
    assert parse_pasted_html(html) == [
        PastedEntry("Floods & rain in York", "https://a.example/1", "Floods & rain in York"),
        PastedEntry("https://b.example/2", "https://b.example/2", ""),
        PastedEntry("Click", "javascript:alert(1)", "Click"),  # refused later, with its reason
        PastedEntry("First", "https://c.example/3", "First"),
        PastedEntry("Unclosed", "https://d.example/4", "Unclosed"),
    ]
    assert has_links(html) and not has_links("<p>No <b>links</b> here</p>")
