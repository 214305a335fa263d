"""The newsroom dictionary in the store, shared by everyone (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from newsdesk.core.errors import ValidationError
from newsdesk.store import open_store


def test_words_are_added_once_and_shared(store: Any, store_url: str) -> None:
    assert store.newsroom_words() == set()
    store.add_newsroom_word("Starmer")
    store.add_newsroom_word(" Starmer ")  # again: nothing changes
    store.add_newsroom_word("Rayner’s")
    other = open_store(store_url)  # another journalist's Newsdesk
    try:
        assert other.newsroom_words() == {"Starmer", "Rayner's"}
        assert other.remove_newsroom_word("Starmer") is True
        assert other.remove_newsroom_word("Starmer") is False
    finally:
        other.close()
    assert store.newsroom_words() == {"Rayner's"}


def test_bad_words_are_refused(store: Any) -> None:
    with pytest.raises(ValidationError, match="more than one word"):
        store.add_newsroom_word("Keir Starmer")
    with pytest.raises(ValidationError, match="at most 100"):
        store.add_newsroom_word("x" * 101)
    assert store.newsroom_words() == set()
