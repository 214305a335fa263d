"""Caches of media made for the screen (renditions, thumbnails): on disk and in memory."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

from newsdesk.core.atomic_files import write_atomically

MEMORY_BYTES = 96 * 1024 * 1024
DISK_BYTES = 1024 * 1024 * 1024  # what the preview may keep on disk before old files go


def cache_folder(name: str) -> Path:
    """A folder in this user's cache (the preview's renditions, thumbnails)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("Newsdesk", "Newsdesk")) / name


def write_cached(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (another thread may read it), not
    flushed to disk (a crash may lose a cache); a file that cannot be written (disk full)
    is left out, which only costs time."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data, durable=False)


def prune(folder: Path, max_bytes: int = DISK_BYTES) -> int:
    """Delete the least recently used files of ``folder`` until it holds ``max_bytes`` at
    most; returns how many were deleted. Files in use by another thread are only read,
    and a deleted one is simply made again."""
    try:
        entries = [(p.stat(), p) for p in folder.iterdir() if p.is_file()]
    except OSError:
        return 0
    held = sum(stat.st_size for stat, _ in entries)
    deleted = 0
    for stat, path in sorted(entries, key=lambda entry: entry[0].st_mtime):
        if held <= max_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            held -= stat.st_size
            deleted += 1
    return deleted


class RenditionCache:
    """Bytes by rendition path. The path names its source's SHA-256 and its recipe, so an
    entry never goes stale: a replaced file or a new recipe has a new path.

    Thread-safe: the preview's workers read and write it together.
    """

    def __init__(self, folder: Path | None = None, memory_bytes: int = MEMORY_BYTES) -> None:
        self.folder = folder if folder is not None else cache_folder("preview-media")
        self.memory_bytes = memory_bytes
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def _file(self, path: str) -> Path:
        name = path.rsplit("/", 1)[-1]
        digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]
        suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
        return self.folder / f"{digest}.{suffix}"

    def get(self, path: str) -> bytes | None:
        with self._lock:
            found = self._memory.get(path)
            if found is not None:
                self._memory.move_to_end(path)
                return found
        file = self._file(path)
        try:
            data = file.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(file)  # recently used: kept when the folder is pruned
        self._remember(path, data)
        return data

    def in_memory(self, path: str) -> bytes | None:
        """The bytes if held in memory (no disk read: safe on the GUI thread)."""
        with self._lock:
            return self._memory.get(path)

    def put(self, path: str, data: bytes) -> None:
        self._remember(path, data)
        write_cached(self._file(path), data)

    def _remember(self, path: str, data: bytes) -> None:
        with self._lock:
            if path in self._memory:
                return
            self._memory[path] = data
            self._held += len(data)
            while self._held > self.memory_bytes and len(self._memory) > 1:
                _, dropped = self._memory.popitem(last=False)
                self._held -= len(dropped)
