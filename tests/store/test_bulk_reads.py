"""Bulk calls export relies on: the render cache by batch, which articles changed, and
reading thousands of articles at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.core.models import (
    Article,
    Correction,
    Media,
    RelatedLink,
    RelationKind,
    Status,
)
from newsdesk.core.ports import ArticleQuery
from newsdesk.store import SqlStore

WHEN = datetime(2026, 3, 4, 9, 15, tzinfo=UTC)


def test_cached_renders_returns_only_what_is_held(store: SqlStore) -> None:
    assert store.cached_renders([]) == {}
    store.store_render("a", "<p>a</p>")
    assert store.cached_renders(["a", "missing", "a"]) == {"a": "<p>a</p>"}


def test_store_renders_inserts_and_replaces_in_batches(store: SqlStore) -> None:
    store.store_renders({})
    store.store_render("k0", "<p>old</p>")
    items = {f"k{i}": f"<p>{i} ünï 🌊</p>" for i in range(1_203)}  # past two IN chunks
    store.store_renders(items)
    assert store.cached_render("k0") == "<p>0 ünï 🌊</p>"
    keys = [*items, "nope"]
    assert store.cached_renders(keys) == items
    store.store_renders({"k5": "<p>again</p>"})
    assert store.cached_renders(["k5", "k6"]) == {"k5": "<p>again</p>", "k6": "<p>6 ünï 🌊</p>"}


def test_article_versions_tell_what_changed(store: SqlStore) -> None:
    first = store.create(Article(headline="First", status=Status.PUBLISHED, updated_at=WHEN))
    second = store.create(
        Article(headline="Second", status=Status.DRAFT, updated_at=WHEN + timedelta(hours=1))
    )
    assert store.article_versions() == [
        (first.uri, 1, WHEN),
        (second.uri, 1, WHEN + timedelta(hours=1)),
    ]
    saved = store.save(store.get(second.uri).edited(body="More"))
    versions = store.article_versions()
    assert versions[1] == (second.uri, 2, saved.updated_at)
    assert versions[1][2] == store.get(second.uri).updated_at  # the same instant as a full read
    assert versions[1][2].tzinfo is not None
    published = store.article_versions(ArticleQuery(statuses=frozenset({Status.PUBLISHED})))
    assert published == [(first.uri, 1, WHEN)]
    assert store.article_versions(ArticleQuery(section="nowhere")) == []


HOSTILE = "Ünïcode 🌊 عربي\u202e RTL e\u0301 <script>alert(1)</script> \"quotes\" 'apos'"


def test_read_many_reads_what_get_many_reads(store: SqlStore) -> None:
    target = store.create(Article(headline="Target", status=Status.PUBLISHED, body="t"))
    full = store.create(
        Article(
            headline=HOSTILE,
            status=Status.READY,
            kicker="K",
            standfirst="S " + HOSTILE,
            byline="B",
            authors=("A One", "A Two"),
            dateline="D",
            section="UK",
            tags=("zeta", "alpha", "ünï"),
            body="Body ünï 🌊\n\n" * 50,
            language="de-DE",
            created_at=WHEN - timedelta(days=2, microseconds=7),
            display_date=WHEN,
            embargo_until=WHEN + timedelta(days=1),
            first_published_at=WHEN - timedelta(days=1),
            seo_title="T",
            seo_description="SD",
            canonical_url="https://example.com/c",
            editor_note="note\nnext line",
            image=Media(src="p.jpg", caption="c", credit="cr", alt="al", mime_type="image/jpeg"),
            audio=Media(src="a.mp3", duration_seconds=12),
            corrections=(Correction(when=WHEN, text="Fixed"),),
            related=(
                RelatedLink(title="ext", url="https://example.org/x"),
                RelatedLink(title="T", target_uri=target.uri, pinned=True),
                RelatedLink(
                    title="f", url="https://example.org/y", relation=RelationKind.FOLLOW_UP
                ),
            ),
        )
    )
    bare = store.create(Article(headline="Bare"))
    many = [f"urn:newsdesk:article:missing-{n}" for n in range(600)]  # past one IN chunk
    uris = [bare.uri, *many, full.uri, target.uri, full.uri]
    assert store.read_many(uris) == store.get_many(uris)
    assert [a.uri for a in store.read_many(uris)] == [bare.uri, full.uri, target.uri, full.uri]
    assert store.read_many([]) == []
