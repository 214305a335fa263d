"""The command line as a web team scripts it: output, exit codes, and the rows it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk import __version__
from newsdesk.store import open_store

from .helpers import run


def test_entry_points_report_the_version() -> None:
    script = str(Path(sys.executable).with_name("newsdesk"))
    for command in ([script], [sys.executable, "-m", "newsdesk"]):
        result = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0
        assert result.stdout.strip() == f"newsdesk {__version__}"


def test_demo_then_list_shows_the_archive(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    code, out, _ = run(capsys, "--db", store_url, "demo")
    assert code == 0 and "Added 44 sample articles" in out
    code, out, _ = run(capsys, "--db", store_url, "list", "--json", "--limit", "100")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 44
    assert {r["status"] for r in rows} == {
        "draft",
        "in_review",
        "ready",
        "scheduled",
        "published",
        "withdrawn",
        "archived",
    }
    assert len({r["section"] for r in rows}) >= 6
    code, out, _ = run(capsys, "--db", store_url, "list")
    assert code == 0 and "severn-barrier-delay-leaves-homes-exposed" in out
    assert "(50 of" not in out and "of 44 shown" not in out
    code, out, err = run(capsys, "--db", store_url, "demo")
    assert code == 1 and "already in this store" in err


def test_demo_articles_carry_related_links(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "d.db")
    run(capsys, "--db", db, "demo")
    code, out, _ = run(
        capsys, "--db", db, "show", "severn-barrier-delay-leaves-homes-exposed", "--json"
    )
    article = json.loads(out)
    assert code == 0 and article["status"] == "published"
    assert 2 <= len(article["related"]) <= 5
    store = open_store(db)
    targets = [r["target_uri"] for r in article["related"] if r["target_uri"]]
    assert [a.uri for a in store.get_many(targets)] == targets
    store.close()


def test_list_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    run(capsys, "--db", db, "demo")
    _, out, _ = run(
        capsys, "--db", db, "list", "--status", "draft", "--status", "in-review", "--json"
    )
    assert {r["status"] for r in json.loads(out)} == {"draft", "in_review"}
    _, out, _ = run(capsys, "--db", db, "list", "--section", "Sport", "--json")
    assert {r["section"] for r in json.loads(out)} == {"Sport"}
    _, out, _ = run(capsys, "--db", db, "list", "--tag", "flooding", "--json")
    rows = json.loads(out)
    assert rows and all("flooding" in r["tags"] for r in rows)


def test_search_ranks_on_topic_first(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    run(capsys, "--db", db, "demo")
    code, out, _ = run(capsys, "--db", db, "search", "severn flood", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) >= 3
    assert all("severn" in (h["headline"] + " ".join(h["tags"])).lower() for h in hits[:3])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_new_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    body = tmp_path / "body.md"
    body.write_text("First paragraph.\n\nSecond — with “quotes” and 🌊.\n", encoding="utf-8")
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "new",
        "--headline",
        "Café Owners Win Appeal: ‘We Never Gave Up’",
        "--section",
        "UK",
        "--tag",
        "courts",
        "--tag",
        "courts",
        "--body-file",
        str(body),
    )
    assert code == 0 and "Created cafe-owners-win-appeal-we-never-gave-up (draft)" in out
    code, out, _ = run(
        capsys, "--db", db, "show", "cafe-owners-win-appeal-we-never-gave-up", "--json"
    )
    article = json.loads(out)
    assert article["tags"] == ["courts"] and article["body"] == body.read_text(encoding="utf-8")
    code, out, err = run(
        capsys,
        "--db",
        db,
        "new",
        "--headline",
        "Other",
        "--slug",
        "cafe-owners-win-appeal-we-never-gave-up",
    )
    assert code == 1 and "already used by" in err
    code, out, err = run(
        capsys, "--db", db, "new", "--headline", "Ready but fine", "--status", "ready"
    )
    assert code == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    code, _, err = run(capsys, "--db", db, "list", "--status", "live")
    assert code == 2 and "unknown status 'live'" in err
    code, _, _ = run(capsys, "--db", db, "frobnicate")
    assert code == 2
    code, _, err = run(capsys, "--db", db, "show", "no-such-slug")
    assert code == 1 and "no article with slug 'no-such-slug'" in err


def test_bad_store_exits_1_and_is_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a store\n" * 20)
    code, _, err = run(capsys, "--db", str(path), "list")
    assert code == 1 and "not a Newsdesk store" in err and "Traceback" not in err
    assert path.read_text() == "not a store\n" * 20


def test_dump_and_load_move_a_newsroom_between_engines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    source = str(tmp_path / "source.db")
    run(capsys, "--db", source, "demo")
    src = open_store(source)
    article = src.get_by_slug("severn-barrier-delay-leaves-homes-exposed")
    src.save(
        article.edited(body=article.body + "\nUpdate: 🌊 عربي\u200f e\u0301."), reason="manual"
    )
    src.close()
    archive = tmp_path / "newsroom.json"
    code, out, _ = run(capsys, "--db", source, "dump", str(archive))
    assert code == 0 and "Wrote 44 articles" in out
    code, out, _ = run(capsys, "--db", store_url, "load", str(archive))
    assert code == 0 and "Loaded 44 articles" in out
    a, b = open_store(source), open_store(store_url)
    try:
        left = {x.uri: x.to_dict() | {"id": None} for x in a.iter_articles()}
        right = {x.uri: x.to_dict() | {"id": None} for x in b.iter_articles()}
        assert left == right
        assert [r.snapshot for r in a.revisions(article.uri)] == [
            r.snapshot for r in b.revisions(article.uri)
        ]
        assert b.search("barrier")
    finally:
        a.close()
        b.close()
    code, _, err = run(capsys, "--db", store_url, "load", str(archive))
    assert code == 1 and "already holds articles" in err


def test_load_refuses_what_is_not_an_archive(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    code, _, err = run(capsys, "--db", db, "load", str(bad))
    assert code == 1 and "not a Newsdesk archive" in err
    bad.write_text("{ not json")
    code, _, err = run(capsys, "--db", db, "load", str(bad))
    assert code == 1 and "bad.json:1" in err


def test_dump_to_a_folder_or_missing_folder_fails_cleanly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    run(capsys, "--db", db, "demo")
    code, _, err = run(capsys, "--db", db, "dump", str(tmp_path))
    assert code == 1 and "is a folder" in err
    code, _, err = run(capsys, "--db", db, "dump", str(tmp_path / "nope" / "a.json"))
    assert code == 1 and "does not exist" in err
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("x.db")) == []


def test_running_the_module_without_a_display_prints_help_or_opens(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSDESK_DB=str(tmp_path / "h.db"))
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0 and "demo" in result.stdout and "import" in result.stdout
