"""The history rules on their own: coalescing, thinning with age, diffs, restore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.core.history import (
    AUTOSAVE,
    COALESCE,
    article_text,
    autosaves_to_drop,
    change_summary,
    coalesces,
    field_changes,
    restored,
)
from newsdesk.core.models import Article, RelatedLink, Revision, Status

NOW = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def test_an_autosave_coalesces_only_into_a_young_autosave_revision() -> None:
    young = NOW - COALESCE + timedelta(seconds=1)
    assert coalesces(AUTOSAVE, young, NOW)
    assert not coalesces(AUTOSAVE, NOW - COALESCE, NOW)
    assert not coalesces("manual", young, NOW)  # a Ctrl+S revision is never overwritten
    assert not coalesces(None, None, NOW)  # no revision yet
    assert not coalesces(AUTOSAVE, NOW + timedelta(minutes=1), NOW)  # a clock set back


def test_thinning_keeps_the_last_hour_then_one_per_slot() -> None:
    minutes = range(0, 60 * 24 * 10, 5)  # an autosave revision every 5 minutes for 10 days
    revisions = [(m, NOW - timedelta(minutes=m)) for m in minutes]
    dropped = autosaves_to_drop(revisions, NOW)
    kept = sorted(m for m in minutes if m not in dropped)
    assert [m for m in kept if m < 60] == list(range(0, 60, 5))  # every one of the last hour
    day = [NOW - timedelta(minutes=m) for m in kept if 60 <= m < 60 * 24]
    assert len({(t.date(), t.hour, t.minute // 10) for t in day}) == len(day)  # one per slot
    assert 23 * 6 - 1 <= len(day) <= 23 * 6 + 1
    week = [NOW - timedelta(minutes=m) for m in kept if 60 * 24 <= m < 60 * 24 * 7]
    assert len({(t.date(), t.hour) for t in week}) == len(week)
    assert 6 * 24 - 1 <= len(week) <= 6 * 24 + 1
    older = [NOW - timedelta(minutes=m) for m in kept if m >= 60 * 24 * 7]
    assert len({t.date() for t in older}) == len(older) <= 4
    assert 0 in kept  # the newest is always kept
    assert len(kept) < len(revisions) / 5


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=60 * 24 * 30), min_size=1, unique=True),
    st.integers(min_value=0, max_value=60 * 24 * 3),
)
def test_thinning_is_stable_as_time_passes(ages: list[int], later: int) -> None:
    """What survives thinning now and again later is what thinning later alone keeps: no
    revision comes back, and the newest of every slot survives."""
    revisions = [(a, NOW - timedelta(minutes=a)) for a in ages]
    now_kept = [(k, t) for k, t in revisions if k not in autosaves_to_drop(revisions, NOW)]
    then = NOW + timedelta(minutes=later)
    twice = {k for k, t in now_kept if k not in autosaves_to_drop(now_kept, then)}
    once = {k for k, t in revisions if k not in autosaves_to_drop(revisions, then)}
    assert twice == once
    assert min(ages) in once


def test_diffs_and_summaries_name_the_fields_that_changed() -> None:
    old = Article(headline="Flood barrier delayed", body="One two.\n", tags=("flooding",))
    new = Article(
        headline="Flood barrier delayed again",
        body="One two three.\n",
        tags=("flooding", "severn"),
        related=(RelatedLink(title="Earlier story", url="https://example.org/a"),),
    )
    changes = {name: (before, after) for name, before, after in field_changes(old, new)}
    assert changes["Headline"] == ("Flood barrier delayed", "Flood barrier delayed again")
    assert changes["Tags"] == ("flooding", "flooding, severn")
    assert "Earlier story <https://example.org/a>" in changes["Related links"][1]
    assert "Byline" not in changes
    assert change_summary(old, new) == "changed: headline, tags, related links, body (+1 words)"
    assert change_summary(old, old) == "no change"
    assert "Related links: Earlier story" in article_text(new)
    assert article_text(new).endswith("\n\nOne two three.\n")


def test_restoring_brings_back_the_text_but_not_the_status_or_a_public_address() -> None:
    old = Article(headline="Draft headline", body="Old text.", status=Status.DRAFT)
    revision = Revision(old.uri, 3, NOW, "manual", old.normalized().to_dict())
    published_at = NOW - timedelta(days=1)
    current = Article(
        headline="Published headline",
        uri=old.uri,
        id=7,
        version=12,
        body="New text.",
        status=Status.PUBLISHED,
        slug="published-headline",
        first_published_at=published_at,
    )
    back = restored(current, revision)
    assert (back.headline, back.body) == ("Draft headline", "Old text.")
    assert (back.id, back.version, back.status) == (7, 12, Status.PUBLISHED)
    assert back.slug == "published-headline" and back.first_published_at == published_at
