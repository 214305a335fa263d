"""The check that spares cached bodies a second sanitizing: it may only ever say yes to
HTML the sanitizer gives back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import resources
from newsdesk.publish import sanitized
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.sanitize import ALLOWED_TAGS, clean_html
from newsdesk.publish.sanitized import clean_cached, is_sanitized

from .test_sanitize_and_dates import PAYLOADS

TAGS = [*sorted(ALLOWED_TAGS), "script", "svg", "iframe", "style", "form", "math", "textarea"]
ATTRIBUTES = [
    "", ' data-line="3"', ' data-line="x"', ' id="fn:1"', ' id="nd-body"', ' id="1x"',
    ' class="footnote"', ' class="footnote evil"', ' class="footnote  toc"',
    ' class="language-py"', ' href="#fn:1"', ' href="https://example.org/a?b=1&amp;c=2"',
    ' href="javascript:alert(1)"', ' href="JaVaScRiPt:x"', ' href="jav&#x09;ascript:x"',
    ' href="http://1.2.3.999/"', ' href="http://exa mple.org/"', ' href="mailto:a@b.c"',
    ' href="//evil.example/x"', ' href="fn:1"', ' href="http://xn--a.com/"',
    ' src="media/a.jpg"', ' src="data:image/png;base64,AA=="', ' alt="a &quot;b&quot; &lt;c&gt;"',
    ' title="a\xa0b"', ' title="a&nbsp;b"', ' rel="noopener noreferrer"', ' rel="nofollow"',
    ' onclick="alert(1)"', ' style="color:red"', ' align="left"', ' align="middle"',
    ' colspan="2"', ' start="3"', ' reversed=""', ' open=""', ' datetime="2026-01-01"',
    ' lang="en"', ' scope="col"', ' value="4"', ' width="10"',
]  # fmt: skip
TEXTS = [
    "", "Words", " ", "\n", "\n\n", "a &amp; b", "a & b", "x &lt; y &gt; z", "1 < 2", "3 > 2",
    "“quoted”", 'say "hi"', "say &quot;hi&quot;", "no\xa0break", "no&nbsp;break", "tab\there",
    "cr\rhere", "nul\x00here", "bell\x07", "&#106;", "&copy;", "é", "\ufeff", "<!-- c -->",
    "\x85", "\ufffe", "\U0001f600", "\u2028", "&amp;lt;", "&amp",
    "<", ">", "&",
]  # fmt: skip


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """HTML-ish markup: allowed and forbidden tags, nested right or wrong, any text."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind < 3 or depth > 3:
            parts.append(draw(st.sampled_from(TEXTS)))
            continue
        name = draw(st.sampled_from(TAGS))
        attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
        if name == "a" and draw(st.booleans()):
            attributes += ' rel="noopener noreferrer"'
        inner = draw(fragments(depth + 1))
        ending = draw(st.sampled_from([f"</{name}>", f"</{name}>", "", "</p>", "</div>"]))
        parts.append(f"<{name}{attributes}>{inner}{ending}")
    return "".join(parts)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(fragments())
def test_what_it_accepts_the_sanitizer_gives_back_unchanged(markup: str) -> None:
    for html in (markup, clean_html(markup)):
        if is_sanitized(html):
            assert clean_html(html) == html
        assert clean_cached(html) == clean_html(html) or is_sanitized(html)


def test_the_sanitizers_output_is_mostly_accepted() -> None:
    """Else the check is only a cost: what the renderer makes must pass it."""
    folder = Path(str(resources.resource("demo")))
    bodies = [path.read_text("utf-8") for path in sorted(folder.glob("*.md"))]
    assert len(bodies) > 30
    rendered = [render_markdown(body) for body in bodies]
    accepted = [html for html in rendered if is_sanitized(html)]
    assert all(clean_html(html) == html for html in accepted)
    assert len(accepted) == len(rendered)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markup_is_never_taken_as_it_is(payload: str) -> None:
    for html in (payload, f"<p>{payload}</p>"):
        assert clean_cached(html) == clean_html(html)
        if "<" in payload:  # (two are Markdown, plain text to HTML)
            assert not is_sanitized(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p><div>block in a paragraph</div></p>",  # a parser closes the <p> first
        "<h2><h3>x</h3></h2>",
        '<a href="#a" rel="noopener noreferrer"><a href="#b" rel="noopener noreferrer">x</a></a>',
        "<table><tr><td>x</td></tr></table>",  # a parser adds <tbody>
        "<table>text</table>",  # moved out of the table
        "<ul>text<li>x</li></ul>",
        "<li>outside a list</li>",
        "<pre>\nx</pre>",  # the first line feed is dropped
        "<p>unclosed",
        "</p>",
        "<br></br>",
        '<a href="#x">no rel</a>',
        '<p data-line="1" data-line="2">duplicate</p>',
        '<img src="x.jpg"/>',
        "<P>upper case</P>",
        "<p title='single'>x</p>",
    ],
)
def test_markup_a_parser_would_rebuild_is_left_to_the_sanitizer(html: str) -> None:
    assert not is_sanitized(html)


def test_the_grammar_knows_only_tags_the_sanitizer_allows() -> None:
    assert sanitized._KNOWN <= ALLOWED_TAGS
    for name, attributes in sanitized._ATTRIBUTES.items():
        assert name in ALLOWED_TAGS, name
        assert attributes
