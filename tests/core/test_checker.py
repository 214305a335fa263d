"""The one checker the window and the command line share."""

from __future__ import annotations

import pytest

from newsdesk.core.checks.checker import ArticleChecker, field_texts
from newsdesk.core.checks.checks import CheckKind
from newsdesk.core.checks.house_style import default_style
from newsdesk.core.models import Article, Media


@pytest.fixture(scope="module")
def checker() -> ArticleChecker:
    return ArticleChecker("en-GB", default_style())


def test_every_field_is_checked_and_names_in_tags_and_byline_are_known(
    checker: ArticleChecker,
) -> None:
    article = Article(
        headline="Starmer visits Hartlepol",
        byline="Priya Ramaswamy",
        tags=("Keir Starmer",),
        standfirst="Ramaswamy reports on the the visit.",
        body="Starmer's speech was organized well.",
        image=Media(src="media:0123456789ab", caption="A captoin", alt="Crowds"),
    )
    found = [(p.field, p.kind, p.rule) for p in checker.check_article(article)]
    assert found == [
        ("headline", CheckKind.SPELLING, "spelling"),
        ("standfirst", CheckKind.STYLE, "NewsdeskBritish.Repeated"),
        ("body", CheckKind.STYLE, "NewsdeskBritish.Ise"),
        ("image.caption", CheckKind.SPELLING, "spelling"),
    ]
    assert dict(field_texts(article))["image.caption"] == "A captoin"


def test_ignore_and_add_known(checker: ArticleChecker) -> None:
    local = ArticleChecker("en-GB", None, dictionary=checker.dictionary)
    assert [p.rule for p in local.check_field("body", "Zorblax met Quuxby.")] == ["spelling"] * 2
    local.ignore("Zorblax")
    local.add_known("Quuxby")
    assert local.check_field("body", "Zorblax met Quuxby.") == []
    local.forget("Quuxby")
    assert [p.start for p in local.check_field("body", "Zorblax met Quuxby.")] == [12]


def test_check_paragraph_shifts_offsets(checker: ArticleChecker) -> None:
    body = "First paragraph.\n\nSecond pargraph here."
    offset = body.index("Second")
    paragraph = body[offset:]
    (problem,) = checker.check_paragraph("body", paragraph, offset, full_text=body)
    assert body[problem.start : problem.end] == "pargraph"
    assert (problem.line, problem.column) == (3, 8)
    (plain,) = checker.check_paragraph("body", paragraph, offset)
    assert (plain.start, plain.end) == (problem.start, problem.end)


def test_a_case_fix_keeps_names_capitalised(checker: ArticleChecker) -> None:
    (problem,) = checker.check_field("headline", "Leeds Council Approves New Budget")
    assert problem.suggestions == ("Leeds council approves new budget",)


def test_without_a_dictionary_style_still_runs() -> None:
    checker = ArticleChecker("xx-YY", default_style())
    assert checker.missing is not None and "hunspell-xx-yy" in str(checker.missing)
    assert [p.rule for p in checker.check_field("body", "Qwrtz organized it.")] == [
        "NewsdeskBritish.Ise"
    ]


def test_offsets_convert_to_qt_units() -> None:
    from newsdesk.core.checks.checks import utf16_offset

    text = "Fine 😀 text"
    assert utf16_offset(text, text.index("text")) == 8  # the emoji is two UTF-16 units
    assert utf16_offset(text, 3) == 3
