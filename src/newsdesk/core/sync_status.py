"""The one-line sync status the status bar and ``newsdesk sync --status`` show."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from newsdesk.core.models import utcnow
from newsdesk.core.ports import SyncStatus

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_address(url: str) -> bool:
    """Whether ``url`` names a newsroom server (PostgreSQL): the one rule, for the window's
    Settings and the store."""
    return url.strip().startswith(SERVER_SCHEMES) and len(url.strip()) > len("postgres://")


def split_password(url: str) -> tuple[str, str]:
    """``url`` without its password, and the password (``""`` when it has none), so a
    window can show the address and keep the password out of sight."""
    url = url.strip()
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon:
        return url, ""
    return urlunsplit(parts._replace(netloc=f"{user}@{host}")), unquote(password)


def with_password(url: str, password: str) -> str:
    """``url`` with ``password`` put in (escaped); a password already in ``url`` wins, and
    an empty ``password`` leaves ``url`` as it is."""
    url = url.strip()
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not password or not at or ":" in userinfo:
        return url
    return urlunsplit(parts._replace(netloc=f"{userinfo}:{quote(password, safe='')}@{host}"))


def status_line(status: SyncStatus, now: datetime | None = None) -> str:
    """One line for a status bar: "synced 2 min ago · 3 to send", "offline: 3 to send"."""
    if status.server is None:
        return "not synced: no newsroom server (newsdesk sync --server URL)"
    sending = f"{status.to_send} to send"
    if status.conflicts:
        sending += f" · {status.conflicts} to choose"
    if status.to_receive is None:
        return f"offline: {sending}"
    when = _ago(status.last_sync, now or utcnow())
    if not status.to_receive:
        return f"synced {when} · {sending}"
    return f"synced {when} · {sending} · {status.to_receive} to receive"


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago"
