"""The allow-list sanitizer, URL checks, and date formatting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.core.errors import ValidationError
from newsdesk.publish.dates import duration_iso, duration_text, format_date, iso
from newsdesk.publish.markdown import render_markdown
from newsdesk.publish.sanitize import clean_html, safe_url

from .dom import executable_findings, parse

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&#x3A;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<svg><script>alert(1)</script><circle onload=alert(1)/></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src='https://evil.example/'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example/'><input name=p><button>Go</button></form>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<base href='https://evil.example/'>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "<template><script>alert(1)</script></template>",
    "<details open ontoggle=alert(1)>x</details>",
    "<!--<img src=x onerror=alert(1)>-->",
    "</title><script>alert(1)</script>",
    "<div id='nd-body' class='masthead skip-link'>spoof</div>",
    "[x](javascript:alert(1)) ![y](javascript:alert(2)) <javascript:alert(3)>",
    "{: onclick='alert(1)' style='color:red' }\n\nParagraph {: onmouseover=alert(1) }",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives_markdown_and_sanitizer(payload: str) -> None:
    html = render_markdown(f"Intro.\n\n{payload}\n\nOutro with {payload} inline.")
    root = parse(f"<!DOCTYPE html><title>t</title><body>{html}</body>")
    assert executable_findings(root) == []
    assert "<script" not in html.lower()
    assert "javascript:" not in html.lower()


def test_ids_and_classes_are_kept_only_when_footnotes_and_toc_need_them() -> None:
    html = clean_html(
        '<div class="footnote evil"><sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a>'
        '</sup></div><div id="nd-headline" class="masthead">x</div>'
        '<pre><code class="language-python">x</code></pre>'
    )
    assert 'class="footnote"' in html
    assert 'id="fnref:1"' in html
    assert 'href="#fn:1"' in html
    assert "nd-headline" not in html
    assert "masthead" not in html
    assert 'class="language-python"' in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("http://example.com/a", "http://example.com/a"),
        ("media/a.jpg", "media/a.jpg"),
        ("/media/a.jpg", "/media/a.jpg"),
        ("#top", "#top"),
        ("//evil.example/x", None),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("C:\\Users\\me\\photo.jpg", None),
        ("c:/photo.jpg", None),
        ("file:///etc/passwd", None),
        ("https://", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_mailto_only_when_asked() -> None:
    assert safe_url("mailto:desk@example.com") is None
    assert safe_url("mailto:desk@example.com", allow_mailto=True) == "mailto:desk@example.com"


SATURDAY = datetime(2026, 1, 17, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/London", "Saturday, Jan 17, 2026"),
        ("America/New_York", "Saturday, Jan 17, 2026"),
        ("Asia/Tokyo", "Sunday, Jan 18, 2026"),
    ],
)
def test_date_line_is_written_in_the_publication_time_zone(zone: str, expected: str) -> None:
    assert format_date(SATURDAY, "%A, %b %-d, %Y", zone) == expected


def test_date_directives_and_unpadded_flag() -> None:
    moment = datetime(2026, 3, 5, 7, 4, 9, tzinfo=UTC)
    assert format_date(moment, "%d/%m/%y %-d %-m %H:%M:%S %-I%p %B %a %j %%", "UTC") == (
        "05/03/26 5 3 07:04:09 7AM March Thu 064 %"
    )
    assert format_date(moment, "%-H:%M %Z", "Europe/London") == "7:04 GMT"
    assert format_date(moment, "%Q stays", "UTC") == "%Q stays"


def test_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        format_date(SATURDAY, "%Y", "Mars/Olympus")


def test_iso_and_durations() -> None:
    assert iso(datetime(2026, 1, 17, 9, 30, 5, 123456, tzinfo=UTC)) == "2026-01-17T09:30:05Z"
    assert duration_text(272) == "4:32"
    assert duration_text(3723) == "1:02:03"
    assert duration_iso(272) == "PT4M32S"
    assert duration_iso(3600) == "PT1H"
