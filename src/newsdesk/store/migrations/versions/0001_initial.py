"""Initial store: articles, tags, related links, revisions, settings, render cache, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from newsdesk.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Words past this many characters of a body are not indexed on PostgreSQL, whose
# tsvector is limited to 1 MB; about 40,000 words, far beyond any news article.
PG_BODY_INDEX_CHARS = 250_000


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("uri", sa.String(200), nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("kicker", sa.Text, nullable=False),
        sa.Column("standfirst", sa.Text, nullable=False),
        sa.Column("slug", sa.String(120), nullable=False, unique=True),
        sa.Column("slug_locked", sa.Boolean, nullable=False),
        sa.Column("byline", sa.Text, nullable=False),
        sa.Column("authors", sa.JSON, nullable=False),
        sa.Column("dateline", sa.Text, nullable=False),
        sa.Column("section", sa.String(120), nullable=False),
        sa.Column("tags_text", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("char_count", sa.Integer, nullable=False),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("first_published_at", UTCDateTime(), nullable=True),
        sa.Column("display_date", UTCDateTime(), nullable=True),
        sa.Column("embargo_until", UTCDateTime(), nullable=True),
        sa.Column("seo_title", sa.Text, nullable=False),
        sa.Column("seo_description", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False),
        sa.Column("editor_note", sa.Text, nullable=False),
        sa.Column("image", sa.JSON, nullable=True),
        sa.Column("audio", sa.JSON, nullable=True),
    )
    op.create_index("ix_article_updated", "article", ["updated_at"])
    op.create_index("ix_article_status_updated", "article", ["status", "updated_at"])
    op.create_index("ix_article_section_updated", "article", ["section", "updated_at"])
    op.create_index("ix_article_display_date", "article", ["display_date"])

    op.create_table(
        "article_tag",
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("tag", sa.String(200), nullable=False),
    )
    op.create_index("ix_article_tag_tag", "article_tag", ["tag", "article_id"])

    op.create_table(
        "related_link",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("target_uri", sa.String(200), nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.UniqueConstraint("article_id", "position", name="uq_related_link_position"),
    )
    op.create_index("ix_related_link_target", "related_link", ["target_uri"])

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_uri", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("word_count", sa.Integer, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.UniqueConstraint("article_uri", "number", name="uq_revision_number"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )
    op.create_table(
        "render_cache",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("html", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _create_sqlite_search()
    elif dialect == "postgresql":
        _create_postgres_search()


def _create_sqlite_search() -> None:
    # External-content FTS5 index kept in step with the article table by triggers.
    op.execute(
        "CREATE VIRTUAL TABLE article_fts USING fts5("
        "headline, standfirst, body, tags_text, "
        "content='article', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
        "INSERT INTO article_fts(rowid, headline, standfirst, body, tags_text) "
        "VALUES (new.id, new.headline, new.standfirst, new.body, new.tags_text); END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
        "INSERT INTO article_fts(article_fts, rowid, headline, standfirst, body, tags_text) "
        "VALUES ('delete', old.id, old.headline, old.standfirst, old.body, old.tags_text); END"
    )
    op.execute(
        "CREATE TRIGGER article_fts_update AFTER UPDATE OF headline, standfirst, body, tags_text "
        "ON article BEGIN "
        "INSERT INTO article_fts(article_fts, rowid, headline, standfirst, body, tags_text) "
        "VALUES ('delete', old.id, old.headline, old.standfirst, old.body, old.tags_text); "
        "INSERT INTO article_fts(rowid, headline, standfirst, body, tags_text) "
        "VALUES (new.id, new.headline, new.standfirst, new.body, new.tags_text); END"
    )


def _create_postgres_search() -> None:
    # Accent-insensitive like SQLite's remove_diacritics: "helene" finds "Hélène".
    # unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(
        "CREATE FUNCTION newsdesk_unaccent(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
    )
    op.execute(
        "ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(headline, ''))), 'A') || "
        "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(tags_text, ''))), 'B') || "
        "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(standfirst, ''))), 'B') || "
        "setweight(to_tsvector('english', newsdesk_unaccent("
        f"left(coalesce(body, ''), {PG_BODY_INDEX_CHARS}))), 'D')"
        ") STORED"
    )
    op.execute("CREATE INDEX ix_article_search ON article USING gin (search_vector)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("article_fts_insert", "article_fts_delete", "article_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    for table in ("render_cache", "setting", "revision", "related_link", "article_tag", "article"):
        op.drop_table(table)
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS newsdesk_unaccent(text)")
