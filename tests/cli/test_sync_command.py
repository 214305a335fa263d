"""``newsdesk sync``: attach once, sync, status as text and JSON, resolve a conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.store.sync_helpers import server_url

from newsdesk.store import open_store

from .helpers import run


def test_a_reporter_syncs_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    laptop = str(tmp_path / "laptop.db")
    server = server_url()
    assert run(capsys, "--db", laptop, "new", "--headline", "Tram strike")[0] == 0
    code, out, _ = run(capsys, "--db", laptop, "sync", "--status")
    assert (code, out) == (0, "not synced: no newsroom server (newsdesk sync --server URL)\n")
    code, out, _ = run(capsys, "--db", laptop, "sync", "--server", server)
    assert code == 0 and out.startswith("Synced: sent 1, received 0.")
    desk = open_store(server)
    try:
        story = desk.get_by_slug("tram-strike")
        desk.save(story.edited(body="The desk's text."))
        code, out, _ = run(capsys, "--db", laptop, "sync", "--status", "--json")
        status = json.loads(out)
        assert (status["to_send"], status["to_receive"], status["reachable"]) == (0, 1, True)
        mine = open_store(laptop)
        try:
            mine.save(mine.get(story.uri).edited(body="The reporter's text."))
        finally:
            mine.close()
        code, out, _ = run(capsys, "--db", laptop, "sync")  # the server is remembered
        assert code == 0 and "changed on both sides" in out
        code, out, _ = run(capsys, "--db", laptop, "sync", "--resolve", "tram-strike")
        assert code == 1
        code, out, _ = run(
            capsys, "--db", laptop, "sync", "--resolve", "tram-strike", "--keep", "mine"
        )
        assert code == 0 and "Kept your version" in out
        assert run(capsys, "--db", laptop, "sync")[0] == 0
        assert desk.get(story.uri).body == "The reporter's text."
    finally:
        desk.close()


def test_a_server_address_that_is_no_postgresql_address_says_what_to_give(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    laptop = str(tmp_path / "laptop.db")
    assert run(capsys, "--db", laptop, "new", "--headline", "Tram strike")[0] == 0
    code, _, err = run(capsys, "--db", laptop, "sync", "--server", "http://newsroom.example")
    assert code == 1
    assert "a PostgreSQL address such as postgresql://" in err
    code, out, _ = run(capsys, "--db", laptop, "sync", "--status")
    assert "no newsroom server" in out  # nothing remembered
