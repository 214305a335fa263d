"""The export record's files read lazily: the same answers and bytes as the whole record."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export_report import GENERATOR
from newsdesk.publish.folder.state import (
    STATE_NAME,
    ArticleRecord,
    ExportState,
    FileRecord,
    FileRecords,
)

URIS = [f"urn:newsdesk:article:{n}" for n in range(6)]


def record(n: int, uri: str | None = None) -> FileRecord:
    return FileRecord(f"{n:064x}", n, uri, 1 if uri else None, f"{n:032x}" if uri else None)


def story(n: int) -> ArticleRecord:
    return ArticleRecord(1, "2026-01-01T00:00:00+00:00", "d", "c", "world", f"s{n}", "H", None,
                         False, "m", "p", [])  # fmt: skip


def written(tmp_path: Path, files: dict[str, FileRecord]) -> ExportState:
    """The record of ``files`` as an export writes it, read back."""
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    state = ExportState(settings="s", files=FileRecords(files.items()), articles={"u": story(1)})
    (folder / STATE_NAME).write_bytes(state.to_bytes(GENERATOR))
    return ExportState.load(folder)


def sample_files() -> dict[str, FileRecord]:
    files = {}
    for n in range(40):
        uri = URIS[n % len(URIS)] if n % 4 else None
        top = ("fragment", "markdown", "ninjs", "site")[n % 4]
        files[f"{top}/world/story-{n:03d}.html"] = record(n, uri)
    files["site/media/photo-1.webp"] = record(90)
    files["site/media/photo-2.webp"] = record(91)
    files["newsdesk-bundle.zip"] = record(92)
    return files


@pytest.mark.parametrize("seed", range(12))
def test_changes_read_like_a_dict_and_write_like_a_full_rewrite(tmp_path: Path, seed: int) -> None:
    model = sample_files()
    state = written(tmp_path, model)
    lazy = state.files.copy()
    chance = random.Random(seed)
    keys = sorted(model)
    for step in range(30):
        action = chance.choice(["set", "new", "del", "get"])
        key = chance.choice(keys)
        if action == "set":
            model[key] = lazy[key] = record(200 + step, chance.choice([None, *URIS]))
        elif action == "new":  # before the first, after the last and in between
            fresh = chance.choice(["aaa/first", "zzz/last", f"site/world/new-{step}.html"])
            model[fresh] = lazy[fresh] = record(300 + step, chance.choice(URIS))
            keys.append(fresh)
        elif action == "del" and key in model:
            del model[key]
            del lazy[key]
        assert lazy.get(key) == model.get(key)
        assert (key in lazy) == (key in model)
        assert len(lazy) == len(model)
    wanted = {URIS[1], URIS[3]}
    assert sorted(lazy.of_stories(wanted)) == sorted(k for k, r in model.items() if r.uri in wanted)
    assert sorted(lazy.with_prefix("site/")) == sorted(k for k in model if k.startswith("site/"))
    gone = sorted(lazy.missing_from(state.files))
    assert gone == sorted(k for k in written(tmp_path, sample_files()).files if k not in model)
    changed = lazy.changes_from(state.files)
    assert changed is not None
    assert changed == {k for k in model.keys() | sample_files().keys()
                       if model.get(k) != sample_files().get(k)}  # fmt: skip
    assert (lazy == state.files) == (model == sample_files())
    spliced = lazy.lines_bytes(reuse=True)
    assert spliced == lazy.lines_bytes(reuse=False)  # what a rewrite of every line gives
    assert spliced == FileRecords(sorted(model.items())).lines_bytes()


def test_a_record_is_read_only_when_asked_for(tmp_path: Path) -> None:
    state = written(tmp_path, sample_files())
    files = state.files
    assert len(files) == len(sample_files())
    assert files["site/media/photo-1.webp"] == record(90)
    assert "site/world/missing.html" not in files
    assert len(files._records) == 1  # one line parsed, none of the others


def test_every_line_empty_or_removed(tmp_path: Path) -> None:
    state = written(tmp_path, {})
    assert len(state.files) == 0 and list(state.files) == []
    state = written(tmp_path, {"a": record(1), "b": record(2)})
    files = state.files.copy()
    del files["a"], files["b"]
    assert files.lines_bytes() == b""
    files["c"] = record(3)
    assert files.lines_bytes() == FileRecords([("c", record(3))]).lines_bytes()


def test_a_damaged_line_is_a_damaged_record(tmp_path: Path) -> None:
    state = written(tmp_path, sample_files())
    path = tmp_path / "out" / STATE_NAME
    path.write_bytes(
        path.read_bytes().replace(
            b'"site/media/photo-1.webp":["', b'"site/media/photo-1.webp":[', 1
        )
    )
    state = ExportState.load(tmp_path / "out")
    with pytest.raises(ExportError, match="damaged"):
        state.files["site/media/photo-1.webp"]
