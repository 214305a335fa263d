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
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.publish.state import ArticleRecord, ExportState, FileRecord, write_atomically

HANDOFF_JSON = "handoff.json"
HANDOFF_MD = "HANDOFF.md"
HANDOFF_FORMAT = "newsdesk-handoff/1"
MEDIA_TOPS = ("site", "fragment")  # folders that keep a story's renditions in media/


@dataclass(frozen=True, slots=True)
class HandoffInput:
    """What one export knows when it is done: the folder's record before and after."""

    generator: str
    formats: tuple[str, ...]
    base_url: str
    before: ExportState
    files: Mapping[str, FileRecord]  # the new record's files
    articles: Mapping[str, ArticleRecord]  # the new record's stories
    written: Collection[str]
    deleted: Collection[str]
    statuses: Mapping[str, str]  # uri -> status, for the stories exported now
    only: Collection[str] | None = None  # a partial export's chosen uris


def build_handoff(data: HandoffInput) -> dict[str, Any]:
    """The manifest as a JSON-ready dict (stories sorted by address)."""
    owned = _files_by_story(data.files)
    written = set(data.written)
    stories = []
    changes: dict[str, list[Any]] = {"added": [], "updated": [], "withdrawn": [], "unchanged": []}
    for uri in sorted(data.articles, key=lambda u: _key(data.articles[u])):
        record = data.articles[uri]
        files = owned.get(uri, []) + _renditions(record, data.files)
        stories.append(_story(uri, record, files, data))
        old = data.before.articles.get(uri)
        key = _key(record)
        if old is None:
            changes["added"].append(key)
        elif old.version != record.version or any(f[0] in written for f in files):
            changes["updated"].append(key)
        else:
            changes["unchanged"].append(key)
    gone = sorted(set(data.before.articles) - set(data.articles))
    removed = _files_by_story(data.before.files) if gone else {}
    deleted = set(data.deleted)
    for uri in gone:
        old = data.before.articles[uri]
        changes["withdrawn"].append(
            {
                "id": _key(old),
                "uri": uri,
                "headline": old.headline,
                "version": old.version,
                "files_removed": sorted(f[0] for f in removed.get(uri, []) if f[0] in deleted),
            }
        )
    others = sorted(
        _file(path, record)
        for path, record in data.files.items()
        if record.uri is None and not _is_media(path)
    )
    return {
        "format": HANDOFF_FORMAT,
        "generator": data.generator,
        "content_as_of": max((r.updated_at for r in data.articles.values()), default=None),
        "formats": list(data.formats),
        "partial": data.only is not None,
        "chosen": sorted(_key(data.articles[u]) for u in data.only or () if u in data.articles),
        "counts": {name: len(items) for name, items in changes.items()},
        "changes": changes,
        "stories": stories,
        "other_files": others,
    }


def handoff_json(manifest: Mapping[str, Any]) -> bytes:
    """The manifest's JSON: one story (and one other file) a line, so it diffs well."""
    head = {k: v for k, v in manifest.items() if k not in {"stories", "other_files"}}
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    parts = [dumps(head)[:-1], ',\n"stories":[\n']
    parts.append(",\n".join(dumps(story) for story in manifest["stories"]))
    parts.append('\n],\n"other_files":[\n')
    parts.append(",\n".join(dumps(item) for item in manifest["other_files"]))
    parts.append("\n]}\n")
    return "".join(parts).encode()


def handoff_markdown(manifest: Mapping[str, Any]) -> str:
    """The manifest for people: what to do, story by story; the unchanged counted."""
    stories = {s["id"]: s for s in manifest["stories"]}
    counts = manifest["counts"]
    lines = [
        "# Hand-off from Newsdesk",
        "",
        f"Exported by {manifest['generator']} ({', '.join(manifest['formats'])}); the "
        f"newest story was saved {manifest['content_as_of'] or 'never'}.",
        f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'} in this folder: "
        f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['withdrawn']} withdrawn, {counts['unchanged']} unchanged since the "
        "previous export into this folder.",
    ]
    if manifest["partial"]:
        lines.append(
            "A partial export of "
            + ", ".join(f"`{key}`" for key in manifest["chosen"])
            + ": the other stories' files were left as they were."
        )
    lines.append("Every file and checksum is listed in `handoff.json`.")
    for name, title in (("added", "Added"), ("updated", "Updated")):
        lines += ["", f"## {title}", ""]
        keys = manifest["changes"][name]
        lines += [_story_line(stories[key]) for key in keys] or ["None."]
    lines += ["", "## Withdrawn (remove from the website)", ""]
    gone = manifest["changes"]["withdrawn"]
    for item in gone:
        lines.append(f"- **{item['headline']}** (`{item['id']}`), files removed:")
        lines += [f"  - `{path}`" for path in item["files_removed"]]
    if not gone:
        lines.append("None.")
    lines += ["", "## Unchanged", "", f"{counts['unchanged']} (listed in `handoff.json`).", ""]
    return "\n".join(lines)


def write_handoff(root: Path, manifest: Mapping[str, Any]) -> None:
    """Write both files, each whole (through a temporary file and a rename)."""
    write_atomically(root / HANDOFF_JSON, handoff_json(manifest))
    write_atomically(root / HANDOFF_MD, handoff_markdown(manifest).encode())


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
        "url": f"{data.base_url}{record.section_slug}/{record.slug}/",
        "files": files,  # [path, sha256, size] each: compact for ten thousand stories
    }
    if record.held:
        story["held_until"] = record.release
    return story


def _key(record: ArticleRecord) -> str:
    return f"{record.section_slug}/{record.slug}"


def _file(path: str, record: FileRecord) -> list[Any]:
    return [path, record.sha256, record.size]


def _is_media(path: str) -> bool:
    return any(path.startswith(f"{top}/media/") for top in MEDIA_TOPS)


def _files_by_story(files: Mapping[str, FileRecord]) -> dict[str, list[list[Any]]]:
    """Each story's own files as ``[path, sha256, size]``, by uri, sorted by path."""
    owned: dict[str, list[list[Any]]] = {}
    for path, record in files.items():
        if record.uri is not None:
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
