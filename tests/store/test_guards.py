"""The store's last lines of defence, each reached on purpose: the version compare-and-set
of a save, the published slug, an import that fails half-way, restore's check under lock."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from newsdesk.core.errors import ConflictError, StoreError
from newsdesk.core.intake.importing import import_paths
from newsdesk.core.models import Article, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.store import open_store
from newsdesk.store import restore as restoring
from newsdesk.store.backup import create_backup
from newsdesk.store.repository import SqlStore
from newsdesk.store.schema import ArticleRow


def test_a_save_that_loses_a_race_after_its_version_check_is_refused(
    store: Any, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer commits between the save's version check and its UPDATE: the UPDATE's
    own version condition must refuse, or the other change is overwritten silently."""
    mine = store.create(Article(headline="Race", body="First."))
    checked = SqlStore._with_free_slug
    postgres = store_url.startswith("postgresql")

    raced: list[bool] = []

    def racing(self: SqlStore, session: Any, article: Article, own_id: int | None) -> Article:
        if raced:  # the other writer's own save, and any later one, runs as usual
            return checked(self, session, article, own_id)
        raced.append(True)
        if postgres:  # a real second connection commits (PostgreSQL reads without locks)
            other = open_store(store_url)
            other.save(other.get(mine.uri).edited(body="Theirs."))
            other.close()
        else:  # SQLite's writer holds the file: the other write is made in its place
            session.execute(
                update(ArticleRow).where(ArticleRow.id == own_id).values(version=mine.version + 1)
            )
        return checked(self, session, article, own_id)

    monkeypatch.setattr(SqlStore, "_with_free_slug", racing)
    with pytest.raises(ConflictError, match="changed elsewhere while saving"):
        store.save(mine.edited(body="Mine."))
    monkeypatch.undo()
    assert store.get(mine.uri).body == ("Theirs." if postgres else "First.")


def test_the_store_refuses_to_change_a_published_articles_slug(store: Any) -> None:
    draft = store.create(Article(headline="Bridge reopens", body="Text."))
    published = store.save(draft.edited(status=Status.PUBLISHED))
    assert published.first_published_at is not None
    moved = dataclasses.replace(published, slug="bridge-reopens-at-last", slug_locked=True)
    with pytest.raises(StoreError, match="slug of a published article cannot change"):
        store.save(moved)
    assert store.get(draft.uri).slug == "bridge-reopens"
    assert store.get(draft.uri).version == published.version


def test_an_import_that_fails_half_way_through_writing_leaves_nothing(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1, 4):
        (tmp_path / f"story-{n}.md").write_text(f"---\ntitle: Story {n}\n---\nText {n}.\n")
    inserted: list[str] = []
    insert = SqlStore._insert

    def failing_third(self: SqlStore, session: Any, article: Article, **kwargs: Any) -> Article:
        if len(inserted) == 2:  # two rows are written in the transaction already
            raise StoreError("the disk went away")
        inserted.append(article.headline)
        return insert(self, session, article, **kwargs)

    monkeypatch.setattr(SqlStore, "_insert", failing_third)
    with pytest.raises(StoreError, match="the disk went away"):
        import_paths(sorted(tmp_path.glob("*.md")), store)
    assert inserted == ["Story 1", "Story 2"]
    assert store.count(ArticleQuery()) == 0


def test_restore_refuses_when_the_store_changes_between_its_backup_and_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newsroom.db"
    store = open_store(str(path))
    store.create(Article(headline="Alpha"))
    store.close()
    made = create_backup(path, "start")
    real_backup = restoring.create_backup

    def backup_then_someone_writes(store_path: Path, reason: str) -> Any:
        kept = real_backup(store_path, reason)
        conn = sqlite3.connect(store_path)  # a write slips in before the lock is taken
        conn.execute(  # as Newsdesk writes: a new version, a new time
            "UPDATE article SET body = 'Written meanwhile.', version = version + 1, "
            "updated_at = datetime('now', '+1 day')"
        )
        conn.commit()
        conn.close()
        return kept

    monkeypatch.setattr(restoring, "create_backup", backup_then_someone_writes)
    with pytest.raises(StoreError, match="changed during the restore"):
        restoring.restore(path, made.path, force=True)
    reopened = open_store(str(path))
    assert reopened.get_by_slug("alpha").body == "Written meanwhile."  # nothing lost
    reopened.close()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".newsroom")]
