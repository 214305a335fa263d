"""Front matter in every form Hugo reads (YAML, TOML, JSON), and files that mix forms
refused with the file and the line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.core.errors import ImportFileError
from newsdesk.core.intake.frontmatter import parse_markdown_file, read_front_matter
from newsdesk.core.models import Status

TOML = """+++
title = "Ferry service cut"
date = 2024-03-02T07:30:00+01:00
draft = false
tags = ["transport", "islands"]
description = "Crew shortage."

[params]
colour = "blue"
+++
The operator blames a shortage of crew.
"""

JSON = """{
  "title": "Harbour plan approved",
  "draft": true,
  "categories": ["Planning"],
  "date": "2024-03-02T07:30:00Z"
}
The vote followed a long debate.
"""


def test_toml_front_matter_gives_the_article() -> None:
    article = parse_markdown_file(TOML, "ferry.md").article
    assert article.headline == "Ferry service cut"
    assert article.display_date == datetime(2024, 3, 2, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.status is Status.PUBLISHED
    assert article.tags == ("transport", "islands")
    assert article.standfirst == "Crew shortage."
    assert article.body == "The operator blames a shortage of crew.\n"


def test_toml_key_lines_name_the_line_of_a_bad_value() -> None:
    text = '+++\ntitle = "x"\nslug = "Not A Slug!"\n+++\nBody\n'
    with pytest.raises(ImportFileError) as caught:
        parse_markdown_file(text, "bad.md")
    assert caught.value.line == 3 and "slug" in caught.value.problem


def test_json_front_matter_gives_the_article() -> None:
    parsed = parse_markdown_file(JSON, "plan.json.md")
    assert parsed.article.headline == "Harbour plan approved"
    assert parsed.article.status is Status.DRAFT
    assert parsed.article.section == "Planning"
    assert parsed.article.display_date == datetime(2024, 3, 2, 7, 30, tzinfo=UTC)
    assert parsed.article.body == "The vote followed a long debate.\n"
    assert parsed.body_line == 7  # after the closing brace on line 6


def test_a_body_opening_with_a_shortcode_is_no_json() -> None:
    front = read_front_matter("{{< youtube abc >}}\n\n# Title\n", "x.md")
    assert front.form == "" and front.body.startswith("{{<")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('+++\ntitle = "x"\ndate: 2024-01-01\n+++\n', 3, "opens with '+++' (TOML)"),
        ("---\ntitle: x\ndraft = true\n---\n", 3, "opens with '---' (YAML)"),
        ('+++\ntitle = "x"\n---\nBody\n', 3, "this line is '---' (YAML)"),
        ("---\ntitle: x\n+++\nBody\n", 3, "this line is '+++' (TOML)"),
    ],
)
def test_mixed_forms_are_refused_naming_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_markdown_file(text, "mixed.md")
    assert caught.value.path == "mixed.md"
    assert caught.value.line == line
    assert "mixes forms" in caught.value.problem and words in caught.value.problem


def test_toml_that_does_not_parse_names_its_line() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_markdown_file('+++\ntitle = "x"\ntags = [\n+++\n', "bad.md")
    assert "not valid TOML" in caught.value.problem and caught.value.line is not None


def test_unclosed_toml_is_refused() -> None:
    with pytest.raises(ImportFileError, match="opened with '\\+\\+\\+' is never closed"):
        parse_markdown_file('+++\ntitle = "x"\n', "open.md")
