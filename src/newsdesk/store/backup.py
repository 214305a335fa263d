"""Backups of a SQLite store: consistent copies made with SQLite's online backup API.

Automatic backups live in a ``backups`` folder beside the store file, named
``STEM-YYYYMMDDTHHMMSS.mmmZ-REASON.db``: the UTC time first, so names sort by age. A copy
counts only once it passes ``PRAGMA quick_check`` and holds a Newsdesk schema this version
knows; it is written under a hidden temporary name and renamed when it is good.

Reasons: ``start`` (the window opens), ``daily`` (the window stays open),
``before-migration-REV`` and ``before-restore``. Only ``start`` and ``daily`` backups are
rotated: the :data:`KEEP_NEWEST` newest are kept, plus the newest of each of the last
:data:`KEEP_DAYS` days and of each of the last :data:`KEEP_WEEKS` weeks. Backups made before
a migration or a restore, copies made with ``newsdesk backup``, and any file this module did
not name are never deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsdesk.core.errors import StoreError
from newsdesk.store.engine import (
    SQLITE_HEADER,
    DamagedStoreError,
    default_store_path,
    has_wal,
    reading_uri,
)
from newsdesk.store.migrate import HEAD, KNOWN_REVISIONS

BACKUP_FOLDER = "backups"
AUTOMATIC = frozenset({"start", "daily"})
KEEP_NEWEST = 8
KEEP_DAYS = 7
KEEP_WEEKS = 4
DAILY = timedelta(hours=24)
_STAMP = "%Y%m%dT%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\.\d{3}Z)-(?P<reason>[a-z0-9-]+)\.db$")


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file in a store's backups folder."""

    path: Path
    taken_at: datetime
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC


@dataclass(frozen=True, slots=True)
class Contents:
    """What a store or a backup holds, as far as telling copies apart needs."""

    schema_revision: str
    article_count: int
    revision_count: int
    last_change: datetime | None
    settings_digest: str
    media_count: int = 0
    """Media files (a picture added to the library, used by no story yet, is work too)."""

    @property
    def fingerprint(self) -> tuple[object, ...]:
        return (self.schema_revision, self.article_count, self.revision_count,
                self.last_change, self.settings_digest, self.media_count)  # fmt: skip


def backup_folder(store: Path) -> Path:
    return store.parent / BACKUP_FOLDER


def backup_name(store: Path, moment: datetime, reason: str) -> str:
    stamp = moment.astimezone(UTC)
    return f"{store.stem}-{stamp:{_STAMP}}.{stamp.microsecond // 1000:03d}Z-{reason}.db"


def list_backups(store: Path) -> list[Backup]:
    """The store's backups, newest first (only files named as this module names them)."""
    folder = backup_folder(store)
    found = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            match = _NAME.match(entry.name)
            if match is None or match["stem"] != store.stem or not entry.is_file():
                continue
            taken = datetime.strptime(match["stamp"], f"{_STAMP}.%fZ").replace(tzinfo=UTC)
            found.append(Backup(entry, taken, match["reason"]))
    return sorted(found, key=lambda b: b.path.name, reverse=True)


# -- reading and checking -------------------------------------------------------------


@contextlib.contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(reading_uri(path), uri=True, timeout=5)
    try:
        yield conn
    finally:
        conn.close()


def check_header(path: Path, name: str) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise StoreError(f"{name} does not exist.") from None
    except OSError as exc:
        raise StoreError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{name} is not a Newsdesk store or backup (not a SQLite database).")
    page_size = int.from_bytes(header[16:18], "big")
    page_count = int.from_bytes(header[28:32], "big")
    expected = page_count * (65536 if page_size == 1 else page_size)
    if len(header) < 100 or (path.stat().st_size < expected and not has_wal(path)):
        raise DamagedStoreError(f"{name} is damaged: the file was cut short.")


def read_contents(conn: sqlite3.Connection, name: str) -> Contents:
    """Schema revision and a fingerprint of ``conn``'s database; refuse what is not ours."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "article", "revision", "setting"} <= tables:
        raise StoreError(f"{name} is not a Newsdesk store or backup (it lacks Newsdesk's tables).")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else ""
    if revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"{name} was made by a newer Newsdesk (schema {revision}; this version knows up to "
            f"{HEAD}). Update Newsdesk to use it."
        )
    articles, newest_article = conn.execute(
        "SELECT count(*), max(updated_at) FROM article"
    ).fetchone()
    revisions, newest_revision = conn.execute(
        "SELECT count(*), max(created_at) FROM revision"
    ).fetchone()
    media, newest_media = 0, None
    if "media" in tables:  # schema 0005 and later
        media, newest_media = conn.execute("SELECT count(*), max(updated_at) FROM media").fetchone()
    digest = hashlib.sha256()
    for key, value in conn.execute("SELECT key, value FROM setting ORDER BY key"):
        digest.update(f"{key}\x00{value}\x00".encode())
    moments = [_moment(v) for v in (newest_article, newest_revision, newest_media) if v]
    newest = max(moments, default=None)
    return Contents(revision, articles, revisions, newest, digest.hexdigest(), media)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def verify(path: Path, *, thorough: bool = False, name: str | None = None) -> Contents:
    """Check a backup (``integrity_check`` when ``thorough``, else ``quick_check``).

    Raises ``DamagedStoreError`` for a damaged file and ``StoreError`` for one that is not
    a Newsdesk store or comes from a newer Newsdesk; ``name`` is how messages call it.
    """
    name = name or str(path)
    check_header(path, name)
    check = "integrity_check" if thorough else "quick_check"
    try:
        with reading(path) as conn:
            problems = [r[0] for r in conn.execute(f"PRAGMA {check}(3)")]
            if problems != ["ok"]:
                found = "; ".join(problems).replace("*** in database main ***\n", "")
                raise DamagedStoreError(f"{name} is damaged ({found.replace(chr(10), '; ')}).")
            return read_contents(conn, name)
    except sqlite3.DatabaseError as exc:
        raise DamagedStoreError(f"{name} is damaged ({exc}).") from None


def fingerprint(path: Path) -> tuple[object, ...] | None:
    """What ``path`` holds, cheaply (no page check); ``None`` if it cannot be read."""
    try:
        with reading(path) as conn:
            return read_contents(conn, str(path)).fingerprint
    except (sqlite3.Error, StoreError):
        return None


# -- making copies --------------------------------------------------------------------


def copy_store(source: Path, target: Path) -> Contents:
    """Copy the SQLite database ``source`` to ``target`` (which must not exist), verified.

    The copy is consistent even while another connection writes (one backup step under
    a read transaction), is made under a hidden name beside ``target`` and renamed only
    once it passed ``quick_check``: ``target`` is either a good backup or absent.
    """
    if not source.is_file():
        raise StoreError(f"There is no store at {source} to back up.")
    temp = target.with_name(f".{target.name}.partial")
    try:
        sqlite_copy(source, temp, f"The store {source}")
        contents = verify(temp, name=f"The copy of the store {source}")
        fsync_path(temp)
        os.link(temp, target)  # fails rather than replace a file that appeared meanwhile
        fsync_path(target.parent)
    except FileExistsError:
        raise StoreError(f"{target} already exists; choose another name.") from None
    except OSError as exc:
        raise StoreError(_write_problem(target, exc)) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return contents


def sqlite_copy(source: Path, target: Path, name: str) -> None:
    try:
        src = sqlite3.connect(reading_uri(source), uri=True, timeout=5)
        try:
            dest = sqlite3.connect(target)
            try:
                src.backup(dest)
                # A self-contained file: no -wal or -shm beside a backup.
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "full" in text or "disk i/o" in text or "unable to open" in text:
            raise OSError(0, str(exc)) from None
        raise DamagedStoreError(f"{name} cannot be copied: it is damaged ({exc}).") from None


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk (Windows cannot open folders)."""
    if os.name == "nt" and path.is_dir():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_problem(target: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if "full" in reason.lower() or exc.errno == 28:
        reason = "the disk is full; free some space"
    return f"Could not write the backup {target}: {reason}. The store itself was not changed."


def create_backup(store: Path, reason: str, *, now: datetime | None = None) -> Backup:
    """Copy ``store`` into its backups folder (verified); return the new backup."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    folder = backup_folder(store)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(_write_problem(folder, exc)) from None
    target = folder / backup_name(store, moment, reason)
    while target.exists():  # two backups in one millisecond
        moment += timedelta(milliseconds=1)
        target = folder / backup_name(store, moment, reason)
    copy_store(store, target)
    return Backup(target, moment, reason)


def automatic_backup(store: Path, reason: str, *, now: datetime | None = None) -> Backup | None:
    """A ``start`` or ``daily`` backup, then rotation; ``None`` if nothing changed since
    the newest automatic backup (an identical copy would only push an older one out)."""
    newest = next((b for b in list_backups(store) if b.automatic), None)
    if newest is not None:
        current = fingerprint(store)
        if current is not None and fingerprint(newest.path) == current:
            return None
    made = create_backup(store, reason, now=now)
    rotate(store, now=now)
    return made


def start_backup(store: Path, *, now: datetime | None = None) -> Backup | None:
    """The backup made as the window opens. Its check reads every page of the copy (or of
    the store, when it is unchanged since the last backup), so a damaged store is found
    here, before anyone types into it: ``DamagedStoreError``."""
    try:
        made = automatic_backup(store, "start", now=now)
        if made is None:
            verify(store, name=f"The store {store}")
        return made
    except DamagedStoreError as exc:
        raise DamagedStoreError(
            f"{exc} Newsdesk found this while backing the store up at start; the store "
            f"{store} itself is damaged and was not changed. " + restore_advice(store)
        ) from None


def backup_if_due(store: Path, *, now: datetime | None = None) -> Backup | None:
    """A ``daily`` backup when the newest automatic one is a day old (the window's timer)."""
    moment = now or datetime.now(UTC)
    newest = next((b for b in list_backups(store) if b.automatic), None)
    if newest is not None and moment - newest.taken_at < DAILY:
        return None
    return automatic_backup(store, "daily", now=moment)


def kept(backups: Iterable[Backup], now: datetime) -> set[Path]:
    """The automatic backups rotation keeps (see the module's docstring)."""
    newest_first = sorted((b for b in backups if b.automatic), key=lambda b: b.taken_at,
                          reverse=True)  # fmt: skip
    keep = {b.path for b in newest_first[:KEEP_NEWEST]}
    days: set[object] = set()
    weeks: set[object] = set()
    for backup in newest_first:
        age = now - backup.taken_at
        day = backup.taken_at.date()
        week = backup.taken_at.isocalendar()[:2]
        if age < timedelta(days=KEEP_DAYS) and day not in days:
            days.add(day)
            keep.add(backup.path)
        if age < timedelta(weeks=KEEP_WEEKS) and week not in weeks:
            weeks.add(week)
            keep.add(backup.path)
    return keep


def rotate(store: Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the automatic backups :func:`kept` does not keep; return what was deleted."""
    backups = list_backups(store)
    keep = kept(backups, (now or datetime.now(UTC)).astimezone(UTC))
    deleted = []
    for backup in backups:
        if backup.automatic and backup.path not in keep:
            with contextlib.suppress(FileNotFoundError):
                backup.path.unlink()
                deleted.append(backup.path)
    return deleted


# -- offering a backup ----------------------------------------------------------------


def newest_good_backup(store: Path) -> tuple[Backup, Contents] | None:
    """The newest backup of ``store`` that passes its check, with what it holds."""
    for backup in list_backups(store):
        try:
            return backup, verify(backup.path)
        except StoreError:
            continue
    return None


def restore_command(store: Path, source: Path) -> str:
    """The exact command that restores ``source`` over ``store``."""
    db = "" if store == default_store_path() else f" --db {shlex.quote(str(store))}"
    return f"newsdesk{db} restore {shlex.quote(str(source))}"


def restore_advice(store: Path) -> str:
    """What to do about a damaged store: the newest good backup and the command."""
    found = newest_good_backup(store)
    if found is None:
        return (
            f"No good backup of it was found in {backup_folder(store)}. Restore one you "
            "keep elsewhere (newsdesk restore BACKUP), or open another store with --db."
        )
    backup, contents = found
    return (
        f"The newest good backup is {backup.path} (taken {backup.taken_at:%Y-%m-%d %H:%M} UTC, "
        f"{contents.article_count:,} articles). To restore it, keeping the damaged file "
        f"aside: {restore_command(store, backup.path)}"
    )


@contextlib.contextmanager
def restore_advised() -> Iterator[None]:
    """Damage found in a store within the block comes out with what to do about it: the
    newest good backup and the command that restores it (see :func:`restore_advice`)."""
    try:
        yield
    except DamagedStoreError as exc:
        if exc.store is None:
            raise
        raise DamagedStoreError(f"{exc} {restore_advice(exc.store)}") from exc
