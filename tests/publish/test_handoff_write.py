"""The hand-off manifest written while the export's files move in: on disk first, in place
after the folder's record, never half there, never left as a temporary copy."""

from __future__ import annotations

import dataclasses
import errno
import os
from pathlib import Path

import pytest

from newsdesk.core import atomic_files
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export import export
from newsdesk.publish.folder import state, transaction
from newsdesk.publish.folder.state import StagedWrite

from .fakes import ListStore, fail_rename
from .samples import other

RECORD, MANIFEST, READABLE = ".newsdesk-export.json", "handoff.json", "HANDOFF.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def changed(numbers: range, version: int = 2) -> list[object]:
    return [
        dataclasses.replace(other(n), headline=f"Changed {n}", version=version) for n in numbers
    ]


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


def disk_full_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Writing the temporary copy of ``name`` fails as on a full disk; others are written."""
    real = atomic_files.write_file

    def full(path: Path, data: object, *, durable: bool = True) -> None:
        if path.name.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data, durable=durable)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic_files, "write_file", full)


def test_a_staged_write_lands_whole_on_commit_and_leaves_nothing_on_discard(
    tmp_path: Path,
) -> None:
    target = tmp_path / "big.json"
    target.write_bytes(b"old")
    write = StagedWrite(target, [b"new ", memoryview(b"bytes")])
    assert target.read_bytes() == b"old"  # nothing in place before the commit
    write.commit()
    assert target.read_bytes() == b"new bytes"
    dropped = StagedWrite(target, b"never")
    dropped.discard()
    assert target.read_bytes() == b"new bytes"
    assert temporaries(tmp_path) == []


def test_a_staged_write_that_fails_raises_on_commit_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "big.json"
    target.write_bytes(b"old")
    real = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(state.os, "fsync", full)
    write = StagedWrite(target, b"new")
    with pytest.raises(OSError, match="No space left"):
        write.commit()
    monkeypatch.setattr(state.os, "fsync", real)
    assert target.read_bytes() == b"old"
    assert temporaries(tmp_path) == []


def test_the_manifest_is_put_in_place_after_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record keeps the manifest's digest: a manifest in place before its record
    would describe an export the folder's record does not know."""
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 5)]), out)
    real = os.replace
    order: list[str] = []

    def watched(source: object, target: object) -> None:
        order.append(Path(str(target)).name)
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(state.os, "replace", watched)
    export(ListStore(changed(range(2, 5))), out)
    monkeypatch.undo()
    names = [name for name in order if name in {RECORD, MANIFEST, READABLE}]
    assert names == [RECORD, MANIFEST, READABLE]
    assert temporaries(out) == []


def test_an_export_that_fails_while_moving_in_leaves_no_manifest_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 8)]), out)
    before = snapshot(out)
    fail_rename(monkeypatch, transaction, at=8)
    with pytest.raises(ExportError, match="nothing was changed"):
        export(ListStore(changed(range(2, 9))), out)
    monkeypatch.undo()
    assert snapshot(out) == before  # the manifest as it was, and no temporary copy


def test_a_manifest_that_cannot_be_written_is_said_and_made_by_the_next_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 5)]), out)
    disk_full_for(monkeypatch, MANIFEST)
    store = ListStore(changed(range(2, 5)))
    with pytest.raises(ExportError, match="is done, but its hand-off manifest could not"):
        export(store, out)
    monkeypatch.undo()
    assert "Changed 2" in (out / "site/world/harbour-review-2/index.html").read_text()
    assert b"Changed 2" not in (out / MANIFEST).read_bytes()  # the old one, not half a new
    assert temporaries(out) == []
    report = export(store, out)  # nothing left to write but the manifest
    assert not report.written
    assert b"Changed 2" in (out / MANIFEST).read_bytes()


def test_temporary_copies_a_crash_left_are_removed_by_the_next_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    store = ListStore([other(2)])
    export(store, out)
    for name in (RECORD, MANIFEST, READABLE, ".newsdesk-export.pending.json"):
        (out / f".{name}.tmp-99999").write_bytes(b"half")
    (out / ".notes.txt.tmp-1").write_bytes(b"the web team's own")
    export(store, out)
    assert temporaries(out) == [".notes.txt.tmp-1"]


def test_a_record_that_cannot_be_written_is_said_and_the_next_export_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's record reaches the disk on a thread while the files move in: when it
    cannot be written, the files are in, the old record stays whole beside the pending
    list of what was written, and the next export finishes the job."""
    out = tmp_path / "out"
    export(ListStore([other(n) for n in range(2, 5)]), out)
    old_record = (out / RECORD).read_bytes()
    disk_full_for(monkeypatch, RECORD)
    store = ListStore(changed(range(2, 5)))
    with pytest.raises(ExportError, match=r"in place, but the folder's record could not be"):
        export(store, out)
    monkeypatch.undo()
    assert "Changed 2" in (out / "site/world/harbour-review-2/index.html").read_text()
    assert (out / RECORD).read_bytes() == old_record  # not half a new one
    assert (out / ".newsdesk-export.pending.json").is_file()  # what was written, listed
    assert temporaries(out) == []
    export(store, out)  # the files are Newsdesk's (pending): replaced, not refused
    assert b"Changed 2" in (out / RECORD).read_bytes()
    assert not (out / ".newsdesk-export.pending.json").exists()
    assert export(store, out).written == []
