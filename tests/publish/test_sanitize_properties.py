"""The sanitizer's properties that let export clean every cached body again: what it gives
holds nothing that runs, cleaned once or twice, and the renderer's output comes back
unchanged (so a warm export writes the bytes a cold one does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import resources
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.sanitize import ALLOWED_TAGS, RESERVED_ID_PREFIX, clean_html

from .dom import executable_findings, parse
from .test_sanitize_and_dates import PAYLOADS

TAGS = [*sorted(ALLOWED_TAGS), "script", "svg", "iframe", "style", "form", "math", "textarea"]
ATTRIBUTES = [
    "", ' data-line="3"', ' data-line="x"', ' id="fn:1"', ' id="nd-body"', ' id="ND-x"',
    ' id="1x"', ' class="footnote"', ' class="footnote evil"', ' class="footnote  toc"',
    ' class="language-py"', ' href="#fn:1"', ' href="https://example.org/a?b=1&amp;c=2"',
    ' href="javascript:alert(1)"', ' href="JaVaScRiPt:x"', ' href="jav&#x09;ascript:x"',
    ' href="http://1.2.3.999/"', ' href="http://exa mple.org/"', ' href="mailto:a@b.c"',
    ' href="//evil.example/x"', ' href="fn:1"', ' href="http://xn--a.com/"',
    ' src="media/a.jpg"', ' src="data:image/png;base64,AA=="', ' alt="a &quot;b&quot; &lt;c&gt;"',
    ' srcset="a.jpg 1x, javascript:x 2x"', ' srcset="a.jpg 480w, b.jpg 800w"',
    ' sizes="x&quot;onerror=alert(1)"', ' loading="lazy"', ' type="text/html"',
    ' title="a\xa0b"', ' title="a&nbsp;b"', ' rel="noopener noreferrer"', ' rel="nofollow"',
    ' onclick="alert(1)"', ' style="color:red"', ' align="left"', ' align="middle"',
    ' colspan="2"', ' start="3"', ' reversed=""', ' open=""', ' datetime="2026-01-01"',
    ' lang="en"', ' scope="col"', ' value="4"', ' width="10"',
]  # fmt: skip
TEXTS = [
    "", "Words", " ", "\n", "\n\n", "a &amp; b", "a & b", "x &lt; y &gt; z", "1 < 2", "3 > 2",
    "“quoted”", 'say "hi"', "say &quot;hi&quot;", "no\xa0break", "no&nbsp;break", "tab\there",
    "cr\rhere", "nul\x00here", "bell\x07", "&#106;", "&copy;", "é", "\ufeff", "<!-- c -->",
    "\x85", "\ufffe", "\U0001f600", "\u2028", "&amp;lt;", "&amp", "&lt;script&gt;alert(1)",
    "<", ">", "&",
]  # fmt: skip


# Strategies built once: a strategy made anew at every draw is validated anew each time,
# which cost Hypothesis seven times what the 1,500 examples' checks do (same draws either way).
_COUNTS = st.integers(0, 4)
_KINDS = st.integers(0, 9)
_TEXTS = st.sampled_from(TEXTS)
_TAG_NAMES = st.sampled_from(TAGS)
_ATTRIBUTE_LISTS = st.lists(st.sampled_from(ATTRIBUTES), max_size=3)


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    """HTML-ish markup: allowed and forbidden tags, nested right or wrong, any text."""
    parts = []
    for _ in range(draw(_COUNTS)):
        kind = draw(_KINDS)
        if kind < 3 or depth > 3:
            parts.append(draw(_TEXTS))
            continue
        name = draw(_TAG_NAMES)
        attributes = "".join(draw(_ATTRIBUTE_LISTS))
        inner = draw(_FRAGMENTS[depth + 1])
        ending = draw(st.sampled_from([f"</{name}>", f"</{name}>", "", "</p>", "</div>"]))
        parts.append(f"<{name}{attributes}>{inner}{ending}")
    return "".join(parts)


_FRAGMENTS = [fragments(depth) for depth in range(6)]


def findings(html: str) -> list[str]:
    """What would run or restyle the page, or borrow an id the theme keeps for itself."""
    root = parse(f"<!DOCTYPE html><title>t</title><body>{html}</body>")
    found = executable_findings(root)
    for element in root.iter():
        if (element.get("id") or "").lower().startswith(RESERVED_ID_PREFIX):
            found.append(f"reserved id {element.get('id')!r}")
        for candidate in (element.get("srcset") or "").split(","):
            if ":" in candidate and not candidate.strip().startswith(("http://", "https://")):
                found.append(f"srcset candidate {candidate!r}")
    return found


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(_FRAGMENTS[0])
def test_what_the_sanitizer_gives_holds_nothing_that_runs_even_cleaned_again(
    markup: str,
) -> None:
    once = clean_html(markup)
    assert findings(once) == []
    # A cached body is the sanitizer's output, cleaned again when an export takes it.
    assert findings(clean_html(once)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markup_cleaned_once_or_twice_holds_nothing_that_runs(payload: str) -> None:
    for html in (payload, f"<p>{payload}</p>"):
        once = clean_html(html)
        assert findings(once) == []
        assert findings(clean_html(once)) == []


def test_the_renderers_output_comes_back_unchanged() -> None:
    """Export cleans every cached body again: on the renderer's own output that must not
    change a byte, or a warm export would write other pages than a cold one."""
    folder = Path(str(resources.resource("demo")))
    bodies = [path.read_text("utf-8") for path in sorted(folder.glob("*.md"))]
    assert len(bodies) > 30
    for body in bodies:
        html = render_markdown(body)
        assert clean_html(html) == html
