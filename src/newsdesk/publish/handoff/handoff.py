"""The hand-off manifest: every story in an export folder, and what changed since the last.

Every export writes ``handoff.json`` and a readable ``HANDOFF.md`` at the folder's root,
for the web team: each story the folder holds (slug, section, headline, status, version,
address, its files with their SHA-256) and the change list against the previous export
into the same folder: ``added``, ``updated`` (its files changed), ``withdrawn`` (no longer
exported: withdrawn, unpublished, deleted or left out; its files removed, listed) and
``unchanged``. The JSON keeps one story a line, so two hand-offs diff line by line.

The manifest holds no clock time: exporting the same store twice gives the same bytes
(``content_as_of`` is when the newest story was saved). An export that changes nothing
leaves the manifest as it was.

A story whose record, files and status are as the previous manifest lists them keeps its
line from that manifest, copied as it is (what it would be made again as): exporting one
story into a folder of ten thousand makes one line, not ten thousand, and copies the
others' bytes at once (:mod:`newsdesk.publish.handoff.handoff_splice`). The folder's record holds
the digest of the manifest's lines below its head; a manifest that does not match it
(edited, or left from an export that stopped) is not copied from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsdesk.publish.folder.record_lines import dumps
from newsdesk.publish.folder.state import StagedWrite
from newsdesk.publish.folder.transaction import file_sha256
from newsdesk.publish.handoff.handoff_lines import HANDOFF_FORMAT, HANDOFF_JSON, HANDOFF_MD, address
from newsdesk.publish.handoff.handoff_parts import (
    CHANGE_LISTS,
    MEDIA_TOPS,
    Handoff,
    HandoffInput,
    affected_stories,
    body_digest,
    change_of,
    files_by_story,
    head_of,
    head_sha256,
    line_field,
    other_files,
    renditions,
    story_entry,
    story_url,
    withdrawn_entries,
)
from newsdesk.publish.handoff.handoff_previous import ParsedHandoff, PreviousHandoff
from newsdesk.publish.handoff.handoff_splice import spliced

__all__ = [
    "HANDOFF_FORMAT",
    "HANDOFF_JSON",
    "HANDOFF_MD",
    "MEDIA_TOPS",
    "Handoff",
    "HandoffInput",
    "HandoffWrite",
    "PreviousHandoff",
    "body_digest",
    "build_handoff",
    "handoff_markdown",
    "head_as_written",
    "readable_as_written",
]


def build_handoff(data: HandoffInput) -> Handoff:
    """The manifest (stories sorted by address), copying the previous one's lines where
    they stand: spliced into its bytes when that can be told from few of its lines."""
    quick = spliced(data, data.previous) if data.previous is not None else None
    if quick is not None:
        return quick
    previous = data.previous.parsed() if data.previous is not None else None
    kept, touched = _reusable(data, previous)
    articles = data.articles
    owned = files_by_story(data.files, [uri for uri in articles if uri not in kept])
    written = set(data.written)
    lines: list[bytes] = []
    made: dict[str, dict[str, Any]] = {}
    changes: dict[str, list[Any]] = {name: [] for name in CHANGE_LISTS}
    known = previous.keys if previous is not None else {}
    before = data.before.articles
    keys = {uri: known[uri] if before.get(uri) is record and uri in known else address(record)
            for uri, record in articles.items()}  # fmt: skip
    for uri in sorted(articles, key=keys.__getitem__):
        record, key = articles[uri], keys[uri]
        line = kept.get(uri)
        if line is not None:
            lines.append(line)
            changes["unchanged"].append(key)
            continue
        files = owned.get(uri, []) + renditions(record, data.files)
        story = made[key] = story_entry(uri, record, files, data)
        lines.append(dumps(story).encode())
        changes[change_of(data, uri, files, written)].append(key)
    changes["withdrawn"] = withdrawn_entries(data)
    others = other_files(data, touched, previous.other_paths if previous else None)
    return Handoff.of(head_of(data, changes), [b",\n".join(lines)], made, others, len(lines))


def handoff_markdown(manifest: Handoff) -> str:
    """The manifest for people: what to do, story by story; the unchanged counted."""
    head = manifest.head
    counts = head["counts"]
    total = manifest.count
    lines = [
        "# Hand-off from Newsdesk",
        "",
        f"Exported by {head['generator']} ({', '.join(head['formats'])}); the "
        f"newest story was saved {head['content_as_of'] or 'never'}.",
        f"{total} stor{'y' if total == 1 else 'ies'} in this folder: "
        f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['withdrawn']} withdrawn, {counts['unchanged']} unchanged since the "
        "previous export into this folder.",
    ]
    if head["partial"]:
        lines.append(
            "A partial export of "
            + ", ".join(f"`{key}`" for key in head["chosen"])
            + ": the other stories' files were left as they were."
        )
    lines.append("Every file and checksum is listed in `handoff.json`.")
    for name, title in (("added", "Added"), ("updated", "Updated")):
        lines += ["", f"## {title}", ""]
        keys = head["changes"][name]
        lines += [_story_line(manifest.made[key]) for key in keys] or ["None."]
    lines += ["", "## Withdrawn (remove from the website)", ""]
    gone = head["changes"]["withdrawn"]
    for item in gone:
        lines.append(f"- **{item['headline']}** (`{item['id']}`), files removed:")
        lines += [f"  - `{path}`" for path in item["files_removed"]]
    if not gone:
        lines.append("None.")
    lines += ["", "## Unchanged", "", f"{counts['unchanged']} (listed in `handoff.json`).", ""]
    return "\n".join(lines)


def readable_as_written(root: Path, head: dict[str, Any]) -> bool:
    """True when the folder's ``HANDOFF.md`` is the one written with the ``handoff.json``
    whose ``head`` is given: the head keeps its SHA-256 (``readable_sha256``), so an edit
    or a removal shows at the cost of hashing one small file. A manifest written before
    the head kept it is taken as written while ``HANDOFF.md`` is there: made again, its
    change list would say every story is unchanged, and the web team may not have read
    the one it holds yet."""
    said = head.get("readable_sha256")
    if said is None:
        return (root / HANDOFF_MD).is_file()
    return isinstance(said, str) and file_sha256(root / HANDOFF_MD) == said


def head_as_written(head: dict[str, Any]) -> bool:
    """True when ``handoff.json``'s head is as written: its ``head_sha256`` is the hash of
    the rest of it. A head written before it kept one is taken as written (as for
    ``readable_sha256``: its change list may not have been read yet)."""
    said = head.get("head_sha256")
    return said is None or said == head_sha256(head)


class HandoffWrite:
    """Both files of a manifest, each written whole (through a temporary file and a
    rename), reaching the disk on threads from the start; put in place by :meth:`commit`
    (after the folder's record, which keeps the manifest's digest), or dropped by
    :meth:`discard` when the export fails first. One of the two must be called."""

    def __init__(self, root: Path, manifest: Handoff) -> None:
        markdown = handoff_markdown(manifest).encode()
        readable = hashlib.sha256(markdown).hexdigest()
        self._writes = [StagedWrite(root / HANDOFF_JSON, manifest.json_pieces(readable))]
        try:
            self._writes.append(StagedWrite(root / HANDOFF_MD, markdown))
        except BaseException:
            self.discard()
            raise

    def commit(self) -> None:
        """Both files in place (``OSError`` if either could not be written; then the
        other is dropped if not in place yet)."""
        try:
            for write in self._writes:
                write.commit()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        for write in self._writes:
            write.discard()


def _reusable(
    data: HandoffInput, previous: ParsedHandoff | None
) -> tuple[dict[str, bytes], set[str] | None]:
    """The previous manifest's lines that stand (by uri), and the paths whose record
    changed since it (``None``: not known without reading every record)."""
    changed = data.files.changes_from(data.before.files)
    if changed is None:
        return {}, None
    touched = changed | set(data.written) | set(data.deleted)
    if previous is None or previous.head.get("format") != HANDOFF_FORMAT:
        return {}, touched
    affected = affected_stories(data, touched)
    if not _same_site(previous, data):
        return {}, touched
    said: dict[str | None, bytes] = {None: line_field("status", None)}
    said |= {status: line_field("status", status) for status in set(data.statuses.values())}
    kept = {}
    line_of, before, status_of = previous.stories.get, data.before.articles.get, data.statuses.get
    for uri, record in data.articles.items():  # ten thousand: kept lean
        line = line_of(uri)
        if line is None or uri in affected:
            continue
        old = before(uri)
        if (old is record or old == record) and said[status_of(uri)] in line:
            kept[uri] = line
    return kept, touched


def _same_site(previous: ParsedHandoff, data: HandoffInput) -> bool:
    """True when the previous manifest's addresses start as this one's would: a story
    as exported then has the same line now, but for its status."""
    for uri, line in previous.stories.items():
        record = data.before.articles.get(uri)
        if record is not None:
            return line_field("url", story_url(record, data.base_url)) in line
    return True


def _story_line(story: Mapping[str, Any]) -> str:
    held = f", held until {story['held_until']}" if story.get("held_until") else ""
    status = story["status"] or "kept from an earlier export"
    return (
        f"- **{story['headline']}** (`{story['id']}`, {status}, version {story['version']}"
        f"{held}): {story['url']}"
    )
