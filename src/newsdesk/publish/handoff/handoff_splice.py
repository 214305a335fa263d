"""The hand-off manifest spliced into the previous one's bytes: only changed lines made.

A partial export into a folder of ten thousand stories changes a few lines. Those are the
stories whose record is not the one read, a file of which changed (or a rendition they
show), and those whose status is not the one their line has: found from the records, the
files changed and one count (or search) of the statuses in the bytes read, with no work a
story for the others. Their lines are found by address and replaced; the change lists
come from the addresses sorted. Whenever that cannot be told so (two stories at one
address, another site address, a manifest not laid out as written or not the one the
record was written with), ``None``: the manifest is made line by line, with the same rules.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from itertools import compress, filterfalse, islice, repeat
from operator import is_not, ne
from typing import Any

from newsdesk.publish.folder.record_lines import dumps
from newsdesk.publish.folder.state import FileRecords
from newsdesk.publish.handoff.handoff_lines import LayoutError, StoryLines, address, parse_line
from newsdesk.publish.handoff.handoff_parts import (
    CHANGE_LISTS,
    Handoff,
    HandoffInput,
    affected_stories,
    change_of,
    file_entry,
    head_of,
    line_field,
    other_files,
    renditions,
    story_entry,
    story_url,
    withdrawn_entries,
)
from newsdesk.publish.handoff.handoff_previous import PreviousHandoff


def spliced(data: HandoffInput, previous: PreviousHandoff) -> Handoff | None:
    """The manifest made from the previous one's bytes, only the lines of the stories
    that changed made again (the rules the line-by-line way follows, told from few lines
    and one count of the statuses): ``None`` when that cannot be, to be made line by line."""
    changed = data.files.changes_from(data.before.files)
    layout = previous.layout()
    if changed is None or layout is None:
        return None
    lines, listed = layout
    touched = changed | set(data.written) | set(data.deleted)
    previous.hash_soon()  # the digest of the bytes read, worked out while the lines change
    try:
        made = _Splice(data, lines, touched).handoff(listed)
    except (ValueError, LookupError, TypeError):  # not laid out as written
        made = None
    if made is None or not previous.trusted():
        return None
    manifest, same = made
    digest = previous.running_digest().digest_of(same, manifest.pieces)
    return dataclasses.replace(manifest, known_digest=digest)


class _Splice:
    """The stories whose lines change, found from the records, the files changed and the
    statuses; their lines made and spliced into the bytes read."""

    def __init__(self, data: HandoffInput, lines: StoryLines, touched: set[str]) -> None:
        self.data, self.lines, self.touched = data, lines, touched
        self.spans: dict[str, tuple[int, int]] = {}  # uri -> its line, for those looked at

    def handoff(self, listed: list[str]) -> tuple[Handoff, int] | None:
        """The manifest, and the offset up to which its lines are the bytes read."""
        data, articles, before = self.data, self.data.articles, self.data.before.articles
        order = sorted(map(address, articles.values()))
        if len(set(order)) != len(order) or not self._same_site():
            return None  # two stories at one address (their order is the records'), or moved site
        fresh = self._fresh()
        self._locate((fresh & before.keys()) | (before.keys() - articles.keys()))
        remade = fresh | self._status_changed(fresh)
        self._locate(remade & before.keys())
        dropped = (remade & before.keys()) | (before.keys() - articles.keys())
        changes: dict[str, bytes | None] = {address(before[uri]): None for uri in dropped}
        lists: dict[str, list[Any]] = {name: [] for name in CHANGE_LISTS}
        made: dict[str, dict[str, Any]] = {}
        owned, written = self._owned_changed(), set(data.written)
        for key, uri in sorted((address(articles[uri]), uri) for uri in remade):
            record = articles[uri]
            old = self.lines.line(*self.spans[uri]) if uri in self.spans else None
            files = _own_files(uri, old, owned.get(uri, ()), data.files)
            files += renditions(record, data.files)
            story = made[key] = story_entry(uri, record, files, data)
            changes[key] = dumps(story).encode()
            lists[change_of(data, uri, files, written)].append(key)
        lists["withdrawn"] = withdrawn_entries(data)
        listed_now = {*lists["added"], *lists["updated"]}
        lists["unchanged"] = list(filterfalse(listed_now.__contains__, order))
        stories, same = self.lines.spliced(changes)
        others = other_files(data, self.touched, listed)
        return Handoff.of(head_of(data, lists), stories, made, others, len(articles)), same

    def _fresh(self) -> set[str]:
        """The stories whose record is not the one their line was made from, or a file
        of which changed."""
        articles, before = self.data.articles, self.data.before.articles
        values = articles.values()
        other = compress(articles, map(is_not, map(before.get, articles), values))
        fresh = {uri for uri in other if before.get(uri) != articles[uri]}
        return fresh | (affected_stories(self.data, self.touched) & articles.keys())

    def _locate(self, uris: Iterable[str]) -> None:
        """Find the lines of ``uris`` (stories of the record before, by their address)."""
        lines, before = self.lines, self.data.before.articles
        for uri in uris:
            if uri not in self.spans:
                found, start, end = lines.find(address(before[uri]))
                if not found or lines.uri_at(start, end) != uri:
                    raise LayoutError(f"no line for {uri}")
                self.spans[uri] = (start, end)

    def _same_site(self) -> bool:
        """True when the lines' addresses start as this export's would (the first line
        tells, as for the manifest made line by line)."""
        first = self.lines.first_line()
        if first is None:
            return True
        record = self.data.before.articles.get(self.lines.uri_at(*first))
        if record is None:
            return False
        return line_field("url", story_url(record, self.data.base_url)) in self.lines.line(*first)

    def _status_changed(self, fresh: set[str]) -> set[str]:
        """The stories not made again otherwise whose status is not their line's. Each
        line has one status: counting the most common one tells whether the lines not
        looked at all have it; if not, the lines with another are searched for."""
        articles, status_of = self.data.articles, self.data.statuses.get
        kept = len(articles) - len(fresh)
        if not kept:
            return set()
        # The most common among the first few: any would do, the most common is quickest.
        sample = islice(filterfalse(fresh.__contains__, articles), 256)
        common = Counter(map(status_of, sample)).most_common(1)[0][0]
        field = line_field("status", common)
        unusual = set(compress(articles, map(ne, map(status_of, articles), repeat(common))))
        unusual -= fresh
        if len(unusual) <= _LOOKED_AT:
            self._locate(unusual)
            lines = {uri: self.lines.line(*span) for uri, span in self.spans.items()}
            elsewhere = self.lines.count(field) - sum(field in line for line in lines.values())
            if elsewhere == kept - len(unusual):  # every line not looked at has it
                return {u for u in unusual if line_field("status", status_of(u)) not in lines[u]}
        lines_say = self.lines.statuses_but(field)  # uri -> status field
        said = {uri: line_field("status", status_of(uri)) for uri in unusual}
        changed = {uri for uri in unusual if lines_say.get(uri) != said[uri]}
        return changed | {uri for uri in lines_say.keys() - unusual - fresh if uri in articles}

    def _owned_changed(self) -> dict[str, list[str]]:
        """The changed files that belong to a story now, by story."""
        owned: dict[str, list[str]] = {}
        for path in self.touched:
            record = self.data.files.get(path)
            if record is not None and record.uri is not None:
                owned.setdefault(record.uri, []).append(path)
        return owned


_LOOKED_AT = 64  # stories with a status not the most common: more are searched for


def _own_files(
    uri: str, old_line: bytes | None, changed: Iterable[str], files: FileRecords
) -> list[list[Any]]:
    """A story's own files as ``[path, sha256, size]``, sorted: any it has that did not
    change since the previous manifest is listed in its ``old_line`` there."""
    paths = set(changed)
    if old_line is not None:
        paths.update(str(entry[0]) for entry in parse_line(old_line)["files"])
    found = []
    for path in paths:
        record = files.get(path)
        if record is not None and record.uri == uri:
            found.append(file_entry(path, record))
    return sorted(found)
