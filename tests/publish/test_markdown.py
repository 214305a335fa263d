"""Markdown rendering: features, source lines for the preview, typography, stability."""

from __future__ import annotations

import pytest

from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.sanitize import clean_html

from .dom import by_id, find_all, parse, tag, text_of

BODY = """\
First paragraph with "double" and 'single' quotes -- and an ellipsis...

## A subheading

- one
- two

  still item two

```python
if a < b:

    print("<script>")
```

| Name | Count |
|:-----|------:|
| Bikes | 1,100 |

<div class="note" onclick="steal()">
raw block
</div>

> A quote
> over two lines

Footnoted[^n] text, and a [link](https://example.org/x).

[^n]: The footnote.

Closing line.
"""

EXPECTED_LINES = {  # first words of each top-level block -> its line in BODY
    "First paragraph": 1,
    "A subheading": 3,
    "one": 5,
    "if a < b:": 10,
    "Name": 16,
    "raw block": 20,
    "A quote": 24,
    "Footnoted": 27,
    "Closing line.": 31,
}


def _top_level(html: str) -> list:
    body = find_all(parse(f"<!DOCTYPE html><title>t</title><body>{html}"), "body")[0]
    return list(body)


def test_every_top_level_block_carries_its_source_line() -> None:
    blocks = _top_level(render_markdown(BODY))
    lines = {}
    for element in blocks:
        if element.get("class") == "footnote":
            continue
        assert element.get("data-line"), f"<{tag(element)}> has no data-line"
        lines[text_of(element).strip()[:13]] = int(element.get("data-line"))
    for start, line in EXPECTED_LINES.items():
        matches = [v for k, v in lines.items() if k.startswith(start[:13])]
        assert matches == [line], (start, lines)


def test_source_lines_survive_leading_blank_lines_and_long_fences() -> None:
    body = "\n\n\nIntro.\n\n~~~~\nx\n\ny\n~~~~\n\n\n\nAfter the fence.\n"
    blocks = _top_level(render_markdown(body))
    assert [b.get("data-line") for b in blocks] == ["4", "6", "14"]


def test_extensions_render_tables_footnotes_toc_and_fenced_code() -> None:
    root = parse("<!DOCTYPE html><title>t</title>" + render_markdown(BODY))
    assert by_id(root, "a-subheading").text == "A subheading"
    assert [text_of(c) for c in find_all(root, "td")] == ["Bikes", "1,100"]
    assert find_all(root, "td")[1].get("align") == "right"
    ref = by_id(root, "fnref:n")
    assert find_all(ref, "a")[0].get("href") == "#fn:n"
    assert "The footnote." in text_of(by_id(root, "fn:n"))
    code = find_all(root, "code")[0]
    assert code.get("class") == "language-python"
    assert text_of(code) == 'if a < b:\n\n    print("<script>")\n'


def test_raw_html_is_sanitized_not_dropped() -> None:
    html = render_markdown(BODY)
    assert "onclick" not in html
    assert "raw block" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-GB", "\u201cdouble\u201d and \u2018single\u2019 quotes \u2013 and an ellipsis\u2026"),
        ("de-DE", "\u201edouble\u201c and \u201asingle\u2018 quotes \u2013 and an ellipsis\u2026"),
    ],
)
def test_typographic_quotes_follow_the_language(language: str, expected: str) -> None:
    html = render_markdown(BODY, language)
    assert expected in html


def test_a_body_h1_becomes_h2_so_the_headline_stays_the_only_h1() -> None:
    html = render_markdown("# Top\n\nText\n\n## Second\n\n### Third\n")
    assert "<h1" not in html
    assert '<h2 data-line="1" id="top">Top</h2>' in html
    assert '<h2 data-line="5" id="second">Second</h2>' in html
    assert '<h3 data-line="7" id="third">Third</h3>' in html


def test_output_is_deterministic_and_stable_under_resanitizing() -> None:
    first = render_markdown(BODY)
    assert render_markdown(BODY) == first
    assert clean_html(first) == first


def test_empty_and_whitespace_bodies_render_empty() -> None:
    assert render_markdown("") == ""
    assert render_markdown("  \n\n ") == ""


def test_a_large_body_renders_with_lines_in_order() -> None:
    paragraph = "Officials said around 1,100 people were affected on Tuesday. " * 8
    body = "\n\n".join(f"{paragraph} ({n})" for n in range(400))
    blocks = _top_level(render_markdown(body))
    assert len(blocks) == 400
    assert [int(b.get("data-line")) for b in blocks] == list(range(1, 800, 2))
