"""The SQLAlchemy implementation of the store protocol: one short transaction per call."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Engine,
    Integer,
    String,
    Text,
    and_,
    any_,
    column,
    delete,
    exists,
    func,
    literal,
    select,
    table,
    tuple_,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from newsdesk.core.errors import ConflictError, DuplicateSlugError, NotFoundError, StoreError
from newsdesk.core.history import AUTOSAVE
from newsdesk.core.media.media import MediaAsset, MediaInfo, MediaKind, MediaUse
from newsdesk.core.models import (
    Article,
    ArticleSummary,
    PublicationProfile,
    RelatedLink,
    Revision,
    SearchHit,
    Status,
)
from newsdesk.core.ports import (
    ArticleQuery,
    Progress,
    SortKey,
    StoreInfo,
    no_progress,
)
from newsdesk.core.related.health import LinkCheck
from newsdesk.core.slugs import unique_slug
from newsdesk.store import media as media_rows
from newsdesk.store import newsroom_words as word_rows
from newsdesk.store import revisions as revision_rows
from newsdesk.store import sync_track
from newsdesk.store.backup import restore_advised
from newsdesk.store.engine import redact, translated_errors
from newsdesk.store.link_checks import read_checks, write_checks
from newsdesk.store.listing import read_listed
from newsdesk.store.mapping import (
    SUMMARY_COLUMNS,
    article_from_row,
    article_from_values,
    child_rows,
    fill_row,
    link_from_columns,
    required_moment,
    summary_from_columns,
)
from newsdesk.store.migrate import HEAD
from newsdesk.store.schema import (
    ArticleRow,
    RelatedLinkRow,
    RenderCacheRow,
    RevisionRow,
    SettingRow,
    SyncTombstoneRow,
    TagRow,
    UTCDateTime,
    new_rev_id,
)
from newsdesk.store.term_stats import TermStats

if TYPE_CHECKING:  # search and suggestions load at the first search or suggestion
    from newsdesk.core.related.suggest import Suggestion

SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.UPDATED: ArticleRow.updated_at,
    SortKey.CREATED: ArticleRow.created_at,
    SortKey.DISPLAY_DATE: ArticleRow.display_date,
    SortKey.HEADLINE: ArticleRow.headline,
    SortKey.STATUS: ArticleRow.status,
    SortKey.SECTION: ArticleRow.section,
    SortKey.BYLINE: ArticleRow.byline,
}
TAGGED = table(
    "article_tag",
    column("tag", String),
    column("article_id", Integer),
    column("updated_at", UTCDateTime()),
).alias("tagged")
"""PostgreSQL's tag rows with their article's update time, kept by triggers (0009)."""
PROFILE_KEY = "publication_profile"
RARE_TAG = 2000  # articles; below this a tag filter starts from the tag index
DEEP_OFFSET = 1000  # rows; past this PostgreSQL finds a page's ids in the index first
IN_CHUNK = 500  # keys per IN (...) list: well under every engine's parameter limit
# Every column of an article, timestamps and JSON as the driver gives them (``_moment`` and
# ``_json`` finish the job): the generic per-value type processing costs more than the
# rest of a bulk read.
BULK_COLUMNS = (
    ArticleRow.id,
    ArticleRow.uri,
    ArticleRow.version,
    ArticleRow.status,
    ArticleRow.headline,
    ArticleRow.kicker,
    ArticleRow.standfirst,
    ArticleRow.slug,
    ArticleRow.slug_locked,
    ArticleRow.byline,
    type_coerce(ArticleRow.authors, Text).label("authors"),
    ArticleRow.dateline,
    ArticleRow.section,
    ArticleRow.body,
    ArticleRow.language,
    type_coerce(ArticleRow.created_at, Text).label("created_at"),
    type_coerce(ArticleRow.updated_at, Text).label("updated_at"),
    type_coerce(ArticleRow.first_published_at, Text).label("first_published_at"),
    type_coerce(ArticleRow.display_date, Text).label("display_date"),
    type_coerce(ArticleRow.embargo_until, Text).label("embargo_until"),
    ArticleRow.seo_title,
    ArticleRow.seo_description,
    ArticleRow.canonical_url,
    ArticleRow.editor_note,
    type_coerce(ArticleRow.image, Text).label("image"),
    type_coerce(ArticleRow.audio, Text).label("audio"),
    type_coerce(ArticleRow.corrections, Text).label("corrections"),
    type_coerce(ArticleRow.aliases, Text).label("aliases"),
)
LINK_COLUMNS = (
    RelatedLinkRow.article_id,
    RelatedLinkRow.title,
    RelatedLinkRow.target_uri,
    RelatedLinkRow.url,
    RelatedLinkRow.relation,
    RelatedLinkRow.pinned,
)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlStore:
    """Articles, links, revisions and settings in a SQLite file or a PostgreSQL database."""

    def __init__(self, engine: Engine, url: str, *, read_only: str = "") -> None:
        self._engine = engine
        self.read_only = read_only
        """Why nothing may be written ("" when the store takes writes)."""
        self._writer = engine.execution_options(newsdesk_write=True)
        self.url = url
        self.dialect = engine.dialect.name
        self._term_stats = TermStats()
        self.clock: Callable[[], datetime] = _now
        """The time of saves and revisions (tests set a controllable one)."""

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with (
            restore_advised(),
            translated_errors(self.url),
            Session(self._engine) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        if self.read_only:  # said at once, before any driver error could say it worse
            raise StoreError(self.read_only)
        with (
            restore_advised(),
            translated_errors(self.url),
            Session(self._writer) as session,
            session.begin(),
        ):
            yield session
            sync_track.stamp(session)  # last: the clock row stays locked until the commit

    def transaction(self, *, write: bool) -> AbstractContextManager[Session]:
        """One transaction, for the store's own modules (sync): sessions never leave
        ``store``. A write transaction stamps its changes for sync as it commits."""
        return self._write() if write else self._read()

    def close(self) -> None:
        self._engine.dispose()

    def info(self) -> StoreInfo:
        with self._read() as session:
            count = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
        return StoreInfo(redact(self.url), self.dialect, HEAD, count, self.read_only)

    # -- articles -------------------------------------------------------------------

    def create(self, article: Article) -> Article:
        with self._write() as session:
            return self._insert(session, article)

    def create_many(
        self,
        articles: Sequence[Article],
        progress: Progress = no_progress,
        *,
        media: Sequence[tuple[MediaAsset, bytes]] = (),
        updates: Sequence[Article] = (),
    ) -> int:
        """Insert all ``articles``, and the ``media`` files they refer to (keys chosen by
        the caller), and save the stored ``updates`` (each at the version read, with an
        "import" revision), in one transaction: all or nothing."""
        total = len(articles) + len(updates)
        with self._write() as session:
            media_rows.insert_assets(session, media, self.clock())
            for done, article in enumerate(articles, start=1):
                self._insert(session, article)
                if done % 50 == 0 or done == total:
                    progress(done, total)
            for done, article in enumerate(updates, start=len(articles) + 1):
                self._update(session, article.normalized(), "import")
                if done % 50 == 0 or done == total:
                    progress(done, total)
        return total

    def _insert(self, session: Session, article: Article, *, normalize: bool = True) -> Article:
        if normalize:
            article = self._with_free_slug(session, article.normalized(), None)
        self._check_slug_free(session, article.slug, None)
        if session.scalar(select(ArticleRow.id).where(ArticleRow.uri == article.uri)):
            raise StoreError(f"an article with uri {article.uri} is already in the store")
        row = ArticleRow(version=1, head_rev=new_rev_id())
        fill_row(row, article)
        session.add(row)
        session.execute(delete(SyncTombstoneRow).where(SyncTombstoneRow.uri == article.uri))
        sync_track.touch(session, article.uri)
        try:
            session.flush()
        except IntegrityError as exc:
            raise DuplicateSlugError(f"slug {article.slug!r} is already taken") from exc
        session.add_all(child_rows(row.id, article))
        session.flush()
        media_rows.record_use(session, row.id, article, new=True)
        return _with_identity(article, row.id, 1)

    def save(self, article: Article, *, reason: str | None = None) -> Article:
        article = article.normalized()
        if article.id is None:
            raise NotFoundError("this article was never stored; create it first")
        with self._write() as session:
            return self._update(session, article, reason)

    def _update(self, session: Session, article: Article, reason: str | None) -> Article:
        """Write ``article`` (normalized, stored) if its version is still the stored one."""
        article_id = article.id
        assert article_id is not None
        row = session.get(ArticleRow, article.id)
        if row is None:
            raise NotFoundError(
                f"the article {article.headline!r} is no longer in the store (deleted "
                "elsewhere); create it again to keep your text"
            )
        if row.version != article.version:
            raise ConflictError(
                f"{article.headline!r} was changed elsewhere (stored version "
                f"{row.version}, yours {article.version}); your text was not written",
                current_version=row.version,
            )
        if row.first_published_at is not None and row.slug != article.slug:
            raise StoreError(f"the slug of a published article cannot change (it is {row.slug!r})")
        article = self._with_free_slug(session, article, article.id)
        self._check_slug_free(session, article.slug, article.id)
        stamped = _with_identity(article, article_id, row.version + 1)
        stamped = _replace(stamped, updated_at=self.clock())
        # Compare-and-set on the version: a concurrent writer on another machine
        # that got past the check above still cannot overwrite silently.
        result = session.execute(
            update(ArticleRow)
            .where(ArticleRow.id == article.id, ArticleRow.version == article.version)
            .values(version=row.version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConflictError(
                f"{article.headline!r} was changed elsewhere while saving; your text "
                "was not written"
            )
        session.refresh(row)
        fill_row(row, stamped)
        row.head_rev = new_rev_id()  # a new version of the story, wherever it goes
        sync_track.touch(session, article.uri)
        session.execute(delete(TagRow).where(TagRow.article_id == article.id))
        session.execute(delete(RelatedLinkRow).where(RelatedLinkRow.article_id == article.id))
        session.flush()
        session.add_all(child_rows(article_id, stamped))
        media_rows.record_use(session, article_id, stamped, new=False)
        if reason == AUTOSAVE:
            self._autosave_revision(session, stamped)
        elif reason:
            self._add_revision(session, stamped, reason)
        return stamped

    def _with_free_slug(self, session: Session, article: Article, own_id: int | None) -> Article:
        """A derived slug that clashes gets a numbered variant; a chosen one never moves."""
        if article.slug_locked or article.slug_frozen:
            return article
        base = article.slug
        rows = session.execute(
            select(ArticleRow.slug, ArticleRow.id).where(
                (ArticleRow.slug == base) | ArticleRow.slug.like(f"{base}-%")
            )
        ).all()
        taken = {slug for slug, row_id in rows if row_id != own_id}
        if base not in taken:
            return article
        return _replace(article, slug=unique_slug(base, taken))

    def _check_slug_free(self, session: Session, slug: str, own_id: int | None) -> None:
        clash = session.execute(
            select(ArticleRow.id, ArticleRow.headline).where(ArticleRow.slug == slug)
        ).first()
        if clash is not None and clash.id != own_id:
            raise DuplicateSlugError(
                f"slug {slug!r} is already used by {clash.headline!r}; choose another slug"
            )

    def get(self, uri: str) -> Article:
        return self._get_one(ArticleRow.uri == uri, f"no article with uri {uri}")

    def get_by_slug(self, slug: str) -> Article:
        return self._get_one(ArticleRow.slug == slug, f"no article with slug {slug!r}")

    def get_by_id(self, article_id: int) -> Article:
        return self._get_one(ArticleRow.id == article_id, f"no article with id {article_id}")

    def _get_one(self, condition: Any, missing: str) -> Article:
        with self._read() as session:
            row = session.scalars(
                select(ArticleRow)
                .where(condition)
                .options(selectinload(ArticleRow.tags), selectinload(ArticleRow.related))
            ).first()
            if row is None:
                raise NotFoundError(missing)
            return article_from_row(row)

    def get_many(self, uris: Sequence[str]) -> list[Article]:
        if not uris:
            return []
        with self._read() as session:
            rows = session.scalars(
                select(ArticleRow)
                .where(ArticleRow.uri.in_(list(uris)))
                .options(selectinload(ArticleRow.tags), selectinload(ArticleRow.related))
            ).all()
            by_uri = {row.uri: article_from_row(row) for row in rows}
        return [by_uri[u] for u in uris if u in by_uri]

    def delete(self, uri: str) -> None:
        with self._write() as session:
            revs = session.execute(
                select(ArticleRow.base_rev, ArticleRow.head_rev).where(ArticleRow.uri == uri)
            ).first()
            result = session.execute(delete(ArticleRow).where(ArticleRow.uri == uri))
            if result.rowcount == 0 or revs is None:  # type: ignore[attr-defined]
                raise NotFoundError(f"no article with uri {uri}")
            # A tombstone, so that the delete reaches the other stores through sync.
            session.merge(
                SyncTombstoneRow(
                    uri=uri,
                    base_rev=revs.base_rev,
                    head_rev=revs.head_rev,
                    seq=0,
                    deleted_at=self.clock(),
                )
            )
            sync_track.touch(session, uri)

    # -- listing and search -----------------------------------------------------------

    def _filters(self, query: ArticleQuery, session: Session | None = None) -> list[Any]:
        conditions: list[Any] = []
        if query.statuses:
            conditions.append(ArticleRow.status.in_(sorted(s.value for s in query.statuses)))
        if query.section:
            conditions.append(ArticleRow.section == query.section)
        if query.tag:
            conditions.append(self._tag_condition(query.tag, session))
        return conditions

    def _tag_condition(self, tag: str, session: Session | None) -> Any:
        """Drive a tag filter from the tag index when the tag is rare (a semi-join), and
        from the sort index with a per-row check when it is common."""
        tagged = select(TagRow.article_id).where(TagRow.tag == tag)
        if session is not None:
            count = session.scalar(select(func.count()).select_from(tagged.subquery()))
            if (count or 0) >= RARE_TAG:
                return exists().where(and_(TagRow.article_id == ArticleRow.id, TagRow.tag == tag))
            if self.dialect == "postgresql":
                # PostgreSQL plans IN and EXISTS alike, walking the sort index for a tag
                # of 1% of the archive; an array of its ids is read by primary key.
                return ArticleRow.id == any_(func.array(tagged.scalar_subquery()))
        return ArticleRow.id.in_(tagged)

    @staticmethod
    def _page_keys(query: ArticleQuery, by_tag: bool = False) -> list[Any]:
        if by_tag:  # the same values, from the tag index (PostgreSQL)
            return [TAGGED.c.updated_at, TAGGED.c.article_id]
        keys = [SORT_COLUMNS[query.sort]]
        if query.sort in {SortKey.STATUS, SortKey.SECTION}:
            keys.append(ArticleRow.updated_at)  # served by the (status|section, updated_at) index
        keys.append(ArticleRow.id)
        return keys

    def _page_order(self, query: ArticleQuery, by_tag: bool) -> list[Any]:
        keys = self._page_keys(query, by_tag)
        order = [key.desc() if query.descending else key.asc() for key in keys]
        if query.sort is SortKey.DISPLAY_DATE:
            # Undated stories last either way, on both engines (PostgreSQL would put them
            # first when descending); an index of each engine serves this order.
            order[0] = order[0].nulls_last()
        return order

    def _after(
        self, session: Session, query: ArticleQuery, by_tag: bool, filters: list[Any]
    ) -> Any | None:
        """Keyset paging: the rows after the ``after`` article in the page's order (an
        index range, however deep), or None when that article is gone."""
        keys = self._page_keys(query, by_tag)
        anchor = session.execute(
            select(*self._page_keys(query)).where(ArticleRow.id == query.after)
        ).first()
        if anchor is None:
            return None
        values = [literal(value, key.type) for key, value in zip(keys, anchor, strict=True)]

        def beyond(left: Any, right: Any) -> Any:
            return left < right if query.descending else left > right

        if query.sort is not SortKey.DISPLAY_DATE:
            return beyond(tuple_(*keys), tuple_(*values))
        date = ArticleRow.display_date
        if anchor[0] is None:  # among the undated, which come last either way
            return and_(date.is_(None), beyond(ArticleRow.id, values[1]))
        # The later dated rows, then the undated: one index range each (an OR of the two
        # would read the whole index).
        order = self._page_order(query, False)
        branches = [
            select(ArticleRow.id)
            .where(*filters, condition)
            .order_by(*order)
            .limit(query.limit)
            .subquery()
            .select()
            for condition in (beyond(tuple_(*keys), tuple_(*values)), date.is_(None))
        ]
        return ArticleRow.id.in_(union_all(*branches))

    def list_page(self, query: ArticleQuery) -> list[ArticleSummary]:
        # PostgreSQL pages a tag in update order from the tag index itself (0009).
        by_tag = self.dialect == "postgresql" and bool(query.tag) and query.sort is SortKey.UPDATED
        order = self._page_order(query, by_tag)
        source: Any = ArticleRow.__table__
        with self._read() as session:
            if by_tag:
                filters = [TAGGED.c.tag == query.tag, *self._filters(_without_tag(query))]
                source = source.join(TAGGED, TAGGED.c.article_id == ArticleRow.id)
            else:
                filters = self._filters(query, session)
            offset = query.offset
            after = None
            if query.after is not None:
                after = self._after(session, query, by_tag, filters)
            if after is not None:
                filters, offset = [*filters, after], 0
            if self.dialect == "postgresql" and offset > DEEP_OFFSET:
                # PostgreSQL fetches the row of every skipped index entry; skipping in the
                # (key, id) index alone (an index-only scan) and reading 50 rows is cheap.
                ids = (
                    select(ArticleRow.id)
                    .select_from(source)
                    .where(*filters)
                    .order_by(*order)
                    .offset(offset)
                    .limit(query.limit)
                    .subquery("page")
                )
                order = self._page_order(query, False)
                statement = (
                    select(*SUMMARY_COLUMNS).join(ids, ids.c.id == ArticleRow.id).order_by(*order)
                )
            else:
                statement = (
                    select(*SUMMARY_COLUMNS)
                    .select_from(source)
                    .where(*filters)
                    .order_by(*order)
                    .offset(offset)
                    .limit(query.limit)
                )
            return [summary_from_columns(r) for r in session.execute(statement)]

    def count(self, query: ArticleQuery) -> int:
        statement = select(func.count()).select_from(ArticleRow).where(*self._filters(query))
        with self._read() as session:
            return session.scalar(statement) or 0

    def search(
        self, text: str, *, limit: int = 50, query: ArticleQuery | None = None
    ) -> list[SearchHit]:
        from newsdesk.core.search import parse_query  # loaded at the first search
        from newsdesk.store import search as fts

        parsed = parse_query(text, prefix_last=True)
        if parsed.is_empty:
            return []
        query = query or ArticleQuery()
        with self._read() as session:
            if self.dialect == "sqlite":
                # Rank inside the FTS index and read list columns for the winners only.
                top = fts.sqlite_top(parsed, limit, query)
                statement = select(*SUMMARY_COLUMNS, top.c.score).join(
                    top, top.c.id == ArticleRow.id
                )
            else:
                filters = self._filters(query, session)
                ids, score = fts.postgres_top(session, parsed, filters, self._term_stats)
                if not ids:
                    return []
                statement = (
                    select(*SUMMARY_COLUMNS, score.label("score"))
                    .where(ArticleRow.id.in_(ids))
                    .limit(limit)
                )
            statement = statement.order_by(text_score_desc(statement), ArticleRow.id.desc())
            return [
                SearchHit(summary_from_columns(r), float(r.score))
                for r in session.execute(statement)
            ]

    def suggest_related(
        self, article: Article, *, limit: int = 10, exclude: Collection[str] = ()
    ) -> list[Suggestion]:
        """Archive articles related to ``article``, best first (``store/suggestions.py``)."""
        from newsdesk.store import suggestions  # loaded at the first suggestion

        with self._read() as session:
            return suggestions.suggest_related(
                session, self.dialect, self._term_stats, article, limit=limit, exclude=exclude
            )

    def iter_articles(
        self, query: ArticleQuery | None = None, *, batch: int = 200
    ) -> Iterator[Article]:
        """Every matching article, in id order, read in batches (each its own transaction)."""
        query = query or ArticleQuery()
        last_id = 0
        while True:
            with self._read() as session:
                rows = session.scalars(
                    select(ArticleRow)
                    .where(ArticleRow.id > last_id, *self._filters(query))
                    .order_by(ArticleRow.id)
                    .limit(batch)
                    .options(selectinload(ArticleRow.tags), selectinload(ArticleRow.related))
                ).all()
                articles = [article_from_row(r) for r in rows]
            if not articles:
                return
            yield from articles
            last_id = articles[-1].id or last_id

    def sections(self) -> list[str]:
        with self._read() as session:
            return list(
                session.scalars(
                    select(ArticleRow.section)
                    .where(ArticleRow.section != "")
                    .distinct()
                    .order_by(ArticleRow.section)
                )
            )

    def tags(self) -> list[str]:
        with self._read() as session:
            return list(session.scalars(select(TagRow.tag).distinct().order_by(TagRow.tag)))

    def slugs_taken(self, candidates: Iterable[str]) -> set[str]:
        wanted = list(set(candidates))
        taken: set[str] = set()
        if not wanted:
            return taken
        with self._read() as session:
            for start in range(0, len(wanted), IN_CHUNK):  # under each engine's parameter limit
                chunk = wanted[start : start + IN_CHUNK]
                taken.update(
                    session.scalars(select(ArticleRow.slug).where(ArticleRow.slug.in_(chunk)))
                )
        return taken

    # -- media (store/media.py) ---------------------------------------------------------

    def add_media(self, data: bytes, info: MediaInfo, filename: str) -> tuple[MediaAsset, bool]:
        with self._write() as session:
            return media_rows.add(session, data, info, filename, self.clock())

    def get_media(self, key: str) -> MediaAsset:
        with self._read() as session:
            return media_rows.get(session, key)

    def media_many(self, keys: Collection[str]) -> dict[str, MediaAsset]:
        with self._read() as session:
            return media_rows.many(session, keys)

    def media_by_sha(self, shas: Collection[str]) -> dict[str, MediaAsset]:
        with self._read() as session:
            return media_rows.by_sha(session, shas)

    def media_data(self, key: str) -> bytes:
        with self._read() as session:
            return media_rows.data(session, key)

    def list_media(
        self, text: str = "", *, kind: MediaKind | None = None, limit: int = 500
    ) -> list[MediaAsset]:
        with self._read() as session:
            return media_rows.listing(session, text, kind, limit)

    def update_media(self, asset: MediaAsset) -> MediaAsset:
        with self._write() as session:
            return media_rows.update_words(session, asset, self.clock())

    def replace_media(self, key: str, data: bytes, info: MediaInfo, filename: str) -> MediaAsset:
        with self._write() as session:
            return media_rows.replace_bytes(
                session, key, data, info, filename=filename, now=self.clock()
            )

    def media_use(self, keys: Collection[str] | None = None) -> dict[str, MediaUse]:
        with self._read() as session:
            return media_rows.use(session, keys)

    def delete_media(self, key: str, *, force: bool = False) -> None:
        with self._write() as session:
            media_rows.remove(session, key, force=force)

    # -- revisions --------------------------------------------------------------------

    def revisions(self, uri: str) -> list[Revision]:
        with self._read() as session:
            rows = session.scalars(
                select(RevisionRow)
                .where(RevisionRow.article_uri == uri)
                .order_by(RevisionRow.number)
            ).all()
            return [revision_rows.from_row(r) for r in rows]

    def revision_reasons(self, uri: str) -> list[tuple[int, str]]:
        with self._read() as session:
            rows = session.execute(
                select(RevisionRow.number, RevisionRow.reason)
                .where(RevisionRow.article_uri == uri)
                .order_by(RevisionRow.number)
            ).all()
            return [(int(number), str(reason)) for number, reason in rows]

    def add_revision(self, uri: str, reason: str, *, snapshot: Article | None = None) -> Revision:
        with self._write() as session:
            # Lock the article's row (PostgreSQL; SQLite's write lock covers it): two
            # machines adding revisions then queue instead of taking the same number.
            row = session.scalars(
                select(ArticleRow)
                .where(ArticleRow.uri == uri)
                .with_for_update()
                .options(selectinload(ArticleRow.tags), selectinload(ArticleRow.related))
            ).first()
            if snapshot is not None:
                if snapshot.uri != uri:
                    raise StoreError("a revision snapshot must be of the same article")
                return self._add_revision(session, snapshot, reason)
            if row is None:
                raise NotFoundError(f"no article with uri {uri}")
            return self._add_revision(session, article_from_row(row), reason)

    def _add_revision(self, session: Session, article: Article, reason: str) -> Revision:
        return revision_rows.add(session, article, reason, self.clock())

    def _autosave_revision(self, session: Session, article: Article) -> None:
        revision_rows.autosave(session, article, self.clock())

    def record_exports(self, versions: Sequence[tuple[str, int]]) -> int:
        """An "export" revision of each ``(uri, version)`` still stored at that version,
        unless its newest revision holds that version and is not an autosave revision
        (which typing would overwrite); in one transaction. Returns how many."""
        with self._write() as session:
            return revision_rows.record_exports(
                session, versions, self.clock(), self._bulk_articles, chunk=IN_CHUNK
            )

    # -- settings and caches ----------------------------------------------------------

    def profile(self) -> PublicationProfile:
        with self._read() as session:
            row = session.get(SettingRow, PROFILE_KEY)
            return PublicationProfile.from_dict(row.value) if row else PublicationProfile()

    def save_profile(self, profile: PublicationProfile) -> None:
        with self._write() as session:
            row = session.get(SettingRow, PROFILE_KEY)
            if row is None:
                session.add(SettingRow(key=PROFILE_KEY, value=profile.to_dict()))
            else:
                row.value = profile.to_dict()

    def cached_render(self, key: str) -> str | None:
        with self._read() as session:
            return session.scalar(select(RenderCacheRow.html).where(RenderCacheRow.key == key))

    def store_render(self, key: str, html: str) -> None:
        with self._write() as session:
            session.merge(RenderCacheRow(key=key, html=html, created_at=_now()))

    def cached_renders(self, keys: Sequence[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        if not wanted:
            return found
        with self._read() as session:
            for start in range(0, len(wanted), IN_CHUNK):
                rows = session.execute(
                    select(RenderCacheRow.key, RenderCacheRow.html).where(
                        RenderCacheRow.key.in_(wanted[start : start + IN_CHUNK])
                    )
                )
                found.update({key: html for key, html in rows})
        return found

    def store_renders(self, items: Mapping[str, str]) -> None:
        if not items:
            return
        now = _now()
        rows = [{"key": key, "html": html, "created_at": now} for key, html in items.items()]
        with self._write() as session:
            if self.dialect not in {"sqlite", "postgresql"}:
                for row in rows:
                    session.merge(RenderCacheRow(**row))
                return
            if self.dialect == "postgresql":  # loaded only for such a store (0.1 s)
                from sqlalchemy.dialects import postgresql
            insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
            for start in range(0, len(rows), IN_CHUNK):
                statement = insert(RenderCacheRow)
                statement = statement.on_conflict_do_update(
                    index_elements=[RenderCacheRow.key],
                    set_={
                        "html": statement.excluded.html,
                        "created_at": statement.excluded.created_at,
                    },
                )
                session.execute(statement, rows[start : start + IN_CHUNK])

    def link_checks(self, urls: Sequence[str]) -> dict[str, LinkCheck]:
        with self._read() as session:
            return read_checks(session, urls)

    def record_link_checks(self, checks: Iterable[LinkCheck]) -> int:
        with self._write() as session:
            return write_checks(session, self.dialect, checks)

    def newsroom_words(self) -> set[str]:
        with self._read() as session:
            return word_rows.read_words(session)

    def add_newsroom_word(self, word: str) -> None:
        with self._write() as session:
            word_rows.add_word(session, self.dialect, word)

    def remove_newsroom_word(self, word: str) -> bool:
        with self._write() as session:
            return word_rows.remove_word(session, word)

    def read_many(self, uris: Sequence[str]) -> list[Article]:
        """What ``get_many(uris)`` returns, read in bulk in one transaction: three plain
        queries per 500 articles, no ORM objects (for export, which reads thousands)."""
        wanted = list(dict.fromkeys(uris))
        found: dict[str, Article] = {}
        with self._read() as session:
            for start in range(0, len(wanted), IN_CHUNK):
                found.update(self._bulk_articles(session, wanted[start : start + IN_CHUNK]))
        return [found[uri] for uri in uris if uri in found]

    @staticmethod
    def _bulk_articles(session: Session, uris: Sequence[str]) -> dict[str, Article]:
        """The articles of ``uris`` (at most ``IN_CHUNK``) by uri, in three plain queries."""
        rows = session.execute(select(*BULK_COLUMNS).where(ArticleRow.uri.in_(uris))).all()
        ids = [row.id for row in rows]
        tags: dict[int, list[str]] = defaultdict(list)
        for article_id, tag in session.execute(
            select(TagRow.article_id, TagRow.tag)
            .where(TagRow.article_id.in_(ids))
            .order_by(TagRow.article_id, TagRow.position)
        ):
            tags[article_id].append(tag)
        links: dict[int, list[RelatedLink]] = defaultdict(list)
        for link in session.execute(
            select(*LINK_COLUMNS)
            .where(RelatedLinkRow.article_id.in_(ids))
            .order_by(RelatedLinkRow.article_id, RelatedLinkRow.position)
        ):
            links[link.article_id].append(link_from_columns(link))
        return {
            row.uri: article_from_values(row, tags[row.id], links[row.id], raw=True) for row in rows
        }

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]:
        """``(uri, version, updated_at)`` of every matching article, in id order."""
        statement = (
            select(
                ArticleRow.uri,
                ArticleRow.version,
                type_coerce(ArticleRow.updated_at, Text).label("updated_at"),
            )
            .where(*self._filters(query or ArticleQuery()))
            .order_by(ArticleRow.id)
        )
        with self._read() as session:
            rows = session.execute(statement).all()
        return [(uri, version, required_moment(updated)) for uri, version, updated in rows]

    def listed_versions(
        self, statuses: Collection[Status]
    ) -> list[tuple[str, int, datetime, Status]]:
        """``(uri, version, updated_at, status)`` of every story in ``statuses``, in one
        query: by status, then in id order."""
        with self._read() as session:
            return read_listed(session, self.dialect, statuses)

    # -- whole-store operations --------------------------------------------------------

    def is_empty(self) -> bool:
        with self._read() as session:
            return session.scalar(select(ArticleRow.id).limit(1)) is None

    def all_revisions(self) -> Iterator[Revision]:
        last_id = 0
        while True:
            with self._read() as session:
                rows = session.scalars(
                    select(RevisionRow)
                    .where(RevisionRow.id > last_id)
                    .order_by(RevisionRow.id)
                    .limit(500)
                ).all()
                revisions = [revision_rows.from_row(r) for r in rows]
            if not revisions:
                return
            yield from revisions
            last_id = revisions[-1].id or last_id

    def load_archive(
        self,
        articles: Sequence[Article],
        revisions: Sequence[Revision],
        profile: PublicationProfile | None,
        progress: Progress = no_progress,
        *,
        media: Sequence[tuple[MediaAsset, bytes]] = (),
        words: Sequence[str] = (),
    ) -> None:
        """Fill an empty store from an archive in one transaction, keeping versions (and
        the media files' keys and times), and the newsroom dictionary's ``words``."""
        total = len(articles) + len(revisions)
        with self._write() as session:
            if session.scalar(select(ArticleRow.id).limit(1)) is not None:
                raise StoreError(
                    "the store already holds articles; load an archive into a new, empty store"
                )
            media_rows.insert_assets(session, media, self.clock())
            word_rows.insert_words(session, words, self.clock())
            for done, article in enumerate(articles, start=1):
                stored = self._insert(session, article, normalize=False)
                session.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == stored.id)
                    .values(version=max(1, article.version), updated_at=article.updated_at)
                )
                if done % 100 == 0:
                    progress(done, total)
            sync_track.revisions_added(session)
            for done, revision in enumerate(revisions, start=len(articles) + 1):
                session.add(
                    RevisionRow(
                        article_uri=revision.article_uri,
                        number=revision.number,
                        created_at=revision.created_at,
                        reason=revision.reason,
                        word_count=revision.word_count,
                        snapshot=revision.snapshot,
                    )
                )
                if done % 100 == 0:
                    progress(done, total)
            if profile is not None:
                session.merge(SettingRow(key=PROFILE_KEY, value=profile.to_dict()))
        progress(total, total)


def _without_tag(query: ArticleQuery) -> ArticleQuery:
    return dataclasses.replace(query, tag=None)


def _replace(article: Article, **changes: Any) -> Article:
    return dataclasses.replace(article, **changes)


def text_score_desc(statement: Any) -> Any:
    """The ``score`` column of a search statement, best first."""
    return statement.selected_columns.score.desc()


def _with_identity(article: Article, article_id: int, version: int) -> Article:
    return _replace(article, id=article_id, version=version)
