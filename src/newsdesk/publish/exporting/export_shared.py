"""The site's shared files (listing pages, feed, sitemap) and the bundle of an export."""

from __future__ import annotations

import functools
import hashlib
import heapq
import operator
import os
from pathlib import Path

from newsdesk.core.models import Article
from newsdesk.publish.counts import RenderedBody
from newsdesk.publish.exporting.export_plan import ExportContext, Planned, Stories, own_digest
from newsdesk.publish.exporting.export_report import GENERATOR, ExportSource
from newsdesk.publish.exporting.outputs import JobResult, fragment_sidecar
from newsdesk.publish.folder.state import FileRecords
from newsdesk.publish.folder.transaction import Staging
from newsdesk.publish.formats import FILE_FORMATS, FRAGMENT, SITE
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
from newsdesk.publish.media.export_media import MediaFiles
from newsdesk.publish.media.renditions import relocate_media
from newsdesk.publish.related import base_url
from newsdesk.publish.renderer import NOT_FOUND
from newsdesk.publish.sanitize import clean_html, without_source_lines
from newsdesk.publish.views import display_moment


class SharedFiles:
    """Files made from many articles: made again when their inputs changed."""

    def __init__(self, ctx: ExportContext, stories: Stories, media: MediaFiles) -> None:
        self.ctx = ctx
        self.stories = stories
        self.media = media  # where a zip's renditions are copied from
        self.entries: dict[str, SiteEntry] = {}  # uri -> listing entry, made when read
        self._teaser_keys: dict[str, tuple[float, str]] = {}  # uri -> its teaser's sort key
        self._shown: list[SiteEntry] | None = None  # the listing entries, once made

    def site_files(self, planned: list[Planned]) -> list[tuple[str, bytes | None, str | None]]:
        """The site's shared files as ``(path, bytes, key)``: bytes ``None`` for a listing
        page whose inputs (hashed to ``key``) are those of the page already exported."""
        entries = self._listing_entries(planned)
        current = self._page_is_current if SITE in self.ctx.committed else _never
        files: list[tuple[str, bytes | None, str | None]] = []
        files += listing_pages(self.ctx.renderer, entries, salt=self.ctx.settings, current=current)
        listing_paths = [path for path, _, _ in files]
        others = sitemap_files(entries, listing_paths, self.ctx.profile)
        others.append(("robots.txt", robots_txt(self.ctx.profile)))
        others.append((NOT_FOUND, self._not_found(entries)))
        others += sorted(self.ctx.renderer.assets().items())
        files += [(path, data, None) for path, data in others]
        return files

    def _listing_entries(self, planned: list[Planned]) -> list[SiteEntry]:
        """The entry of each story the listings show, in planning order; kept for the
        feed, which picks its stories by their sort keys."""
        made, records = self.entries, self.ctx.state.articles
        entries = []
        for item in planned:  # ten thousand in a big archive: no call a story not read
            if item.held:
                continue
            entry = made.get(item.uri)
            if entry is None and item.article is None:
                fields = records[item.uri].teaser
                assert fields is not None  # else read in full when planned
                item.teaser = fields
                record = item.record
                entry = _ENTRY(((fields[10], fields[11]), fields, record.modified, record.digest))
            entries.append(entry or self.site_entry(item))
        self._shown = entries
        return entries

    def _not_found(self, entries: list[SiteEntry]) -> bytes:
        """The 404 page, its footer's year that of the listing pages (the newest story's)."""
        newest = min(entries, key=_SORT_KEY, default=None)
        year = str(int(newest.fields[9][:4])) if newest else "1970"  # its date_iso
        return self.ctx.renderer.not_found_html(year=year).encode()

    def site_entry(self, item: Planned) -> SiteEntry:
        """The item's entry in the listings: its teaser is the last export's when the
        article was not read (it is unchanged, and so are the settings)."""
        if item.article is None:
            fields = self.ctx.state.articles[item.uri].teaser
            assert fields is not None
            entry = SiteEntry.of_fields(fields, item.record.modified, item.record.digest)
        else:
            entry = site_entry(item.article, self.ctx.profile, _made_from(item, item.article))
        item.teaser = entry.fields
        return entry

    def latest(self, planned: list[Planned]) -> list[Planned]:
        """The articles of the feed: as ``newest`` orders them, from what is known (the
        listing entries' sort keys once they are made: the same keys)."""
        if self._shown is not None:
            firsts = heapq.nsmallest(FEED_SIZE, self._shown, key=_SORT_KEY)
            return [self.stories.by_uri[entry.fields[0]] for entry in firsts]
        shown = (p for p in planned if not p.held)
        return heapq.nsmallest(FEED_SIZE, shown, key=self._sort_key)

    def _sort_key(self, item: Planned) -> tuple[float, str]:
        if item.article is not None:
            return (-display_moment(item.article).timestamp(), item.uri)
        known = self._teaser_keys.get(item.uri)
        if known is None:
            fields = item.record.teaser  # the record read, as the article was not
            assert fields is not None
            known = self._teaser_keys[item.uri] = (float(fields[10]), str(fields[11]))
        return known

    def _page_is_current(self, path: str, key: str) -> bool:
        record = self.ctx.state.files.get(f"site/{path}")
        return (
            record is not None
            and record.fingerprint == key
            and os.path.isfile(f"{self.ctx.folder}/site/{path}")
        )

    def stage_feed(
        self,
        planned: list[Planned],
        results: list[JobResult],
        staging: Staging,
        staged: dict[str, tuple[str, int]],
        cache: ExportSource | None,
    ) -> str:
        """Stage the feed unless it would be the one on disk (into ``staged``, with bodies
        from ``results``, else from ``cache``); returns its inputs' key."""
        latest = self.latest(planned)
        # The newest stories, each as its digest tells (body and every field it shows).
        inputs = repr([(p.uri, p.record.digest, p.record.media_digest) for p in latest])
        key = hashlib.sha256(f"{self.ctx.settings}\x00{inputs}".encode()).hexdigest()[:32]
        if SITE in self.ctx.committed and self._page_is_current("feed.xml", key):
            return key
        self.stories.read_in_full(latest)
        articles = [p.article for p in latest if p.article is not None]
        fresh = {
            r.uri: RenderedBody.from_cache(r.fresh_body)
            for r in results
            if r.fresh_body is not None
        }
        stored = self._feed_bodies([a for a in articles if fresh.get(a.uri) is None], cache)
        bodies = {}
        media_url = base_url(self.ctx.profile) + "media/"  # a feed reader is elsewhere
        for article in articles:
            body = fresh.get(article.uri) or stored[article.uri]
            bodies[article.uri] = relocate_media(without_source_lines(body.html), media_url)
        staged["site/feed.xml"] = staging.write(
            "site/feed.xml", feed_file(articles, bodies, self.ctx.profile)
        )
        return key

    def _feed_bodies(
        self, articles: list[Article], cache: ExportSource | None
    ) -> dict[str, RenderedBody]:
        """Bodies of the feed's articles not rendered in this run: from the cache (checked
        again, as the renderer does), else rendered now and cached."""
        media = {a.uri: self.stories.media_of(self.stories.by_uri[a.uri]) for a in articles}
        if cache is None or not articles:
            return {a.uri: self.ctx.renderer.render_body(a, media[a.uri]) for a in articles}
        keys = {a.uri: self.ctx.renderer.body_key(a, media[a.uri]) for a in articles}
        entries = cache.cached_renders(list(keys.values()))
        bodies: dict[str, RenderedBody] = {}
        fresh: dict[str, str] = {}
        for article in articles:
            cached = RenderedBody.from_cache(entries.get(keys[article.uri]))
            if cached is not None:
                bodies[article.uri] = RenderedBody(
                    clean_html(cached.html), cached.words, cached.chars
                )
            else:
                bodies[article.uri] = self.ctx.renderer.render_body(article, media[article.uri])
                fresh[keys[article.uri]] = bodies[article.uri].to_cache()
        if fresh:
            cache.store_renders(fresh)
        return bodies

    def matches_state(self, path: str, data: bytes) -> bool:
        record = self.ctx.state.files.get(path)
        return (
            record is not None
            and record.sha256 == hashlib.sha256(data).hexdigest()
            and (self.ctx.root / path).is_file()
        )

    def _zipped_media(self, planned: list[Planned]) -> list[BundleFile]:
        """The renditions of the formats zipped but not written into the folder: copied
        from the copy this run made or found."""
        tops = [t for t in (SITE, FRAGMENT) if t not in self.ctx.committed]
        if not tops:
            return []
        paths = sorted({entry[0] for p in planned if not p.held for entry in p.record.media_files})
        return [
            BundleFile(f"{top}/{path}", Path(self.media.source_for(path)))
            for top in tops
            for path in paths
        ]

    def bundle_is_current(self) -> bool:
        return BUNDLE_NAME in self.ctx.state.files and (self.ctx.root / BUNDLE_NAME).is_file()

    def stage_bundle(
        self,
        planned: list[Planned],
        staging: Staging,
        staged: dict[str, tuple[str, int]],
        records: FileRecords,
    ) -> None:
        """Stage the bundle (into ``staged``): every file of the folder's record to be,
        from staging where staged, else from the folder."""
        owner = {path: p for p in planned for path in [*p.paths.values(), *p.pictures]}
        owner |= {fragment_sidecar(p.paths[FRAGMENT]): p for p in planned if FRAGMENT in p.paths}
        files = self._zipped_media(planned)
        for path in sorted(records.keys() | staged.keys()):
            if path.split("/", 1)[0] not in FILE_FORMATS:
                continue
            if path in staged:
                source = staging.path(path)
            elif path in records and (self.ctx.root / path).is_file():
                source = self.ctx.root / path
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
            self.ctx.profile,
            generator=GENERATOR,
            newest=max(moments) if moments else None,
            extra={"renderer": self.ctx.renderer.version, "articles": len(planned)},
        )
        staged[BUNDLE_NAME] = (sha, target.stat().st_size)
        self.ctx.report.bundle = self.ctx.root / BUNDLE_NAME


def _made_from(item: Planned, article: Article) -> str:
    """The digest of the article shown: the record's when it describes that very save (a
    story a partial export kept may have been read since, as edited)."""
    record = item.record
    if record.version == article.version and record.updated_at == article.updated_at.isoformat():
        return record.digest
    return own_digest(article)


def _never(path: str, key: str) -> bool:
    return False


_SORT_KEY = operator.attrgetter("sort_key")
_ENTRY = functools.partial(tuple.__new__, SiteEntry)  # _make without its Python call
