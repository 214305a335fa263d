"""Sync of media files: the pictures and audio stories use, by key and by their bytes' hash.

A story names a file ``media:KEY``; the key travels in its text, the bytes travel once per
SHA-256 (a store that holds the bytes under another key is sent none), checked against the
hash on arrival. Each side's library is compared with what both held at the last sync (a
``{key: fingerprint}`` kept in the laptop's store, per server epoch), so a file changed or
removed on one side is changed or removed on the other. Each file is one transaction on the
side that receives it: a sync cut between two files is finished by the next one.

A laptop receives the files its own stories use (not the newsroom's whole library). A file
changed on both sides keeps the newsroom's version; the laptop's bytes, when they differ,
stay in the laptop's library (and reach the newsroom) as a file of their own: nothing is
lost. A file still used by a story, or by a revision, is never removed by sync.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.orm import Session

from newsdesk.core.errors import StoreError, ValidationError
from newsdesk.core.media.media import MediaAsset
from newsdesk.store import media as media_rows
from newsdesk.store.engine import redact
from newsdesk.store.repository import SqlStore
from newsdesk.store.schema import ArticleMediaRow, MediaBlobRow, MediaRow, SettingRow

SEEN_KEY = "sync_media"  # {"epoch": ..., "files": {key: fingerprint}}
GONE = "-"  # a fingerprint so marked: the server lacks the file, which this laptop keeps
COPY_SUFFIX = " (laptop copy)"


@dataclass(frozen=True, slots=True)
class MediaReport:
    sent: int = 0
    received: int = 0
    removed: int = 0
    kept_both: int = 0  # changed on both sides: the laptop's bytes kept as a file of their own


def fingerprint(asset: MediaAsset) -> str:
    """What two stores must agree on for a file: its bytes and its words (not its dates)."""
    words = [asset.sha256, asset.filename, asset.alt, asset.caption, asset.credit]
    words.append(asset.copyright)
    return hashlib.sha256(json.dumps(words).encode()).hexdigest()[:24]


def sync_media(
    local: SqlStore, server: SqlStore, epoch: str, step: Callable[[], None] | None = None
) -> MediaReport:
    """Merge the two libraries both ways (idempotent: re-run after a cut)."""
    mine, used_here, seen = _local_side(local, epoch)
    sides = _Sides(local, server, mine, _assets(server), seen, used_here)
    report = MediaReport()
    agreed: dict[str, str] = {}
    for key in sorted(set(sides.mine) | set(sides.theirs)):
        report, note = _merge_one(sides, key, report)
        if note:
            agreed[key] = note
        if step is not None:
            step()
    if agreed != seen:
        _write_seen(local, epoch, agreed)
    return report


@dataclass(frozen=True, slots=True)
class _Sides:
    """Both libraries as they were read, and what the laptop remembers."""

    local: SqlStore
    server: SqlStore
    mine: dict[str, MediaAsset]
    theirs: dict[str, MediaAsset]
    seen: dict[str, str]
    used_here: set[str]  # the files this laptop's stories use


def _merge_one(sides: _Sides, key: str, report: MediaReport) -> tuple[MediaReport, str]:
    """Settle one key; the report so far, and what to remember of it ("" for nothing)."""
    local, server, used_here = sides.local, sides.server, sides.used_here
    here, there, before = sides.mine.get(key), sides.theirs.get(key), sides.seen.get(key)
    print_here = fingerprint(here) if here else None
    print_there = fingerprint(there) if there else None
    if print_here == print_there:
        return report, print_here or ""
    if here is not None and there is None:
        if before in {print_here, GONE + (print_here or "")}:
            # Removed at the newsroom, untouched here: remove it here too, unless used.
            if before == print_here and _remove(local, key):
                return dataclasses.replace(report, removed=report.removed + 1), ""
            return report, GONE + (print_here or "")
        _copy(local, server, here)  # new here, or changed here since the newsroom removed it
        return dataclasses.replace(report, sent=report.sent + 1), print_here or ""
    if there is not None and here is None:
        if before == print_there and _remove(server, key):
            # Removed here, untouched at the newsroom, and used by nothing there.
            return dataclasses.replace(report, removed=report.removed + 1), ""
        if key not in used_here and before in {None, print_there}:
            return report, ""  # the newsroom's file, not needed here: it stays there
        _copy(server, local, there)  # used here, or changed there since it was removed here
        return dataclasses.replace(report, received=report.received + 1), print_there or ""
    assert here is not None and there is not None
    if before == print_there:  # changed here only
        _copy(local, server, here)
        return dataclasses.replace(report, sent=report.sent + 1), print_here or ""
    if before == print_here or here.sha256 == there.sha256:
        # Changed there only, or only the words changed on both sides: the newsroom's stay.
        _copy(server, local, there)
        return dataclasses.replace(report, received=report.received + 1), print_there or ""
    # Other bytes on both sides: the newsroom's file keeps the key (every story follows
    # it); the laptop's bytes become a file of their own, here and at the newsroom.
    copy = _keep_aside(local, here)
    _copy(server, local, there)
    _copy(local, server, copy)
    kept = dataclasses.replace(report, received=report.received + 1, kept_both=report.kept_both + 1)
    return kept, print_there or ""


# -- reading -------------------------------------------------------------------------


def _assets(store: SqlStore) -> dict[str, MediaAsset]:
    with store.transaction(write=False) as session:
        return _library(session)


def _library(session: Session) -> dict[str, MediaAsset]:
    rows = session.execute(select(*media_rows.ASSET_COLUMNS))
    return {row.key: media_rows.asset_from(row) for row in rows}


def _local_side(
    local: SqlStore, epoch: str
) -> tuple[dict[str, MediaAsset], set[str], dict[str, str]]:
    """The laptop's library, the files its stories use (what it needs of the newsroom's),
    and what it remembers of the server: one read."""
    with local.transaction(write=False) as session:
        used = set(session.scalars(select(ArticleMediaRow.key).distinct()))
        row = session.get(SettingRow, SEEN_KEY)
        value = dict(row.value) if row else {}
        mine = _library(session)
    if value.get("epoch") != epoch:
        return mine, used, {}  # another server, or this one restored: nothing is known of it
    return mine, used, {str(k): str(v) for k, v in dict(value.get("files") or {}).items()}


def _bytes(store: SqlStore, sha: str) -> bytes:
    with store.transaction(write=False) as session:
        blob = session.scalar(select(MediaBlobRow.data).where(MediaBlobRow.sha256 == sha))
    if blob is None:
        raise StoreError(
            f"the bytes of a media file ({sha[:12]}…) are missing from {redact(store.url)}; "
            "run newsdesk media --check there"
        )
    return bytes(blob)


def _has_bytes(store: SqlStore, sha: str) -> bool:
    with store.transaction(write=False) as session:
        found = session.scalar(select(MediaBlobRow.sha256).where(MediaBlobRow.sha256 == sha))
    return found is not None


def _write_seen(local: SqlStore, epoch: str, files: dict[str, str]) -> None:
    value = {"epoch": epoch, "files": dict(sorted(files.items()))}
    with local.transaction(write=True) as session:
        row = session.get(SettingRow, SEEN_KEY)
        if row is None:
            session.add(SettingRow(key=SEEN_KEY, value=value))
        else:
            row.value = value


# -- writing -------------------------------------------------------------------------


def _copy(source: SqlStore, target: SqlStore, asset: MediaAsset) -> None:
    """Put ``asset`` into ``target`` under its key, with its bytes unless they are there
    already (checked against the hash): one transaction."""
    blob = None if _has_bytes(target, asset.sha256) else _bytes(source, asset.sha256)
    if blob is not None and media_rows.sha256_of(blob) != asset.sha256:
        raise StoreError(
            f"the media file {asset.filename} arrived damaged (its bytes do not match their "
            "hash); nothing was stored. Sync again."
        )
    values = media_rows._values(asset.normalized())
    with target.transaction(write=True) as session:
        if blob is not None:
            media_rows._lock_bytes(session, asset.sha256)
            media_rows._keep_blob(session, asset.sha256, blob)
        old = session.scalar(select(MediaRow.sha256).where(MediaRow.key == asset.key))
        if old is None:
            session.execute(insert(MediaRow).values(**values))
            return
        session.execute(update(MediaRow).where(MediaRow.key == asset.key).values(**values))
        if old != asset.sha256:
            session.execute(
                delete(MediaBlobRow).where(
                    MediaBlobRow.sha256 == old, ~exists().where(MediaRow.sha256 == old)
                )
            )


def _remove(store: SqlStore, key: str) -> bool:
    """Remove a file neither a story nor a revision uses; whether it was removed."""
    try:
        store.delete_media(key)
    except ValidationError:
        return False  # still used: it stays
    return True


def _keep_aside(local: SqlStore, asset: MediaAsset) -> MediaAsset:
    """The laptop's version of a file changed on both sides, as a new file of its own."""
    with local.transaction(write=True) as session:
        key = media_rows._free_key(session)
        name = asset.filename.rsplit(".", 1)
        filename = (
            f"{name[0]}{COPY_SUFFIX}.{name[1]}" if len(name) == 2 else asset.filename + COPY_SUFFIX
        )
        copy = dataclasses.replace(asset, key=key, filename=filename)
        session.execute(insert(MediaRow).values(**media_rows._values(copy.normalized())))
    return copy
