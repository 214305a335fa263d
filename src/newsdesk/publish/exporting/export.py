"""Export: every format from one store into one folder, deterministic, incremental, atomic."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsdesk.core.errors import NewsdeskError
from newsdesk.core.models import PUBLISHABLE, Status
from newsdesk.core.ports import Progress, no_progress
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export_plan import (
    ExportContext,
    ExportRequest,
    Planned,
    Stories,
    Todo,
)
from newsdesk.publish.exporting.export_report import (
    GENERATOR,
    ExportProblem,
    ExportReport,
    ExportSource,
    parse_formats,
)
from newsdesk.publish.exporting.export_shared import SharedFiles
from newsdesk.publish.exporting.outputs import ArticleJob, JobResult, fragment_sidecar, run_job
from newsdesk.publish.exporting.workers import Workers, chunk_size
from newsdesk.publish.folder.export_swap import Built, record_articles, record_files, swap_in
from newsdesk.publish.folder.state import (
    PENDING_NAME,
    STATE_NAME,
    ExportState,
    FileRecord,
    FileRecords,
)
from newsdesk.publish.folder.transaction import (
    Staging,
    describe_os_error,
    folder_lock,
    prepare_folder,
    remove_leftovers,
)
from newsdesk.publish.formats import (
    BUNDLE,
    FORMATS,
    FRAGMENT,
    MARKDOWN,
    NINJS,
    SITE,
)
from newsdesk.publish.formats.bundle import BUNDLE_NAME
from newsdesk.publish.formats.feed import FEED_SIZE
from newsdesk.publish.handoff.handoff import (
    HANDOFF_JSON,
    HANDOFF_MD,
    Handoff,
    HandoffInput,
    HandoffWrite,
    PreviousHandoff,
    build_handoff,
    head_as_written,
    readable_as_written,
)
from newsdesk.publish.media.export_media import MediaFiles
from newsdesk.publish.related import base_url
from newsdesk.publish.renderer import Renderer

__all__ = [
    "GENERATOR",
    "ExportPlan",
    "ExportProblem",
    "ExportReport",
    "ExportRequest",
    "ExportSource",
    "export",
    "parse_formats",
    "plan_export",
    "plan_stage",
    "render_stage",
    "write_stage",
]


@dataclass(slots=True)
class ExportPlan:
    """The plan stage's output: the stories to export, sorted by address, each with its
    files' paths and (where known without rendering) its fingerprint; and the stories left
    out or held back, with why. The render stage takes it; nothing is written to make it."""

    planned: list[Planned]
    problems: list[ExportProblem]
    held: list[ExportProblem]
    chosen: int | None  # a partial export: how many of the stories chosen are planned


def plan_export(
    store: ExportSource,
    out_dir: str | Path,
    *,
    formats: str | Iterable[str] = FORMATS,
    statuses: Collection[Status] = PUBLISHABLE,
    since: datetime | None = None,
    only: Collection[str] | None = None,
    renderer: Renderer | None = None,
    now: datetime | None = None,
) -> ExportPlan:
    """What :func:`export` with the same arguments would plan, against the folder's record
    as it is; writes nothing into the folder (which need not exist). Stored media are planned, not
    made: each rendition's path is known, its hash and size are not."""
    root = Path(out_dir)
    request = ExportRequest.asked(
        store, root, formats=formats, statuses=statuses, now=now, since=since, only=only
    )
    state = ExportState.load(root) if root.is_dir() else ExportState()
    report = ExportReport(out_dir=root, formats=request.selected)
    ctx = ExportContext.of(request, state, report, renderer)
    with _cycle_collection_paused():
        return plan_stage(Stories(ctx), None)


def export(
    store: ExportSource,
    out_dir: str | Path,
    *,
    formats: str | Iterable[str] = FORMATS,
    statuses: Collection[Status] = PUBLISHABLE,
    since: datetime | None = None,
    only: Collection[str] | None = None,
    progress: Progress = no_progress,
    renderer: Renderer | None = None,
    workers: int | None = None,
    now: datetime | None = None,
    replace_unknown: bool = False,
    hold: list[object] | None = None,
) -> ExportReport:
    """Export the articles in ``statuses`` from ``store`` into ``out_dir``.

    Layout: ``site/`` (``<section>/<slug>/index.html``, section and home pages,
    ``feed.xml``, ``sitemap.xml``, ``robots.txt``, ``assets/``), ``fragment/``,
    ``markdown/`` and ``ninjs/`` (``<section>/<slug>.*``), and ``newsdesk-bundle.zip``.

    Only files whose content changed are written; with ``since`` only articles saved since
    then are considered. With ``only`` (article uris) a partial export: just those stories
    are exported; the other stories' files already in the folder, and their records, stay
    as they are (a story never exported there stays out; the site's listing pages, feed
    and sitemap are made again from every story the folder holds). Everything is built in
    a hidden staging folder and swapped in at the end: on any error the folder is left
    exactly as it was. Files Newsdesk did not
    write are never replaced (unless ``replace_unknown``) nor deleted. Articles under an
    embargo later than ``now`` are kept off the site and out of the fragments.

    Every export writes the hand-off manifest, ``handoff.json`` and ``HANDOFF.md`` (see
    :mod:`newsdesk.publish.handoff.handoff`): each story with its files, and what changed since
    the previous export into the folder.

    With ``hold``, what the export worked with (the folder's record as read, the stories
    planned, the files built) is appended to it instead of freed: for a caller whose
    process ends right after, without freeing anything (the command line), freeing the
    records of ten thousand stories one by one would be 20 ms of nothing.
    """
    started = time.perf_counter()
    root = prepare_folder(out_dir)
    request = ExportRequest.asked(
        store, root, formats=formats, statuses=statuses, now=now, since=since, only=only,
        replace_unknown=replace_unknown, workers=workers, progress=progress,
    )  # fmt: skip
    report = ExportReport(out_dir=root, formats=request.selected)
    with folder_lock(root), _cycle_collection_paused():
        remove_leftovers(root, files=(STATE_NAME, PENDING_NAME, HANDOFF_JSON, HANDOFF_MD))
        state = ExportState.load(root)
        run = _ExportRun(ExportContext.of(request, state, report, renderer))
        run.execute()
        if hold is not None:
            # Out of the collector's sight too, as what it holds will never be freed: else
            # its first pass once enabled walks it all (more than freeing it would cost).
            hold.append(run)
            gc.freeze()
        # Freed now by reference counting (unless held), while the collector is paused:
        # enabled with them alive, its first pass walks everything the export held (the
        # records of ten thousand stories: 30 ms after exporting one of them).
        del run, state
    report.seconds = time.perf_counter() - started
    return report


def plan_stage(stories: Stories, media: MediaFiles | None) -> ExportPlan:
    """The plan stage: the stories to export and what each needs. With ``media`` the
    renditions the stories use are made (into its staging folder; their hashes and sizes
    go into the stories' records); without, they are only planned."""
    ctx = stories.ctx
    loaded = stories.load()
    if media is not None:
        loaded = media.make(loaded)
    planned = stories.plan(loaded)
    chosen = None
    if ctx.only is not None:
        chosen = sum(1 for p in planned if p.uri in ctx.only)
    return ExportPlan(planned, ctx.report.problems, ctx.report.held, chosen)


def render_stage(stories: Stories, media: MediaFiles, pool: Workers, plan: ExportPlan) -> Built:
    """The render stage: every file of the export staged (in ``media``'s staging folder:
    the stories' files, in worker processes from ``pool`` when there are enough, the
    site's shared files, the bundle), and the folder's record to be; nothing is written
    into the folder."""
    return _Render(stories.ctx, stories, media, pool, media.staging).build(plan.planned)


def write_stage(stories: Stories, staging: Staging, built: Built) -> Handoff | None:
    """The write stage: ``built`` moved in from ``staging``, the folder's record and its
    hand-off manifest written (the manifest left as it was when nothing changed);
    returns the manifest written, if any. The manifest's files are written to disk on
    threads while the files move in and the record is made, and put in place after it."""
    ctx = stories.ctx
    started: HandoffWrite | None = None

    def manifest_on_its_way() -> Handoff | None:
        nonlocal started
        made = _manifest_if_due(ctx, stories, built)
        if made is not None:
            started = HandoffWrite(ctx.root, made)
        return made

    try:
        manifest = swap_in(ctx, staging, built, manifest_on_its_way)
    except BaseException:
        if started is not None:
            started.discard()
        raise
    if manifest is None:  # nothing moved: made now if missing or edited by hand
        manifest = _manifest_if_due(ctx, stories, built)
        if manifest is not None:
            started = HandoffWrite(ctx.root, manifest)
            ctx.report.manifest_mended = True
    if started is not None:
        _commit_handoff(ctx, started)
    # What the open-problems note checks, without reading the manifest back.
    ctx.report.handed_off = [] if manifest is None else manifest.handed_off()
    return manifest


class _ExportRun:
    """One export: the plan, render and write stages in turn."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.stories: Stories | None = None  # kept with the run: freed with it
        self.built: Built | None = None

    def execute(self) -> None:
        ctx = self.ctx
        staging = Staging(ctx.root, in_place=ctx.committed)
        profile = {**ctx.profile.to_dict(), "theme_dir": ctx.renderer.theme_dir or ""}
        pool = Workers(ctx.request.workers, profile, staging.folder)
        stories = self.stories = Stories(ctx, pool)
        try:
            try:
                media = MediaFiles(ctx, stories, pool, staging)
                plan = plan_stage(stories, media)
                ctx.report.chosen = plan.chosen
                built = self.built = render_stage(stories, media, pool, plan)
            except OSError as error:
                raise ExportError(
                    f"export to {ctx.root} failed, nothing was changed: "
                    f"{describe_os_error(error, ctx.root)}"
                ) from error
            finally:
                pool.close()
            write_stage(stories, staging, built)
        finally:
            staging.remove()


def _handoff_due(ctx: ExportContext, built: Built) -> bool:
    """An export that changed nothing leaves the manifest as it was, when it is as the
    last export wrote it: the folder is still the hand-off it describes (and exports stay
    byte for byte repeatable). Missing, or edited by hand since, it is made again."""
    return (
        bool(ctx.report.written or ctx.report.deleted)
        or not built.same_record(ctx.state, ctx.settings)
        or not _manifest_as_written(ctx)
    )


def _manifest_as_written(ctx: ExportContext) -> bool:
    """True when ``handoff.json``'s head reads and is as written (its own SHA-256 in it),
    its lines below are those the folder's record was written with (their digest: one
    hash of ten megabytes for ten thousand stories, asked only of an export that changed
    nothing), and ``HANDOFF.md`` is the one written with it (its SHA-256 in the head)."""
    previous = PreviousHandoff.read(ctx.root, ctx.state)
    head = previous.head() if previous is not None else None
    return (
        previous is not None
        and head is not None
        and previous.trusted()
        and head_as_written(head)
        and readable_as_written(ctx.root, head)
    )


def _manifest_if_due(ctx: ExportContext, stories: Stories, built: Built) -> Handoff | None:
    return _make_manifest(ctx, stories, built) if _handoff_due(ctx, built) else None


def _make_manifest(ctx: ExportContext, stories: Stories, built: Built) -> Handoff:
    """The hand-off manifest of this export, copying from the folder's manifest the
    lines of the stories it still describes."""
    data = HandoffInput(
        generator=GENERATOR,
        formats=ctx.selected,
        base_url=base_url(ctx.profile),
        before=ctx.state,
        files=built.files,
        articles=built.articles,
        written=ctx.report.written,
        deleted=ctx.report.deleted,
        statuses=_statuses_now(stories),
        only=ctx.only,
        previous=PreviousHandoff.read(ctx.root, ctx.state),
    )
    return build_handoff(data)


def _commit_handoff(ctx: ExportContext, write: HandoffWrite) -> None:
    """The hand-off manifest in place, beside the folder's record."""
    try:
        write.commit()
    except OSError as error:
        raise ExportError(
            f"the export to {ctx.root} is done, but its hand-off manifest could not be "
            f"written: {describe_os_error(error, ctx.root)}; export again"
        ) from error


def _statuses_now(stories: Stories) -> dict[str, str]:
    """Each exported story's status: from the article where it was read, else as the
    store listed it when the export began."""
    statuses = {}
    for uri, item in stories.by_uri.items():
        if item.article is not None and not item.carried:
            statuses[uri] = item.article.status.value
        elif uri in stories.status_of:
            statuses[uri] = stories.status_of[uri]
    return statuses


class _Render:
    """The render stage: every file of the export staged (articles in worker processes,
    the site's shared files, the bundle), and the folder's record to be."""

    def __init__(
        self,
        ctx: ExportContext,
        stories: Stories,
        media: MediaFiles,
        pool: Workers,
        staging: Staging,
    ) -> None:
        self.ctx = ctx
        self.stories = stories
        self.media = media
        self.shared = SharedFiles(ctx, stories, media)
        self.pool = pool
        self.staging = staging
        # The store is the render cache, unless the caller's renderer keeps none.
        self.cache: ExportSource | None = None if ctx.renderer.cache is None else ctx.store
        self.staged: dict[str, tuple[str, int]] = {}  # relpath -> (sha, size) in staging
        self.records = FileRecords()  # the new state's files
        self._body_keys: dict[str, str] = {}  # uri -> cache key, for jobs being rendered
        self._feed_uris: set[str] | None = set()  # fresh bodies kept for the feed (None: all)
        self._total = 2  # progress steps: articles to render, then two for the rest

    # -- what to render ------------------------------------------------------------------

    def _is_current(self, item: Planned, fmt: str) -> bool:
        """True when the file of ``fmt`` on disk is what this run would write."""
        path = item.paths[fmt]
        record = self.ctx.state.files.get(path)
        return (
            record is not None
            and bool(item.fingerprint)
            and record.fingerprint == item.fingerprint
            and record.uri == item.uri
            and os.path.isfile(f"{self.ctx.folder}/{path}")
        )

    def _pictures_current(self, item: Planned) -> bool:
        """True when the files of the item's Markdown bundle are on disk as last written."""
        for path in item.pictures:
            record = self.ctx.state.files.get(path)
            if (
                record is None
                or record.fingerprint != item.fingerprint
                or not os.path.isfile(f"{self.ctx.folder}/{path}")
            ):
                return False
        return True

    def _carried_over(self, item: Planned) -> bool:
        """With ``since``, an article not saved since then keeps what it had; so does one
        a partial export did not choose."""
        return item.carried or (self.ctx.since is not None and item.updated_at < self.ctx.since)

    def _not_carried(self, planned: list[Planned]) -> list[str]:
        """The recorded files this run does not carry over as they are: those of the
        formats exported now, but for the articles not looked at (older than ``since``, or
        left out for a problem), and the bundle when asked for; a partial export's, only
        those of the stories it exports."""
        files = self.ctx.state.files
        problems = {problem.uri for problem in self.ctx.report.problems}
        if self.ctx.only is not None:  # only the chosen stories' files can go
            by_uri = self.stories.by_uri
            keep = {
                uri for uri in self.ctx.only if uri in by_uri and self._carried_over(by_uri[uri])
            }
            paths = files.of_stories(self.ctx.only - keep - problems)
            dropped = [path for path in paths if path.split("/", 1)[0] in self.ctx.committed]
        else:
            keep = {p.uri for p in planned if self._carried_over(p)} | problems
            dropped = [
                path for path, record in files.items()
                if path != BUNDLE_NAME and path.split("/", 1)[0] in self.ctx.committed
                and (record.uri is None or record.uri not in keep)
            ]  # fmt: skip
        if BUNDLE in self.ctx.selected and BUNDLE_NAME in files:
            dropped.append(BUNDLE_NAME)
        return dropped

    def _todo(
        self, planned: list[Planned]
    ) -> tuple[list[Todo], dict[str, tuple[Planned, str]], dict[str, AbstractSet[str]]]:
        """What to render; each committed article file's owner; for each uri, the formats
        whose file on disk is current."""
        jobs: list[Todo] = []
        produced: dict[str, tuple[Planned, str]] = {}
        current: dict[str, AbstractSet[str]] = {}
        every = frozenset(self.ctx.committed)  # one set for the stories carried over
        for item in planned:
            if self._carried_over(item):
                current[item.uri] = every
                continue
            todo, have = [], set()
            for fmt, path in item.paths.items():
                if fmt in self.ctx.committed:
                    produced[path] = (item, fmt)
                    if fmt == MARKDOWN:
                        produced.update((picture, (item, fmt)) for picture in item.pictures)
                    if fmt == FRAGMENT:  # its metadata file beside it (issue 17, helper A)
                        produced[fragment_sidecar(path)] = (item, fmt)
                    redirects = [f"site/{r}" for r in item.record.redirects if fmt == SITE]
                    produced.update((r, (item, fmt)) for r in redirects)  # issue 20
                    if (
                        self._is_current(item, fmt)
                        and (fmt != MARKDOWN or self._pictures_current(item))
                        and (fmt != FRAGMENT or fragment_sidecar(path) in self.ctx.state.files)
                        and all(r in self.ctx.state.files for r in redirects)
                    ):
                        have.add(fmt)
                        continue
                    todo.append(fmt)
            if have:
                current[item.uri] = have
            if todo:
                jobs.append((item, tuple(todo)))
        return jobs, produced, current

    def build(self, planned: list[Planned]) -> Built:
        """Every file to write staged, and the folder's record to be."""
        staging = self.staging
        dropped = self._not_carried(planned)
        jobs, produced, current = self._todo(planned)
        rendered = {id(item) for item, _ in jobs}
        self.stories.fingerprint_items(p for p in planned if id(p) not in rendered)
        # The bundle zips every format: when it is made again, what is not on disk as
        # ours is rendered too. Known now unless only the site's shared files changed.
        zip_now = BUNDLE in self.ctx.selected and (
            bool(jobs) or not self.shared.bundle_is_current()
        )
        if zip_now:
            jobs = self._add_zip_only(jobs, planned, current)
        self._feed_uris = self._bodies_to_keep(jobs, planned)
        self._total = len(jobs) + 2
        # The site's shared files are made while the workers render the last chunks
        # (listing pages only when their inputs changed) and kept when equal by hash.
        site_files: list[tuple[str, bytes | None, str | None]] = []

        def shared_files() -> None:
            if SITE in self.ctx.produced:
                site_files.extend(self.shared.site_files(planned))

        results = self._render(jobs, staging, shared_files)
        shared = {f"site/{path}" for path, _, _ in site_files} | {"site/feed.xml"}
        if SITE not in self.ctx.committed:
            shared = set()
        shared |= self.media.kept(planned, self.staged)
        changed_shared = any(
            data is not None and not self.shared.matches_state(f"site/{path}", data)
            for path, data, _ in site_files
        )
        obsolete = [
            path for path in dropped
            if path not in produced and path not in shared and path != BUNDLE_NAME
        ]  # fmt: skip
        zip_needed = zip_now or (BUNDLE in self.ctx.selected and (changed_shared or bool(obsolete)))
        if zip_needed and not zip_now:
            late = self._add_zip_only([], planned, current)
            self._total += len(late)
            results += self._render(late, staging, _nothing, done=len(jobs))
            jobs += late
        self.ctx.report.rendered = len(jobs)
        total = self._total
        for result in results:
            for path, sha, size in result.files:
                self.staged[path] = (sha, size)
        keys = {f"site/{path}": key for path, _, key in site_files}
        if SITE in self.ctx.produced:
            for path, data, _ in site_files:
                if data is not None:
                    self.staged[f"site/{path}"] = staging.write(f"site/{path}", data)
            keys["site/feed.xml"] = self.shared.stage_feed(
                planned, results, staging, self.staged, self.cache
            )
        self.records = record_files(
            self.ctx.state.files,
            self.staged,
            dropped=dropped,
            produced=produced,
            shared=shared,
            keys=keys,
        )
        self.ctx.progress(len(jobs) + 1, total)
        if zip_needed:
            self.shared.stage_bundle(planned, staging, self.staged, self.records)
            sha, size = self.staged[BUNDLE_NAME]
            self.records[BUNDLE_NAME] = FileRecord(sha, size)
        elif BUNDLE in self.ctx.selected and BUNDLE_NAME in self.ctx.state.files:
            self.records[BUNDLE_NAME] = self.ctx.state.files[BUNDLE_NAME]
            self.ctx.report.bundle = self.ctx.root / BUNDLE_NAME
        articles = record_articles(self.ctx.state, planned, self.ctx.only)
        notes = {note for record in articles.values() for note in record.media_notes}
        self.ctx.report.media_warnings = sorted(notes)
        self.ctx.progress(total, total)
        return Built(self.staged, self.records, articles)

    def _bodies_to_keep(self, jobs: list[Todo], planned: list[Planned]) -> set[str] | None:
        """The uris whose fresh bodies are kept for the feed (``None``: all)."""
        if SITE not in self.ctx.produced:
            return set()  # no feed
        if len(jobs) > FEED_SIZE or BUNDLE in self.ctx.selected:
            return {p.uri for p in self.shared.latest(planned)}
        # A few bodies (a partial export's): all kept, and the feed's stories are found
        # once, when it is made, not also now (a pass over every story).
        return None

    def _add_zip_only(
        self, jobs: list[Todo], planned: list[Planned], current: dict[str, AbstractSet[str]]
    ) -> list[Todo]:
        """The bundle zips every format: also render what is not on disk as ours already."""
        by_uri = {item.uri: formats for item, formats in jobs}
        out = []
        for item in planned:
            have = current.get(item.uri, set())
            wanted = {f for f in item.paths if f not in have} | set(by_uri.get(item.uri, ()))
            if wanted:
                out.append((item, tuple(f for f in self.ctx.produced if f in wanted)))
        return out

    # -- rendering ------------------------------------------------------------------------

    def _render(
        self,
        jobs: list[Todo],
        staging: Staging,
        meanwhile: Callable[[], None],
        done: int = 0,
    ) -> list[JobResult]:
        """Render ``jobs``: bodies from the cache where it has them, in worker processes
        when there are enough. Chunks are sent a few at a time, each with its articles
        resolved and its cache entries fetched just before, so memory holds a few chunks'
        bodies, not all of them; ``meanwhile`` runs once the last chunk is on its way."""
        parallel = self.pool.start(len(jobs))
        size = chunk_size(self.pool.count if parallel else 1, len(jobs))
        chunks = (self._with_cache(jobs[i : i + size]) for i in range(0, len(jobs), size))
        results: list[JobResult] = []

        def collect(part: list[JobResult]) -> None:
            self._collect(part, results, done)

        if not parallel:
            for chunk in chunks:
                collect([run_job(self.ctx.renderer, staging.folder, job) for job in chunk])
            meanwhile()
            return results
        self.pool.run(chunks, collect, meanwhile)
        return results

    def _with_cache(self, chunk: list[Todo]) -> list[ArticleJob]:
        """The chunk's jobs, with their articles and related lists read now where not read
        yet, and each body's cache entry."""
        self.stories.resolve([item for item, _ in chunk])
        self.stories.fingerprint_items(item for item, _ in chunk)
        jobs = []
        for item, formats in chunk:
            assert item.article is not None and item.related is not None
            jobs.append(self._job(item, formats))
            if SITE in self.ctx.produced and not item.held:
                self.shared.entries[item.uri] = self.shared.site_entry(item)
        if self.cache is None:
            self.ctx.report.cold_renders += len(jobs)
            return jobs
        keys = [self.ctx.renderer.body_key(job.article, job.media) for job in jobs]
        entries = self.cache.cached_renders(keys)
        self.ctx.report.cold_renders += sum(1 for key in keys if key not in entries)
        self._body_keys.update((job.article.uri, key) for job, key in zip(jobs, keys, strict=True))
        return [
            dataclasses.replace(job, cached_body=entries.get(key))
            for job, key in zip(jobs, keys, strict=True)
        ]

    def _job(self, item: Planned, formats: tuple[str, ...]) -> ArticleJob:
        """The job rendering ``item``: with the stored files it uses, their renditions'
        sizes (for ninjs) and where its Markdown bundle's files are copied from."""
        assert item.article is not None and item.related is not None
        if not item.record.media_keys:
            return ArticleJob(item.article, item.related, formats)
        sizes = {}
        if NINJS in formats:
            sizes = {path: size for path, _, size in item.record.media_files}
        pictures: tuple[tuple[str, str], ...] = ()
        if MARKDOWN in formats:
            pictures = tuple((path, self.media.source_for(rendition))
                             for path, rendition in item.pictures.items())  # fmt: skip
        return ArticleJob(
            item.article, item.related, formats, None, self.stories.media_of(item), sizes, pictures
        )

    def _collect(self, part: list[JobResult], results: list[JobResult], done: int) -> None:
        """Cache fresh bodies, keep only those the feed needs, report progress."""
        self._store_fresh_bodies(part)
        for result in part:
            keep = (
                result.fresh_body is None
                or self._feed_uris is None
                or result.uri in self._feed_uris
            )
            results.append(result if keep else JobResult(result.uri, None, result.files))
        self.ctx.progress(done + len(results), self._total)

    def _store_fresh_bodies(self, results: list[JobResult]) -> None:
        keys = [self._body_keys.pop(r.uri, None) for r in results]
        if self.cache is None:
            return
        fresh = {
            key: r.fresh_body
            for r, key in zip(results, keys, strict=True)
            if r.fresh_body is not None and key is not None
        }
        if not fresh:
            return
        try:
            self.cache.store_renders(fresh)
        except NewsdeskError:
            # The renders are a cache: a store that cannot take them (read-only, full)
            # costs the next export some time, not this export its files.
            self.cache = None


def _nothing() -> None:
    return None


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cycle collection while exporting. An export holds tens of thousands of objects
    (the folder's record, the articles, their listing entries) and makes few cycles;
    Python's collector would walk them all again and again (a tenth of a re-export after
    one change). Reference counting still frees everything else as it goes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
