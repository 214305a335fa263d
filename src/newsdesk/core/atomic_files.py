"""Files written whole or not at all: a temporary sibling, then a rename over the target.

One way for every writer (the export folder's record and manifest, a media file saved
from the store, the preview's cached renditions), so that a reader, another thread or a
crash never sees half a file. A ``durable`` write is flushed to disk before the rename
(what a user keeps); a cache skips the flush, as a crash may lose it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

__all__ = ["temporary_beside", "write_atomically", "write_file"]

Data = bytes | Iterable[bytes | memoryview]


def temporary_beside(path: Path) -> Path:
    """The temporary sibling a write of ``path`` goes through: ``.NAME.tmp-PID-THREAD``,
    hidden, and its own for each process and thread (two threads writing the same cache
    file never share one; an export's leftovers are found by the ``.NAME.tmp-`` prefix)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")


def write_file(path: Path, data: Data, *, durable: bool = True) -> None:
    """Write ``data`` (bytes, or pieces: ten megabytes need not be joined into one more
    copy) to ``path`` as it is, flushed to disk when ``durable``."""
    with path.open("wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            handle.writelines(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())


def write_atomically(path: Path, data: Data, *, durable: bool = True) -> None:
    """Write ``path`` through its temporary sibling and a rename: never half a file.
    Raises ``OSError`` with nothing left behind (the target as it was)."""
    temporary = temporary_beside(path)
    try:
        write_file(temporary, data, durable=durable)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
