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
story into a folder of ten thousand makes one line, not ten thousand. The folder's record
holds the digest of the manifest's lines below its head; a manifest that does not match
it (edited, or left from an export that stopped) is not copied from.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.publish.record_lines import dumps
from newsdesk.publish.state import (
    ArticleRecord,
    ExportState,
    FileRecord,
    FileRecords,
    write_atomically,
)

HANDOFF_JSON = "handoff.json"
HANDOFF_MD = "HANDOFF.md"
HANDOFF_FORMAT = "newsdesk-handoff/1"
MEDIA_TOPS = ("site", "fragment")  # folders that keep a story's renditions in media/


@dataclass(frozen=True, slots=True)
class PreviousHandoff:
    """The manifest the folder holds, as the last export wrote it: its head, each story's
    line and address (by uri) and the paths of its other files."""

    head: dict[str, Any]
    stories: dict[str, bytes]
    keys: dict[str, str]
    other_paths: list[str]

    @classmethod
    def read(cls, root: Path, before: ExportState) -> PreviousHandoff | None:
        """The manifest in ``root`` if its lines below the head are those the folder's
        record ``before`` was written with (their digest); ``None`` otherwise, or when it
        cannot be read. Its story lines are then those of ``before``'s stories in address
        order, one each."""
        try:
            data = (root / HANDOFF_JSON).read_bytes()
        except OSError:
            return None
        first = data.find(b"\n")
        if not before.handoff or first < 0:
            return None
        if body_digest(memoryview(data)[first + 1 :]) != before.handoff:
            return None  # not the manifest the record was written with
        keys = {uri: _key(record) for uri, record in before.articles.items()}
        order = sorted(keys, key=keys.__getitem__)
        try:
            start = data.index(_STORIES_OPEN, first) + len(_STORIES_OPEN)
            middle = data.index(_STORIES_CLOSE, start - 1)
            head = json.loads(data[: first - 1] + b"}")
            # A story's line holds no newline (JSON escapes it): ",\n" ends each but the last.
            found = data[start:middle].split(b",\n") if middle > start else []
            others = [
                json.loads(line.removesuffix(b","))[0]
                for line in data[middle + len(_STORIES_CLOSE) :].split(b"\n")[:-2]
                if line
            ]
        except (ValueError, IndexError, KeyError, TypeError):
            return None
        if len(found) != len(order) or len(set(keys.values())) != len(keys):
            return None  # not one line a story, or two stories at one address (a tie)
        stories = dict(zip(order, found, strict=True))
        return cls(head, stories, keys, [path for path in others if isinstance(path, str)])


@dataclass(frozen=True, slots=True)
class HandoffInput:
    """What one export knows when it is done: the folder's record before and after."""

    generator: str
    formats: tuple[str, ...]
    base_url: str
    before: ExportState
    files: FileRecords  # the new record's files
    articles: Mapping[str, ArticleRecord]  # the new record's stories
    written: Collection[str]
    deleted: Collection[str]
    statuses: Mapping[str, str]  # uri -> status, for the stories exported now
    only: Collection[str] | None = None  # a partial export's chosen uris
    previous: PreviousHandoff | None = None  # the folder's manifest, if it can be copied from


@dataclass(frozen=True, slots=True)
class Handoff:
    """A manifest: its head, its lines below the head (each story's JSON line in address
    order, then the other files), and the stories made now as dicts (every added and
    updated one among them)."""

    head: dict[str, Any]
    body: bytes
    made: dict[str, dict[str, Any]]  # id -> story
    count: int  # stories

    @classmethod
    def of(
        cls,
        head: dict[str, Any],
        stories: list[bytes],
        made: dict[str, dict[str, Any]],
        others: list[list[Any]],
    ) -> Handoff:
        listed = ",\n".join(dumps(item) for item in others).encode()
        body = b"".join(
            [b'"stories":[\n', b",\n".join(stories), b'\n],\n"other_files":[\n', listed, b"\n]}\n"]
        )
        return cls(head, body, made, len(stories))

    def json_bytes(self) -> bytes:
        """``handoff.json``: one story (and one other file) a line, so it diffs well."""
        return dumps(self.head)[:-1].encode() + b",\n" + self.body

    def handed_off(self) -> list[str]:
        """The uris of the stories listed as added or updated, in address order."""
        fresh = {*self.head["changes"]["added"], *self.head["changes"]["updated"]}
        return [str(story["uri"]) for key, story in self.made.items() if key in fresh]

    def digest(self) -> str:
        """What the folder's record keeps of the manifest: the digest of its lines below
        the head (those do not depend on the folder's history)."""
        return body_digest(self.body)


_STORIES_OPEN = b'\n"stories":[\n'
_STORIES_CLOSE = b'\n],\n"other_files":[\n'


def body_digest(body: bytes | memoryview) -> str:
    return hashlib.sha256(body).hexdigest()


def build_handoff(data: HandoffInput) -> Handoff:
    """The manifest (stories sorted by address), copying the previous one's lines where
    they stand."""
    kept, touched = _reusable(data)
    articles = data.articles
    owned = _files_by_story(data.files, [uri for uri in articles if uri not in kept])
    written = set(data.written)
    lines: list[bytes] = []
    made: dict[str, dict[str, Any]] = {}
    changes: dict[str, list[Any]] = {"added": [], "updated": [], "withdrawn": [], "unchanged": []}
    known = data.previous.keys if data.previous is not None else {}
    before = data.before.articles
    keys = {uri: known[uri] if before.get(uri) is record and uri in known else _key(record)
            for uri, record in articles.items()}  # fmt: skip
    for uri in sorted(articles, key=keys.__getitem__):
        record, key = articles[uri], keys[uri]
        line = kept.get(uri)
        if line is not None:
            lines.append(line)
            changes["unchanged"].append(key)
            continue
        files = owned.get(uri, []) + _renditions(record, data.files)
        story = made[key] = _story(uri, record, files, data)
        lines.append(dumps(story).encode())
        old = data.before.articles.get(uri)
        if old is None:
            changes["added"].append(key)
        elif old.version != record.version or any(f[0] in written for f in files):
            changes["updated"].append(key)
        else:
            changes["unchanged"].append(key)
    changes["withdrawn"] = _withdrawn(data)
    head = {
        "format": HANDOFF_FORMAT,
        "generator": data.generator,
        "content_as_of": max(map(_UPDATED_AT, articles.values()), default=None),
        "formats": list(data.formats),
        "partial": data.only is not None,
        "chosen": sorted(_key(articles[u]) for u in data.only or () if u in articles),
        "counts": {name: len(items) for name, items in changes.items()},
        "changes": changes,
    }
    return Handoff.of(head, lines, made, _other_files(data, touched))


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


def write_handoff(root: Path, manifest: Handoff) -> None:
    """Write both files, each whole (through a temporary file and a rename)."""
    write_atomically(root / HANDOFF_JSON, manifest.json_bytes())
    write_atomically(root / HANDOFF_MD, handoff_markdown(manifest).encode())


def _reusable(data: HandoffInput) -> tuple[dict[str, bytes], set[str] | None]:
    """The previous manifest's lines that stand (by uri), and the paths whose record
    changed since it (``None``: not known without reading every record)."""
    previous = data.previous
    changed = data.files.changes_from(data.before.files)
    if changed is None:
        return {}, None
    touched = changed | set(data.written) | set(data.deleted)
    if previous is None or previous.head.get("format") != HANDOFF_FORMAT:
        return {}, touched
    affected: set[str] = set()
    media: set[str] = set()
    for path in touched:
        for files in (data.files, data.before.files):
            file = files.get(path)
            if file is not None and file.uri is not None:
                affected.add(file.uri)
        if _is_media(path):
            media.add(path.split("/", 1)[1])
    if media:  # the stories showing a rendition that changed
        affected |= {uri for uri, record in data.articles.items()
                     if any(entry[0] in media for entry in record.media_files)}  # fmt: skip
    if not _same_site(previous, data):
        return {}, touched
    said: dict[str | None, bytes] = {None: _field("status", None)}
    said |= {status: _field("status", status) for status in set(data.statuses.values())}
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


def _same_site(previous: PreviousHandoff, data: HandoffInput) -> bool:
    """True when the previous manifest's addresses start as this one's would: a story
    as exported then has the same line now, but for its status."""
    for uri, line in previous.stories.items():
        record = data.before.articles.get(uri)
        if record is not None:
            return _field("url", _url(record, data.base_url)) in line
    return True


def _field(name: str, value: object) -> bytes:
    """``name`` with ``value`` as a story's JSON line has it. A quote inside a JSON string
    is escaped, so ``,"name":`` unescaped can only be the field itself."""
    return f',"{name}":{dumps(value)},'.encode()


def _withdrawn(data: HandoffInput) -> list[dict[str, Any]]:
    gone = sorted(data.before.articles.keys() - data.articles.keys())
    removed = _files_by_story(data.before.files, gone) if gone else {}
    deleted = set(data.deleted)
    out = []
    for uri in gone:
        old = data.before.articles[uri]
        out.append(
            {
                "id": _key(old),
                "uri": uri,
                "headline": old.headline,
                "version": old.version,
                "files_removed": sorted(f[0] for f in removed.get(uri, []) if f[0] in deleted),
            }
        )
    return out


def _other_files(data: HandoffInput, touched: set[str] | None) -> list[list[Any]]:
    """The files that belong to no story (listing pages, feed, sitemap, assets): those the
    previous manifest listed and those changed since, when both are known; else all."""
    files = data.files
    if touched is not None and data.previous is not None:
        paths: Iterable[str] = set(data.previous.other_paths) | touched
    else:
        paths = files
    found = []
    for path in paths:
        record = files.get(path)
        if record is not None and record.uri is None and not _is_media(path):
            found.append(_file(path, record))
    return sorted(found)


def _story_line(story: Mapping[str, Any]) -> str:
    held = f", held until {story['held_until']}" if story.get("held_until") else ""
    status = story["status"] or "kept from an earlier export"
    return (
        f"- **{story['headline']}** (`{story['id']}`, {status}, version {story['version']}"
        f"{held}): {story['url']}"
    )


def _story(
    uri: str, record: ArticleRecord, files: Sequence[list[Any]], data: HandoffInput
) -> dict[str, Any]:
    story = {
        "id": _key(record),
        "uri": uri,
        "section": record.section_slug,
        "slug": record.slug,
        "headline": record.headline,
        "status": data.statuses.get(uri),
        "version": record.version,
        "updated_at": record.updated_at,
        "url": _url(record, data.base_url),
        "files": files,  # [path, sha256, size] each: compact for ten thousand stories
    }
    if record.held:
        story["held_until"] = record.release
    return story


_UPDATED_AT = operator.attrgetter("updated_at")


def _url(record: ArticleRecord, base_url: str) -> str:
    return f"{base_url}{record.section_slug}/{record.slug}/"


def _key(record: ArticleRecord) -> str:
    return f"{record.section_slug}/{record.slug}"


def _file(path: str, record: FileRecord) -> list[Any]:
    return [path, record.sha256, record.size]


def _is_media(path: str) -> bool:
    return any(path.startswith(f"{top}/media/") for top in MEDIA_TOPS)


def _files_by_story(files: FileRecords, uris: Collection[str]) -> dict[str, list[list[Any]]]:
    """The own files of each story of ``uris`` as ``[path, sha256, size]``, sorted by path."""
    owned: dict[str, list[list[Any]]] = {}
    for path in files.of_stories(uris):
        record = files[path]
        assert record.uri is not None
        owned.setdefault(record.uri, []).append([path, record.sha256, record.size])
    for items in owned.values():
        items.sort()
    return owned


def _renditions(record: ArticleRecord, files: Mapping[str, FileRecord]) -> list[list[Any]]:
    """The story's pictures and audio as exported for the site and fragments."""
    found = []
    for entry in record.media_files:
        for top in MEDIA_TOPS:
            path = f"{top}/{entry[0]}"
            file = files.get(path)
            if file is not None:
                found.append([path, file.sha256, file.size])
    return found
