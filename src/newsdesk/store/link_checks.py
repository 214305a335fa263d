"""The last check of each external address: read and written in bulk, by ``url_key``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from newsdesk.core.related.health import HealthState, LinkCheck
from newsdesk.core.related.links import url_key
from newsdesk.store.schema import LinkCheckRow

IN_CHUNK = 500  # keys per IN (...) list: well under every engine's parameter limit


def read_checks(session: Session, urls: Sequence[str]) -> dict[str, LinkCheck]:
    """``url -> its last check`` for those of ``urls`` ever checked (any spelling of the
    address finds it: ``https://www.example.com/a/`` is ``example.com/a``)."""
    keys: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        keys.setdefault(url_key(url), []).append(url)
    wanted = list(keys)
    found: dict[str, LinkCheck] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        rows = session.scalars(
            select(LinkCheckRow).where(LinkCheckRow.url_key.in_(wanted[start : start + IN_CHUNK]))
        )
        for row in rows:
            check = _check_from_row(row)
            for url in keys[row.url_key]:
                found[url] = check
    return found


def write_checks(session: Session, dialect: str, checks: Iterable[LinkCheck]) -> int:
    """Keep each check, replacing the one before for the same address; the last of several
    for one address wins. A "not checked" result (offline, stopped) teaches nothing and is
    not kept: the last real check stays. Returns how many addresses were written."""
    rows = {
        check.key: {
            "url_key": check.key,
            "url": check.url,
            "state": check.state.value,
            "status_code": check.status_code,
            "final_url": check.final_url,
            "message": check.message,
            "checked_at": check.checked_at,
        }
        for check in checks
        if check.state != HealthState.NOT_CHECKED
    }
    values = list(rows.values())
    if dialect not in {"sqlite", "postgresql"}:
        for row in values:
            session.merge(LinkCheckRow(**row))
        return len(values)
    if dialect == "postgresql":  # loaded only for such a store (0.1 s)
        from sqlalchemy.dialects import postgresql
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(values), IN_CHUNK):
        statement = insert(LinkCheckRow)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=[LinkCheckRow.url_key],
            set_={
                "url": excluded.url,
                "state": excluded.state,
                "status_code": excluded.status_code,
                "final_url": excluded.final_url,
                "message": excluded.message,
                "checked_at": excluded.checked_at,
            },
        )
        session.execute(statement, values[start : start + IN_CHUNK])
    return len(values)


def _check_from_row(row: LinkCheckRow) -> LinkCheck:
    try:
        state = HealthState(row.state)
    except ValueError:  # written by a newer Newsdesk with states this one does not know
        state = HealthState.NOT_CHECKED
    return LinkCheck(
        url=row.url,
        state=state,
        checked_at=row.checked_at,
        status_code=row.status_code,
        final_url=row.final_url or "",
        message=row.message or "",
    )
