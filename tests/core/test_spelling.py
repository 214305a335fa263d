"""Spelling: Hunspell en-GB and en-US through Enchant, the words worth checking, bad input."""

from __future__ import annotations

import sys
import time

import pytest

from newsdesk.core.checks.spelling import (
    MissingDictionaryError,
    dictionary_word,
    open_dictionary,
    spelling_problems,
    words_to_check,
)


@pytest.fixture(scope="module")
def en_gb():  # type: ignore[no-untyped-def]
    return open_dictionary("en-GB")


@pytest.fixture(scope="module")
def en_us():  # type: ignore[no-untyped-def]
    return open_dictionary("en-US")


def flagged(text: str, dictionary, known=()) -> list[str]:  # type: ignore[no-untyped-def]
    return [text[p.start : p.end] for p in spelling_problems("body", text, dictionary, known)]


def test_hunspell_is_the_provider_not_aspell(en_gb, en_us) -> None:  # type: ignore[no-untyped-def]
    # Debian orders Aspell first for English (CHECKS.md §2): we must have asked by name.
    assert en_gb.provider == "hunspell"
    assert en_us.provider == "hunspell"


def test_british_and_american_spellings_follow_the_language(en_gb, en_us) -> None:  # type: ignore[no-untyped-def]
    text = "The colour of the theatre's centre, and the color of the theater's center."
    assert flagged(text, en_gb) == ["color", "theater's", "center"]
    assert flagged(text, en_us) == ["colour", "theatre's", "centre"]


def test_typos_are_flagged_with_suggestions(en_gb) -> None:  # type: ignore[no-untyped-def]
    problems = spelling_problems("headline", "Goverment to recieve report", en_gb, suggest=True)
    assert [(p.start, p.end, p.column) for p in problems] == [(0, 9, 1), (13, 20, 14)]
    assert problems[0].suggestions[0] == "Government"
    assert problems[1].suggestions[0] == "receive"
    assert problems[0].rule == "spelling"
    assert "Goverment" in problems[0].message


def test_markdown_code_links_addresses_and_numbers_are_skipped(en_gb) -> None:  # type: ignore[no-untyped-def]
    text = (
        "# A headng\n\n"
        "See [the reprot](https://exmaple.org/pathh_to?q=zzz) or mail aa.bb@qqq.example.\n"
        'Run `cmdd --flagg` and <span class="klass">fine</span>.\n'
        '![the txet](media:0123456789ab "A captoin") 3rd 42nd COVID19 NHS file_nmae\n\n'
        "```\nfenced coode\n```\n\n"
        "<!-- a commnet -->\n[ref]: https://wwwx.example/zz\n"
    )
    # Prose is checked (headings, link text, alt text, titles); syntax and code are not.
    assert flagged(text, en_gb) == ["headng", "reprot", "txet", "captoin"]


def test_contractions_curly_apostrophes_and_hyphens(en_gb) -> None:  # type: ignore[no-untyped-def]
    text = "Don’t say it isn't a well-known, long-term plan; it’s a well-knwon one."
    assert flagged(text, en_gb) == ["knwon"]  # only the wrong part of the hyphenated word
    words = [w for _, _, w in words_to_check("Don’t stop")]
    assert words == ["Don't", "stop"]


def test_known_words_as_written_and_possessive(en_gb) -> None:  # type: ignore[no-untyped-def]
    text = "Starmer said Starmer's plan. Starmer’s aide. starmer is wrong."
    assert flagged(text, en_gb) == ["Starmer", "Starmer's", "Starmer’s", "starmer"]
    assert flagged(text, en_gb, {"Starmer"}) == ["starmer"]
    # A lower-case word added is right capitalised too, at the start of a sentence.
    assert flagged("Frobnicate it. We frobnicate.", en_gb, {"frobnicate"}) == []


def test_offsets_line_and_column_count_code_points(en_gb) -> None:  # type: ignore[no-untyped-def]
    text = "Fine 😀 text\nsecond secnod"
    (problem,) = spelling_problems("body", text, en_gb)
    assert (problem.start, problem.end) == (19, 25)
    assert text[problem.start : problem.end] == "secnod"
    assert (problem.line, problem.column) == (2, 8)


def test_a_missing_dictionary_names_the_package() -> None:
    with pytest.raises(MissingDictionaryError) as caught:
        open_dictionary("xx-YY")
    assert "xx-YY" in str(caught.value)
    assert "hunspell-xx-yy" in str(caught.value)
    assert caught.value.package == "hunspell-xx-yy"


def test_a_missing_enchant_library_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "enchant", None)  # import enchant now fails
    with pytest.raises(MissingDictionaryError, match="libenchant-2-2 and hunspell-en-gb"):
        open_dictionary("en-GB")


def test_a_ten_megabyte_body_is_checked_in_seconds(en_gb) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.core.checks.spelling import CachedDictionary

    paragraph = "The council said the new bridge would open next spring, ahead of shedule.\n\n"
    body = paragraph * (10_000_000 // len(paragraph))
    started = time.perf_counter()
    problems = spelling_problems("body", body, CachedDictionary(en_gb))
    assert len(problems) == body.count("shedule")
    assert time.perf_counter() - started < 60


def test_a_dictionary_word_is_one_word() -> None:
    from newsdesk.core.errors import ValidationError

    assert dictionary_word(" Starmer’s ") == "Starmer's"
    with pytest.raises(ValidationError, match="more than one word"):
        dictionary_word("Keir Starmer")
    with pytest.raises(ValidationError, match="empty"):
        dictionary_word("  ")
