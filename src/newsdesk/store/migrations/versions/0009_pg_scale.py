"""PostgreSQL at newsroom scale: search in slices of ids, a ranking vector, tag and sort indexes.

- ``rank_vector``: headline (A), tags and standfirst (B) as a generated ``tsvector`` of a
  few hundred bytes, stored inline. Search ranks its candidates on it first and reads
  the full ``search_vector`` (5 KB, in TOAST) for the best few hundred only.
- The search index gets a second column, the block of 1,000 ids (``btree_gin``, a trusted
  extension like ``unaccent``), so search can ask GIN for the newest matches only.
- ``ix_article_display_date_desc``: display dates newest first with undated stories last
  (``NULLS LAST``, as SQLite orders them), so that sort reads 50 index entries.
- The status and section indexes get ``id`` as a last column (SQLite's hold the rowid by
  themselves): a deep page of a filtered list is then found in the index alone.
- ``article_tag.updated_at``: the article's update time, copied by triggers (the app
  never writes it), with an index ``(tag, updated_at, article_id)``: a tag's page is the
  first 50 entries of that index, whatever the tag's size and the other filters.
- ``search_vector`` gets statistics target 1000: ``pg_stats`` then keeps enough lexemes
  for suggestions to estimate how common a word is (the default keeps only the commonest).

Nothing changes on SQLite: its FTS5 index and sort indexes already serve these.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEARCH_INDEX = "ix_article_search_block"  # PG_BLOCK in store/search.py: 1,000 ids
RANK_VECTOR = (
    "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(headline, ''))), 'A') || "
    "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(tags_text, ''))), 'B') || "
    "setweight(to_tsvector('english', newsdesk_unaccent(coalesce(standfirst, ''))), 'B')"
)


TAG_TRIGGERS = [
    # A tag row takes its article's update time as it is written...
    """CREATE FUNCTION newsdesk_tag_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.updated_at := (SELECT updated_at FROM article WHERE id = NEW.article_id);
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER article_tag_updated BEFORE INSERT OR UPDATE ON article_tag "
    "FOR EACH ROW EXECUTE FUNCTION newsdesk_tag_updated()",
    # ... and follows it when the article changes without its tags being written again.
    """CREATE FUNCTION newsdesk_article_tags_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE article_tag SET updated_at = NEW.updated_at WHERE article_id = NEW.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER article_tags_updated AFTER UPDATE OF updated_at ON article "
    "FOR EACH ROW WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at) "
    "EXECUTE FUNCTION newsdesk_article_tags_updated()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE article_tag ADD COLUMN updated_at timestamptz")
    op.execute(
        "UPDATE article_tag SET updated_at = article.updated_at FROM article "
        "WHERE article.id = article_tag.article_id"
    )
    for statement in TAG_TRIGGERS:
        op.execute(statement)
    op.create_index("ix_article_tag_updated", "article_tag", ["tag", "updated_at", "article_id"])
    op.execute(
        f"ALTER TABLE article ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS ({RANK_VECTOR}) "
        "STORED"
    )
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    op.execute("DROP INDEX ix_article_search")
    op.execute(f"CREATE INDEX {SEARCH_INDEX} ON article USING gin (search_vector, (id / 1000))")
    op.execute(
        "CREATE INDEX ix_article_display_date_desc ON article "
        "(display_date DESC NULLS LAST, id DESC)"
    )
    for column in ("status", "section"):
        op.create_index(f"ix_article_{column}_updated_id", "article", [column, "updated_at", "id"])
        op.drop_index(f"ix_article_{column}_updated", table_name="article")
    op.execute("ALTER TABLE article ALTER COLUMN search_vector SET STATISTICS 1000")
    op.execute("ANALYZE article")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS article_tags_updated ON article")
    op.execute("DROP TRIGGER IF EXISTS article_tag_updated ON article_tag")
    op.execute("DROP FUNCTION IF EXISTS newsdesk_article_tags_updated()")
    op.execute("DROP FUNCTION IF EXISTS newsdesk_tag_updated()")
    op.execute("ALTER TABLE article_tag DROP COLUMN IF EXISTS updated_at")
    op.execute("ALTER TABLE article ALTER COLUMN search_vector SET STATISTICS -1")
    for column in ("status", "section"):
        op.create_index(f"ix_article_{column}_updated", "article", [column, "updated_at"])
        op.drop_index(f"ix_article_{column}_updated_id", table_name="article")
    op.execute("DROP INDEX IF EXISTS ix_article_display_date_desc")
    op.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    op.execute("CREATE INDEX ix_article_search ON article USING gin (search_vector)")
    op.execute("ALTER TABLE article DROP COLUMN IF EXISTS rank_vector")
