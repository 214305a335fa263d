"""Parsing what a user types in the search box."""

from __future__ import annotations

from newsdesk.core.search import Term, parse_query


def test_words_phrases_and_exclusions() -> None:
    parsed = parse_query('flood "river severn" -insurance')
    assert parsed.terms == (
        Term(("flood",)),
        Term(("river", "severn")),
        Term(("insurance",), exclude=True),
    )


def test_operators_and_punctuation_never_survive() -> None:
    parsed = parse_query('NEAR(a b) OR * "unclosed ^col:x')
    for term in parsed.terms:
        for word in term.words:
            assert word.isalnum()


def test_prefix_only_on_last_bare_word_while_typing() -> None:
    assert parse_query("flood riv", prefix_last=True).terms[-1].prefix
    assert not parse_query("flood riv ", prefix_last=True).terms[-1].prefix
    assert not parse_query("flood", prefix_last=False).terms[-1].prefix


def test_only_exclusions_is_empty() -> None:
    assert parse_query("-a -b").is_empty
    assert parse_query("   ").is_empty
