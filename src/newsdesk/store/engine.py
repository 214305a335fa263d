"""Finding, checking and connecting to a store: SQLite file or PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from newsdesk.core.errors import StoreError

ENV_VAR = "NEWSDESK_DB"
SQLITE_HEADER = b"SQLite format 3\x00"


class DamagedStoreError(StoreError):
    """A SQLite store (or backup) whose file is damaged: truncated, or with bad pages."""

    def __init__(self, message: str, *, store: Path | None = None) -> None:
        super().__init__(message)
        self.store = store
        """The damaged store, while the message does not yet say which backup to restore
        (``store.backup.restore_advised`` adds that: backups are not this module's)."""


def default_store_path() -> Path:
    """The SQLite file used when no store is named: in the user's data folder."""
    import platformdirs  # only for the default store: a named one does without (10 M instr.)

    return platformdirs.user_data_path("newsdesk", appauthor=False) / "newsdesk.db"


def resolve_url(url: str | None = None) -> str:
    """The store URL to open: ``url``, else ``$NEWSDESK_DB``, else the default file.

    A bare path is taken as a SQLite file (exactly that file: ``?``, ``#`` and ``%`` in
    its name are escaped into the URL); ``postgres://`` and ``postgresql://`` mean
    PostgreSQL through psycopg 3.
    """
    chosen = url or os.environ.get(ENV_VAR) or ""
    if not chosen:
        path = default_store_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_url(path)
    if "://" not in chosen:
        return sqlite_url(Path(chosen).expanduser().resolve())
    for prefix in ("postgres://", "postgresql://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen


def sqlite_url(path: Path) -> str:
    """The URL of the SQLite file ``path``, escaped: ``q?x.db`` is not ``q`` with a query,
    ``pct%41.db`` not ``pctA.db`` (SQLAlchemy unescapes the database part of a URL)."""
    return "sqlite:///" + quote(str(path), safe="/:\\")


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (``None`` for other engines or in-memory stores)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a store URL or path: {exc}") from None
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_sqlite_file(path: Path) -> None:
    """Refuse, before anything writes to it, a file that is not a healthy SQLite store."""
    if not path.parent.is_dir():
        raise StoreError(
            f"The folder {path.parent} does not exist. Create it first, or choose another "
            "store with --db."
        )
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a store file. Name a .db file with --db.")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise StoreError(
            f"{path} cannot be read: permission denied. Check the file's permissions."
        ) from None
    if len(header) == 0:
        return  # An empty file is a new store (sqlite3 creates files this way too).
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreError(
            f"{path} is not a Newsdesk store (it is not a SQLite database). It was not "
            "changed. Choose the right file with --db, or a new file name to start a store."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    actual = path.stat().st_size
    if page_count and actual < page_count * page_size and not has_wal(path):
        raise DamagedStoreError(
            f"The store {path} is damaged: the file is {actual:,} bytes but should be "
            f"{page_count * page_size:,} (it was truncated). It was not changed.",
            store=path,
        )


def has_wal(path: Path) -> bool:
    """Whether pages of the store may still be in its ``-wal`` file (a checkpoint that a
    full disk stopped leaves the file shorter than its header says, and nothing lost)."""
    wal = Path(f"{path}-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def read_sqlite_state(path: Path) -> tuple[str | None, set[str]]:
    """Read (schema revision, table names) without writing a byte to the file."""
    if not path.exists() or path.stat().st_size == 0:
        return None, set()
    try:
        # absolute(): a URL such as sqlite:///newsroom.db names a file relative to here.
        conn = sqlite3.connect(reading_uri(path), uri=True, timeout=5)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            return revision, tables
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            raise DamagedStoreError(describe_sqlite_error(path, exc), store=path) from None
        raise StoreError(describe_sqlite_error(path, exc)) from None


def _is_damage(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def store_error(url: str, exc: BaseException, *, lost: bool = False) -> StoreError:
    """The ``StoreError`` for a driver error: ``DamagedStoreError`` for a damaged file."""
    path = sqlite_path(url)
    if path is not None and _is_damage(exc):
        return DamagedStoreError(describe_error(url, exc, lost=lost), store=path)
    return StoreError(describe_error(url, exc, lost=lost))


def _read_only(path: Path) -> bool:
    """Whether the store exists but it, or its folder, may not be written (even by root:
    ``access`` honours the immutable attribute and read-only mounts)."""
    return path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _disk_full(path: Path) -> bool:
    """SQLite says "disk I/O error" when it cannot even make its ``-shm`` file."""
    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def read_only_message(path: Path | str) -> str:
    """One message for a read-only store, however SQLite noticed (root and a normal user
    meet different errors: an immutable file, or permissions)."""
    return (
        f"The store {path} is read-only (the file or its folder cannot be written): you "
        "can read, search, export and back it up, but nothing can be saved to it. To "
        "write, make both writable again (SQLite writes beside the file), or copy the "
        "store somewhere writable."
    )


def describe_sqlite_error(path: Path | str, exc: BaseException) -> str:
    """A message that says what went wrong with a SQLite store and what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (
            f"The store {path} is busy: another program is writing to it. Try again in a "
            "moment, or close the other Newsdesk."
        )
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return read_only_message(path)
    if _is_damage(exc):
        return f"The store {path} is damaged ({exc}). It was not changed."
    if ("disk" in text and "full" in text) or ("disk i/o" in text and _disk_full(Path(path))):
        return f"The disk holding {path} is full: free some space, then try again."
    if "unable to open" in text:
        if _read_only(Path(path)):
            return read_only_message(path)
        return f"The store {path} cannot be opened ({exc}). Check the path and permissions."
    return f"The store {path} failed: {exc}"


def describe_error(url: str, exc: BaseException, *, lost: bool = False) -> str:
    """Map a driver error to a message for the user, whatever the engine.

    ``lost``: the driver says the connection died (SQLAlchemy's ``connection_invalidated``).
    """
    path = sqlite_path(url)
    if path is not None:
        return describe_sqlite_error(path, exc)
    text = str(exc)
    lowered = text.lower()
    if lost or (
        "connection" in lowered
        and (
            "refused" in lowered
            or "timeout" in lowered
            or "could not" in lowered
            or "failed" in lowered
            or "closed" in lowered
            or "lost" in lowered
        )
    ):
        return (
            f"Cannot reach the PostgreSQL server for {redact(url)}: check that it is running "
            "and reachable, and that host, port and credentials are right. Nothing was "
            f"written. ({text.splitlines()[0] if text else type(exc).__name__})"
        )
    if "read-only" in lowered:
        return f"The store {redact(url)} is read-only: nothing can be saved to it."
    if "could not extend file" in lowered or "no space left" in lowered:
        return (
            f"The PostgreSQL server for {redact(url)} has run out of disk space, so nothing "
            "was written. Ask its administrator to free some space, then try again."
        )
    return f"The store {redact(url)} failed: {text.splitlines()[0] if text else exc!r}"


@contextmanager
def translated_errors(url: str) -> Iterator[None]:
    """Turn driver errors into ``StoreError`` with a message a journalist can act on."""
    try:
        yield
    except DBAPIError as exc:
        raise store_error(url, exc.orig or exc, lost=exc.connection_invalidated) from exc
    except (sqlite3.DatabaseError, OSError) as exc:
        raise store_error(url, exc) from exc
    except SQLAlchemyError as exc:
        raise StoreError(describe_error(url, exc)) from exc


def postgres_connect_args(busy_timeout: float) -> dict[str, Any]:
    """libpq's limits: a connection attempt, a silent network, a dead peer.

    TCP keepalives find a dead idle connection in about 25 s; ``tcp_user_timeout`` drops
    one whose data goes unacknowledged for 15 s (a network that drops packets). A server
    that acknowledges but never answers needs :func:`~newsdesk.store.answer_limit.limit_answers`.
    """
    return {
        "connect_timeout": max(1, int(busy_timeout)),
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 15_000,
    }


def make_engine(
    url: str,
    *,
    busy_timeout: float = 5.0,
    answer_timeout: float | None = None,
    read_only: bool = False,
) -> Engine:
    """An engine with Newsdesk's connection settings for the URL's database.

    ``busy_timeout``: how long SQLite waits for another writer's lock (and PostgreSQL for a
    connection). ``answer_timeout``: the longest a PostgreSQL statement may go unanswered
    before it fails (none by default: a long export or migration is legitimate).
    ``read_only``: a SQLite file that may not be written is opened for reading only.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    kwargs: dict[str, Any] = {}
    path = sqlite_path(url)
    if backend == "sqlite" and read_only and path is not None:
        kwargs["creator"] = _read_only_connect(path, busy_timeout)
    elif backend == "sqlite":
        kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
    elif backend == "postgresql":
        kwargs["connect_args"] = postgres_connect_args(busy_timeout)
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"Cannot use the store URL {redact(url)}: {exc}") from None
    if backend == "sqlite":
        _configure_sqlite(engine, busy_timeout, read_only=read_only)
    elif backend == "postgresql" and answer_timeout is not None:
        from newsdesk.store.answer_limit import limit_answers

        limit_answers(engine, answer_timeout)
    return engine


def sqlite_read_only(path: Path) -> bool:
    """Whether the store file exists and may be read but not written (nor its folder, where
    SQLite keeps its journal): a read-only medium, an immutable file, another's folder."""
    return _read_only(path)


def reading_uri(path: Path) -> str:
    """The URI that opens ``path`` for reading only. With no write-ahead log beside the file
    and a folder no one here can write, SQLite could not even read a WAL store (it needs
    its ``-shm`` file): then the file is opened as immutable (no locks; nothing here can
    change it)."""
    query = "mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-wal").exists():
        query += "&immutable=1"
    return f"{path.absolute().as_uri()}?{query}"


def _read_only_connect(path: Path, busy_timeout: float) -> Any:
    """Connections that only read (see :func:`reading_uri`)."""
    uri = reading_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=busy_timeout, check_same_thread=False)

    return connect


def _configure_sqlite(engine: Engine, busy_timeout: float, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling
        # defers it and breaks SAVEPOINT and immediate write locks).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if not read_only:  # a read-only file keeps the journal mode it has
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        # FULL: a committed save survives a power cut, not only a crash of the app.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("newsdesk_write"):
            # Take the write lock up front: two writers then queue on the busy timeout
            # instead of failing with SQLITE_BUSY halfway through a transaction.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
