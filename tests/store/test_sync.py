"""Sync between SQLite laptops and a real PostgreSQL newsroom server: the rules a
reporter and an editor meet (new stories, edits both ways, conflicts, deletes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.store.sync_helpers import everything, history_bodies, server_url, story, two_laptops

from newsdesk.core.history import MANUAL
from newsdesk.core.models import RelatedLink
from newsdesk.store import SqlStore, open_store
from newsdesk.store.sync import sync_local
from newsdesk.store.sync.sync import status, sync
from newsdesk.store.sync.sync_rows import CONFLICT_LAPTOP, CONFLICT_NEWSROOM

Pair = tuple[SqlStore, SqlStore]


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[SqlStore, SqlStore]]:
    with two_laptops(tmp_path) as pair:
        yield pair


@pytest.fixture
def newsroom() -> Iterator[SqlStore]:
    store = open_store(server_url())
    yield store
    store.close()


def run(laptop: SqlStore, newsroom: SqlStore) -> Any:
    return sync(laptop, newsroom.url, server=newsroom)


def test_a_story_filed_from_a_laptop_reaches_the_desk_and_the_desks_fix_comes_back(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Flood on the ring road", "Water rose overnight."))
    first = run(laptop, newsroom)
    assert (first.sent, first.received) == (1, 0)
    at_desk = newsroom.get(filed.uri)
    assert at_desk.body == "Water rose overnight."
    newsroom.save(at_desk.edited(standfirst="Drivers were rescued."), reason=MANUAL)
    second = run(laptop, newsroom)
    assert (second.sent, second.received) == (0, 1)
    assert laptop.get(filed.uri).standfirst == "Drivers were rescued."
    assert everything(laptop) == everything(newsroom)
    again = run(laptop, newsroom)
    assert again.nothing_done


def test_two_laptops_meet_through_the_server_with_related_links(
    laptops: Pair, newsroom: SqlStore
) -> None:
    a, b = laptops
    one = a.create(story("Council vote"))
    run(a, newsroom)
    run(b, newsroom)
    mine = b.get(one.uri)
    link = RelatedLink(title="Earlier", url="https://example.com/earlier")
    b.save(mine.edited(related=(link,)), reason=MANUAL)
    run(b, newsroom)
    run(a, newsroom)
    assert a.get(one.uri).related == (link,)
    assert everything(a) == everything(b) == everything(newsroom)


def test_changed_on_both_sides_keeps_both_and_marks_the_story(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Budget leak", "Base."))
    run(laptop, newsroom)
    desk = newsroom.get(filed.uri)
    newsroom.save(desk.edited(body="Desk's version."))  # a plain save: no revision
    laptop.save(laptop.get(filed.uri).edited(body="Reporter's version."))
    report = run(laptop, newsroom)
    assert report.conflicts == 1
    assert laptop.get(filed.uri).body == "Reporter's version."  # not yanked away
    assert newsroom.get(filed.uri).body == "Desk's version."  # not overwritten
    for store in (laptop, newsroom):
        reasons = {r.reason: r.snapshot["body"] for r in store.revisions(filed.uri)}
        assert reasons[CONFLICT_LAPTOP] == "Reporter's version."
        assert reasons[CONFLICT_NEWSROOM] == "Desk's version."
    [conflict] = sync_local.conflicts(laptop)
    assert (conflict.mine.body, conflict.theirs.body) == ("Reporter's version.", "Desk's version.")
    # Held back until someone chooses: a second sync does not overwrite the desk.
    assert run(laptop, newsroom).held == 1
    assert newsroom.get(filed.uri).body == "Desk's version."
    sync_local.resolve(laptop, filed.uri, keep_mine=True)
    assert sync_local.conflicts(laptop) == []
    run(laptop, newsroom)
    assert newsroom.get(filed.uri).body == "Reporter's version."
    assert everything(laptop) == everything(newsroom)


def test_taking_theirs_keeps_mine_in_the_history(laptops: Pair, newsroom: SqlStore) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Storm", "Base."))
    run(laptop, newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="Desk."))
    laptop.save(laptop.get(filed.uri).edited(body="Mine."))
    run(laptop, newsroom)
    assert sync_local.resolve(laptop, filed.uri, keep_mine=False).body == "Desk."
    run(laptop, newsroom)
    assert everything(laptop) == everything(newsroom)
    assert "Mine." in history_bodies(newsroom)


def test_deleting_at_the_desk_while_the_reporter_edits_keeps_the_edit(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Fire", "Base."))
    run(laptop, newsroom)
    newsroom.delete(filed.uri)
    laptop.save(laptop.get(filed.uri).edited(body="More from the scene."))
    run(laptop, newsroom)
    assert newsroom.get(filed.uri).body == "More from the scene."
    assert everything(laptop) == everything(newsroom)


def test_deleting_on_the_laptop_while_the_desk_edits_keeps_the_edit(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Fire", "Base."))
    run(laptop, newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="Desk's update."))
    laptop.delete(filed.uri)
    report = run(laptop, newsroom)
    assert report.kept == 1
    assert laptop.get(filed.uri).body == "Desk's update."
    assert everything(laptop) == everything(newsroom)


def test_a_delete_reaches_the_other_laptop(laptops: Pair, newsroom: SqlStore) -> None:
    a, b = laptops
    filed = a.create(story("Short-lived"))
    run(a, newsroom)
    run(b, newsroom)
    a.delete(filed.uri)
    run(a, newsroom)
    assert run(b, newsroom).removed == 1
    assert everything(a) == everything(b) == everything(newsroom) == {}


def test_the_same_slug_from_two_laptops_gets_a_free_one(laptops: Pair, newsroom: SqlStore) -> None:
    a, b = laptops
    a.create(story("Mayor resigns", "From A."))
    b.create(story("Mayor resigns", "From B."))
    for laptop in (a, b, a, b):
        run(laptop, newsroom)
    slugs = sorted(s.slug for s in newsroom.iter_articles())
    assert slugs == ["mayor-resigns", "mayor-resigns-2"]
    assert everything(a) == everything(b) == everything(newsroom)


def test_status_says_what_would_be_sent_and_received(laptops: Pair, newsroom: SqlStore) -> None:
    a, b = laptops
    a.create(story("One"))
    a.create(story("Two"))
    run(a, newsroom)
    run(b, newsroom)
    a.create(story("Three"))
    newsroom.create(story("From the desk"))
    mine = status(a)
    assert (mine.to_send, mine.to_receive, mine.conflicts) == (1, 1, 0)
    assert status(b).to_receive == 1  # "Three" is still only on the first laptop


def test_sync_without_a_server_says_how_to_attach(laptops: Pair) -> None:
    from newsdesk.core.errors import StoreError

    with pytest.raises(StoreError, match="--server URL"):
        sync(laptops[0])


def test_deleting_a_story_in_conflict_brings_the_desks_version_back(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Port strike", "Base."))
    run(laptop, newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="Desk."))
    laptop.save(laptop.get(filed.uri).edited(body="Mine."))
    run(laptop, newsroom)
    laptop.delete(filed.uri)  # the reporter gives up their version
    assert run(laptop, newsroom).kept == 1
    assert laptop.get(filed.uri).body == "Desk."
    assert everything(laptop) == everything(newsroom)
    assert sync_local.conflicts(laptop) == []


def test_a_story_deleted_at_the_desk_is_not_brought_back_by_an_untouched_copy(
    laptops: Pair, newsroom: SqlStore
) -> None:
    laptop, _ = laptops
    filed = laptop.create(story("Gone", "Base."))
    run(laptop, newsroom)
    newsroom.save(newsroom.get(filed.uri).edited(body="Desk."))
    laptop.save(laptop.get(filed.uri).edited(body="Mine."))
    run(laptop, newsroom)
    sync_local.resolve(laptop, filed.uri, keep_mine=False)  # takes the desk's: nothing to send
    newsroom.delete(filed.uri)
    run(laptop, newsroom)
    assert everything(laptop) == everything(newsroom) == {}


def test_a_store_from_before_sync_sends_everything_on_its_first_sync(
    tmp_path: Path, newsroom: SqlStore
) -> None:
    from tests.store.test_opening import make_old_store

    path = tmp_path / "old.db"
    make_old_store(path, "0006")
    old = open_store(str(path))  # migrated: the story and its history get their ids
    try:
        old.add_revision(old.get_by_slug("kept").uri, MANUAL)
        report = run(old, newsroom)
        assert (report.sent, report.revisions_sent) == (1, 1)
        assert newsroom.get_by_slug("kept").body == "Body text"
        assert everything(old) == everything(newsroom)
    finally:
        old.close()


def test_a_server_restored_from_a_backup_is_offered_everything_again(
    laptops: Pair, newsroom: SqlStore
) -> None:
    from sqlalchemy import delete, update

    from newsdesk.store.schema import ArticleRow, SyncClockRow, new_rev_id

    laptop, _ = laptops
    kept = laptop.create(story("Kept", "Same everywhere."))
    lost = laptop.create(story("Lost", "Only in the laptop after the restore."))
    edited = laptop.create(story("Edited", "Before."))
    run(laptop, newsroom)
    laptop.save(laptop.get(edited.uri).edited(body="After, on the laptop."))
    with newsroom.transaction(write=True) as session:  # the backup predates "Lost"
        session.execute(delete(ArticleRow).where(ArticleRow.uri == lost.uri))
        session.execute(update(SyncClockRow).values(epoch=new_rev_id()))
    report = run(laptop, newsroom)
    assert newsroom.get(lost.uri).body == "Only in the laptop after the restore."
    assert newsroom.get(kept.uri).body == "Same everywhere."
    # The server's "Edited" may be older or newer than the laptop's: never overwritten.
    assert report.conflicts == 1
    assert newsroom.get(edited.uri).body == "Before."
    assert laptop.get(edited.uri).body == "After, on the laptop."


def test_the_dictionary_and_the_profile_travel_both_ways(laptops: Pair, newsroom: SqlStore) -> None:
    from newsdesk.core.models import PublicationProfile

    a, b = laptops
    a.add_newsroom_word("Starmer")
    a.save_profile(PublicationProfile(name="The Harbour Times"))
    first = run(a, newsroom)
    assert (first.words_sent, first.profile) == (1, "sent")
    assert newsroom.newsroom_words() == {"Starmer"}
    assert newsroom.profile().name == "The Harbour Times"
    newsroom.add_newsroom_word("Kyiv")
    run(b, newsroom)
    assert b.newsroom_words() == {"Starmer", "Kyiv"}
    assert b.profile().name == "The Harbour Times"
    b.remove_newsroom_word("Starmer")  # a removal travels too
    run(b, newsroom)
    run(a, newsroom)
    assert a.newsroom_words() == newsroom.newsroom_words() == {"Kyiv"}
    a.save_profile(PublicationProfile(name="Laptop's name"))
    newsroom.save_profile(PublicationProfile(name="Desk's name"))
    report = run(a, newsroom)
    assert report.profile == "newsroom kept" and "newsroom's is kept" in report.summary()
    assert a.profile().name == newsroom.profile().name == "Desk's name"
    assert run(a, newsroom).nothing_done
