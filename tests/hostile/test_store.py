"""Hostile text in every field survives the store exactly, on SQLite and on PostgreSQL.

The only change is the model's one rule for control characters (see ``corpus.line_rule``
and ``corpus.body_rule``); right-to-left text, combining marks, emoji and markup are kept
character for character.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import MAX_LENGTHS, Article, Correction, Media, RelatedLink

from . import corpus


def test_every_payload_in_every_field_comes_back_as_written(store: Any) -> None:
    items = corpus.articles()
    store.create_many(items)
    by_uri = {a.uri: a for a in store.get_many([a.uri for a in items])}
    assert len(by_uri) == len(items)
    for item in items:
        stored = by_uri[item.uri]
        assert corpus.stored_fields(stored) == corpus.expected_fields(item), item.uri
        # Read one at a time (the ORM path) as well as in bulk: the same article.
        if item.uri.endswith(("1", "7")):
            assert store.get(item.uri).to_dict() == stored.to_dict()


def test_text_without_controls_is_kept_character_for_character(store: Any) -> None:
    untouched = {"bidi", "combining", "emoji", "template-injection", "script"}
    kept = [p for p in corpus.payloads() if p.category in untouched]
    store.create_many([corpus.article(p) for p in kept])
    for p in kept:
        stored = store.get(corpus.uri(p.number))
        assert stored.headline == f"Hostile {p.number}: {p.text}"
        assert stored.body == f"Before {p.number}.\n\n{p.text}\n\nAfter {p.number}.\n"
        assert stored.image is not None and stored.image.caption == p.text
        assert stored.related[0].title == p.text
        assert stored.corrections[0].text == p.text


def test_the_control_rule_and_nothing_else(store: Any) -> None:
    nasty = "a\x00b\x85c\u2028d\u202ee\x1bf\tg\r\nh"
    stored = store.create(
        Article(
            headline=nasty,
            body=nasty,
            tags=(nasty,),
            image=Media(src="lead.jpg", caption=nasty),
            related=(RelatedLink(title=nasty, url="https://example.org/x"),),
        )
    )
    again = store.get(stored.uri)
    assert again.headline == "a b c d\u202ee f g h"  # every control or break: one space
    assert again.body == "abc\u2028d\u202eef\tg\nh"  # controls gone, tab and LF kept
    assert again.tags == ("a b c d\u202ee f g h",)
    assert again.image is not None and again.image.caption == again.headline
    assert again.related[0].title == again.headline
    # Saving an edit goes through the same rule.
    store.save(again.edited(kicker=nasty, body=again.body + "\n" + nasty))
    edited = store.get(stored.uri)
    assert edited.kicker == again.headline
    assert edited.body == again.body + "\n" + again.body
    assert edited.version == again.version + 1


def test_lone_surrogates_become_replacement_characters(store: Any) -> None:
    stored = store.create(Article(headline="Half \ud83c pair", body="x\udc00y\n"))
    again = store.get(stored.uri)
    assert (again.headline, again.body) == ("Half \ufffd pair", "x\ufffdy\n")


@pytest.mark.parametrize("name", ["section", "tag", "language", "uri"])
def test_values_longer_than_the_store_holds_are_refused_clearly(store: Any, name: str) -> None:
    limit = MAX_LENGTHS[name]
    fill = "🌊" if name != "uri" else "u"  # astral characters count once, as PostgreSQL does
    fits = {"section": {"section": fill * limit}, "tag": {"tags": (fill * limit,)},
            "language": {"language": "x" * limit}, "uri": {"uri": fill * limit}}[name]  # fmt: skip
    too_long = {key: value[:1] + value if isinstance(value, str) else (fill + value[0],)
                for key, value in fits.items()}  # fmt: skip
    stored = store.create(Article(headline="Fits", **fits))
    assert dataclasses.asdict(store.get(stored.uri))[next(iter(fits))] == next(iter(fits.values()))
    with pytest.raises(ValidationError, match=rf"{name} .* is {limit + 1:,} characters long; "
                       rf"shorten it to {limit} at most"):  # fmt: skip
        store.create(Article(headline="Too long", **too_long))
    assert store.info().article_count == 1


def test_path_traversal_slugs_are_refused_before_anything_is_written(store: Any) -> None:
    refused = []
    for slug in corpus.PATHS:
        if not slug:
            continue
        with pytest.raises(ValidationError, match="not usable in a URL") as caught:
            store.create(Article(headline="Escape", slug=slug, slug_locked=True))
        refused.append(str(caught.value))
    assert len(refused) == len(corpus.PATHS) - 1
    assert store.info().article_count == 0
    # Derived from a hostile headline, the slug is always one safe segment.
    for text in corpus.PATHS:
        stored = store.create(Article(headline=text or "empty"))
        assert stored.slug.replace("-", "").isalnum(), stored.slug


def test_a_ten_megabyte_body_is_stored_exactly(store: Any) -> None:
    body = corpus.big_body(10)
    assert len(body.encode()) > 10_000_000
    stored = store.create(Article(headline="Ten megabytes", body=body))
    assert store.get(stored.uri).body == body


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00Z"]
)
def test_a_date_no_time_zone_can_show_is_refused_clearly(store: Any, moment: str) -> None:
    when = datetime.fromisoformat(moment)
    with pytest.raises(ValidationError, match=r"display_date .* is out of range \(years 1"):
        store.create(Article(headline="Edge of time", display_date=when))
    with pytest.raises(ValidationError, match=r"a correction's date .* is out of range"):
        store.create(Article(headline="Edge of time", corrections=(Correction(when, "x"),)))
    assert store.info().article_count == 0
