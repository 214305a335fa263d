"""Impossible dates in front matter: a message naming file, line, key and value, never a crash."""

from __future__ import annotations

import pytest

from newsdesk.core.errors import ImportFileError
from newsdesk.core.intake.frontmatter import parse_markdown_file


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0000-00-00", "year 0 is out of range"),
        ("2026-02-30", "day is out of range for month"),
        ("2026-13-01", "month must be in 1..12"),
        ("2026-02-28T25:00:00", "hour must be in 0..23"),
    ],
)
def test_a_date_that_does_not_exist_names_the_file_line_and_value(value: str, why: str) -> None:
    text = f"---\ntitle: Council vote\ntags: [politics]\ndate: {value}\n---\nBody."
    with pytest.raises(ImportFileError) as caught:
        parse_markdown_file(text, "desk/bad.md")
    assert caught.value.path == "desk/bad.md"
    assert caught.value.line == 4
    assert str(caught.value).startswith(f"desk/bad.md:4: date: '{value}' is not a date that exists")
    assert why in str(caught.value) and "write it like 2026-11-14T07:30:00+00:00" in str(
        caught.value
    )


def test_other_dates_and_date_like_text_elsewhere_are_unchanged() -> None:
    parsed = parse_markdown_file(
        "---\ntitle: 2026-02-30\ndate: 2026-02-28\nupdated: 2026-03-01T08:00:00Z\n---\nBody.",
        "good.md",
    )
    assert parsed.article.headline == "2026-02-30"  # a headline is text, whatever it looks like
    assert parsed.article.display_date is not None
    assert parsed.article.display_date.isoformat() == "2026-02-28T00:00:00+00:00"
    with pytest.raises(ImportFileError, match=r"bad\.md:2: date: 'soon' is not a date;"):
        parse_markdown_file("---\ndate: soon\ntitle: x\n---\n", "bad.md")
