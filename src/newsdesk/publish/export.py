"""Export: every format from one store into one folder, deterministic, incremental, atomic."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.models import PUBLISHABLE, Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleQuery, Progress, no_progress
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.errors import ExportError
from newsdesk.publish.formats import BUNDLE, FILE_FORMATS, FORMATS, FRAGMENT, SITE
from newsdesk.publish.formats.bundle import BUNDLE_NAME, BundleFile, write_bundle
from newsdesk.publish.formats.site import (
    feed_file,
    listing_files,
    newest,
    robots_txt,
    site_entry,
    sitemap_files,
)
from newsdesk.publish.outputs import (
    ArticleJob,
    JobResult,
    article_relpaths,
    init_worker,
    run_chunk,
    run_job,
)
from newsdesk.publish.paths import UnsafePathError, article_segments
from newsdesk.publish.related import ResolvedRelated, resolve_related
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.sanitize import without_source_lines
from newsdesk.publish.state import (
    PENDING_NAME,
    STATE_NAME,
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
from newsdesk.publish.views import release_moment

GENERATOR = "Newsdesk export 1"
MAX_BODY_BYTES = 8 * 1024 * 1024
PARALLEL_THRESHOLD = 48  # below this many articles to render, worker start-up costs more


class ExportSource(Protocol):
    """What export needs of the store (``ArticleStore`` provides all of it)."""

    def iter_articles(
        self, query: ArticleQuery | None = None, *, batch: int = 200
    ) -> Iterable[Article]: ...

    def profile(self) -> PublicationProfile: ...

    def cached_render(self, key: str) -> str | None: ...

    def store_render(self, key: str, html: str) -> None: ...


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
    article: Article
    related: tuple[ResolvedRelated, ...]
    held: bool
    fingerprint: str
    paths: dict[str, str]  # format -> relpath, for every format this run produces


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
        self.staged: dict[str, tuple[str, int]] = {}  # relpath -> (sha, size) in staging
        self.records: dict[str, FileRecord] = {}  # the new state's files
        self._articles_by_uri: dict[str, Article] | None = None
        self._feed_uris: set[str] = set()

    # -- the steps ------------------------------------------------------------------------

    def execute(self) -> None:
        articles = self._load()
        planned = self._plan(articles)
        staging = Staging(self.root)
        try:
            try:
                self._build(planned, staging)
            except OSError as error:
                raise ExportError(
                    f"export to {self.root} failed, nothing was changed: "
                    f"{describe_os_error(error, self.root)}"
                ) from error
            self._swap_in(staging)
        finally:
            staging.remove()

    def _load(self) -> list[Article]:
        query = ArticleQuery(statuses=self.statuses, limit=1_000_000_000)
        try:
            loaded = [a for a in self.store.iter_articles(query) if a.status in self.statuses]
        except NewsdeskError as error:
            raise ExportError(f"cannot read the articles to export: {error}") from error
        valid: list[Article] = []
        taken: dict[tuple[str, str], Article] = {}
        for article in sorted(loaded, key=lambda a: (a.created_at, a.uri)):
            problem = self._problem(article)
            if problem is None:
                key = article_segments(article)
                if key in taken:
                    other = taken[key]
                    problem = (
                        f"its address /{key[0]}/{key[1]}/ is already used by "
                        f"{other.headline!r}; give one of them another slug"
                    )
                else:
                    taken[key] = article
            if problem is not None:
                self.report.problems.append(ExportProblem(article.uri, article.headline, problem))
                continue
            valid.append(article)
        valid.sort(key=lambda a: (article_segments(a), a.uri))
        return valid

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

    def _plan(self, articles: list[Article]) -> list[_Planned]:
        release = {a.uri: release_moment(a) for a in articles}
        held = {uri for uri, moment in release.items() if moment is not None and moment > self.now}
        targets = {a.uri: a for a in articles if a.uri not in held}
        memo: dict[str, tuple[ResolvedRelated | None, str, str]] = {}
        planned = []
        for article in articles:
            is_held = article.uri in held
            moment = release[article.uri]
            if is_held and moment is not None:
                why = "embargoed" if article.embargo_until else "scheduled"
                self.report.held.append(
                    ExportProblem(
                        article.uri, article.headline, f"{why} until {moment.isoformat()}"
                    )
                )
            related = tuple(
                resolve_related(article, targets, self.profile, statuses=self.statuses, memo=memo)
            )
            formats = [f for f in self.produced if not (is_held and f in {SITE, FRAGMENT})]
            planned.append(
                _Planned(
                    article=article,
                    related=related,
                    held=is_held,
                    fingerprint=self._fingerprint(article, related),
                    paths=article_relpaths(article, formats),
                )
            )
        self.report.articles = len(planned)
        return planned

    def _is_current(self, item: _Planned, fmt: str) -> bool:
        """True when the file of ``fmt`` on disk is what this run would write."""
        path = item.paths[fmt]
        record = self.state.files.get(path)
        return (
            record is not None
            and record.fingerprint == item.fingerprint
            and record.uri == item.article.uri
            and (self.root / path).is_file()
        )

    def _carried_over(self, item: _Planned) -> bool:
        """With ``since``, an article not saved since then keeps what it had."""
        return self.since is not None and item.article.updated_at < self.since

    def _carried_records(self, planned: list[_Planned]) -> dict[str, FileRecord]:
        """Records this run leaves alone: formats not exported now, articles not looked at
        (older than ``since``, or left out for a problem), the bundle when not asked for."""
        keep = {p.article.uri for p in planned if self._carried_over(p)}
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

    def _build(self, planned: list[_Planned], staging: Staging) -> None:
        carried = self._carried_records(planned)
        jobs: list[ArticleJob] = []
        produced: dict[str, tuple[_Planned, str]] = {}  # committed article file -> owner
        current: dict[str, set[str]] = {}  # uri -> formats whose file on disk is current
        for item in planned:
            if self._carried_over(item):
                current[item.article.uri] = set(self.committed)
                continue
            todo = []
            for fmt, path in item.paths.items():
                if fmt in self.committed:
                    produced[path] = (item, fmt)
                    if self._is_current(item, fmt):
                        current.setdefault(item.article.uri, set()).add(fmt)
                        continue
                    todo.append(fmt)
            if todo:
                jobs.append(ArticleJob(item.article, item.related, tuple(todo)))
        # The site's shared pages are rebuilt every time (cheap) and kept when equal by hash.
        site_files = self._site_files(planned) if SITE in self.produced else []
        shared = {f"site/{path}" for path, _ in site_files} | {"site/feed.xml"}
        if SITE not in self.committed:
            shared = set()
        changed_shared = any(
            not self._matches_state(f"site/{path}", data) for path, data in site_files
        )
        obsolete = [
            path for path in self.state.files
            if path not in carried and path not in produced and path not in shared
            and path != BUNDLE_NAME
        ]  # fmt: skip
        zip_needed = BUNDLE in self.selected and (
            bool(jobs) or changed_shared or bool(obsolete) or not self._bundle_is_current()
        )
        if zip_needed:
            jobs = self._add_zip_only(jobs, planned, current)
        total = len(jobs) + 2
        self._feed_uris = {a.uri for a in newest([p.article for p in planned if not p.held])}
        results = self._render(jobs, staging, total)
        self.report.rendered = len(jobs)
        for result in results:
            for path, sha, size in result.files:
                self.staged[path] = (sha, size)
        if SITE in self.produced:
            for path, data in site_files:
                self.staged[f"site/{path}"] = staging.write(f"site/{path}", data)
            self._stage_feed(planned, results, staging)
        self.records = dict(carried)
        for path, (item, _fmt) in produced.items():
            if path in self.staged:
                sha, size = self.staged[path]
                self.records[path] = FileRecord(
                    sha, size, item.article.uri, item.article.version, item.fingerprint
                )
            elif path in self.state.files:
                self.records[path] = self.state.files[path]
        for path in sorted(shared):
            sha, size = self.staged[path]
            self.records[path] = FileRecord(sha, size)
        self.progress(len(jobs) + 1, total)
        if zip_needed:
            self._stage_bundle(planned, staging)
            sha, size = self.staged[BUNDLE_NAME]
            self.records[BUNDLE_NAME] = FileRecord(sha, size)
        elif BUNDLE in self.selected and BUNDLE_NAME in self.state.files:
            self.records[BUNDLE_NAME] = self.state.files[BUNDLE_NAME]
            self.report.bundle = self.root / BUNDLE_NAME
        self.progress(total, total)

    def _add_zip_only(
        self, jobs: list[ArticleJob], planned: list[_Planned], current: dict[str, set[str]]
    ) -> list[ArticleJob]:
        """The bundle zips every format: also render what is not on disk as ours already."""
        by_uri = {j.article.uri: j for j in jobs}
        out = []
        for item in planned:
            have = current.get(item.article.uri, set())
            wanted = {f for f in item.paths if f not in have}
            job = by_uri.get(item.article.uri)
            if job is not None:
                wanted |= set(job.formats)
            if wanted:
                formats = tuple(f for f in self.produced if f in wanted)
                out.append(ArticleJob(item.article, item.related, formats))
        return out

    # -- rendering ------------------------------------------------------------------------

    def _render(self, jobs: list[ArticleJob], staging: Staging, total: int) -> list[JobResult]:
        """Render ``jobs``: bodies from the cache where it has them, in worker processes
        when there are enough. Chunks are sent a few at a time, each with its cache entries
        fetched just before, so memory holds a few chunks' bodies, not all of them."""
        workers = self._worker_count(len(jobs))
        size = 25 if workers <= 1 else max(1, min(64, len(jobs) // (workers * 6)))
        chunks = (self._with_cache(jobs[i : i + size]) for i in range(0, len(jobs), size))
        results: list[JobResult] = []
        if workers <= 1:
            for chunk in chunks:
                part = [run_job(self.renderer, staging.folder, job) for job in chunk]
                self._collect(part, jobs, results, total)
            return results
        profile = {**self.profile.to_dict(), "theme_dir": self.renderer.theme_dir or ""}
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_pool_context(),
            initializer=init_worker,
            initargs=(profile, str(staging.folder)),
        ) as pool:
            in_flight: deque[Future[list[JobResult]]] = deque()
            for chunk in itertools.islice(chunks, workers * 3):
                in_flight.append(pool.submit(run_chunk, chunk))
            while in_flight:
                part = in_flight.popleft().result()
                for chunk in itertools.islice(chunks, 1):
                    in_flight.append(pool.submit(run_chunk, chunk))
                # Fresh bodies go into the cache while the workers render the next chunks.
                self._collect(part, jobs, results, total)
        return results

    def _with_cache(self, chunk: list[ArticleJob]) -> list[ArticleJob]:
        if self.renderer.cache is None:
            self.report.cold_renders += len(chunk)
            return chunk
        keys = [self.renderer.body_key(job.article) for job in chunk]
        entries = self._cached_entries(keys)
        self.report.cold_renders += sum(1 for key in keys if key not in entries)
        return [
            ArticleJob(job.article, job.related, job.formats, entries.get(key))
            for job, key in zip(chunk, keys, strict=True)
        ]

    def _collect(
        self, part: list[JobResult], jobs: list[ArticleJob], results: list[JobResult], total: int
    ) -> None:
        """Cache fresh bodies, keep only those the feed needs, report progress."""
        self._store_fresh_bodies(part, jobs)
        for done in part:
            keep = done.fresh_body is None or done.uri in self._feed_uris
            results.append(done if keep else JobResult(done.uri, None, done.files))
        self.progress(len(results), total)

    def _worker_count(self, jobs: int) -> int:
        if self.workers is not None:
            return max(1, min(self.workers, jobs))
        if jobs < PARALLEL_THRESHOLD:
            return 1
        return max(1, min(os.cpu_count() or 1, 8))

    def _cached_entries(self, keys: list[str]) -> dict[str, str]:
        """The cache's entries for ``keys``: in one call when the store offers a bulk
        ``cached_renders(keys)``, else one ``cached_render`` per key."""
        cache = self.renderer.cache
        if cache is None:
            return {}
        bulk = getattr(cache, "cached_renders", None)
        if callable(bulk):
            return dict(bulk(keys))
        found = {}
        for key in keys:
            value = cache.cached_render(key)
            if value is not None:
                found[key] = value
        return found

    def _store_fresh_bodies(self, results: list[JobResult], jobs: list[ArticleJob]) -> None:
        cache = self.renderer.cache
        if cache is None:
            return
        if self._articles_by_uri is None:
            self._articles_by_uri = {job.article.uri: job.article for job in jobs}
        articles = self._articles_by_uri
        fresh = [
            (self.renderer.body_key(articles[r.uri]), r.fresh_body)
            for r in results
            if r.fresh_body is not None
        ]
        bulk = getattr(cache, "store_renders", None)
        if callable(bulk) and fresh:
            bulk(fresh)
            return
        for key, entry in fresh:
            cache.store_render(key, entry)

    # -- the site's shared files ------------------------------------------------------------

    def _site_files(self, planned: list[_Planned]) -> list[tuple[str, bytes]]:
        entries = [site_entry(p.article, self.profile) for p in planned if not p.held]
        files = listing_files(self.renderer, entries)
        listing_paths = [path for path, _ in files]
        files += sitemap_files(entries, listing_paths, self.profile)
        files.append(("robots.txt", robots_txt(self.profile)))
        files += sorted(self.renderer.assets().items())
        return files

    def _stage_feed(
        self, planned: list[_Planned], results: list[JobResult], staging: Staging
    ) -> None:
        latest = newest([p.article for p in planned if not p.held])
        fresh = {
            r.uri: RenderedBody.from_cache(r.fresh_body)
            for r in results
            if r.fresh_body is not None
        }
        bodies = {}
        for article in latest:
            body = fresh.get(article.uri) or self.renderer.body(article)
            bodies[article.uri] = without_source_lines(body.html)
        self.staged["site/feed.xml"] = staging.write(
            "site/feed.xml", feed_file(latest, bodies, self.profile)
        )

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
        owner = {path: p.article for p in planned for path in p.paths.values()}
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
            article = owner.get(path)
            files.append(
                BundleFile(path, source, article.uri if article else None,
                           article.version if article else None)
            )  # fmt: skip
        moments = [p.article.updated_at for p in planned]
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
        unchanged_state = self.state.settings == self.settings and self.records == self.state.files
        if not writes and not deletes and unchanged_state and not self.state.pending:
            return
        pending = {p: self.staged[p][0] for p in writes}
        write_atomically(
            self.root / PENDING_NAME,
            json.dumps(pending, sort_keys=True, separators=(",", ":")).encode(),
        )
        try:
            commit(self.root, staging, writes, deletes)
        except OSError as error:
            (self.root / PENDING_NAME).unlink(missing_ok=True)
            raise ExportError(
                f"export to {self.root} failed, nothing was changed: "
                f"{describe_os_error(error, self.root)}"
            ) from error
        new_state = ExportState(settings=self.settings, files=dict(sorted(self.records.items())))
        write_atomically(self.root / STATE_NAME, new_state.to_bytes(GENERATOR))
        (self.root / PENDING_NAME).unlink(missing_ok=True)

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

    def _fingerprint(self, article: Article, related: Sequence[ResolvedRelated]) -> str:
        """Everything an article's files are made from, hashed (plain tuples: fast repr)."""
        media = tuple(
            None if m is None else (m.src, m.caption, m.credit, m.alt, m.mime_type,
                                    m.duration_seconds)
            for m in (article.image, article.audio)
        )  # fmt: skip
        links = tuple(
            (r.title, r.url, r.path, r.target_uri, r.relation.value, r.section) for r in related
        )
        fields = tuple(getattr(article, name) for name in _FINGERPRINT_FIELDS)
        digest = hashlib.sha256(self.settings.encode())
        digest.update(article.body.encode("utf-8", "surrogatepass"))
        digest.update(repr((fields, media, links)).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()[:32]


_FINGERPRINT_FIELDS = tuple(
    name
    for name in Article.__dataclass_fields__
    if name not in {"body", "image", "audio", "related"}
)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Workers that start clean: safe from a GUI process with threads (no plain fork)."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")
