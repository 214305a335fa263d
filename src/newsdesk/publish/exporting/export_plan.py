"""Planning an export: which articles, read in full or known from the folder's record;
what was asked (``ExportRequest``) and what every stage reads (``ExportContext``)."""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.media.media import MediaAsset, MediaKind, key_of
from newsdesk.core.media.media import problems as media_problems
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import Progress, no_progress
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting.export_report import (
    GENERATOR,
    ExportProblem,
    ExportReport,
    ExportSource,
    parse_formats,
)
from newsdesk.publish.exporting.outputs import relpaths
from newsdesk.publish.exporting.workers import PARALLEL_THRESHOLD, Workers
from newsdesk.publish.folder.state import ArticleRecord, ExportState
from newsdesk.publish.formats import BUNDLE, FILE_FORMATS, FRAGMENT, MARKDOWN, SITE
from newsdesk.publish.formats.markdown_files import body_picture_words, bundle_pictures, used_keys
from newsdesk.publish.formats.redirects import (
    Claim,
    clashes,
    redirect_problem,
    usable_redirect_paths,
)
from newsdesk.publish.media.figures import media_digest
from newsdesk.publish.media.renditions import RECIPE_ID
from newsdesk.publish.paths import UnsafePathError, article_segments
from newsdesk.publish.related import ResolvedRelated, resolve_related
from newsdesk.publish.renderer import Renderer
from newsdesk.publish.views import modified_moment, published_moment, release_moment

MAX_BODY_BYTES = 8 * 1024 * 1024
FETCH_BATCH = 500  # full articles read per ``get_many`` call


@dataclass(slots=True)
class Planned:
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
    pictures: dict[str, str] = field(default_factory=dict)  # Markdown bundle file -> rendition
    carried: bool = False  # not chosen by a partial export: its files stay as they are

    @property
    def headline(self) -> str:
        return self.record.headline


Todo = tuple[Planned, tuple[str, ...]]  # an article and the formats to render


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What one export is asked for, checked: the input of every stage."""

    store: ExportSource
    root: Path
    selected: tuple[str, ...]  # formats, in the canonical order
    statuses: frozenset[Status]
    now: datetime
    since: datetime | None = None
    only: frozenset[str] | None = None  # a partial export: the uris chosen (None: all)
    replace_unknown: bool = False
    workers: int | None = None
    progress: Progress = no_progress

    @classmethod
    def asked(
        cls,
        store: ExportSource,
        root: Path,
        *,
        formats: str | Iterable[str],
        statuses: Collection[Status],
        now: datetime | None,
        since: datetime | None,
        only: Collection[str] | None,
        **rest: Any,
    ) -> ExportRequest:
        """The request from the arguments of
        :func:`~newsdesk.publish.exporting.export.export`, checked."""
        return cls(
            store=store,
            root=root,
            selected=parse_formats(formats),
            statuses=frozenset(statuses),
            now=now or datetime.now(UTC),
            since=since,
            only=None if only is None else frozenset(only),
            **rest,
        )


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What every stage of one export reads and none replaces: the request, the folder's
    record as it was, the renderer and what follows from them. ``report`` is the one
    object in it the stages add to (problems, counts, what was written)."""

    request: ExportRequest
    state: ExportState  # the folder's record before this export
    report: ExportReport
    renderer: Renderer
    profile: PublicationProfile
    settings: str  # the renderer, profile and generator, hashed
    committed: tuple[str, ...]  # formats written into the folder
    zipped: tuple[str, ...]  # formats that go into the bundle
    produced: tuple[str, ...]  # formats made at all
    only_set: frozenset[str]  # a partial export's uris, empty for all
    folder: str  # the export folder, as a string (joined with relpaths: fast)

    @classmethod
    def of(
        cls,
        request: ExportRequest,
        state: ExportState,
        report: ExportReport,
        renderer: Renderer | None = None,
    ) -> ExportContext:
        """The context of exporting ``request``; the store's renderer unless one is given."""
        try:
            renderer = renderer or Renderer(request.store.profile(), cache=request.store)
        except NewsdeskError as error:
            raise ExportError(f"cannot export: {error}") from error
        selected = request.selected
        committed = tuple(f for f in FILE_FORMATS if f in selected)
        zipped = FILE_FORMATS if BUNDLE in selected else ()
        return cls(
            request=request,
            state=state,
            report=report,
            renderer=renderer,
            profile=renderer.profile,
            settings=settings_fingerprint(renderer),
            committed=committed,
            zipped=zipped,
            produced=tuple(f for f in FILE_FORMATS if f in committed or f in zipped),
            only_set=request.only or frozenset(),
            folder=str(request.root),
        )

    # The request's fields, read through the context.

    @property
    def store(self) -> ExportSource:
        return self.request.store

    @property
    def root(self) -> Path:
        return self.request.root

    @property
    def selected(self) -> tuple[str, ...]:
        return self.request.selected

    @property
    def statuses(self) -> frozenset[Status]:
        return self.request.statuses

    @property
    def since(self) -> datetime | None:
        return self.request.since

    @property
    def only(self) -> frozenset[str] | None:
        return self.request.only

    @property
    def progress(self) -> Progress:
        return self.request.progress

    @property
    def now(self) -> datetime:
        return self.request.now

    def held(self, record: ArticleRecord) -> bool:
        """True when the story is embargoed or scheduled past this export's moment."""
        return record.release is not None and datetime.fromisoformat(record.release) > self.now


def settings_fingerprint(renderer: Renderer) -> str:
    """The renderer, the profile and the generator, hashed: files made with other
    settings are made again."""
    data = json.dumps(
        {"renderer": renderer.version, "profile": renderer.profile.to_dict(),
         "generator": GENERATOR},
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha256(data.encode()).hexdigest()[:32]


class Stories:
    """The stories of one export: read from the store and planned (the plan stage), then
    read in full and their related lists resolved only when a later stage needs them; the
    one object the plan stage hands the render stage besides the plan."""

    def __init__(self, ctx: ExportContext, pool: Workers | None = None) -> None:
        self.ctx = ctx
        self.pool = pool  # started early when many stories are to be rendered
        self.by_uri: dict[str, Planned] = {}
        self.linkable: set[str] = set()  # uris a related link may point at (not held)
        self.memo: dict[str, tuple[ResolvedRelated | None, str, str]] = {}
        self.status_of: dict[str, str] = {}  # uri -> status, as the store listed it
        self.assets: dict[str, MediaAsset] = {}  # the stored media the stories use, by key

    def load(self) -> list[Planned]:
        """The articles to export, sorted by address; read in full only those the state
        file does not know as they are now (same version, same save time)."""
        try:
            versions = self._chosen_versions()
            known = {}
            kept = self.ctx.state.articles if self.ctx.only is not None else {}
            for uri, version, updated_at in versions:
                # A story a partial export did not choose keeps its record as it is.
                record = kept.get(uri) if uri not in self.ctx.only_set else None
                record = record or self._known(uri, version, updated_at)
                if record is not None:
                    known[uri] = record
            if len(versions) - len(known) >= PARALLEL_THRESHOLD and self.pool is not None:
                # Many articles to render: the workers load while the store is read.
                self.pool.start(len(versions) - len(known))
            full = self._fetch([uri for uri, _, _ in versions if uri not in known])
        except NewsdeskError as error:
            raise ExportError(f"cannot read the articles to export: {error}") from error
        loaded: list[Planned] = []
        problems: list[tuple[datetime, str, str, str]] = []  # reported in creation order
        for uri, _, updated_at in versions:
            if uri in known:
                record = known[uri]
                if uri in kept and uri not in self.ctx.only_set:
                    moment = datetime.fromisoformat(record.updated_at)
                    loaded.append(Planned(uri, moment, record, carried=True))
                else:
                    loaded.append(Planned(uri, updated_at, record))
                continue
            article = full.get(uri)
            if article is None or article.status not in self.ctx.statuses:
                continue  # deleted or changed between the two reads
            problem = self._problem(article)
            if problem is not None:
                problems.append((article.created_at, uri, article.headline, problem))
                continue
            loaded.append(Planned(uri, article.updated_at, record_of(article), article))
        loaded = self._with_media(loaded, problems)
        valid = _one_per_address(loaded, problems)
        if SITE in self.ctx.produced:
            valid = _one_per_former_address(valid, problems)
        self.ctx.report.problems += [ExportProblem(*p[1:]) for p in sorted(problems)]
        valid.sort(key=_BY_ADDRESS)
        return valid

    def _chosen_versions(self) -> list[tuple[str, int, datetime]]:
        """What to plan: every story in ``statuses`` (read at once, each with its status, so
        that the hand-off knows it); for a partial export into a folder holding no story
        yet, just those chosen (read at once, not the whole archive)."""
        if self.ctx.only is None or self.ctx.state.articles:
            listed = self.ctx.store.listed_versions(self.ctx.statuses)
            value_of = {status: status.value for status in self.ctx.statuses}
            self.status_of.update({uri: value_of[status] for uri, _, _, status in listed})
            return self._chosen([(uri, version, moment) for uri, version, moment, _ in listed])
        found = self.ctx.store.read_many(sorted(self.ctx.only))
        return [(a.uri, a.version, a.updated_at) for a in found if a.status in self.ctx.statuses]

    def _chosen(self, versions: list[tuple[str, int, datetime]]) -> list[tuple[str, int, datetime]]:
        """With a partial export, the stories chosen and those the folder already holds
        (kept as they were exported: a story never exported there stays out)."""
        if self.ctx.only is None:
            return versions
        kept = self.ctx.state.articles
        return [v for v in versions if v[0] in self.ctx.only or v[0] in kept]

    # -- stored media -----------------------------------------------------------------------

    def _with_media(
        self, loaded: list[Planned], problems: list[tuple[datetime, str, str, str]]
    ) -> list[Planned]:
        """Read the stored media the articles use (words and sizes, not bytes); an article
        not read whose files changed since the last export is read now (its pages show
        them); one referring to a file the store lacks is left out with a problem."""
        # A pass over every story: no call a story (most use none, read or not).
        keys = {key for item in loaded if item.article is None for key in item.record.media_keys}
        keys.update(key for item in loaded if item.article is not None
                    for key in used_keys(item.article))  # fmt: skip
        if not keys:
            self.assets = {}
            return loaded
        try:
            self.assets = self._fetch_media(sorted(keys))
            changed = [
                item for item in loaded
                if item.article is None and item.record.media_keys and not item.carried
                and self._media_digest(item.record.media_keys) != item.record.media_digest
            ]  # fmt: skip
            found = self._fetch([item.uri for item in changed]) if changed else {}
        except NewsdeskError as error:
            raise ExportError(f"cannot read the media the articles use: {error}") from error
        if changed:
            for item in changed:
                article = found.get(item.uri)
                if article is not None:
                    item.article, item.record = article, record_of(article)
        out = []
        for item in loaded:
            if item.article is None:
                out.append(item)
                continue
            if item.article.status not in self.ctx.statuses:
                continue  # changed between the two reads
            article = item.article
            missing = [key for key in used_keys(article) if key not in self.assets]
            if missing:
                problems.append(
                    (article.created_at, item.uri, article.headline, _missing(article, missing))
                )
                continue
            item.record = self._media_record(item.record, article)
            out.append(item)
        return out

    def _fetch_media(self, keys: Sequence[str]) -> dict[str, MediaAsset]:
        found: dict[str, MediaAsset] = {}
        for start in range(0, len(keys), FETCH_BATCH):
            found.update(self.ctx.store.media_many(keys[start : start + FETCH_BATCH]))
        return found

    def _media_digest(self, keys: Sequence[str]) -> str:
        """Everything about ``keys``' files that an article's exported files show; with
        the rendition recipe (a rendition's name follows from the file and the recipe)."""
        if not keys:
            return ""
        text = f"{RECIPE_ID}\x00{media_digest(list(keys), self.assets)}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def _media_record(self, record: ArticleRecord, article: Article) -> ArticleRecord:
        """``record`` with the stored media ``article`` uses (sizes and hashes of its
        renditions are filled in once they are made)."""
        keys = used_keys(article)
        if not keys:
            return record
        media = {key: self.assets[key] for key in keys}
        files = [[r.path, "", 0] for r in self.ctx.renderer.media_renditions(article, media)]
        return record._replace(
            media_keys=keys,
            media_digest=self._media_digest(keys),
            media_files=files,
            media_notes=_notes(article, media),
        )

    def media_of(self, item: Planned) -> dict[str, MediaAsset]:
        """The stored files ``item`` uses, in the order it uses them."""
        return {key: self.assets[key] for key in item.record.media_keys if key in self.assets}

    def _bundle_pictures(self, item: Planned) -> dict[str, str]:
        """The files of the item's Markdown bundle: path below the export folder ->
        the rendition (path below the site) copied there."""
        if not item.record.media_keys:
            return {}
        folder = f"markdown/{item.record.section_slug}/{item.record.slug}"
        files = bundle_pictures(item.record.media_keys, self.assets)
        return {f"{folder}/{name}": rendition.path for name, rendition in files.values()}

    def _known(self, uri: str, version: int, updated_at: datetime) -> ArticleRecord | None:
        """The state's record of the article if it was exported as it is now, with the same
        settings (else its teaser and files must be made again), with its teaser if the
        site is made and it was not held back."""
        if self.ctx.state.settings != self.ctx.settings:
            return None
        record = self.ctx.state.articles.get(uri)
        if (
            record is None
            or record.version != version
            or record.updated_at != updated_at.isoformat()
            or (SITE in self.ctx.produced and not record.held and record.teaser is None)
        ):
            return None
        return record

    def _fetch(self, uris: Sequence[str]) -> dict[str, Article]:
        """Full articles by uri, read in batches."""
        found: dict[str, Article] = {}
        for start in range(0, len(uris), FETCH_BATCH):
            found.update(
                (a.uri, a) for a in self.ctx.store.read_many(uris[start : start + FETCH_BATCH])
            )
        return found

    def read_in_full(self, items: Iterable[Planned]) -> None:
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
            # A story a partial export kept may have been edited since: the feed shows it
            # as it is now (its own files stay as they were).
            if article is None or (article.version != item.record.version and not item.carried):
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
        return redirect_problem(article) if SITE in self.ctx.produced else None

    def plan(self, planned: list[Planned]) -> list[Planned]:
        self.by_uri = {item.uri: item for item in planned}
        for item in planned:
            release = item.record.release
            item.held = item.record.held if item.carried else self.ctx.held(item.record)
            if item.held:
                why = "embargoed" if item.record.embargoed else "scheduled"
                self.ctx.report.held.append(
                    ExportProblem(item.uri, item.headline, f"{why} until {release}")
                )
            if item.carried and not self.ctx.zipped:
                continue  # its files stay as they are: their paths are not needed
            formats = [f for f in self.ctx.produced if not (item.held and f in {SITE, FRAGMENT})]
            if MARKDOWN in formats:
                item.pictures = self._bundle_pictures(item)
            item.paths = relpaths(
                item.record.section_slug, item.record.slug, formats, bundle=bool(item.pictures)
            )
        self.linkable = {item.uri for item in planned if not item.held}
        # Unchanged: exported last time as it is now, held back then as now.
        unchanged = {p.uri for p in planned if p.article is None and p.record.held == p.held}
        before = self.ctx.state.articles
        stale = []
        for item in planned:
            if item.carried and item.record.fingerprint:
                item.fingerprint = item.record.fingerprint  # its files stay as they are
            elif item.uri in unchanged and all(
                uri in unchanged or (uri not in self.linkable and uri not in before)
                for uri in item.record.targets
            ):
                # Neither it nor the articles its related list shows changed: same files.
                item.fingerprint = item.record.fingerprint
            elif not self._surely_changed(item):
                stale.append(item)
            # else its files are made again: fingerprinted when rendered (_with_cache)
        self.resolve(stale)
        for item in stale:
            assert item.related is not None
            item.fingerprint = self._fingerprint(_digest(item), item.related)
        self._read_untold(planned)
        self.ctx.report.articles = len(planned)
        return planned

    def _read_untold(self, planned: list[Planned]) -> None:
        """Read the stories carried over whose record lacks the teaser the site's listings
        show (exports without the site dropped it before 2026-12-02): listed as they are."""
        if SITE in self.ctx.produced:
            self.read_in_full(
                [p for p in planned if p.carried and not p.held and p.record.teaser is None]
            )

    def _surely_changed(self, item: Planned) -> bool:
        """True when the item's files cannot be current, whatever its related list: the
        article or the settings changed since the folder's last export."""
        before = self.ctx.state.articles.get(item.uri)
        return (
            self.ctx.state.settings != self.ctx.settings
            or before is None
            or before.digest != item.record.digest
            or before.media_digest != item.record.media_digest
        )

    def fingerprint_items(self, items: Iterable[Planned]) -> None:
        """Resolve and fingerprint those of ``items`` not fingerprinted yet."""
        todo = [item for item in items if not item.fingerprint]
        self.resolve(todo)
        for item in todo:
            assert item.related is not None
            item.fingerprint = self._fingerprint(_digest(item), item.related)

    def resolve(self, items: list[Planned]) -> None:
        """Resolve the related lists of ``items``, reading them and the articles they link
        to where not read yet."""
        todo = [item for item in items if item.related is None]
        self.read_in_full(todo)
        targets = {
            link.target_uri
            for item in todo
            for link in item.article.related  # type: ignore[union-attr]
            if link.target_uri in self.linkable
        }
        self.read_in_full(self.by_uri[uri] for uri in targets)
        lookup = LinkTargets(self.by_uri, self.linkable)
        for item in todo:
            assert item.article is not None
            item.related = tuple(
                resolve_related(
                    item.article,
                    lookup,
                    self.ctx.profile,
                    statuses=self.ctx.statuses,
                    memo=self.memo,
                )
            )

    def _fingerprint(self, digest: str, related: Sequence[ResolvedRelated]) -> str:
        """Everything an article's files are made from, hashed (plain tuples: fast repr)."""
        links = tuple(
            (r.title, r.url, r.path, r.target_uri, r.relation.value, r.section) for r in related
        )
        hashed = hashlib.sha256(f"{self.ctx.settings}\x00{digest}\x00".encode())
        hashed.update(repr(links).encode("utf-8", "surrogatepass"))
        return hashed.hexdigest()[:32]


# Keys read without a call a story (ten thousand in a big archive).
_ADDRESS = operator.attrgetter("record.section_slug", "record.slug")
_BY_ADDRESS = operator.attrgetter("record.section_slug", "record.slug", "uri")
_FIRST = operator.itemgetter(0)


def _one_per_address(
    loaded: list[Planned], problems: list[tuple[datetime, str, str, str]]
) -> list[Planned]:
    """``loaded`` less the articles whose address an older one has (each such one added
    to ``problems``). Creation times are read only for the addresses shared."""
    if len(set(map(_ADDRESS, loaded))) == len(loaded):
        return loaded  # no address shared: the usual case, told at once
    by_address: dict[tuple[str, str], list[Planned]] = {}
    for item in loaded:
        by_address.setdefault((item.record.section_slug, item.record.slug), []).append(item)
    valid = []
    for (section, slug), items in by_address.items():
        if len(items) > 1:
            moments = {p.uri: datetime.fromisoformat(p.record.created_at) for p in items}
            items.sort(key=lambda p: (moments[p.uri], p.uri))
            first = items[0]
            for item in items[1:]:
                problem = (
                    f"its address /{section}/{slug}/ is already used by "
                    f"{first.headline!r}; give one of them another slug"
                )
                problems.append((moments[item.uri], item.uri, item.headline, problem))
        valid.append(items[0])
    return valid


def _one_per_former_address(
    loaded: list[Planned], problems: list[tuple[datetime, str, str, str]]
) -> list[Planned]:
    """``loaded`` less the stories whose redirect pages would overwrite another story's
    page or redirect page, or a section page (each added to ``problems``)."""
    if not any(p.record.redirects for p in loaded):
        return loaded  # no former addresses: the usual case, told at once
    oldest_first = sorted(loaded, key=lambda p: (p.record.created_at, p.uri))
    claims = [
        Claim(p.uri, p.headline, f"{p.record.section_slug}/{p.record.slug}/index.html",
              tuple(p.record.redirects))
        for p in oldest_first
    ]  # fmt: skip
    refused = clashes(claims, {p.record.section_slug for p in loaded})
    for item in oldest_first:
        if item.uri in refused:
            moment = datetime.fromisoformat(item.record.created_at)
            problems.append((moment, item.uri, item.headline, refused[item.uri]))
    return [p for p in loaded if p.uri not in refused]


def record_of(article: Article) -> ArticleRecord:
    """What the state file keeps of an article read in full (without the parts that
    depend on this run: held back, fingerprint, teaser)."""
    release = release_moment(article)
    section, slug = article_segments(article)
    return ArticleRecord(
        version=article.version,
        updated_at=article.updated_at.isoformat(),
        digest=own_digest(article),
        created_at=article.created_at.isoformat(),
        section_slug=section,
        slug=slug,
        headline=article.headline,
        release=None if release is None else release.isoformat(),
        embargoed=bool(article.embargo_until),
        modified=modified_moment(article).isoformat(),
        published=published_moment(article).isoformat(),
        targets=sorted({link.target_uri for link in article.related if link.target_uri}),
        redirects=usable_redirect_paths(article),
    )


def _digest(item: Planned) -> str:
    """The article's own digest and that of the stored files it shows."""
    record = item.record
    return f"{record.digest}/{record.media_digest}" if record.media_digest else record.digest


def _missing(article: Article, keys: Sequence[str]) -> str:
    """Why an article referring to files the store lacks is left out, and what to do."""
    featured = key_of(article.image.src) if article.image else None
    audio = key_of(article.audio.src) if article.audio else None
    words = body_picture_words(article.body)
    named = []
    for key in keys:
        if key == featured:
            named.append(f"its featured image (media:{key})")
        elif key == audio:
            named.append(f"its audio (media:{key})")
        else:
            alt = words.get(key, ("", ""))[0]
            what = f"the picture “{alt}”" if alt else "a picture"
            named.append(f"{what} (media:{key})")
    return (
        f"{', '.join(named)} {'is' if len(named) == 1 else 'are'} missing from the media "
        "library; add the file again and place it in the story, or remove the reference"
    )


def _notes(article: Article, media: Mapping[str, MediaAsset]) -> list[str]:
    """Each picture without alt text or credit where the story places it (the featured
    image with its own words, the body's pictures with theirs), as the summary names it."""
    featured = key_of(article.image.src) if article.image else None
    words = body_picture_words(article.body)
    notes = []
    for key, asset in media.items():
        if asset.kind != MediaKind.IMAGE:
            continue
        found: dict[str, None] = {}
        if key == featured and article.image is not None:
            found.update(
                dict.fromkeys(media_problems(asset, article.image.alt, article.image.credit))
            )
        if key in words or key != featured:
            found.update(dict.fromkeys(media_problems(asset, words.get(key, ("", ""))[0], "")))
        if found:
            lacks = sorted({p.rsplit(" has ", 1)[-1] for p in found})
            notes.append(f"{asset.filename} ({', '.join(lacks)})")
    return notes


class LinkTargets(Mapping[str, Article]):
    """The articles related links may point at (those not held back), as read so far."""

    def __init__(self, items: dict[str, Planned], linkable: set[str]) -> None:
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


def own_digest(article: Article) -> str:
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
