"""Counting words, cleaning fields and making slugs, as a journalist would check them."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.core import text
from newsdesk.core.slugs import is_safe_slug, slugify, unique_slug


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("", 0),
        ("Around 1,100 homes were evacuated, officials said.", 7),
        ("**Bold** and _italic_ words, a [link](https://example.com/x) too.", 7),
        ("It's a well-known fact — isn't it?", 6),
        ("Ünïcödé wörds ärë wörds", 4),
        ("مرحبا بالعالم", 2),
        ("# Heading\n\n- one\n- two\n\n> quoted line", 5),
    ],
)
def test_word_count_counts_what_a_reader_sees(body: str, words: int) -> None:
    assert text.word_count(body) == words


def test_char_count_ignores_spaces_markup_and_combining_marks() -> None:
    assert text.char_count("e\u0301t\u00e9  **ok**") == 5  # é (combining), té, ok


def test_reading_time_rounds_up_and_is_zero_only_for_nothing() -> None:
    assert text.reading_minutes(0) == 0
    assert text.reading_minutes(1) == 1
    assert text.reading_minutes(231) == 2


def test_clean_line_removes_controls_and_breaks() -> None:
    assert text.clean_line(" A\x00B\nC\u2028D\x1b  E ") == "A B C D E"


def test_clean_line_folds_every_break_and_replaces_lone_surrogates() -> None:
    assert text.clean_line("a\tb\r\nc\u2029d\x85e\x9ff") == "a b c d e f"
    assert text.clean_line("half \ud800 a pair") == "half \ufffd a pair"
    assert (
        text.clean_line("\u202eevil\u200d emoji 👩‍👩‍👧 كلمة")
        == "\u202eevil\u200d emoji 👩‍👩‍👧 كلمة"
    )


def test_clean_body_folds_lone_carriage_returns_and_surrogates() -> None:
    assert text.clean_body("one\rtwo\r\n\x00three\x85\udfff") == "one\ntwo\nthree\ufffd"


def test_clean_body_keeps_tabs_and_newlines_only() -> None:
    assert text.clean_body("a\r\nb\tc\x07d\re") == "a\nb\tcd\ne"


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        (
            "Floods Hit the Severn: 1,100 Homes Evacuated",
            "floods-hit-the-severn-1-100-homes-evacuated",
        ),
        ("Café owners' row — it's over", "cafe-owners-row-its-over"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("Ελλάδα: εκλογές", "ελλαδα-εκλογες"),
        ("", "article"),
        ("!!!", "article"),
        ("CON", "con-article"),
        ("🔥🔥", "article"),
    ],
)
def test_slugify(headline: str, slug: str) -> None:
    assert slugify(headline) == slug
    assert is_safe_slug(slug)


def test_slugify_limits_length_at_a_word_boundary() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.endswith("word")


@pytest.mark.parametrize(
    "slug",
    ["", "../x", "a/b", "a\\b", "c:", ".hidden", "a.b", "UPPER", "-x", "x-", "nul", "a" * 81],
)
def test_unsafe_slugs_are_refused(slug: str) -> None:
    assert not is_safe_slug(slug)


def test_unique_slug_numbers_clashes() -> None:
    assert unique_slug("a", set()) == "a"
    assert unique_slug("a", {"a", "a-2"}) == "a-3"


@given(st.text(alphabet="ab c\x00\x07\x1b\x7f\u0301é\u200b\u202e🌊\t\n*_#عربي", max_size=60))
def test_fast_char_count_agrees_with_the_definition(sample: str) -> None:
    visible = text.strip_markup(sample)
    expected = sum(
        1
        for ch in visible
        if not ch.isspace() and unicodedata.category(ch) not in {"Mn", "Me", "Cf", "Cc"}
    )
    assert text.char_count(sample) == expected
