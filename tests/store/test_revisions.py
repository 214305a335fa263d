"""Revisions in a real store (SQLite and PostgreSQL), with a clock the tests move."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.core.errors import ConflictError, NotFoundError
from newsdesk.core.history import AUTOSAVE, COALESCE, record_exports, restore, revision_time
from newsdesk.core.models import Article, RelatedLink, Status
from newsdesk.store import SqlStore

START = datetime(2030, 11, 25, 9, 0, tzinfo=UTC)  # a Monday morning, after any real save


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(store: SqlStore) -> Clock:
    clock = Clock()
    store.clock = clock
    return clock


def test_autosaves_coalesce_into_one_revision_per_five_minutes(
    store: SqlStore, clock: Clock
) -> None:
    article = store.create(Article(headline="Harbour fire", body=""))
    words: list[str] = []
    for second in range(0, 12 * 60, 3):  # twelve minutes of typing, a save every 3 s
        clock.now = START + timedelta(seconds=second)
        words.append(f"w{second}")
        article = store.save(article.edited(body=" ".join(words)), reason=AUTOSAVE)
    revisions = store.revisions(article.uri)
    assert [r.reason for r in revisions] == [AUTOSAVE] * 3
    assert [r.created_at for r in revisions] == [START + COALESCE * i for i in range(3)]
    # Each holds the last text of its five minutes; the newest holds the text stored now.
    assert revisions[0].snapshot["body"].split()[-1] == "w297"
    assert revisions[1].snapshot["body"].split()[-1] == "w597"
    assert revisions[-1].article() == store.get(article.uri)
    assert revisions[-1].snapshot == store.get(article.uri).to_dict()  # counts included
    assert revision_time(revisions[0]) == START + timedelta(seconds=297)
    assert revisions[-1].word_count == len(words)


def test_other_revisions_are_never_coalesced_nor_thinned(store: SqlStore, clock: Clock) -> None:
    article = store.create(Article(headline="Budget leak", body="One."))
    article = store.save(article.edited(body="One. Two."), reason=AUTOSAVE)
    clock.advance(seconds=30)
    article = store.save(article.edited(body="One. Two. Three."), reason="manual")
    clock.advance(seconds=30)
    # The newest is a Ctrl+S revision: autosave starts a new revision, not overwrite it.
    article = store.save(article.edited(body="One. Two. Three. Four."), reason=AUTOSAVE)
    clock.advance(days=30)
    store.save(article.edited(body="Much later."), reason=AUTOSAVE)
    revisions = store.revisions(article.uri)
    # A month on, the two autosave revisions of that day are thinned to the newest.
    assert [(r.number, r.reason) for r in revisions] == [
        (2, "manual"),
        (3, AUTOSAVE),
        (4, AUTOSAVE),
    ]
    assert [r.snapshot["body"] for r in revisions] == [
        "One. Two. Three.",
        "One. Two. Three. Four.",
        "Much later.",
    ]


def test_a_day_of_typing_then_a_week_leaves_few_revisions(store: SqlStore, clock: Clock) -> None:
    article = store.create(Article(headline="Election night", body=""))
    saves = 0
    for minute in range(0, 8 * 60, 2):  # 09:00 to 17:00, an autosave every 2 minutes
        clock.now = START + timedelta(minutes=minute)
        article = store.save(article.edited(body=f"Paragraph {minute}."), reason=AUTOSAVE)
        saves += 1
        if minute % 120 == 0:
            article = store.save(article, reason="manual")  # Ctrl+S now and then
    end_of_day = store.revisions(article.uri)
    autosaves = [r for r in end_of_day if r.reason == AUTOSAVE]
    manual = [r for r in end_of_day if r.reason == "manual"]
    assert saves == 240 and len(manual) == 4
    recent = [r for r in autosaves if clock.now - r.created_at < timedelta(hours=1)]
    # Every one of the last hour: one started at the first save 5 minutes after the last.
    gaps = {b.created_at - a.created_at for a, b in itertools.pairwise(recent)}
    assert len(recent) >= 9 and gaps == {timedelta(minutes=6)}
    older = [r for r in autosaves if r not in recent]
    slots = {(r.created_at.hour, r.created_at.minute // 10) for r in older}
    assert len(slots) == len(older)  # one per 10 minutes before that
    assert len(end_of_day) <= 70
    # A week later the day is down to one revision an hour; the Ctrl+S ones all stay.
    clock.advance(days=7)
    store.save(article.edited(body="Follow-up."), reason=AUTOSAVE)
    week_later = store.revisions(article.uri)
    day_autosaves = [r for r in week_later if r.reason == AUTOSAVE and r.created_at < clock.now]
    assert len({r.created_at.hour for r in day_autosaves}) == len(day_autosaves) <= 8
    assert [r for r in week_later if r.reason == "manual"] == manual
    numbers = [r.number for r in week_later]
    assert numbers == sorted(set(numbers))  # numbers are never reused
    assert week_later[-1].number > end_of_day[-1].number


def test_export_revisions_are_recorded_in_bulk_once_per_version(
    store: SqlStore, clock: Clock
) -> None:
    ready = [
        store.create(Article(headline=f"Story {i}", body="Text " * i, status=Status.READY))
        for i in range(1, 8)
    ]
    store.create(Article(headline="A draft", body="Not exported."))
    saved = store.save(ready[0].edited(body="Edited and saved."), reason="manual")
    assert record_exports(store, statuses={Status.READY}, left_out=[ready[6].uri]) == 5
    for article in ready[1:6]:
        (revision,) = store.revisions(article.uri)
        assert (revision.reason, revision.number) == ("export", 1)
        assert revision.snapshot == store.get(article.uri).to_dict()
    # The newest revision of the first already holds the exported version.
    assert [r.reason for r in store.revisions(saved.uri)] == ["manual"]
    assert store.revisions(ready[6].uri) == []
    # Exporting again without changes records nothing; a change is recorded once.
    assert record_exports(store, statuses={Status.READY}) == 1  # the one left out before
    assert record_exports(store, statuses={Status.READY}) == 0
    clock.advance(minutes=10)
    corrected = store.save(store.get(ready[2].uri).edited(body="Corrected."), reason=AUTOSAVE)
    assert record_exports(store, statuses={Status.READY}) == 1
    assert [r.reason for r in store.revisions(ready[2].uri)] == ["export", AUTOSAVE, "export"]
    # The exported text is kept even though the autosave revision held it: typing on
    # within five minutes starts a new autosave revision instead of overwriting it.
    clock.advance(minutes=1)
    store.save(corrected.edited(body="Corrected again."), reason=AUTOSAVE)
    bodies = [r.snapshot["body"] for r in store.revisions(ready[2].uri)]
    assert bodies[-3:] == ["Corrected.", "Corrected.", "Corrected again."]
    # An article saved after the export read its version is not recorded as exported.
    assert store.record_exports([(ready[3].uri, 999)]) == 0
    # With --since, only what was saved since then was exported.
    clock.advance(minutes=10)
    store.save(store.get(ready[4].uri).edited(body="Late."), reason=None)
    assert record_exports(store, statuses={Status.READY}, since=clock.now) == 1


def test_a_clock_behind_the_saves_still_records_each_export_once(
    store: SqlStore, clock: Clock
) -> None:
    clock.now = datetime(2020, 1, 1, tzinfo=UTC)  # revisions look older than the saves
    article = store.create(Article(headline="Skewed", body="Text.", status=Status.READY))
    assert record_exports(store, statuses={Status.READY}) == 1
    assert record_exports(store, statuses={Status.READY}) == 0  # read from the snapshot
    store.save(store.get(article.uri).edited(body="New text."), reason="manual")
    assert record_exports(store, statuses={Status.READY}) == 0  # Ctrl+S kept this version
    assert [r.reason for r in store.revisions(article.uri)] == ["export", "manual"]


def test_restore_makes_a_new_revision_and_keeps_every_other(store: SqlStore, clock: Clock) -> None:
    target = store.create(Article(headline="Target"))
    article = store.create(
        Article(
            headline="First headline",
            body="First text.",
            related=(RelatedLink(title="Target", target_uri=target.uri),),
        )
    )
    article = store.save(article, reason="manual")
    clock.advance(minutes=1)
    article = store.save(
        article.edited(headline="Second headline", body="Second text.", related=()),
        reason="manual",
    )
    clock.advance(minutes=1)
    article = store.save(article.edited(status=Status.READY), reason="status")
    before, after = restore(store, article.uri, 1)
    assert before == article
    assert (after.headline, after.body) == ("First headline", "First text.")
    assert [link.title for link in after.related] == ["Target"]
    assert after.status == Status.READY  # the workflow status is not rolled back
    revisions = store.revisions(article.uri)
    assert [(r.number, r.reason) for r in revisions] == [
        (1, "manual"),
        (2, "manual"),
        (3, "status"),
        (4, "restored revision 1"),
    ]
    assert revisions[-1].article() == store.get(article.uri)
    with pytest.raises(NotFoundError, match="has no revision 9; its revisions are: 1, 2, 3, 4"):
        restore(store, article.uri, 9)
    # A text stored without a revision (a script, an import) is recorded before it goes.
    scripted = store.save(store.get(article.uri).edited(body="Written by a script."))
    restore(store, article.uri, 2)
    revisions = store.revisions(article.uri)
    assert [r.reason for r in revisions[-2:]] == ["before restore", "restored revision 2"]
    assert revisions[-2].article() == scripted
    assert store.get(article.uri).body == "Second text."


def test_a_save_from_another_machine_is_never_overwritten(store_url: str) -> None:
    from newsdesk.store import open_store

    here, there = open_store(store_url), open_store(store_url)
    try:
        article = here.create(Article(headline="Shared story", body="Base."))
        mine = there.get(article.uri)
        here.save(article.edited(body="Theirs."), reason=AUTOSAVE)
        with pytest.raises(ConflictError):
            there.save(mine.edited(body="Mine."), reason=AUTOSAVE)
        assert here.get(article.uri).body == "Theirs."
        assert [r.snapshot["body"] for r in there.revisions(article.uri)] == ["Theirs."]
    finally:
        here.close()
        there.close()
