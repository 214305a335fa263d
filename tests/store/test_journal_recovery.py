"""Recovery at start, against a real store: text the store lacks comes back, once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsdesk.core.errors import StoreError
from newsdesk.core.journal import Journal
from newsdesk.core.journal_recovery import RECOVERED, RECOVERED_ASIDE, recover
from newsdesk.core.models import Article


def killed(journal: Journal) -> None:
    """What SIGKILL does to a journal: its file stays, its lock goes."""
    journal.settle()
    assert journal._fd is not None
    os.close(journal._fd)
    journal._fd = None


def test_text_the_store_lacks_is_restored_and_only_once(store: Any, tmp_path: Path) -> None:
    stored = store.create(Article(headline="Council vote", body="The vote is at six."))
    before = Journal(tmp_path / "j")
    typed = stored.edited(body="The vote is at six. It passed, 31 to 12.")
    before.record(typed, stored.version)
    killed(before)
    after = Journal(tmp_path / "j")
    done = recover(store, after)
    assert [a.uri for a in done.restored] == [stored.uri]
    assert "Restored text you typed" in done.messages()[0]
    assert "“Council vote”" in done.messages()[0]
    assert store.get(stored.uri).body == "The vote is at six. It passed, 31 to 12."
    assert store.revisions(stored.uri)[-1].reason == RECOVERED
    assert list((tmp_path / "j").iterdir()) == []  # nothing left to restore
    assert recover(store, Journal(tmp_path / "j")).messages() == []


def test_when_the_store_moved_on_the_text_goes_into_the_history(store: Any, tmp_path: Path) -> None:
    stored = store.create(Article(headline="Port strike", body="Base."))
    journal = Journal(tmp_path / "j")
    journal.record(stored.edited(body="Base. Mine, never stored."), stored.version)
    killed(journal)
    store.save(store.get(stored.uri).edited(body="Base. Theirs."), reason="manual")
    done = recover(store, Journal(tmp_path / "j"))
    assert store.get(stored.uri).body == "Base. Theirs."  # their later work stands
    last = store.revisions(stored.uri)[-1]
    assert (last.reason, last.snapshot["body"]) == (RECOVERED_ASIDE, "Base. Mine, never stored.")
    assert "is in its history" in done.messages()[0]


def test_text_already_stored_is_left_alone(store: Any, tmp_path: Path) -> None:
    stored = store.create(Article(headline="Flood", body="Rain."))
    journal = Journal(tmp_path / "j")
    typed = stored.edited(body="Rain. More rain.")
    journal.record(typed, stored.version)
    store.save(typed)  # stored, then killed before the journal heard of it
    killed(journal)
    revisions = len(store.revisions(stored.uri))
    assert recover(store, Journal(tmp_path / "j")).messages() == []
    assert len(store.revisions(stored.uri)) == revisions


def test_a_deleted_article_comes_back_with_the_text(store: Any, tmp_path: Path) -> None:
    stored = store.create(Article(headline="Bypass", body="Plans."))
    journal = Journal(tmp_path / "j")
    journal.record(stored.edited(body="Plans. Approved."), stored.version)
    killed(journal)
    store.delete(stored.uri)
    recover(store, Journal(tmp_path / "j"))
    assert store.get(stored.uri).body == "Plans. Approved."


def test_a_store_still_down_keeps_the_text_for_the_next_start(
    store: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    stored = store.create(Article(headline="Outage", body="Before."))
    journal = Journal(tmp_path / "j")
    journal.record(stored.edited(body="Before. During."), stored.version)
    killed(journal)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("Cannot reach the PostgreSQL server")

    with monkeypatch.context() as patch:
        patch.setattr(store, "get", down)
        now = Journal(tmp_path / "j")
        done = recover(store, now)
        assert "kept on this computer" in done.messages()[0]
        now.close()  # this run ends too, the store still down
    assert store.get(stored.uri).body == "Before."
    recover(store, Journal(tmp_path / "j"))
    assert store.get(stored.uri).body == "Before. During."
