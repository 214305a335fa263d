"""Every story of some statuses with its version and time of last save, read in bulk."""

from __future__ import annotations

import operator
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Text, func, select, type_coerce
from sqlalchemy.orm import Session

from newsdesk.core.models import Status
from newsdesk.store.mapping import required_moment
from newsdesk.store.schema import ArticleRow

# The time of last save as naive UTC text on every engine, parsed in bulk below rather than
# by ``UTCDateTime`` row by row. SQLite keeps it so; PostgreSQL is asked for it, as its
# driver's datetimes come in the session's zone (a ``ZoneInfo``: 6 µs a row to make UTC).
_AS_STORED = type_coerce(ArticleRow.updated_at, Text)
_BY_STATUS_AND_ID = operator.itemgetter(3, 4)
_UPDATED_AT = {
    "postgresql": func.to_char(
        func.timezone("UTC", ArticleRow.updated_at), "YYYY-MM-DD HH24:MI:SS.US"
    ),
}


def read_listed(
    session: Session, dialect: str, statuses: Collection[Status]
) -> list[tuple[str, int, datetime, Status]]:
    """``(uri, version, updated_at, status)`` of every story in ``statuses``, ordered by
    status then id (as one ``article_versions`` call per status, in turn, lists them)."""
    of_value = {status.value: status for status in statuses}
    if not of_value:
        return []
    updated_at = _UPDATED_AT.get(dialect, _AS_STORED)
    statement = select(
        ArticleRow.uri, ArticleRow.version, updated_at, ArticleRow.status, ArticleRow.id
    ).where(ArticleRow.status.in_(sorted(of_value)))
    # A Core result, not the ORM's: its per-row bookkeeping costs more than the query.
    # Sorted here: both engines sort slower (PostgreSQL compares text by its collation).
    rows = sorted(session.connection().execute(statement).all(), key=_BY_STATUS_AND_ID)
    parse = datetime.fromisoformat
    try:
        # Naive UTC text, the offset added, parses straight to the aware moment that
        # ``required_moment`` makes of it, at a tenth of the cost.
        return [(uri, version, parse(at + "+00:00"), of_value[value])
                for uri, version, at, value, _ in rows]  # fmt: skip
    except (TypeError, ValueError):
        pass  # text with an offset already (not written by Newsdesk), or a datetime
    return [(uri, version, required_moment(at), of_value[value])
            for uri, version, at, value, _ in rows]  # fmt: skip
