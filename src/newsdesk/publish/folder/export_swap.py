"""The folder's record to be (the record stage) and swapping a staged export into the
folder (the write stage), without touching files Newsdesk did not write."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export_plan import ExportContext, Planned
from newsdesk.publish.exporting.export_report import GENERATOR
from newsdesk.publish.folder.state import (
    PENDING_NAME,
    STATE_NAME,
    ArticleRecord,
    ExportState,
    FileRecord,
    FileRecords,
    StagedWrite,
    write_atomically,
)
from newsdesk.publish.folder.transaction import Staging, commit, describe_os_error, file_sha256
from newsdesk.publish.handoff.handoff import Handoff


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


def record_files(
    before: FileRecords,
    staged: Mapping[str, tuple[str, int]],
    *,
    dropped: Iterable[str],
    produced: Mapping[str, tuple[Planned, str]],
    shared: Collection[str],
    keys: Mapping[str, str | None],
) -> FileRecords:
    """The folder's files to be: those of ``before`` carried over, those ``staged``
    (a story's file with its story's uri, version and fingerprint, as ``produced`` owns
    it; a shared file with its inputs' key), less those ``dropped`` and not made again.
    Made as a copy of ``before``, so that what is unchanged stays the lines read (see
    :mod:`newsdesk.publish.folder.record_lines`)."""
    records = before.copy()
    for path, (item, _fmt) in produced.items():
        if path in staged:
            sha, size = staged[path]
            records[path] = FileRecord(sha, size, item.uri, item.record.version, item.fingerprint)
    for path in sorted(shared):
        if path in staged:  # else a listing page exported as it is
            sha, size = staged[path]
            records[path] = FileRecord(sha, size, fingerprint=keys.get(path))
    for path in dropped:
        if path not in produced and path not in shared:
            del records[path]
    return records


def record_articles(
    before: ExportState, planned: Iterable[Planned], only: frozenset[str] | None
) -> dict[str, ArticleRecord]:
    """The folder's stories to be; a partial export (``only``: the uris chosen) keeps
    the records of those it did not choose as they are, even those no longer exported
    (their files stay too)."""
    if only is None:
        return {p.uri: _new_record(p) for p in planned}
    kept = dict(before.articles)  # copied at once, not a story at a time
    for uri in only:
        kept.pop(uri, None)
    # A story carried over keeps its record whole: an export without the site must not
    # drop its teaser, which the next one with the site lists it by.
    kept.update((p.uri, _new_record(p)) for p in planned if not p.carried)
    return kept


def _new_record(item: Planned) -> ArticleRecord:
    """What the new state file keeps of ``item`` (the old record when the same)."""
    r = item.record
    if (r.held, r.fingerprint, r.teaser) == (item.held, item.fingerprint, item.teaser):
        return r
    return r._replace(held=item.held, fingerprint=item.fingerprint, teaser=item.teaser)


def swap_in(
    ctx: ExportContext, staging: Staging, built: Built, manifest: Callable[[], Handoff | None]
) -> Handoff | None:
    """The write stage: move the staged files in and record them, all or nothing;
    ``manifest`` makes the hand-off manifest (when due) before anything moves, so that the
    record keeps its digest. Returns that manifest (``None``: not made, or nothing moved)."""
    writes = []
    for path in sorted(built.staged):
        if path not in built.files:
            continue
        sha = built.staged[path][0]
        previous = ctx.state.files.get(path)
        if previous is not None and previous.sha256 == sha and (ctx.root / path).is_file():
            continue
        writes.append(path)
    deletes = sorted(built.files.missing_from(ctx.state.files))
    _check_ownership(ctx, writes)
    deletes = [p for p in deletes if _owned_on_disk(ctx, p)]
    ctx.report.written = writes
    ctx.report.deleted = deletes
    ctx.report.unchanged = len(built.files) - len(writes)
    unchanged_state = built.same_record(ctx.state, ctx.settings)
    if not writes and not deletes and unchanged_state and not ctx.state.pending:
        return None
    made = manifest()
    new_state = ExportState(
        settings=ctx.settings,
        files=built.files,
        articles=built.articles,
        handoff=ctx.state.handoff if made is None else made.digest(),
    )
    # The new record reaches the disk on a thread while the files move in (twenty
    # megabytes for ten thousand stories: written and flushed, a tenth of a second); it is
    # put in place once they are all in, and dropped if they could not be.
    record = StagedWrite(ctx.root / STATE_NAME, new_state.to_pieces(GENERATOR, reuse=ctx.state))
    try:
        _move_in(ctx, staging, built, writes, deletes)
    except BaseException:
        record.discard()
        raise
    try:
        record.commit()
    except OSError as error:  # the files are in: the pending record still lists them
        raise ExportError(
            f"the files of the export to {ctx.root} are in place, but the folder's record "
            f"could not be written: {describe_os_error(error, ctx.root)}; export again to "
            "finish it"
        ) from error
    (ctx.root / PENDING_NAME).unlink(missing_ok=True)
    return made


def _move_in(
    ctx: ExportContext, staging: Staging, built: Built, writes: list[str], deletes: list[str]
) -> None:
    """The files moved in and out, all or nothing, the pending record kept meanwhile (an
    export stopped half-way then knows the files it wrote)."""
    whole = _whole_folders(staging, built.staged, writes)
    pending = {p: built.staged[p][0] for p in writes}
    write_atomically(
        ctx.root / PENDING_NAME,
        json.dumps(pending, sort_keys=True, separators=(",", ":")).encode(),
    )
    try:
        commit(ctx.root, staging, writes, deletes, whole)
    except BaseException as error:  # rolled back (Ctrl+C too): the record goes as well
        (ctx.root / PENDING_NAME).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise
        raise ExportError(
            f"export to {ctx.root} failed, nothing was changed: "
            f"{describe_os_error(error, ctx.root)}"
        ) from error


def _owned_on_disk(ctx: ExportContext, path: str) -> bool:
    """A file we wrote and nobody changed since; a changed one is left and reported."""
    on_disk = file_sha256(ctx.root / path)
    if on_disk is None:
        return False
    if ctx.state.owns(path, on_disk):
        return True
    ctx.report.kept.append(path)
    return False


def _check_ownership(ctx: ExportContext, writes: list[str]) -> None:
    if ctx.request.replace_unknown:
        return
    foreign = []
    for path in writes:
        target = ctx.root / path
        if not os.path.lexists(target):
            continue
        on_disk = file_sha256(target)
        if on_disk is None or not ctx.state.owns(path, on_disk):
            foreign.append(path)
    if foreign:
        listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise ExportError(
            f"{len(foreign)} file(s) in {ctx.root} were not written by Newsdesk or were "
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
