"""Export: every format from one store into one folder, deterministic, incremental, atomic."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.models import PUBLISHABLE, Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleQuery, Progress, no_progress
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.errors import ExportError
from newsdesk.publish.formats import BUNDLE, FILE_FORMATS, FORMATS, FRAGMENT, SITE
from newsdesk.publish.formats.bundle import BUNDLE_NAME, BundleFile, write_bundle
from newsdesk.publish.formats.feed import FEED_SIZE
from newsdesk.publish.formats.site import (
    SiteEntry,
    feed_file,
    listing_pages,
    robots_txt,
    site_entry,
    sitemap_files,
)
from newsdesk.publish.outputs import ArticleJob, JobResult, relpaths, run_job
from newsdesk.publish.paths import UnsafePathError, article_segments
from newsdesk.publish.related import ResolvedRelated, resolve_related
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.sanitize import clean_html, without_source_lines
from newsdesk.publish.state import (
    PENDING_NAME,
    STATE_NAME,
    ArticleRecord,
    ExportState,
    FileRecord,
    write_atomically,
)
from newsdesk.publish.transaction import (
    Staging,
    commit,
    describe_os_error,
    file_sha256,
    folder_lock,
    prepare_folder,
    remove_leftovers,
)
from newsdesk.publish.views import (
    Teaser,
    display_moment,
    modified_moment,
    published_moment,
    release_moment,
)
from newsdesk.publish.workers import PARALLEL_THRESHOLD, Workers, chunk_size

GENERATOR = "Newsdesk export 1"
MAX_BODY_BYTES = 8 * 1024 * 1024
FETCH_BATCH = 500  # full articles read per ``get_many`` call


class ExportSource(Protocol):
    """What export needs of the store (``ArticleStore`` provides all of it).

    Export trusts an article's ``(version, updated_at)``: an article with both as at the
    folder's last export is not read again (every save changes them).
    """

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]: ...

    def read_many(self, uris: Sequence[str]) -> list[Article]: ...

    def profile(self) -> PublicationProfile: ...

    def cached_render(self, key: str) -> str | None: ...

    def store_render(self, key: str, html: str) -> None: ...

    def cached_renders(self, keys: Sequence[str]) -> dict[str, str]: ...

    def store_renders(self, items: Mapping[str, str]) -> None: ...


@dataclass(frozen=True, slots=True)
class ExportProblem:
    """An article that was left out, and why, in words for the journalist."""

    uri: str
    headline: str
    message: str


@dataclass(slots=True)
class ExportReport:
    """What an export did. Paths are relative to ``out_dir``."""

    out_dir: Path
    formats: tuple[str, ...]
    articles: int = 0
    rendered: int = 0
    cold_renders: int = 0
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    held: list[ExportProblem] = field(default_factory=list)
    bundle: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        """One paragraph for the status bar or the terminal."""
        parts = [
            f"Exported {self.articles} article{'s' if self.articles != 1 else ''} "
            f"({', '.join(self.formats)}) to {self.out_dir}",
            f"{len(self.written)} file(s) written, {self.unchanged} unchanged, "
            f"{len(self.deleted)} removed",
        ]
        if self.held:
            parts.append(f"{len(self.held)} held back by embargo")
        if self.problems:
            parts.append(f"{len(self.problems)} left out (see problems)")
        if self.kept:
            parts.append(f"{len(self.kept)} edited by someone else and left in place")
        return "; ".join(parts) + f" in {self.seconds:.1f} s."


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """``"site,ninjs"`` or a list of names, checked, in the canonical order."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {n.strip().lower() for n in names if n.strip()}
    if not wanted or wanted == {"all"}:
        return FORMATS
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise ExportError(
            f"unknown export format {', '.join(unknown)}; use any of: {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in wanted)


def export(
    store: ExportSource,
    out_dir: str | Path,
    *,
    formats: str | Iterable[str] = FORMATS,
    statuses: Collection[Status] = PUBLISHABLE,
    since: datetime | None = None,
    progress: Progress = no_progress,
    renderer: Renderer | None = None,
    workers: int | None = None,
    now: datetime | None = None,
    replace_unknown: bool = False,
) -> ExportReport:
    """Export the articles in ``statuses`` from ``store`` into ``out_dir``.

    Layout: ``site/`` (``<section>/<slug>/index.html``, section and home pages,
    ``feed.xml``, ``sitemap.xml``, ``robots.txt``, ``assets/``), ``fragment/``,
    ``markdown/`` and ``ninjs/`` (``<section>/<slug>.*``), and ``newsdesk-bundle.zip``.

    Only files whose content changed are written; with ``since`` only articles saved since
    then are considered. Everything is built in a hidden staging folder and swapped in at
    the end: on any error the folder is left exactly as it was. Files Newsdesk did not
    write are never replaced (unless ``replace_unknown``) nor deleted. Articles under an
    embargo later than ``now`` are kept off the site and out of the fragments.
    """
    started = time.perf_counter()
    selected = parse_formats(formats)
    root = prepare_folder(out_dir)
    report = ExportReport(out_dir=root, formats=selected)
    with folder_lock(root):
        remove_leftovers(root)
        state = ExportState.load(root)
        run = _ExportRun(
            store=store,
            root=root,
            selected=selected,
            statuses=frozenset(statuses),
            since=since,
            progress=progress,
            renderer=renderer,
            workers=workers,
            now=now or datetime.now(UTC),
            replace_unknown=replace_unknown,
            state=state,
            report=report,
        )
        run.execute()
    report.seconds = time.perf_counter() - started
    return report


@dataclass(slots=True)
class _Planned:
    """An article this run exports. ``article`` is read from the store only when needed:
    when it changed since the folder's last export, or its files or feed entry must be
    made; otherwise ``record`` (from the state file) tells all planning needs."""

    uri: str
    updated_at: datetime
    record: ArticleRecord  # what the new state file keeps of it
    article: Article | None = None
    held: bool = False
    fingerprint: str = ""
    related: tuple[ResolvedRelated, ...] | None = None  # resolved when needed
    paths: dict[str, str] = field(default_factory=dict)  # format -> relpath, every format
    teaser: list[Any] | None = None  # the teaser's fields, when the site is made

    @property
    def headline(self) -> str:
        return self.record.headline


_Todo = tuple[_Planned, tuple[str, ...]]  # an article and the formats to render


class _ExportRun:
    """One export, step by step; holds what the steps share."""

    def __init__(
        self,
        *,
        store: ExportSource,
        root: Path,
        selected: tuple[str, ...],
        statuses: frozenset[Status],
        since: datetime | None,
        progress: Progress,
        renderer: Renderer | None,
        workers: int | None,
        now: datetime,
        replace_unknown: bool,
        state: ExportState,
        report: ExportReport,
    ) -> None:
        self.store = store
        self.root = root
        self.selected = selected
        self.statuses = statuses
        self.since = since
        self.progress = progress
        self.workers = workers
        self.now = now
        self.replace_unknown = replace_unknown
        self.state = state
        self.report = report
        try:
            self.renderer = renderer or Renderer(store.profile(), cache=store)
        except NewsdeskError as error:
            raise ExportError(f"cannot export: {error}") from error
        self.profile = self.renderer.profile
        self.committed = tuple(f for f in FILE_FORMATS if f in selected)
        self.zipped = FILE_FORMATS if BUNDLE in selected else ()
        self.produced = tuple(f for f in FILE_FORMATS if f in self.committed or f in self.zipped)
        self.settings = self._settings_fingerprint()
        # The store is the render cache, unless the caller's renderer keeps none.
        self.cache: ExportSource | None = None if self.renderer.cache is None else store
        self.staged: dict[str, tuple[str, int]] = {}  # relpath -> (sha, size) in staging
        self.records: dict[str, FileRecord] = {}  # the new state's files
        self._body_keys: dict[str, str] = {}  # uri -> cache key, for jobs being rendered
        self._feed_uris: set[str] = set()
        self._by_uri: dict[str, _Planned] = {}
        self._linkable: set[str] = set()  # uris a related link may point at (not held)
        self._memo: dict[str, tuple[ResolvedRelated | None, str, str]] = {}
        self._entries: dict[str, SiteEntry] = {}  # uri -> listing entry, made when read
        self._total = 2  # progress steps: articles to render, then two for the rest
        self.pool: Workers | None = None
        self._folder = str(root)
        self.articles: dict[str, ArticleRecord] = {}  # the new state's articles

    # -- the steps ------------------------------------------------------------------------

    def execute(self) -> None:
        staging = Staging(self.root, in_place=self.committed)
        profile = {**self.profile.to_dict(), "theme_dir": self.renderer.theme_dir or ""}
        self.pool = Workers(self.workers, profile, staging.folder)
        try:
            try:
                planned = self._plan(self._load())
                self._build(planned, staging)
            except OSError as error:
                raise ExportError(
                    f"export to {self.root} failed, nothing was changed: "
                    f"{describe_os_error(error, self.root)}"
                ) from error
            finally:
                self.pool.close()
            self._swap_in(staging)
        finally:
            staging.remove()

    def _load(self) -> list[_Planned]:
        """The articles to export, sorted by address; read in full only those the state
        file does not know as they are now (same version, same save time)."""
        query = ArticleQuery(statuses=self.statuses, limit=1_000_000_000)
        try:
            versions = self.store.article_versions(query)
            known = {}
            for uri, version, updated_at in versions:
                record = self._known(uri, version, updated_at)
                if record is not None:
                    known[uri] = record
            if len(versions) - len(known) >= PARALLEL_THRESHOLD and self.pool is not None:
                # Many articles to render: the workers load while the store is read.
                self.pool.start(len(versions) - len(known))
            full = self._fetch([uri for uri, _, _ in versions if uri not in known])
        except NewsdeskError as error:
            raise ExportError(f"cannot read the articles to export: {error}") from error
        loaded: list[_Planned] = []
        problems: list[tuple[datetime, str, str, str]] = []  # reported in creation order
        for uri, _, updated_at in versions:
            if uri in known:
                loaded.append(_Planned(uri, updated_at, known[uri]))
                continue
            article = full.get(uri)
            if article is None or article.status not in self.statuses:
                continue  # deleted or changed between the two reads
            problem = self._problem(article)
            if problem is not None:
                problems.append((article.created_at, uri, article.headline, problem))
                continue
            loaded.append(_Planned(uri, article.updated_at, _record_of(article), article))
        moments = {p.uri: datetime.fromisoformat(p.record.created_at) for p in loaded}
        valid: list[_Planned] = []
        taken: dict[tuple[str, str], _Planned] = {}
        for item in sorted(loaded, key=lambda p: (moments[p.uri], p.uri)):
            key = (item.record.section_slug, item.record.slug)
            other = taken.setdefault(key, item)
            if other is not item:
                problem = (
                    f"its address /{key[0]}/{key[1]}/ is already used by "
                    f"{other.headline!r}; give one of them another slug"
                )
                problems.append((moments[item.uri], item.uri, item.headline, problem))
                continue
            valid.append(item)
        self.report.problems += [ExportProblem(*p[1:]) for p in sorted(problems)]
        valid.sort(key=lambda p: (p.record.section_slug, p.record.slug, p.uri))
        return valid

    def _known(self, uri: str, version: int, updated_at: datetime) -> ArticleRecord | None:
        """The state's record of the article if it was exported as it is now, with the same
        settings (else its teaser and files must be made again), with its teaser if the
        site is made and it was not held back."""
        if self.state.settings != self.settings:
            return None
        record = self.state.articles.get(uri)
        if (
            record is None
            or record.version != version
            or record.updated_at != updated_at.isoformat()
            or (SITE in self.produced and not record.held and record.teaser is None)
        ):
            return None
        return record

    def _fetch(self, uris: Sequence[str]) -> dict[str, Article]:
        """Full articles by uri, read in batches."""
        found: dict[str, Article] = {}
        for start in range(0, len(uris), FETCH_BATCH):
            found.update(
                (a.uri, a) for a in self.store.read_many(uris[start : start + FETCH_BATCH])
            )
        return found

    def _read_in_full(self, items: Iterable[_Planned]) -> None:
        """Read the article of each of ``items`` not read yet."""
        missing = [item for item in items if item.article is None]
        if not missing:
            return
        try:
            found = self._fetch([item.uri for item in missing])
        except NewsdeskError as error:
            raise ExportError(f"cannot read the articles to export: {error}") from error
        for item in missing:
            article = found.get(item.uri)
            if article is None or article.version != item.record.version:
                raise ExportError(
                    f"{item.headline!r} was changed or deleted while exporting; export again"
                )
            item.article = article

    def _problem(self, article: Article) -> str | None:
        if not article.headline.strip():
            return "it has no headline"
        if len(article.body.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
            size = len(article.body.encode("utf-8", "surrogatepass")) / 1_048_576
            return (
                f"its body is {size:.1f} MB; Newsdesk publishes bodies of up to "
                f"{MAX_BODY_BYTES // 1_048_576} MB (split it, or move data to an attachment)"
            )
        try:
            article_segments(article)
        except UnsafePathError as error:
            return str(error)
        except ValidationError as error:
            return str(error)
        return None

    def _plan(self, planned: list[_Planned]) -> list[_Planned]:
        self._by_uri = {item.uri: item for item in planned}
        for item in planned:
            release = item.record.release
            item.held = release is not None and datetime.fromisoformat(release) > self.now
            if item.held:
                why = "embargoed" if item.record.embargoed else "scheduled"
                self.report.held.append(
                    ExportProblem(item.uri, item.headline, f"{why} until {release}")
                )
            formats = [f for f in self.produced if not (item.held and f in {SITE, FRAGMENT})]
            item.paths = relpaths(item.record.section_slug, item.record.slug, formats)
        self._linkable = {item.uri for item in planned if not item.held}
        # Unchanged: exported last time as it is now, held back then as now.
        unchanged = {p.uri for p in planned if p.article is None and p.record.held == p.held}
        before = self.state.articles
        stale = []
        for item in planned:
            if item.uri in unchanged and all(
                uri in unchanged or (uri not in self._linkable and uri not in before)
                for uri in item.record.targets
            ):
                # Neither it nor the articles its related list shows changed: same files.
                item.fingerprint = item.record.fingerprint
            elif not self._surely_changed(item):
                stale.append(item)
            # else its files are made again: fingerprinted when rendered (_with_cache)
        self._resolve(stale)
        for item in stale:
            assert item.related is not None
            item.fingerprint = self._fingerprint(item.record.digest, item.related)
        self.report.articles = len(planned)
        return planned

    def _surely_changed(self, item: _Planned) -> bool:
        """True when the item's files cannot be current, whatever its related list: the
        article or the settings changed since the folder's last export."""
        before = self.state.articles.get(item.uri)
        return (
            self.state.settings != self.settings
            or before is None
            or before.digest != item.record.digest
        )

    def _fingerprint_items(self, items: Iterable[_Planned]) -> None:
        """Resolve and fingerprint those of ``items`` not fingerprinted yet."""
        todo = [item for item in items if not item.fingerprint]
        self._resolve(todo)
        for item in todo:
            assert item.related is not None
            item.fingerprint = self._fingerprint(item.record.digest, item.related)

    def _resolve(self, items: list[_Planned]) -> None:
        """Resolve the related lists of ``items``, reading them and the articles they link
        to where not read yet."""
        todo = [item for item in items if item.related is None]
        self._read_in_full(todo)
        targets = {
            link.target_uri
            for item in todo
            for link in item.article.related  # type: ignore[union-attr]
            if link.target_uri in self._linkable
        }
        self._read_in_full(self._by_uri[uri] for uri in targets)
        lookup = _LinkTargets(self._by_uri, self._linkable)
        for item in todo:
            assert item.article is not None
            item.related = tuple(
                resolve_related(
                    item.article, lookup, self.profile, statuses=self.statuses, memo=self._memo
                )
            )

    def _is_current(self, item: _Planned, fmt: str) -> bool:
        """True when the file of ``fmt`` on disk is what this run would write."""
        path = item.paths[fmt]
        record = self.state.files.get(path)
        return (
            record is not None
            and bool(item.fingerprint)
            and record.fingerprint == item.fingerprint
            and record.uri == item.uri
            and os.path.isfile(f"{self._folder}/{path}")
        )

    def _carried_over(self, item: _Planned) -> bool:
        """With ``since``, an article not saved since then keeps what it had."""
        return self.since is not None and item.updated_at < self.since

    def _carried_records(self, planned: list[_Planned]) -> dict[str, FileRecord]:
        """Records this run leaves alone: formats not exported now, articles not looked at
        (older than ``since``, or left out for a problem), the bundle when not asked for."""
        keep = {p.uri for p in planned if self._carried_over(p)}
        keep |= {problem.uri for problem in self.report.problems}
        carried = {}
        for path, record in self.state.files.items():
            top = path.split("/", 1)[0]
            if path == BUNDLE_NAME:
                if BUNDLE not in self.selected:
                    carried[path] = record
            elif top not in self.committed or (record.uri is not None and record.uri in keep):
                carried[path] = record
        return carried

    def _todo(
        self, planned: list[_Planned]
    ) -> tuple[list[_Todo], dict[str, tuple[_Planned, str]], dict[str, set[str]]]:
        """What to render; each committed article file's owner; for each uri, the formats
        whose file on disk is current."""
        jobs: list[_Todo] = []
        produced: dict[str, tuple[_Planned, str]] = {}
        current: dict[str, set[str]] = {}
        for item in planned:
            if self._carried_over(item):
                current[item.uri] = set(self.committed)
                continue
            todo = []
            for fmt, path in item.paths.items():
                if fmt in self.committed:
                    produced[path] = (item, fmt)
                    if self._is_current(item, fmt):
                        current.setdefault(item.uri, set()).add(fmt)
                        continue
                    todo.append(fmt)
            if todo:
                jobs.append((item, tuple(todo)))
        return jobs, produced, current

    def _build(self, planned: list[_Planned], staging: Staging) -> None:
        carried = self._carried_records(planned)
        jobs, produced, current = self._todo(planned)
        rendered = {id(item) for item, _ in jobs}
        self._fingerprint_items(p for p in planned if id(p) not in rendered)
        # The bundle zips every format: when it is made again, what is not on disk as
        # ours is rendered too. Known now unless only the site's shared files changed.
        zip_now = BUNDLE in self.selected and (bool(jobs) or not self._bundle_is_current())
        if zip_now:
            jobs = self._add_zip_only(jobs, planned, current)
        if SITE in self.produced:
            self._feed_uris = {p.uri for p in self._latest(planned)}
        self._total = len(jobs) + 2
        # The site's shared files are made while the workers render the last chunks
        # (listing pages only when their inputs changed) and kept when equal by hash.
        site_files: list[tuple[str, bytes | None, str | None]] = []

        def shared_files() -> None:
            if SITE in self.produced:
                site_files.extend(self._site_files(planned))

        results = self._render(jobs, staging, shared_files)
        shared = {f"site/{path}" for path, _, _ in site_files} | {"site/feed.xml"}
        if SITE not in self.committed:
            shared = set()
        changed_shared = any(
            data is not None and not self._matches_state(f"site/{path}", data)
            for path, data, _ in site_files
        )
        obsolete = [
            path for path in self.state.files
            if path not in carried and path not in produced and path not in shared
            and path != BUNDLE_NAME
        ]  # fmt: skip
        zip_needed = zip_now or (BUNDLE in self.selected and (changed_shared or bool(obsolete)))
        if zip_needed and not zip_now:
            late = self._add_zip_only([], planned, current)
            self._total += len(late)
            results += self._render(late, staging, _nothing, done=len(jobs))
            jobs += late
        self.report.rendered = len(jobs)
        total = self._total
        for result in results:
            for path, sha, size in result.files:
                self.staged[path] = (sha, size)
        keys = {f"site/{path}": key for path, _, key in site_files}
        if SITE in self.produced:
            for path, data, _ in site_files:
                if data is not None:
                    self.staged[f"site/{path}"] = staging.write(f"site/{path}", data)
            self._stage_feed(planned, results, staging)
        self._record_files(carried, produced, shared, keys)
        self.progress(len(jobs) + 1, total)
        if zip_needed:
            self._stage_bundle(planned, staging)
            sha, size = self.staged[BUNDLE_NAME]
            self.records[BUNDLE_NAME] = FileRecord(sha, size)
        elif BUNDLE in self.selected and BUNDLE_NAME in self.state.files:
            self.records[BUNDLE_NAME] = self.state.files[BUNDLE_NAME]
            self.report.bundle = self.root / BUNDLE_NAME
        self.articles = {p.uri: self._new_record(p) for p in planned}
        self.progress(total, total)

    def _record_files(
        self,
        carried: dict[str, FileRecord],
        produced: dict[str, tuple[_Planned, str]],
        shared: set[str],
        keys: dict[str, str | None],
    ) -> None:
        """The new state's files: carried over, made (staged) or exported as they are."""
        self.records = dict(carried)
        for path, (item, _fmt) in produced.items():
            if path in self.staged:
                sha, size = self.staged[path]
                self.records[path] = FileRecord(
                    sha, size, item.uri, item.record.version, item.fingerprint
                )
            elif path in self.state.files:
                self.records[path] = self.state.files[path]
        for path in sorted(shared):
            if path not in self.staged:  # a listing page exported as it is
                self.records[path] = self.state.files[path]
                continue
            sha, size = self.staged[path]
            self.records[path] = FileRecord(sha, size, fingerprint=keys.get(path))

    def _add_zip_only(
        self, jobs: list[_Todo], planned: list[_Planned], current: dict[str, set[str]]
    ) -> list[_Todo]:
        """The bundle zips every format: also render what is not on disk as ours already."""
        by_uri = {item.uri: formats for item, formats in jobs}
        out = []
        for item in planned:
            have = current.get(item.uri, set())
            wanted = {f for f in item.paths if f not in have} | set(by_uri.get(item.uri, ()))
            if wanted:
                out.append((item, tuple(f for f in self.produced if f in wanted)))
        return out

    # -- rendering ------------------------------------------------------------------------

    def _render(
        self,
        jobs: list[_Todo],
        staging: Staging,
        meanwhile: Callable[[], None],
        done: int = 0,
    ) -> list[JobResult]:
        """Render ``jobs``: bodies from the cache where it has them, in worker processes
        when there are enough. Chunks are sent a few at a time, each with its articles
        resolved and its cache entries fetched just before, so memory holds a few chunks'
        bodies, not all of them; ``meanwhile`` runs once the last chunk is on its way."""
        assert self.pool is not None
        parallel = self.pool.start(len(jobs))
        size = chunk_size(self.pool.count if parallel else 1, len(jobs))
        chunks = (self._with_cache(jobs[i : i + size]) for i in range(0, len(jobs), size))
        results: list[JobResult] = []

        def collect(part: list[JobResult]) -> None:
            self._collect(part, results, done)

        if not parallel:
            for chunk in chunks:
                collect([run_job(self.renderer, staging.folder, job) for job in chunk])
            meanwhile()
            return results
        self.pool.run(chunks, collect, meanwhile)
        return results

    def _with_cache(self, chunk: list[_Todo]) -> list[ArticleJob]:
        """The chunk's jobs, with their articles and related lists read now where not read
        yet, and each body's cache entry."""
        self._resolve([item for item, _ in chunk])
        self._fingerprint_items(item for item, _ in chunk)
        jobs = []
        for item, formats in chunk:
            assert item.article is not None and item.related is not None
            jobs.append(ArticleJob(item.article, item.related, formats))
            if SITE in self.produced and not item.held:
                self._entries[item.uri] = self._site_entry(item)
        if self.cache is None:
            self.report.cold_renders += len(jobs)
            return jobs
        keys = [self.renderer.body_key(job.article) for job in jobs]
        entries = self.cache.cached_renders(keys)
        self.report.cold_renders += sum(1 for key in keys if key not in entries)
        self._body_keys.update((job.article.uri, key) for job, key in zip(jobs, keys, strict=True))
        return [
            ArticleJob(job.article, job.related, job.formats, entries.get(key))
            for job, key in zip(jobs, keys, strict=True)
        ]

    def _collect(self, part: list[JobResult], results: list[JobResult], done: int) -> None:
        """Cache fresh bodies, keep only those the feed needs, report progress."""
        self._store_fresh_bodies(part)
        for result in part:
            keep = result.fresh_body is None or result.uri in self._feed_uris
            results.append(result if keep else JobResult(result.uri, None, result.files))
        self.progress(done + len(results), self._total)

    def _store_fresh_bodies(self, results: list[JobResult]) -> None:
        keys = [self._body_keys.pop(r.uri, None) for r in results]
        if self.cache is None:
            return
        fresh = {
            key: r.fresh_body
            for r, key in zip(results, keys, strict=True)
            if r.fresh_body is not None and key is not None
        }
        if fresh:
            self.cache.store_renders(fresh)

    # -- the site's shared files ------------------------------------------------------------

    def _site_files(self, planned: list[_Planned]) -> list[tuple[str, bytes | None, str | None]]:
        """The site's shared files as ``(path, bytes, key)``: bytes ``None`` for a listing
        page whose inputs (hashed to ``key``) are those of the page already exported."""
        entries = [self._entries.get(p.uri) or self._site_entry(p) for p in planned if not p.held]
        current = self._page_is_current if SITE in self.committed else _never
        files: list[tuple[str, bytes | None, str | None]] = []
        files += listing_pages(self.renderer, entries, salt=self.settings, current=current)
        listing_paths = [path for path, _, _ in files]
        others = sitemap_files(entries, listing_paths, self.profile)
        others.append(("robots.txt", robots_txt(self.profile)))
        others += sorted(self.renderer.assets().items())
        files += [(path, data, None) for path, data in others]
        return files

    def _site_entry(self, item: _Planned) -> SiteEntry:
        """The item's entry in the listings: its teaser is the last export's when the
        article was not read (it is unchanged, and so are the settings)."""
        if item.article is None:
            fields = self.state.articles[item.uri].teaser
            assert fields is not None
            entry = SiteEntry(
                _teaser(fields),
                datetime.fromisoformat(item.record.modified),
                datetime.fromisoformat(item.record.published),
            )
        else:
            entry = site_entry(item.article, self.profile)
            t = entry.teaser
            fields = [t.uri, t.headline, t.kicker, t.standfirst, t.byline, t.section,
                      t.section_slug, t.path, t.date_text, t.date_iso, *t.sort_key]  # fmt: skip
        item.teaser = fields
        return entry

    def _latest(self, planned: list[_Planned]) -> list[_Planned]:
        """The articles of the feed: as ``newest`` orders them, from what is known."""
        return sorted((p for p in planned if not p.held), key=self._sort_key)[:FEED_SIZE]

    def _sort_key(self, item: _Planned) -> tuple[float, str]:
        if item.article is not None:
            return (-display_moment(item.article).timestamp(), item.uri)
        fields = self.state.articles[item.uri].teaser
        assert fields is not None
        return (float(fields[10]), str(fields[11]))

    def _new_record(self, item: _Planned) -> ArticleRecord:
        """What the new state file keeps of ``item`` (the old record when the same)."""
        r = item.record
        if (r.held, r.fingerprint, r.teaser) == (item.held, item.fingerprint, item.teaser):
            return r
        return ArticleRecord(
            r.version, r.updated_at, r.digest, r.created_at, r.section_slug, r.slug, r.headline,
            r.release, r.embargoed, r.modified, r.published, r.targets, item.held,
            item.fingerprint, item.teaser,
        )  # fmt: skip

    def _page_is_current(self, path: str, key: str) -> bool:
        record = self.state.files.get(f"site/{path}")
        return (
            record is not None
            and record.fingerprint == key
            and os.path.isfile(f"{self._folder}/site/{path}")
        )

    def _stage_feed(
        self, planned: list[_Planned], results: list[JobResult], staging: Staging
    ) -> None:
        latest = self._latest(planned)
        self._read_in_full(latest)
        articles = [p.article for p in latest if p.article is not None]
        fresh = {
            r.uri: RenderedBody.from_cache(r.fresh_body)
            for r in results
            if r.fresh_body is not None
        }
        stored = self._feed_bodies([a for a in articles if fresh.get(a.uri) is None])
        bodies = {}
        for article in articles:
            body = fresh.get(article.uri) or stored[article.uri]
            bodies[article.uri] = without_source_lines(body.html)
        self.staged["site/feed.xml"] = staging.write(
            "site/feed.xml", feed_file(articles, bodies, self.profile)
        )

    def _feed_bodies(self, articles: list[Article]) -> dict[str, RenderedBody]:
        """Bodies of the feed's articles not rendered in this run: from the cache (cleaned
        again, as the renderer does), else rendered now and cached."""
        if self.cache is None or not articles:
            return {a.uri: self.renderer.render_body(a) for a in articles}
        keys = {a.uri: self.renderer.body_key(a) for a in articles}
        entries = self.cache.cached_renders(list(keys.values()))
        bodies: dict[str, RenderedBody] = {}
        fresh: dict[str, str] = {}
        for article in articles:
            cached = RenderedBody.from_cache(entries.get(keys[article.uri]))
            if cached is not None:
                bodies[article.uri] = RenderedBody(
                    clean_html(cached.html), cached.words, cached.chars
                )
            else:
                bodies[article.uri] = self.renderer.render_body(article)
                fresh[keys[article.uri]] = bodies[article.uri].to_cache()
        if fresh:
            self.cache.store_renders(fresh)
        return bodies

    def _matches_state(self, path: str, data: bytes) -> bool:
        record = self.state.files.get(path)
        return (
            record is not None
            and record.sha256 == hashlib.sha256(data).hexdigest()
            and (self.root / path).is_file()
        )

    def _bundle_is_current(self) -> bool:
        return BUNDLE_NAME in self.state.files and (self.root / BUNDLE_NAME).is_file()

    def _stage_bundle(self, planned: list[_Planned], staging: Staging) -> None:
        owner = {path: p for p in planned for path in p.paths.values()}
        files = []
        for path in sorted(self.records.keys() | self.staged.keys()):
            if path.split("/", 1)[0] not in FILE_FORMATS:
                continue
            if path in self.staged:
                source = staging.path(path)
            elif path in self.records and (self.root / path).is_file():
                source = self.root / path
            else:
                continue
            item = owner.get(path)
            files.append(
                BundleFile(path, source, item.uri if item else None,
                           item.record.version if item else None)
            )  # fmt: skip
        moments = [p.updated_at for p in planned]
        target = staging.path(BUNDLE_NAME)
        sha = write_bundle(
            target,
            files,
            self.profile,
            generator=GENERATOR,
            newest=max(moments) if moments else None,
            extra={"renderer": self.renderer.version, "articles": len(planned)},
        )
        self.staged[BUNDLE_NAME] = (sha, target.stat().st_size)
        self.report.bundle = self.root / BUNDLE_NAME

    # -- swapping in ----------------------------------------------------------------------

    def _swap_in(self, staging: Staging) -> None:
        writes = []
        for path in sorted(self.records):
            if path not in self.staged:
                continue
            sha = self.staged[path][0]
            previous = self.state.files.get(path)
            if previous is not None and previous.sha256 == sha and (self.root / path).is_file():
                continue
            writes.append(path)
        deletes = [p for p in sorted(self.state.files) if p not in self.records]
        self._check_ownership(writes)
        deletes = [p for p in deletes if self._owned_on_disk(p)]
        self.report.written = writes
        self.report.deleted = deletes
        self.report.unchanged = len(self.records) - len(writes)
        unchanged_state = (
            self.state.settings == self.settings
            and self.records == self.state.files
            and self.articles == self.state.articles
        )
        if not writes and not deletes and unchanged_state and not self.state.pending:
            return
        whole = self._whole_folders(staging, writes)
        pending = {p: self.staged[p][0] for p in writes}
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
            files=dict(sorted(self.records.items())),
            articles=dict(sorted(self.articles.items())),
        )
        write_atomically(self.root / STATE_NAME, new_state.to_bytes(GENERATOR))
        (self.root / PENDING_NAME).unlink(missing_ok=True)

    def _whole_folders(self, staging: Staging, writes: list[str]) -> set[str]:
        """Top folders staged in place that hold exactly the files to write below them:
        moved in by one rename each."""
        staged: dict[str, set[str]] = {top: set() for top in staging.in_place}
        written: dict[str, set[str]] = {top: set() for top in staging.in_place}
        for paths, by_top in ((self.staged, staged), (writes, written)):
            for path in paths:
                below = by_top.get(path.split("/", 1)[0])
                if below is not None:
                    below.add(path)
        return {top for top in staging.in_place if staged[top] == written[top]}

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

    def _settings_fingerprint(self) -> str:
        data = json.dumps(
            {"renderer": self.renderer.version, "profile": self.profile.to_dict(),
             "generator": GENERATOR},
            sort_keys=True,
        )  # fmt: skip
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    def _fingerprint(self, digest: str, related: Sequence[ResolvedRelated]) -> str:
        """Everything an article's files are made from, hashed (plain tuples: fast repr)."""
        links = tuple(
            (r.title, r.url, r.path, r.target_uri, r.relation.value, r.section) for r in related
        )
        hashed = hashlib.sha256(f"{self.settings}\x00{digest}\x00".encode())
        hashed.update(repr(links).encode("utf-8", "surrogatepass"))
        return hashed.hexdigest()[:32]


def _record_of(article: Article) -> ArticleRecord:
    """What the state file keeps of an article read in full (without the parts that
    depend on this run: held back, fingerprint, teaser)."""
    release = release_moment(article)
    section, slug = article_segments(article)
    return ArticleRecord(
        version=article.version,
        updated_at=article.updated_at.isoformat(),
        digest=_own_digest(article),
        created_at=article.created_at.isoformat(),
        section_slug=section,
        slug=slug,
        headline=article.headline,
        release=None if release is None else release.isoformat(),
        embargoed=bool(article.embargo_until),
        modified=modified_moment(article).isoformat(),
        published=published_moment(article).isoformat(),
        targets=sorted({link.target_uri for link in article.related if link.target_uri}),
    )


def _teaser(fields: list[Any]) -> Teaser:
    """A teaser from the fields the state file keeps of it (as ``_site_entry`` lists them)."""
    (uri, headline, kicker, standfirst, byline, section, section_slug, path, date_text,
     date_iso, moment, tie) = fields  # fmt: skip
    return Teaser(uri, headline, kicker, standfirst, byline, section, section_slug, path,
                  date_text, date_iso, (moment, tie))  # fmt: skip


class _LinkTargets(Mapping[str, Article]):
    """The articles related links may point at (those not held back), as read so far."""

    def __init__(self, items: dict[str, _Planned], linkable: set[str]) -> None:
        self._items = items
        self._linkable = linkable

    def __getitem__(self, uri: str) -> Article:
        item = self._items.get(uri) if uri in self._linkable else None
        if item is None or item.article is None:
            raise KeyError(uri)
        return item.article

    def __iter__(self) -> Iterator[str]:
        return (uri for uri in self._linkable if self._items[uri].article is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _own_digest(article: Article) -> str:
    """The article's body and every field but its related list, hashed."""
    media = tuple(
        None if m is None else (m.src, m.caption, m.credit, m.alt, m.mime_type,
                                m.duration_seconds)
        for m in (article.image, article.audio)
    )  # fmt: skip
    fields = tuple(getattr(article, name) for name in _FINGERPRINT_FIELDS)
    digest = hashlib.sha256(article.body.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(repr((fields, media)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


_FINGERPRINT_FIELDS = tuple(
    name
    for name in Article.__dataclass_fields__
    if name not in {"body", "image", "audio", "related"}
)


def _never(path: str, key: str) -> bool:
    return False


def _nothing() -> None:
    return None
