"""The status bar's sync line, and the server's address shown without its password."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.core.ports import SyncStatus
from newsdesk.core.sync_status import split_password, status_line, with_password

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def status(**changes: object) -> SyncStatus:
    values: dict[str, object] = {
        "server": "postgresql+psycopg://desk@newsroom/newsdesk",
        "last_sync": NOW - timedelta(minutes=2),
        "to_send": 3,
        "revisions_to_send": 5,
        "conflicts": 0,
        "to_receive": 1,
        "revisions_to_receive": 0,
    }
    values.update(changes)
    return SyncStatus(**values)  # type: ignore[arg-type]


def test_the_line_says_when_and_how_much() -> None:
    assert status_line(status(), NOW) == "synced 2 min ago · 3 to send · 1 to receive"
    assert status_line(status(to_receive=None), NOW) == "offline: 3 to send"
    assert status_line(status(conflicts=1, to_receive=None), NOW) == (
        "offline: 3 to send · 1 to choose"
    )
    assert status_line(status(server=None), NOW).startswith("not synced")
    assert status_line(status(last_sync=None), NOW).startswith("synced never")


def test_nothing_to_receive_is_not_said() -> None:
    assert status_line(status(to_receive=0), NOW) == "synced 2 min ago · 3 to send"


@pytest.mark.parametrize(
    ("url", "address", "password"),
    [
        (
            "postgresql+psycopg://desk:s3cret@newsroom.example:5433/newsdesk",
            "postgresql+psycopg://desk@newsroom.example:5433/newsdesk",
            "s3cret",
        ),
        (
            "postgresql://desk:p%40ss%3Aw%2Fo%25rd@db/newsdesk?sslmode=require",
            "postgresql://desk@db/newsdesk?sslmode=require",
            "p@ss:w/o%rd",
        ),
        ("postgresql://desk@db/newsdesk", "postgresql://desk@db/newsdesk", ""),
        ("postgresql://db/newsdesk", "postgresql://db/newsdesk", ""),
        ("postgresql://desk:@db/newsdesk", "postgresql://desk@db/newsdesk", ""),
    ],
)
def test_the_password_comes_apart_from_the_address_and_back(
    url: str, address: str, password: str
) -> None:
    assert split_password(url) == (address, password)
    if password:
        assert with_password(address, password) == url


def test_a_password_typed_in_the_address_wins_and_none_leaves_it_alone() -> None:
    typed = "postgresql://desk:typed@db/newsdesk"
    assert with_password(typed, "field") == typed
    assert with_password("postgresql://desk@db/n", "") == "postgresql://desk@db/n"
