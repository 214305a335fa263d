"""Files written whole or not at all: a temporary sibling, then a rename over the target.

One way for every writer (the export folder's record and manifest, a media file saved
from the store, the preview's cached renditions, an archive of the whole store), so that
a reader, another thread or a crash never sees half a file. A ``durable`` write is
flushed to disk before the rename (what a user keeps); a cache skips the flush, as a
crash may lose it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["temporary_beside", "write_atomically", "write_file", "writing"]

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
        _put(handle, data)
        if durable:
            _flush_to_disk(handle)


@contextlib.contextmanager
def writing(
    path: Path, *, durable: bool = True, mode: int = 0o666, encoding: str | None = None
) -> Iterator[IO[Any]]:
    """A file to write ``path`` through, for a writer that streams (an archive of the
    whole store): what is written becomes ``path`` when the block ends, flushed to disk
    first when ``durable``; if the block raises, ``path`` is as it was and nothing is
    left behind. ``mode`` as for ``os.open`` (before the umask); with ``encoding`` the
    file is text, with ``\n`` line ends."""
    temporary = temporary_beside(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with (
            open(descriptor, "wb")
            if encoding is None
            else open(descriptor, "w", encoding=encoding, newline="\n")
        ) as handle:
            yield handle
            if durable:
                _flush_to_disk(handle)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_atomically(path: Path, data: Data, *, durable: bool = True) -> None:
    """Write ``path`` through its temporary sibling and a rename: never half a file.
    Raises ``OSError`` with nothing left behind (the target as it was)."""
    with writing(path, durable=durable) as handle:
        _put(handle, data)


def _put(handle: IO[bytes], data: Data) -> None:
    if isinstance(data, bytes):
        handle.write(data)
    else:
        handle.writelines(data)


def _flush_to_disk(handle: IO[Any]) -> None:
    handle.flush()
    os.fsync(handle.fileno())
