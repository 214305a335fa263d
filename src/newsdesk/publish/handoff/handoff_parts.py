"""What the two ways of making the hand-off manifest share: its input, parts and rules.

What an export knows, the manifest made, and the rules for a story's line, the change
lists and the other files. A story's line is made by one function, :func:`story_entry`,
whichever way the manifest is made (line by line, or spliced into the previous one's
bytes): a line copied from the previous manifest is the line that would be made again.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.publish.folder.record_lines import dumps
from newsdesk.publish.folder.state import ArticleRecord, ExportState, FileRecord, FileRecords
from newsdesk.publish.handoff.handoff_lines import HANDOFF_FORMAT, Piece, address
from newsdesk.publish.handoff.handoff_previous import PreviousHandoff

MEDIA_TOPS = ("site", "fragment")  # folders that keep a story's renditions in media/
CHANGE_LISTS = ("added", "updated", "withdrawn", "unchanged")


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
    order, then the other files) in pieces, and the stories made now as dicts (every
    added and updated one among them)."""

    head: dict[str, Any]
    pieces: tuple[Piece, ...]  # the lines below the head, joined when written
    made: dict[str, dict[str, Any]]  # id -> story
    count: int  # stories
    known_digest: str = ""  # the digest of the pieces, when worked out as they were made

    @classmethod
    def of(
        cls,
        head: dict[str, Any],
        stories: Sequence[Piece],
        made: dict[str, dict[str, Any]],
        others: list[list[Any]],
        count: int,
    ) -> Handoff:
        """``stories``: the story lines joined by ``,\n``, in pieces."""
        listed = ",\n".join(dumps(item) for item in others).encode()
        pieces = (b'"stories":[\n', *stories, b'\n],\n"other_files":[\n', listed, b"\n]}\n")
        return cls(head, pieces, made, count)

    @property
    def body(self) -> bytes:
        """The lines below the head."""
        return b"".join(self.pieces)

    def json_bytes(self) -> bytes:
        """``handoff.json``: one story (and one other file) a line, so it diffs well."""
        return b"".join(self.json_pieces())

    def handed_off(self) -> list[str]:
        """The uris of the stories listed as added or updated, in address order."""
        fresh = {*self.head["changes"]["added"], *self.head["changes"]["updated"]}
        return [str(story["uri"]) for key, story in self.made.items() if key in fresh]

    def digest(self) -> str:
        """What the folder's record keeps of the manifest: the digest of its lines below
        the head (those do not depend on the folder's history)."""
        if self.known_digest:
            return self.known_digest
        hasher = hashlib.sha256()
        for piece in self.pieces:
            hasher.update(piece)
        return hasher.hexdigest()

    def json_pieces(self, readable_sha256: str = "") -> list[Piece]:
        """``handoff.json`` in pieces; its head with the SHA-256 of the ``HANDOFF.md``
        written beside it, when given, and last its own (``head_sha256``: see
        :func:`head_sha256`)."""
        head = {**self.head, "readable_sha256": readable_sha256} if readable_sha256 else self.head
        head = {**head, "head_sha256": head_sha256(head)}
        return [dumps(head)[:-1].encode(), b",\n", *self.pieces]


def head_sha256(head: Mapping[str, Any]) -> str:
    """The SHA-256 of a manifest's head as written, less its ``head_sha256`` field: the
    head read back and checked against it shows an edit of its change lists (the lines
    below it are checked against the folder's record)."""
    rest = {key: value for key, value in head.items() if key != "head_sha256"}
    return hashlib.sha256(dumps(rest).encode("utf-8", "surrogatepass")).hexdigest()


def body_digest(body: bytes | memoryview) -> str:
    return hashlib.sha256(body).hexdigest()


def head_of(data: HandoffInput, changes: dict[str, list[Any]]) -> dict[str, Any]:
    articles = data.articles
    return {
        "format": HANDOFF_FORMAT,
        "generator": data.generator,
        "content_as_of": max(map(_UPDATED_AT, articles.values()), default=None),
        "formats": list(data.formats),
        "partial": data.only is not None,
        "chosen": sorted(address(articles[u]) for u in data.only or () if u in articles),
        "counts": {name: len(items) for name, items in changes.items()},
        "changes": changes,
    }


def change_of(data: HandoffInput, uri: str, files: Sequence[list[Any]], written: set[str]) -> str:
    """Which change list a story whose line is made now goes in."""
    old = data.before.articles.get(uri)
    if old is None:
        return "added"
    if old.version != data.articles[uri].version or any(f[0] in written for f in files):
        return "updated"
    return "unchanged"


def affected_stories(data: HandoffInput, touched: set[str]) -> set[str]:
    """The stories a file of which changed, or showing a rendition that changed."""
    affected: set[str] = set()
    media: set[str] = set()
    for path in touched:
        for files in (data.files, data.before.files):
            file = files.get(path)
            if file is not None and file.uri is not None:
                affected.add(file.uri)
        if is_media(path):
            media.add(path.split("/", 1)[1])
    if media:  # the stories showing a rendition that changed
        affected |= {uri for uri, record in data.articles.items()
                     if any(entry[0] in media for entry in record.media_files)}  # fmt: skip
    return affected


def line_field(name: str, value: object) -> bytes:
    """``name`` with ``value`` as a story's JSON line has it. A quote inside a JSON string
    is escaped, so ``,"name":`` unescaped can only be the field itself."""
    return f',"{name}":{dumps(value)},'.encode()


def withdrawn_entries(data: HandoffInput) -> list[dict[str, Any]]:
    gone = sorted(data.before.articles.keys() - data.articles.keys())
    removed = files_by_story(data.before.files, gone) if gone else {}
    deleted = set(data.deleted)
    out = []
    for uri in gone:
        old = data.before.articles[uri]
        out.append(
            {
                "id": address(old),
                "uri": uri,
                "headline": old.headline,
                "version": old.version,
                "files_removed": sorted(f[0] for f in removed.get(uri, []) if f[0] in deleted),
            }
        )
    return out


def other_files(
    data: HandoffInput, touched: set[str] | None, listed: list[str] | None
) -> list[list[Any]]:
    """The files that belong to no story (listing pages, feed, sitemap, assets): those the
    previous manifest ``listed`` and those changed since, when both are known; else all."""
    files = data.files
    if touched is not None and listed is not None:
        paths: Iterable[str] = set(listed) | touched
    else:
        paths = files
    found = []
    for path in paths:
        record = files.get(path)
        if record is not None and record.uri is None and not is_media(path):
            found.append(file_entry(path, record))
    return sorted(found)


def story_entry(
    uri: str, record: ArticleRecord, files: Sequence[list[Any]], data: HandoffInput
) -> dict[str, Any]:
    story = {
        "id": address(record),
        "uri": uri,
        "section": record.section_slug,
        "slug": record.slug,
        "headline": record.headline,
        "status": data.statuses.get(uri),
        "version": record.version,
        "updated_at": record.updated_at,
        "url": story_url(record, data.base_url),
        "files": files,  # [path, sha256, size] each: compact for ten thousand stories
    }
    if record.held:
        story["held_until"] = record.release
    return story


_UPDATED_AT = operator.attrgetter("updated_at")


def story_url(record: ArticleRecord, base_url: str) -> str:
    return f"{base_url}{record.section_slug}/{record.slug}/"


def file_entry(path: str, record: FileRecord) -> list[Any]:
    return [path, record.sha256, record.size]


def is_media(path: str) -> bool:
    return any(path.startswith(f"{top}/media/") for top in MEDIA_TOPS)


def files_by_story(files: FileRecords, uris: Collection[str]) -> dict[str, list[list[Any]]]:
    """The own files of each story of ``uris`` as ``[path, sha256, size]``, sorted by path."""
    owned: dict[str, list[list[Any]]] = {}
    for path in files.of_stories(uris):
        record = files[path]
        assert record.uri is not None
        owned.setdefault(record.uri, []).append([path, record.sha256, record.size])
    for items in owned.values():
        items.sort()
    return owned


def renditions(record: ArticleRecord, files: Mapping[str, FileRecord]) -> list[list[Any]]:
    """The story's pictures and audio as exported for the site and fragments."""
    found = []
    for entry in record.media_files:
        for top in MEDIA_TOPS:
            path = f"{top}/{entry[0]}"
            file = files.get(path)
            if file is not None:
                found.append([path, file.sha256, file.size])
    return found
