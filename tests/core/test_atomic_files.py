"""Files written whole or not at all (``core.atomic_files``), the one way every writer
uses: the export's record and manifest, a media file saved from the store, the caches."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from newsdesk.core import atomic_files
from newsdesk.core.atomic_files import temporary_beside, write_atomically, writing


def test_a_file_is_replaced_whole_from_bytes_or_pieces(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    write_atomically(target, [b"in ", memoryview(b"pieces")])
    assert target.read_bytes() == b"in pieces"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_a_write_that_fails_leaves_the_file_as_it_was_and_nothing_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "record.json"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_files.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]


def test_only_a_durable_write_is_flushed_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[int] = []
    real = os.fsync
    monkeypatch.setattr(atomic_files.os, "fsync", lambda fd: (flushed.append(fd), real(fd)))
    write_atomically(tmp_path / "kept.jpg", b"picture")
    assert len(flushed) == 1
    write_atomically(tmp_path / "cached.png", b"thumbnail", durable=False)
    assert len(flushed) == 1
    assert (tmp_path / "cached.png").read_bytes() == b"thumbnail"


def test_each_thread_writes_through_its_own_temporary(tmp_path: Path) -> None:
    """Two threads writing the same cache file never share a temporary copy; an
    export's leftovers are still found by the ``.NAME.tmp-`` prefix."""
    target = tmp_path / "rendition.webp"
    names: list[Path] = []
    thread = threading.Thread(target=lambda: names.append(temporary_beside(target)))
    thread.start()
    thread.join()
    names.append(temporary_beside(target))
    assert names[0] != names[1]
    assert all(name.name.startswith(".rendition.webp.tmp-") for name in names)
    assert all(name.parent == tmp_path for name in names)


def test_a_streamed_write_becomes_the_file_only_when_its_block_ends_well(
    tmp_path: Path,
) -> None:
    target = tmp_path / "newsroom.json"
    target.write_text("the archive of yesterday")
    with pytest.raises(RuntimeError), writing(target, encoding="utf-8") as out:
        out.write("{\n")
        raise RuntimeError("the store went away halfway through")
    assert target.read_text() == "the archive of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsroom.json"]
    with writing(target, mode=0o600, encoding="utf-8") as out:
        out.write("Zoë’s story\n")
    assert target.read_bytes() == "Zoë’s story\n".encode()
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsroom.json"]
