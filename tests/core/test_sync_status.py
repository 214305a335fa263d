"""The status bar's sync line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.core.ports import SyncStatus
from newsdesk.core.sync_status import status_line

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
