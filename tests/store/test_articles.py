"""Articles in a real store, on SQLite and on PostgreSQL: rows written, read, guarded."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.core.errors import ConflictError, DuplicateSlugError, NotFoundError
from newsdesk.core.models import Article, Media, PublicationProfile, RelatedLink, Status
from newsdesk.core.ports import ArticleQuery, SortKey
from newsdesk.store import SqlStore

HOSTILE = "Ünïcode 🌊 عربي\u202e RTL e\u0301 <script>alert(1)</script> \"quotes\" 'apos'"


def make(headline: str, **fields: object) -> Article:
    return Article(headline=headline, **fields)  # type: ignore[arg-type]


def test_create_and_read_back_every_field(store: SqlStore) -> None:
    when = datetime(2026, 11, 14, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    target = store.create(make("Target"))
    article = make(
        HOSTILE,
        kicker="Flooding",
        standfirst="One " + HOSTILE,
        byline="Amira Hassan and Tom Reid",
        authors=("Amira Hassan", "Tom Reid"),
        dateline="Gloucester",
        section="UK",
        tags=("flooding", "river severn", "ünï"),
        body="Para one.\n\n" + HOSTILE + "\n\n- a\n- b\n",
        status=Status.READY,
        display_date=when,
        embargo_until=when + timedelta(days=1),
        seo_title="SEO",
        seo_description="Desc",
        canonical_url="https://example.com/uk/x",
        editor_note="Check the figures\nwith the council",
        image=Media(src="photo.jpg", caption="Cap", credit="Cred", alt="Alt"),
        audio=Media(src="a.mp3", duration_seconds=312),
        related=(
            RelatedLink(title="Target", target_uri=target.uri, pinned=True),
            RelatedLink(title="External", url="https://example.org/report"),
        ),
    )
    stored = store.create(article)
    assert stored.id is not None and stored.version == 1
    loaded = store.get(stored.uri)
    assert loaded == dataclasses.replace(stored, updated_at=loaded.updated_at)
    assert loaded.display_date == when  # same instant, returned as aware UTC
    assert loaded.display_date.tzinfo is not None
    assert loaded.headline == HOSTILE
    assert loaded.body.endswith("- a\n- b\n")
    assert [link.title for link in loaded.related] == ["Target", "External"]
    assert store.get_by_slug(loaded.slug) == loaded


def test_save_bumps_version_and_guards_against_lost_updates(store: SqlStore) -> None:
    article = store.create(make("Draft"))
    mine = store.save(article.edited(body="My text"))
    assert mine.version == 2
    with pytest.raises(ConflictError) as caught:
        store.save(article.edited(body="Stale text from another window"))
    assert caught.value.current_version == 2
    assert store.get(article.uri).body == "My text"


def test_save_replaces_tags_and_links_in_order(store: SqlStore) -> None:
    a = store.create(make("A"))
    b = store.create(make("B"))
    c = store.create(
        make(
            "C",
            tags=("x", "y"),
            related=(
                RelatedLink(title="A", target_uri=a.uri),
                RelatedLink(title="B", target_uri=b.uri),
            ),
        )
    )
    saved = store.save(c.edited(tags=("y", "z", "x"), related=tuple(reversed(c.related))))
    loaded = store.get(c.uri)
    assert loaded.tags == ("y", "z", "x")
    assert [link.target_uri for link in loaded.related] == [b.uri, a.uri]
    assert saved.version == loaded.version == 2


def test_derived_slugs_never_clash_and_chosen_ones_are_refused(store: SqlStore) -> None:
    first = store.create(make("Same headline"))
    second = store.create(make("Same headline"))
    assert (first.slug, second.slug) == ("same-headline", "same-headline-2")
    with pytest.raises(DuplicateSlugError, match="already used by 'Same headline'"):
        store.create(make("Other").edited(slug="same-headline"))
    with pytest.raises(DuplicateSlugError):
        store.save(second.edited(slug="same-headline"))
    assert store.get(second.uri).slug == "same-headline-2"


def test_published_slug_survives_headline_edits(store: SqlStore) -> None:
    article = store.create(make("Original headline", status=Status.PUBLISHED))
    saved = store.save(article.edited(headline="Corrected headline"))
    assert saved.slug == "original-headline"
    assert store.get(article.uri).first_published_at == article.first_published_at


def test_missing_articles_are_reported(store: SqlStore) -> None:
    with pytest.raises(NotFoundError):
        store.get_by_slug("nope")
    article = store.create(make("Gone soon"))
    store.delete(article.uri)
    with pytest.raises(NotFoundError, match="no longer in the store"):
        store.save(article.edited(body="text"))


def test_list_page_filters_sorts_and_pages(store: SqlStore) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(12):
        store.create(
            make(
                f"Story {i:02d}",
                status=Status.PUBLISHED if i % 2 else Status.DRAFT,
                section="UK" if i % 3 else "World",
                tags=("flooding",) if i % 4 == 0 else ("energy",),
                updated_at=base + timedelta(hours=i),
            )
        )
    page = store.list_page(ArticleQuery(limit=5))
    assert [r.headline for r in page] == [f"Story {i:02d}" for i in (11, 10, 9, 8, 7)]
    page2 = store.list_page(ArticleQuery(limit=5, offset=5))
    assert page2[0].headline == "Story 06"
    published = store.list_page(ArticleQuery(statuses=frozenset({Status.PUBLISHED})))
    assert {r.status for r in published} == {Status.PUBLISHED} and len(published) == 6
    world = store.list_page(ArticleQuery(section="World"))
    assert sorted(r.headline for r in world) == ["Story 00", "Story 03", "Story 06", "Story 09"]
    tagged = store.list_page(ArticleQuery(tag="flooding", sort=SortKey.HEADLINE, descending=False))
    assert [r.headline for r in tagged] == ["Story 00", "Story 04", "Story 08"]
    assert tagged[0].tags == ("flooding",)
    assert store.count(ArticleQuery(tag="energy")) == 9
    assert store.sections() == ["UK", "World"]
    assert store.tags() == ["energy", "flooding"]


def test_revisions_snapshot_the_whole_article(store: SqlStore) -> None:
    article = store.create(make("Snap", body="one two three"))
    saved = store.save(article.edited(body="one two three four"), reason="manual")
    store.add_revision(article.uri, "export")
    revisions = store.revisions(article.uri)
    assert [(r.number, r.reason) for r in revisions] == [(1, "manual"), (2, "export")]
    assert revisions[0].word_count == 4
    assert revisions[0].article() == saved


def test_profile_defaults_and_saves(store: SqlStore) -> None:
    assert store.profile() == PublicationProfile()
    changed = dataclasses.replace(PublicationProfile(), name="Harbour Gazette", related_cap=4)
    store.save_profile(changed)
    assert store.profile() == changed


def test_render_cache(store: SqlStore) -> None:
    assert store.cached_render("k") is None
    store.store_render("k", "<p>x</p>")
    store.store_render("k", "<p>y</p>")
    assert store.cached_render("k") == "<p>y</p>"


def test_iter_articles_reads_everything_in_batches(store: SqlStore) -> None:
    store.create_many([make(f"Bulk {i}") for i in range(25)])
    assert [a.headline for a in store.iter_articles(batch=7)] == [f"Bulk {i}" for i in range(25)]


def test_create_many_is_all_or_nothing(store: SqlStore) -> None:
    store.create(make("Taken").edited(slug="taken"))
    with pytest.raises(DuplicateSlugError):
        store.create_many([make("Fine one"), make("Clash").edited(slug="taken")])
    assert store.info().article_count == 1
