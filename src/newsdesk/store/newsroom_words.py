"""The newsroom dictionary: words shared by everyone using the store (on PostgreSQL, the
whole newsroom), read as one set and added one at a time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from newsdesk.core.checks.spelling import dictionary_word
from newsdesk.store.schema import NewsroomWordRow


def read_words(session: Session) -> set[str]:
    return set(session.scalars(select(NewsroomWordRow.word)))


def add_word(session: Session, dialect: str, word: str) -> None:
    """Add ``word`` (as written: "Starmer" also accepts "Starmer's", not "starmer");
    adding it again, even at the same moment from another computer, changes nothing."""
    word = dictionary_word(word)  # refuses a word longer than the column
    row = {"word": word, "added_at": datetime.now(UTC)}
    if dialect == "postgresql":  # loaded only for such a store
        from sqlalchemy.dialects import postgresql

        session.execute(postgresql.insert(NewsroomWordRow).on_conflict_do_nothing(), [row])
    elif dialect == "sqlite":
        session.execute(sqlite.insert(NewsroomWordRow).on_conflict_do_nothing(), [row])
    elif session.get(NewsroomWordRow, word) is None:
        session.add(NewsroomWordRow(**row))


def insert_words(session: Session, words: Iterable[str], now: datetime) -> None:
    """Add ``words`` (checked, no duplicates: an archive's) to the dictionary in bulk;
    those it already holds stay as they are."""
    held = read_words(session)
    rows = [{"word": word, "added_at": now} for word in words if word not in held]
    if rows:
        session.execute(insert(NewsroomWordRow), rows)


def remove_word(session: Session, word: str) -> bool:
    row = session.get(NewsroomWordRow, word.strip())
    if row is None:
        return False
    session.delete(row)
    return True
