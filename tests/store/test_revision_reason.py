"""A revision's reason may be a sentence: an editor going ahead anyway says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk.core import archive
from newsdesk.core.errors import ValidationError
from newsdesk.core.history import MAX_REASON_LENGTH
from newsdesk.core.models import Article, Status
from newsdesk.store import open_store

GO_AHEAD = (
    "Marked ready with open problems: the picture desk is still clearing the credit for "
    "the lead image and the lawyers have read the third paragraph"
)


def test_a_sentence_as_the_reason_is_kept_and_travels_in_the_archive(
    store: Any, tmp_path: Path
) -> None:
    article = store.create(Article(headline="Pier reopens", body="Text."))
    store.save(article.edited(status=Status.READY), reason=GO_AHEAD)
    assert store.revisions(article.uri)[-1].reason == GO_AHEAD
    archive.dump(store, tmp_path / "all.json")
    copy = open_store(str(tmp_path / "copy.db"))
    try:
        archive.load(copy, tmp_path / "all.json")
        assert copy.revisions(article.uri)[-1].reason == GO_AHEAD
    finally:
        copy.close()


def test_a_reason_too_long_is_refused_with_what_to_do(store: Any) -> None:
    article = store.create(Article(headline="Pier reopens", body="Text."))
    with pytest.raises(ValidationError, match=f"shorten it to {MAX_REASON_LENGTH} at most"):
        store.save(article.edited(body="More."), reason="x" * (MAX_REASON_LENGTH + 1))
    assert store.get(article.uri).body == "Text."  # nothing half-written


def test_the_reasons_alone_are_those_of_the_revisions_oldest_first(store: Any) -> None:
    article = store.create(Article(headline="Pier reopens", body="Text."))
    store.save(article.edited(status=Status.READY), reason=GO_AHEAD)
    store.add_revision(article.uri, "Before the lawyers' read")
    other = store.create(Article(headline="Ferry fares rise", body="Text."))
    store.add_revision(other.uri, "Not this story's")
    whole = [(r.number, r.reason) for r in store.revisions(article.uri)]
    assert store.revision_reasons(article.uri) == whole
    assert [reason for _, reason in whole][-2:] == [GO_AHEAD, "Before the lawyers' read"]
    assert store.revision_reasons("urn:newsdesk:article:none") == []
