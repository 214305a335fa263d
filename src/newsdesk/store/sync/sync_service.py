"""Sync as the window uses it (``core.ports.SyncService``): the remembered server, a check
of an address that says what is wrong, a sync, the conflicts and their resolution.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.core.ports import Progress, SyncConflict, SyncResult, SyncStatus
from newsdesk.core.sync_status import is_server_address
from newsdesk.store.engine import make_engine, redact, resolve_url
from newsdesk.store.migrate import check_revision
from newsdesk.store.repository import SqlStore
from newsdesk.store.sync import sync as sync_run
from newsdesk.store.sync import sync_local


class StoreSync:
    """Sync of the laptop store ``local`` with its remembered newsroom server."""

    def __init__(self, local: SqlStore) -> None:
        self.local = local

    def server(self) -> str | None:
        state = sync_local.read_state(self.local)
        return state.server if state else None

    def set_server(self, url: str) -> None:
        url = server_url(url)
        state = sync_local.read_state(self.local)
        if state is None:
            sync_local.save_state(self.local, sync_local.SyncState(server=url))
        elif state.server != url:
            # Another address: the handshake's epoch tells whether it is another server.
            sync_local.save_state(self.local, dataclasses.replace(state, server=url))

    def check_server(self, url: str) -> str:
        return check_server(url)

    def status(self, *, reach: bool = False) -> SyncStatus:
        return sync_run.status(self.local, reach=reach)

    def sync(self, progress: Progress) -> SyncResult:
        url = self.server()
        if url is None:
            raise StoreError(
                "This store is not attached to a newsroom server yet: give its address in "
                "Settings ▸ Newsroom (or run newsdesk sync --server URL once)."
            )
        report = sync_run.sync(self.local, url, progress=progress)
        changed = report.received + report.removed + report.media_received + report.kept
        return SyncResult(report.summary(), changed, max(report.conflicts, report.held))

    def conflicts(self) -> list[SyncConflict]:
        return sync_local.conflicts(self.local)

    def resolve(self, uri: str, *, keep_mine: bool) -> Article:
        return sync_local.resolve(self.local, uri, keep_mine=keep_mine)


def server_url(url: str) -> str:
    """The newsroom server's URL (``postgresql+psycopg://...``), checked to be one."""
    if not is_server_address(url):
        raise StoreError(
            "The newsroom server is a PostgreSQL address such as "
            "postgresql://desk:PASSWORD@newsroom.example/newsdesk; ask the newsroom for it."
        )
    return resolve_url(url.strip())


def check_server(url: str) -> str:
    """What is at ``url``: a sentence; ``StoreError`` says what is wrong and what to do."""
    url = server_url(url)
    engine = make_engine(url, busy_timeout=sync_run.CONNECT_TIMEOUT, answer_timeout=10.0)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision is None and tables - {"alembic_version"}:
                raise StoreError(
                    f"{redact(url)} is a database, but not a Newsdesk server (it holds other "
                    "tables): check the database name at the end of the address."
                )
            check_revision(revision, tables, f"The server {redact(url)}")
            if revision is None:
                return (
                    f"Connected to {redact(url)}: an empty database. The first sync makes it "
                    "the newsroom's Newsdesk server."
                )
            count = conn.execute(select(func.count()).select_from(text("article"))).scalar()
    except DBAPIError as exc:
        raise StoreError(connection_problem(url, str(exc.orig or exc))) from None
    except SQLAlchemyError as exc:
        raise StoreError(connection_problem(url, str(exc))) from None
    finally:
        engine.dispose()
    return f"Connected to {redact(url)}: a Newsdesk server with {count or 0:,} stories."


def connection_problem(url: str, message: str) -> str:
    """What a journalist can do about a failed connection, from the driver's words."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    host, port, user = parsed.host or "localhost", parsed.port or 5432, parsed.username or ""
    lowered = message.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return (
            f"The server at {host} refused the user name or password ({user or 'no user'}): "
            "check them in the address (postgresql://USER:PASSWORD@HOST/DATABASE)."
        )
    if "refused" in lowered:
        return (
            f"Nothing answers at {host}:{port} (connection refused): check the address and "
            "port, and that the newsroom server is running. Away from the newsroom you may "
            "need its VPN."
        )
    if "translate host name" in lowered or "name or service not known" in lowered:
        return f"No computer is called {host}: check the address, and that you are online."
    if "timeout" in lowered or "timed out" in lowered:
        return (
            f"{host} did not answer in time: check that you are online (and on the "
            "newsroom's VPN if it needs one), then try again."
        )
    if "database" in lowered and "does not exist" in lowered:
        return (
            f"The server at {host} has no database {parsed.database!r}: check the name at "
            "the end of the address."
        )
    if "no pg_hba.conf entry" in lowered or "not permitted" in lowered:
        return (
            f"The server at {host} does not let this computer in: ask its administrator "
            f"to allow {user or 'your user'} from here."
        )
    first = message.strip().splitlines()[0] if message.strip() else "no reason given"
    return f"The newsroom server at {host} could not be used: {first}."
