"""The local journal: text typed but not yet confirmed by the store, fsynced to a file.

Whatever the store's state (down, hung, full, read-only, or waiting on a conflict), each
edit the window has not had confirmed is appended to a small file on this computer and
flushed to the disk (on a thread of the journal's own, handed the text before the store is
asked), so a killed process loses nothing older than the autosave bound. When the store
confirms the text, the entry is marked stored; a file with nothing left to restore is
emptied.

Each process writes its own file, ``<folder>/<pid>-<ns>.jsonl``, one JSON object a line,
and holds an exclusive ``flock`` on it while it runs: at start, a file nobody holds was left
by a process that ended (killed, or closed keeping its text here) and is recovered
(:mod:`newsdesk.core.journal_recovery`). A line cut short by a kill is skipped: it is the
last one, and the entry before it for the same article still stands.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.models import Article, utcnow

if sys.platform != "win32":
    import fcntl

FORMAT = 1
SUFFIX = ".jsonl"
COMPACT_FLOOR = 1 << 20
"""Rewrite the file when it is past this size and over twice what it still has to keep."""


class JournalError(NewsdeskError):
    """The journal file cannot be written (its folder is missing, read-only or full)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """Text not confirmed by the store: ``article`` edited from stored ``base_version``."""

    article: Article
    base_version: int
    written_at: datetime

    @property
    def uri(self) -> str:
        return self.article.uri


def store_key(url: str) -> str:
    """A folder name for one store (its URL, password hidden by the caller, hashed)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def encode_text(entry: Entry) -> bytes:
    record = {
        "v": FORMAT,
        "kind": "text",
        "uri": entry.uri,
        "base": entry.base_version,
        "at": entry.written_at.isoformat(),
        "article": entry.article.to_dict(counts=False),
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def encode_stored(uri: str) -> bytes:
    return json.dumps({"v": FORMAT, "kind": "stored", "uri": uri}).encode() + b"\n"


def decode(data: bytes) -> dict[str, Entry]:
    """The entries still to restore in one file's bytes, by uri (damaged lines skipped)."""
    live: dict[str, Entry] = {}
    for line in data.splitlines():
        try:
            record = json.loads(line)
            if record.get("kind") == "stored":
                live.pop(record["uri"], None)
            elif record.get("kind") == "text":
                article = Article.from_dict(record["article"])
                at = datetime.fromisoformat(record["at"])
                live[article.uri] = Entry(article, int(record["base"]), at)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a line cut short by a kill, or not ours: the rest still counts
    return live


def _lock(fd: int) -> bool:
    """Take the file's exclusive lock without waiting; False when another process has it."""
    if sys.platform == "win32":  # no flock: every file not ours is taken as left behind
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _sync(fd: int) -> None:
    (getattr(os, "fdatasync", None) or os.fsync)(fd)


def _sync_folder(folder: Path) -> None:
    """Make a new or renamed file's name durable too (POSIX; a no-op elsewhere)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Journal:
    """This process's journal for one store, in ``folder`` (one folder per store).

    The calling thread only encodes the text; one writer thread of its own appends and
    flushes, in order, so a slow or hung disk never holds up typing. A write that fails is
    reported by :attr:`problem` (and raised by the next :meth:`record`).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path: Path | None = None  # made at the first entry
        self.problem = ""  # why the last write failed ("" when it did not)
        self._fd: int | None = None  # the writer thread's alone, and close()'s
        self._size = 0
        self._live: dict[str, bytes] = {}  # the caller's: uri -> its newest text line
        self._writer: ThreadPoolExecutor | None = None

    @classmethod
    def for_store(cls, root: Path, url: str) -> Journal:
        """The journal of the store at ``url`` under ``root`` (the user data folder)."""
        return cls(root / store_key(url))

    @property
    def pending_uris(self) -> set[str]:
        """Articles whose text here the store has not confirmed."""
        return set(self._live)

    def record(self, article: Article, base_version: int) -> None:
        """Append ``article`` (edited from ``base_version``); it is on the disk in moments.

        Raises :class:`JournalError` when the previous write failed.
        """
        if self.problem:
            raise JournalError(self.problem)
        line = encode_text(Entry(article, base_version, utcnow()))
        self._live[article.uri] = line
        self._submit(self._append, line, list(self._live.values()))

    def confirm(self, uri: str) -> None:
        """The store holds the text of ``uri``: nothing of it is left to restore.

        Not flushed: were it lost, recovery finds the store has the text and does nothing.
        """
        if self._live.pop(uri, None) is not None:
            self._submit(self._mark_stored, uri, not self._live)

    def settle(self, timeout: float | None = None) -> None:
        """Wait until everything recorded so far is on the disk (or failed)."""
        if self._writer is not None:
            self._writer.submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Let the file go; it is removed when nothing in it is left to restore."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        if self._fd is None:
            return
        os.close(self._fd)  # releases the lock: the next start recovers what is left
        self._fd = None
        if not self._live and self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _submit(self, job: Callable[..., None], *args: object) -> None:
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="journal")
        self._writer.submit(job, *args)

    # -- on the writer thread ------------------------------------------------------------

    def _append(self, line: bytes, live: list[bytes]) -> None:
        try:
            fd = self._open()
            os.write(fd, line)
            _sync(fd)
        except OSError as exc:
            self.problem = (
                f"Your text could not be kept on this computer ({self.folder}): "
                f"{exc.strerror or exc}. Free some space or check the folder's permissions."
            )
            return
        self.problem = ""
        self._size += len(line)
        self._compact_if_large(live)

    def _mark_stored(self, uri: str, nothing_left: bool) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            if nothing_left:
                os.ftruncate(self._fd, 0)  # nothing left to keep: an empty file
                self._size = 0
            else:
                line = encode_stored(uri)
                os.write(self._fd, line)
                self._size += len(line)

    def _open(self) -> int:
        if self._fd is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{os.getpid()}-{time.time_ns()}{SUFFIX}"
            self._fd = self._create(path)
            self.path = path
            _sync_folder(self.folder)
        return self._fd

    @staticmethod
    def _create(path: Path) -> int:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        _lock(fd)  # a new file: no one else holds it
        return fd

    def _compact_if_large(self, live: list[bytes]) -> None:
        """Keep the file near the size of what it must keep (a long outage, a long text).

        The new file is locked before it takes the name, so no other start ever sees this
        journal unlocked and takes it for one left behind.
        """
        keep = sum(len(line) for line in live)
        if self._size < COMPACT_FLOOR or self._size < 2 * keep or self.path is None:
            return
        temporary = self.path.with_suffix(".tmp")
        with contextlib.suppress(OSError):
            fd = self._create(temporary)
            try:
                os.write(fd, b"".join(live))
                _sync(fd)
                os.replace(temporary, self.path)
            except OSError:
                os.close(fd)
                temporary.unlink(missing_ok=True)
                return
            _sync_folder(self.folder)
            assert self._fd is not None
            os.close(self._fd)
            self._fd, self._size = fd, keep


@dataclass
class LeftBehind:
    """Journal files of processes that ended, held (locked) while they are recovered."""

    entries: list[Entry]
    _files: list[tuple[Path, int]]

    def release(self) -> None:
        """The entries are restored (or carried into a live journal): remove the files."""
        for path, fd in self._files:
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(fd)
        self._files = []


def left_behind(folder: Path) -> LeftBehind:
    """The entries in journal files in ``folder`` that no running process holds.

    The newest entry per article wins. The files stay locked until :meth:`LeftBehind.release`.
    """
    newest: dict[str, Entry] = {}
    files: list[tuple[Path, int]] = []
    for path in _journal_files(folder):
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            continue
        if not _lock(fd):
            os.close(fd)  # a running Newsdesk's own journal
            continue
        files.append((path, fd))
        for uri, entry in decode(_read(fd)).items():
            if uri not in newest or entry.written_at >= newest[uri].written_at:
                newest[uri] = entry
    return LeftBehind(sorted(newest.values(), key=lambda e: e.written_at), files)


def _journal_files(folder: Path) -> Iterator[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        path = folder / name
        if name.endswith(".tmp"):
            _drop_stale_temporary(path)
        elif name.endswith(SUFFIX):
            yield path


def _drop_stale_temporary(path: Path) -> None:
    """A compaction cut short: its journal still has every line, the copy is not needed."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            if _lock(fd):
                path.unlink()
        finally:
            os.close(fd)


def _read(fd: int) -> bytes:
    chunks = []
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
