"""Bringing a store's schema up to date with Alembic, safely.

The revision is read without writing first: a store from a newer Newsdesk is refused
untouched, and an existing SQLite file is backed up (``store.backup``, reason
``before-migration-REV``) before any migration runs.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from newsdesk.core.errors import StoreError
from newsdesk.store.engine import redact, translated_errors

# The revisions this Newsdesk knows, oldest first. tests/store checks them against the
# migration scripts; reading them here keeps Alembic's import off the start-up path.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)
HEAD = KNOWN_REVISIONS[-1]
NEWSDESK_TABLES = {"article", "article_tag", "related_link", "revision", "setting"}


def check_revision(current: str | None, tables: set[str], where: str) -> bool:
    """Whether the store needs migrating; raise if it is not ours or is newer than us."""
    user_tables = {t for t in tables if not t.startswith(("sqlite_", "article_fts"))}
    if current is None:
        if user_tables - {"alembic_version"}:
            raise StoreError(
                f"{where} is a database, but not a Newsdesk store (it has other tables). "
                "It was not changed. Choose another file or URL with --db."
            )
        return True
    if current not in KNOWN_REVISIONS:
        raise StoreError(
            f"{where} was written by a newer Newsdesk (schema {current}; this version knows "
            f"up to {HEAD}). It was not changed. Update Newsdesk to open it."
        )
    return current != HEAD


def read_server_state(engine: Engine, url: str) -> tuple[str | None, set[str]]:
    """Revision and table names of a server store (PostgreSQL), read-only."""
    with translated_errors(url), engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return revision, tables


def server_read_only(engine: Engine, url: str) -> str:
    """Why a server store may be read but not written ("" when it may be written): a
    standby server, a read-only default, or an account that may only read."""
    query = text(
        "SELECT pg_is_in_recovery(), current_setting('default_transaction_read_only'), "
        "has_table_privilege('article', 'INSERT, UPDATE, DELETE')"
    )
    with translated_errors(url), engine.connect() as conn:
        standby, read_only_default, may_write = conn.execute(query).one()
    if standby or read_only_default == "on" or not may_write:
        why = "a standby server" if standby else "open for reading only"
        return (
            f"The store {redact(url)} is read-only ({why}): you can read, search and "
            "export, but nothing can be saved to it. Ask its administrator for write "
            "access, or open another store."
        )
    return ""


def upgrade(engine: Engine, url: str) -> None:
    """Apply every migration up to HEAD on ``engine``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "newsdesk.store:migrations")
    config.set_main_option("path_separator", "os")
    with translated_errors(url), engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def migration_scripts_head() -> tuple[str, ...]:
    """The revisions of the migration scripts, oldest first (for tests and diagnostics)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "newsdesk.store:migrations")
    config.set_main_option("path_separator", "os")
    scripts = ScriptDirectory.from_config(config)
    return tuple(reversed([s.revision for s in scripts.walk_revisions()]))


__all__ = [
    "HEAD",
    "KNOWN_REVISIONS",
    "check_revision",
    "migration_scripts_head",
    "read_server_state",
    "redact",
    "upgrade",
]
