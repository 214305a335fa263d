"""Putting a backup back in place of a SQLite store: checked, atomic, and losing nothing.

The backup is copied to a hidden file in the store's folder and checked there
(``integrity_check``, a Newsdesk schema this version knows). A healthy store that holds
changes made after the backup is refused unless forced; it is backed up (reason
``before-restore``) and then replaced with one rename. A damaged store is renamed aside
(``NAME.damaged-TIME.db``), never deleted. A store another program has open is refused.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.core.errors import StoreError
from newsdesk.store.backup import (
    Backup,
    Contents,
    check_header,
    create_backup,
    fingerprint,
    fsync_path,
    reading,
    sqlite_copy,
    verify,
)
from newsdesk.store.engine import DamagedStoreError

SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True, slots=True)
class Changes:
    """Work in the store that a backup does not hold."""

    articles: int
    revisions: int
    newest_headline: str
    newest_at: datetime | None
    media: int = 0
    """Media files added, replaced or re-worded after the backup."""

    def describe(self) -> str:
        parts = []
        if self.articles:
            plural = "s" if self.articles != 1 else ""
            newest = ""
            if self.newest_at is not None:
                newest = (
                    f" (the latest “{self.newest_headline}”, {self.newest_at:%Y-%m-%d %H:%M} UTC)"
                )
            parts.append(f"{self.articles} article{plural} changed or added{newest}")
        if self.revisions:
            plural = "s" if self.revisions != 1 else ""
            parts.append(f"{self.revisions} revision{plural} recorded")
        if self.media:
            plural = "s" if self.media != 1 else ""
            parts.append(f"{self.media} media file{plural} added or changed")
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    store: Path
    source: Path
    contents: Contents
    kept: Backup | None
    """The store as it was, backed up before it was replaced (a healthy store)."""
    set_aside: Path | None
    """Where the damaged store was moved (a damaged store)."""


def restore(store: Path, source: Path, *, force: bool = False) -> Restored:
    """Replace the SQLite store ``store`` with the backup ``source`` (see the docstring)."""
    store, source = store.expanduser().absolute(), source.expanduser().absolute()
    if not source.is_file():
        raise StoreError(f"The backup {source} does not exist. Nothing was changed.")
    if source == store:
        raise StoreError(f"{source} is the store itself; name a backup of it.")
    if not store.parent.is_dir():
        raise StoreError(f"The folder {store.parent} does not exist. Nothing was changed.")
    moment = datetime.now(UTC)
    temp = store.with_name(f".{store.name}.restoring-{moment:%Y%m%dT%H%M%S%f}")
    try:
        contents = _checked_copy(source, temp)
        if not _exists(store):
            _replace(temp, store)
            return Restored(store, source, contents, None, None)
        if _damaged(store):
            aside = _set_aside(store, moment)
            _replace(temp, store)
            return Restored(store, source, contents, None, aside)
        changes = None if force else changes_since(store, temp)
        if changes is not None:
            raise StoreError(
                f"The store {store} holds work made after the backup {source}: "
                f"{changes.describe()}. Restoring would lose it, so nothing was changed. "
                "Add --force to restore anyway (the store as it is now is backed up first)."
            )
        with _exclusive(store) as lock:
            # Whatever was written since the check is in this backup: nothing is lost.
            kept = create_backup(store, "before-restore")
            lock.execute("BEGIN IMMEDIATE")  # no one writes between the backup and the swap
            if fingerprint(store) != fingerprint(kept.path):
                raise StoreError(f"The store {store} changed during the restore; try again.")
            _replace(temp, store)
        return Restored(store, source, contents, kept, None)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _checked_copy(source: Path, temp: Path) -> Contents:
    name = f"The backup {source}"
    try:
        check_header(source, name)
        sqlite_copy(source, temp, name)
        return verify(temp, thorough=True, name=name)
    except DamagedStoreError as exc:
        raise DamagedStoreError(f"{exc} Nothing was changed; choose another backup.") from None
    except StoreError as exc:
        raise StoreError(f"{exc} Nothing was changed.") from None
    except OSError as exc:
        raise StoreError(
            f"Could not copy {source} beside the store: {exc.strerror or exc}. Nothing was changed."
        ) from None


def _exists(store: Path) -> bool:
    return store.exists() and store.stat().st_size > 0


def _damaged(store: Path) -> bool:
    try:
        verify(store, name=f"The store {store}")
    except DamagedStoreError:
        return True
    except StoreError as exc:  # not a Newsdesk store, or a newer one: leave it alone
        raise StoreError(f"{exc} Nothing was changed.") from None
    return False


def _set_aside(store: Path, moment: datetime) -> Path:
    aside = store.with_name(f"{store.stem}.damaged-{moment:%Y%m%dT%H%M%SZ}{store.suffix}")
    try:
        for suffix in SIDE_FILES:  # they belong to the damaged file: keep them with it
            side = Path(f"{store}{suffix}")
            if side.exists():
                os.rename(side, f"{aside}{suffix}")
        os.rename(store, aside)
    except OSError as exc:
        raise StoreError(
            f"Could not move the damaged store {store} aside: {exc.strerror or exc}. "
            "Nothing was restored."
        ) from None
    return aside


def _replace(temp: Path, store: Path) -> None:
    try:
        fsync_path(temp)
        os.replace(temp, store)
        fsync_path(store.parent)
    except OSError as exc:
        raise StoreError(
            f"Could not put the backup in place of {store}: {exc.strerror or exc}. The store "
            "was not changed."
        ) from None


@contextlib.contextmanager
def _exclusive(store: Path) -> Iterator[sqlite3.Connection]:
    """Make sure no other program has the store open, and keep it that way meanwhile.

    Leaving WAL mode needs the only connection to the file: it fails while any other
    Newsdesk (or other program) has it open, and it folds the ``-wal`` file in, so the
    store is one file that a rename replaces whole.
    """
    busy = StoreError(
        f"The store {store} is open in another program (another Newsdesk window or "
        "command?). Close it, then restore again. Nothing was changed."
    )
    conn = sqlite3.connect(store, isolation_level=None, timeout=0.5)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:
            raise busy from None
        if mode != "delete" or Path(f"{store}-wal").exists():
            raise busy
        yield conn
    except sqlite3.OperationalError:
        raise busy from None
    finally:
        conn.close()


def changes_since(store: Path, backup: Path) -> Changes | None:
    """Work in ``store`` that ``backup`` lacks: articles added or saved later than the
    backup's copy, revisions recorded after the backup's newest; ``None`` if there is none."""
    with reading(backup) as conn:
        theirs = dict(conn.execute("SELECT uri, updated_at FROM article").fetchall())
        last_revision = conn.execute("SELECT max(created_at) FROM revision").fetchone()[0]
        their_media = _media_times(conn)
    newer: list[tuple[str, str]] = []
    with reading(store) as conn:
        for uri, updated, headline in conn.execute("SELECT uri, updated_at, headline FROM article"):
            if uri not in theirs or _when(updated) > _when(theirs[uri]):
                newer.append((updated, headline))
        revisions = conn.execute(
            "SELECT count(*) FROM revision WHERE ? IS NULL OR created_at > ?",
            (last_revision, last_revision),
        ).fetchone()[0]
        media = sum(
            1
            for key, updated in _media_times(conn).items()
            if key not in their_media or _when(updated) > _when(their_media[key])
        )
    if not newer and not revisions and not media:
        return None
    newest = max(newer, default=None)
    return Changes(
        len(newer),
        revisions,
        newest[1] if newest else "",
        _when(newest[0]) if newest else None,
        media,
    )


def _media_times(conn: sqlite3.Connection) -> dict[str, str]:
    """``key -> updated_at`` of every media file (none in a store older than schema 0005)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "media" not in tables:
        return {}
    return dict(conn.execute("SELECT key, updated_at FROM media").fetchall())


def _when(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
