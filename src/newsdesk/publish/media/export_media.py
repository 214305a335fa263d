"""Export's media files: every rendition a page refers to, made once and kept by its name.

A rendition's name carries a hash of its source and recipe, so a name already exported
(recorded in the folder's state and on disk) holds the right bytes: it is not encoded
again. Files to encode are read from the store one at a time, just before a worker
process encodes them, so memory holds a few originals, never all of them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from newsdesk.core.errors import NewsdeskError
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export_plan import ExportContext, Planned, Stories
from newsdesk.publish.exporting.export_report import ExportProblem
from newsdesk.publish.exporting.outputs import MediaJob, MediaResult, run_media_job
from newsdesk.publish.exporting.workers import MEDIA_THRESHOLD, Workers
from newsdesk.publish.folder.transaction import Staging
from newsdesk.publish.formats import FRAGMENT, MARKDOWN, SITE
from newsdesk.publish.media.renditions import Rendition, key_in_path, rendition_at

MEDIA_TOPS = (SITE, FRAGMENT)  # formats that keep renditions in their own media/ folder
SCRATCH = "scratch"  # staged, never moved in: bytes a bundle or a zip copies from


class MediaFiles:
    """Making the renditions the exported articles use (before their pages are made), and
    finding their bytes for a bundle or a zip later."""

    def __init__(
        self, ctx: ExportContext, stories: Stories, pool: Workers | None, staging: Staging
    ) -> None:
        self.ctx = ctx
        self.stories = stories  # their stored media (``assets``), read by the plan stage
        self.pool = pool
        self.staging = staging
        self.media_staged: dict[str, tuple[str, int]] = {}  # relpath -> (sha, size) staged
        self.media_made: dict[str, tuple[str, int]] = {}  # rendition -> (sha, size), all used
        self.media_sources: dict[str, str] = {}  # rendition path -> a file holding its bytes
        self._disk: dict[str, bool] = {}
        self._pictures_by_sha: dict[str, str] | None = None
        self._renditions_known: dict[str, tuple[str, int]] = {}

    def make(self, loaded: list[Planned]) -> list[Planned]:
        """Make what the articles' renditions need; returns the articles whose files could
        all be made (one whose file cannot be read is left out with a problem)."""
        self.media_staged, self.media_made, self.media_sources, self._disk = {}, {}, {}, {}
        self._pictures_by_sha, self._renditions_known = None, {}
        uses: dict[str, list[Planned]] = {}
        for item in loaded:
            for entry in item.record.media_files:
                uses.setdefault(entry[0], []).append(item)
        if not uses:
            return loaded
        known = self._renditions_known = self._known_renditions()
        todo: dict[str, list[tuple[Rendition, tuple[str, ...]]]] = {}
        for path in sorted(uses):
            shown = any(not self.ctx.held(item.record) for item in uses[path])
            made = self._reuse(path, shown, known, self.staging)
            if made is not None:
                continue
            rendition = self._rendition(path)
            if rendition is None:
                continue
            dests = self._dests(path, shown)
            targets = tuple(dests) or (f"{SCRATCH}/{rendition.name}",)
            todo.setdefault(rendition.key, []).append((rendition, targets))
        failed = self._encode(todo, self.staging)
        kept = []
        for item in loaded:
            bad = [key for key in item.record.media_keys if key in failed]
            if bad:
                problem = ExportProblem(item.uri, item.headline, failed[bad[0]])
                self.ctx.report.problems.append(problem)
                continue
            files = [[p, *self.media_made[p]] for p, *_ in item.record.media_files
                     if p in self.media_made]  # fmt: skip
            if files != item.record.media_files:
                item.record = item.record._replace(media_files=files)
            kept.append(item)
        return kept

    def _dests(self, path: str, shown: bool) -> list[str]:
        """The folder's copies of the rendition that must be written (not there as ours)."""
        if not shown:
            return []
        return [f"{top}/{path}" for top in MEDIA_TOPS
                if top in self.ctx.committed and not self._on_disk(f"{top}/{path}")]  # fmt: skip

    def _reuse(
        self, path: str, shown: bool, known: dict[str, tuple[str, int]], staging: Staging
    ) -> tuple[str, int] | None:
        """The rendition as exported before, copied where a format lacks it; ``None``
        when it must be encoded. (A Markdown bundle or a zip that needs its bytes later
        takes them from :meth:`source_for`.)"""
        before = known.get(path)
        if before is None:
            return None
        dests = self._dests(path, shown)
        if dests:
            source = self._source(path, before[0])
            if source is None:
                return None
            data = Path(source).read_bytes()
            if hashlib.sha256(data).hexdigest() != before[0]:
                return None  # edited on disk since: made again
            for dest in dests:
                self.media_staged[dest] = staging.write(dest, data)
            self.media_sources[path] = str(staging.path(dests[0]))
        self.media_made[path] = before
        self.ctx.report.media_reused += 1
        return before

    def source_for(self, path: str) -> str:
        """A file holding the rendition's bytes: made by this run, found in the folder,
        or (for a zip or a bundle whose copies are nowhere on disk) encoded now."""
        found = self.media_sources.get(path)
        if found is None:
            made = self.media_made.get(path) or self._renditions_known.get(path)
            found = self._source(path, made[0]) if made else None
        if found is None:
            rendition = self._rendition(path)
            if rendition is None:
                raise ExportError(f"no stored file makes {path}; export again")
            failed = self._encode({rendition.key: [(rendition, (f"{SCRATCH}/{rendition.name}",))]},
                                  self.staging, parallel=False)  # fmt: skip
            if failed:
                raise ExportError(next(iter(failed.values())))
            found = self.media_sources[path]
        self.media_sources[path] = found
        return found

    def _on_disk(self, relpath: str) -> bool:
        found = self._disk.get(relpath)
        if found is None:
            found = relpath in self.ctx.state.files and os.path.isfile(
                f"{self.ctx.folder}/{relpath}"
            )
            self._disk[relpath] = found
        return found

    def _known_renditions(self) -> dict[str, tuple[str, int]]:
        """Rendition path -> (sha256, size), as earlier exports into the folder made them."""
        known: dict[str, tuple[str, int]] = {}
        for top in sorted(MEDIA_TOPS):  # in the record's order, as before
            for relpath in self.ctx.state.files.with_prefix(f"{top}/media/"):
                record = self.ctx.state.files[relpath]
                known.setdefault(relpath.split("/", 1)[1], (record.sha256, record.size))
        for article in self.ctx.state.articles.values():
            for path, sha, size in article.media_files:
                if sha:
                    known.setdefault(path, (sha, size))
        return known

    def _source(self, path: str, sha: str) -> str | None:
        """A file in the folder holding the rendition's bytes (written there by us)."""
        for top in MEDIA_TOPS:
            relpath = f"{top}/{path}"
            if self._on_disk(relpath) and self.ctx.state.files[relpath].sha256 == sha:
                return f"{self.ctx.folder}/{relpath}"
        if self._pictures_by_sha is None:
            self._pictures_by_sha = {
                record.sha256: relpath for relpath, record in self.ctx.state.files.items()
                if relpath.startswith(f"{MARKDOWN}/") and not relpath.endswith(".md")
            }  # fmt: skip
        found = self._pictures_by_sha.get(sha)
        if found is not None and os.path.isfile(f"{self.ctx.folder}/{found}"):
            return f"{self.ctx.folder}/{found}"
        return None

    def _rendition(self, path: str) -> Rendition | None:
        key = key_in_path(path)
        asset = self.stories.assets.get(key) if key else None
        return rendition_at(asset, path) if asset is not None else None

    # -- encoding ---------------------------------------------------------------------------

    def _encode(
        self,
        todo: dict[str, list[tuple[Rendition, tuple[str, ...]]]],
        staging: Staging,
        *,
        parallel: bool = True,
    ) -> dict[str, str]:
        """Encode ``todo`` (renditions by media key): in the worker processes when there
        are several files; returns the problem of each file that could not be made."""
        failed: dict[str, str] = {}
        targets = {r.path: t for items in todo.values() for r, t in items}

        def jobs() -> Iterator[MediaJob]:
            for key in sorted(todo):
                try:
                    data = self.ctx.store.media_data(key)
                except NewsdeskError as error:
                    failed[key] = self._failure(key, str(error))
                    continue
                items = todo[key]
                yield MediaJob(key, data, tuple(r for r, _ in items), tuple(t for _, t in items))

        def collect(result: MediaResult) -> None:
            if result.error:
                failed[result.key] = self._failure(result.key, result.error)
                return
            for path, sha, size, copy in result.made:
                self.media_made[path] = (sha, size)
                self.media_sources[path] = copy
                for target in targets[path]:
                    if not target.startswith(f"{SCRATCH}/"):
                        self.media_staged[target] = (sha, size)
                self.ctx.report.media_encoded += 1

        assert self.pool is not None
        if (
            parallel
            and len(todo) >= MEDIA_THRESHOLD
            and self.pool.start(len(todo), MEDIA_THRESHOLD)
        ):
            self.pool.encode(jobs(), collect)
        else:
            for job in jobs():
                collect(run_media_job(staging.folder, job))
        return failed

    def _failure(self, key: str, error: str) -> str:
        asset = self.stories.assets.get(key)
        name = asset.filename if asset is not None else f"media:{key}"
        return f"its file {name} cannot be exported: {error}"

    # -- what the folder keeps --------------------------------------------------------------

    def kept(self, planned: list[Planned], staged: dict[str, tuple[str, int]]) -> set[str]:
        """The renditions the folder keeps for the site and fragments (those staged now
        are added to ``staged``, the render stage's files): those of every article shown
        there, and those of articles left out whose old pages stay."""
        paths: set[str] = set()
        for item in planned:
            if item.held:
                continue
            record = item.record
            if self.ctx.since is not None and item.updated_at < self.ctx.since:  # its files stay
                record = self.ctx.state.articles.get(item.uri, record)
            if record.media_files:
                paths.update(entry[0] for entry in record.media_files)
        left_out = {problem.uri for problem in self.ctx.report.problems}
        if left_out and self.ctx.state.files.of_stories(left_out):
            # Their old pages stay and may show any of the renditions: all stay too.
            paths.update(self._known_renditions())
        kept = set()
        for top in MEDIA_TOPS:
            if top not in self.ctx.committed:
                continue
            for path in paths:
                relpath = f"{top}/{path}"
                if relpath in self.media_staged:
                    staged[relpath] = self.media_staged[relpath]
                    kept.add(relpath)
                elif relpath in self.ctx.state.files:
                    kept.add(relpath)
        return kept
