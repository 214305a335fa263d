"""``newsdesk history``, ``restore-revision`` and the revisions ``export`` records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.core.models import Status
from newsdesk.store import open_store

from .helpers import run

SLUG = "severn-barrier-delay-leaves-homes-exposed"


@pytest.fixture
def newsroom(capsys: pytest.CaptureFixture[str], store_url: str) -> str:
    assert run(capsys, "--db", store_url, "demo")[0] == 0
    store = open_store(store_url)
    try:
        article = store.get_by_slug(SLUG)
        article = store.save(article.edited(body="First draft of the text."), reason="manual")
        article = store.save(
            article.edited(
                headline="Severn barrier delay: 4,000 homes exposed",
                slug_locked=True,
                body="First draft of the text, now longer.",
            ),
            reason="manual",
        )
        store.save(article.edited(status=Status.READY), reason="status")
    finally:
        store.close()
    return store_url


def test_history_lists_revisions_as_text_and_json(
    capsys: pytest.CaptureFixture[str], newsroom: str
) -> None:
    code, out, err = run(capsys, "--db", newsroom, "history", SLUG)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["No.", "Time", "Reason", "Words"]
    assert [line.split()[0] for line in lines[1:]] == ["1", "2", "3"]
    assert [line.split()[3] for line in lines[1:]] == ["manual", "manual", "status"]
    assert lines[1].split()[-1] == "5" and lines[2].split()[-1] == "7"
    code, out, _ = run(capsys, "--db", newsroom, "history", SLUG, "--json")
    rows = json.loads(out)
    assert [(r["number"], r["reason"], r["words"]) for r in rows] == [
        (1, "manual", 5),
        (2, "manual", 7),
        (3, "status", 7),
    ]
    assert all(r["time"].endswith("+00:00") for r in rows)


def test_history_diff_shows_fields_and_text(
    capsys: pytest.CaptureFixture[str], newsroom: str
) -> None:
    code, out, err = run(capsys, "--db", newsroom, "history", SLUG, "--diff", "1", "2")
    assert code == 0, err
    assert out.startswith("revision 1 -> revision 2: changed: headline, body (+2 words)")
    assert "-Headline: Severn Barrier Delay" in out
    assert "+Headline: Severn barrier delay: 4,000 homes exposed" in out
    assert "+First draft of the text, now longer." in out
    code, out, _ = run(capsys, "--db", newsroom, "history", SLUG, "--diff", "2")
    assert out.startswith("revision 2 -> stored now: changed: status")
    code, _, err = run(capsys, "--db", newsroom, "history", SLUG, "--diff", "7")
    assert code == 1 and "has no revision 7; its revisions are: 1, 2, 3" in err
    code, _, err = run(capsys, "--db", newsroom, "history", SLUG, "--diff", "1", "2", "3")
    assert code == 1 and "--diff N or --diff N M" in err


def test_restore_revision_adds_a_revision_and_says_what_changed(
    capsys: pytest.CaptureFixture[str], newsroom: str
) -> None:
    code, out, err = run(capsys, "--db", newsroom, "restore-revision", SLUG, "1")
    assert code == 0, err
    assert out == (
        f"Restored revision 1 of {SLUG} as revision 4; changed: headline, body (-2 words).\n"
    )
    store = open_store(newsroom)
    try:
        article = store.get_by_slug(SLUG)
        assert article.body == "First draft of the text."
        assert article.status == Status.READY  # the status is not rolled back
        assert [r.reason for r in store.revisions(article.uri)] == [
            "manual",
            "manual",
            "status",
            "restored revision 1",
        ]
    finally:
        store.close()
    code, _, err = run(capsys, "--db", newsroom, "restore-revision", "no-such-story", "1")
    assert code == 1 and "no article with slug 'no-such-story'" in err
    code, _, err = run(capsys, "--db", newsroom, "restore-revision", SLUG, "0")
    assert code == 2


def test_export_records_one_revision_per_exported_version(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "handoff"
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out), "--format", "ninjs")
    assert code == 0, err
    store = open_store(newsroom)
    try:
        exported = [
            a for a in store.iter_articles() if a.status in {Status.READY, Status.SCHEDULED,
                                                              Status.PUBLISHED}
        ]  # fmt: skip
        assert len(exported) == 32
        for article in exported:
            reasons = [r.reason for r in store.revisions(article.uri)]
            if article.slug == SLUG:
                assert reasons == ["manual", "manual", "status"]  # holds this version
            else:
                assert reasons == ["export"]
        draft = next(a for a in store.iter_articles() if a.status == Status.DRAFT)
        assert store.revisions(draft.uri) == []
        total = sum(1 for _ in store.all_revisions())
    finally:
        store.close()
    assert run(capsys, "--db", newsroom, "export", "--out", str(out), "--format", "ninjs")[0] == 0
    store = open_store(newsroom)
    try:
        assert sum(1 for _ in store.all_revisions()) == total  # nothing new was exported
    finally:
        store.close()
