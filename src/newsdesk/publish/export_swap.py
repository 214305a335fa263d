"""Swapping a staged export into its folder, without touching files Newsdesk did not write."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.publish.errors import ExportError
from newsdesk.publish.export_plan import RunBase
from newsdesk.publish.export_report import GENERATOR
from newsdesk.publish.handoff import Handoff
from newsdesk.publish.state import (
    PENDING_NAME,
    STATE_NAME,
    ArticleRecord,
    ExportState,
    FileRecords,
    write_atomically,
)
from newsdesk.publish.transaction import Staging, commit, describe_os_error, file_sha256


@dataclass(frozen=True, slots=True)
class Built:
    """The render stage's output, the write stage's input: the files staged (path ->
    sha256 and size) and the folder's record to be (its files and stories)."""

    staged: dict[str, tuple[str, int]]
    files: FileRecords
    articles: dict[str, ArticleRecord]

    def same_record(self, state: ExportState, settings: str) -> bool:
        """True when the record to be is the folder's as it is."""
        return (
            state.settings == settings
            and self.files == state.files
            and self.articles == state.articles
        )


class Swapping(RunBase):
    """Moving what was staged into place, all or nothing, and recording it."""

    manifest: Handoff | None

    def _swap_in(
        self, staging: Staging, built: Built, manifest: Callable[[], Handoff | None]
    ) -> None:
        """The write stage: move the staged files in and record them; ``manifest`` makes
        the hand-off manifest (when due) before anything moves, so that the record keeps
        its digest."""
        writes = []
        for path in sorted(built.staged):
            if path not in built.files:
                continue
            sha = built.staged[path][0]
            previous = self.state.files.get(path)
            if previous is not None and previous.sha256 == sha and (self.root / path).is_file():
                continue
            writes.append(path)
        deletes = sorted(built.files.missing_from(self.state.files))
        self._check_ownership(writes)
        deletes = [p for p in deletes if self._owned_on_disk(p)]
        self.report.written = writes
        self.report.deleted = deletes
        self.report.unchanged = len(built.files) - len(writes)
        unchanged_state = built.same_record(self.state, self.settings)
        if not writes and not deletes and unchanged_state and not self.state.pending:
            return
        self.manifest = manifest()
        whole = _whole_folders(staging, built.staged, writes)
        pending = {p: built.staged[p][0] for p in writes}
        write_atomically(
            self.root / PENDING_NAME,
            json.dumps(pending, sort_keys=True, separators=(",", ":")).encode(),
        )
        try:
            commit(self.root, staging, writes, deletes, whole)
        except BaseException as error:  # rolled back (Ctrl+C too): the record goes as well
            (self.root / PENDING_NAME).unlink(missing_ok=True)
            if not isinstance(error, OSError):
                raise
            raise ExportError(
                f"export to {self.root} failed, nothing was changed: "
                f"{describe_os_error(error, self.root)}"
            ) from error
        new_state = ExportState(
            settings=self.settings,
            files=built.files,
            articles=built.articles,
            handoff=self.state.handoff if self.manifest is None else self.manifest.digest(),
        )
        write_atomically(self.root / STATE_NAME, new_state.to_bytes(GENERATOR, reuse=self.state))
        (self.root / PENDING_NAME).unlink(missing_ok=True)

    def _owned_on_disk(self, path: str) -> bool:
        """A file we wrote and nobody changed since; a changed one is left and reported."""
        on_disk = file_sha256(self.root / path)
        if on_disk is None:
            return False
        if self.state.owns(path, on_disk):
            return True
        self.report.kept.append(path)
        return False

    def _check_ownership(self, writes: list[str]) -> None:
        if self.replace_unknown:
            return
        foreign = []
        for path in writes:
            target = self.root / path
            if not os.path.lexists(target):
                continue
            on_disk = file_sha256(target)
            if on_disk is None or not self.state.owns(path, on_disk):
                foreign.append(path)
        if foreign:
            listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise ExportError(
                f"{len(foreign)} file(s) in {self.root} were not written by Newsdesk or were "
                f"edited since ({listed}); nothing was changed. Move them away, or export "
                "to another folder"
            )


def _whole_folders(
    staging: Staging, staged: dict[str, tuple[str, int]], writes: list[str]
) -> set[str]:
    """Top folders staged in place that hold exactly the files to write below them:
    moved in by one rename each."""
    below_staged: dict[str, set[str]] = {top: set() for top in staging.in_place}
    written: dict[str, set[str]] = {top: set() for top in staging.in_place}
    for paths, by_top in ((staged, below_staged), (writes, written)):
        for path in paths:
            below = by_top.get(path.split("/", 1)[0])
            if below is not None:
                below.add(path)
    return {top for top in staging.in_place if below_staged[top] == written[top]}
