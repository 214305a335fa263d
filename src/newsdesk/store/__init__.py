"""The article store: SQLAlchemy over a SQLite file (default) or a PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

from newsdesk.core.errors import StoreError
from newsdesk.store.backup import create_backup, restore_advised
from newsdesk.store.engine import (
    check_sqlite_file,
    default_store_path,
    make_engine,
    read_only_message,
    read_sqlite_state,
    redact,
    resolve_url,
    sqlite_path,
    sqlite_read_only,
)
from newsdesk.store.migrate import (
    check_revision,
    read_server_state,
    server_read_only,
    upgrade,
)
from newsdesk.store.repository import SqlStore

__all__ = ["SqlStore", "StoreError", "default_store_path", "open_store", "resolve_url"]


def open_store(
    url: str | None = None, *, busy_timeout: float = 5.0, answer_timeout: float | None = None
) -> SqlStore:
    """Open (creating or migrating as needed) the store at ``url``.

    ``url`` may be a SQLAlchemy URL or a file path; ``None`` means ``$NEWSDESK_DB`` or
    the default file in the user's data folder. A file that is not a healthy Newsdesk
    store, or one written by a newer Newsdesk, is refused untouched with ``StoreError``.
    ``answer_timeout`` bounds how long a PostgreSQL server may leave a statement
    unanswered (the window's store: it must not freeze on a hung server). A damaged file
    is refused with ``DamagedStoreError`` naming the backup to restore.
    """
    url = resolve_url(url)
    with restore_advised():
        return _open(url, busy_timeout, answer_timeout)


def _open(url: str, busy_timeout: float, answer_timeout: float | None) -> SqlStore:
    path = sqlite_path(url)
    read_only = ""
    if path is not None:
        check_sqlite_file(path)
        current, tables = read_sqlite_state(path)
        needs_upgrade = check_revision(current, tables, str(path))
        if sqlite_read_only(path):
            read_only = read_only_message(path)
            if needs_upgrade:
                raise StoreError(
                    f"{read_only} It was written by an older Newsdesk and must be upgraded "
                    "before this one can open it."
                )
        elif needs_upgrade and current is not None:
            backup_before_migration(path, current)
        engine = make_engine(url, busy_timeout=busy_timeout, read_only=bool(read_only))
    else:
        engine = make_engine(url, busy_timeout=busy_timeout, answer_timeout=answer_timeout)
        current, tables = read_server_state(engine, url)
        needs_upgrade = check_revision(current, tables, redact(url))
        if not needs_upgrade:
            read_only = server_read_only(engine, url)
    if needs_upgrade:
        try:
            upgrade(engine, url)
        except BaseException:
            engine.dispose()
            raise
    return SqlStore(engine, url, read_only=read_only)


def backup_before_migration(path: Path, current: str) -> None:
    """Back the store up (verified) before migrating it; refuse to migrate otherwise."""
    try:
        create_backup(path, f"before-migration-{current}")
    except StoreError as exc:
        raise StoreError(
            f"Newsdesk must upgrade the store {path} but could not back it up first, so it "
            f"was not changed. {exc}"
        ) from None
