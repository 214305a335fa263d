"""``newsdesk check``: one line a problem, JSON, house styles, exit codes for a gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.store import open_store

from .helpers import run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = str(tmp_path / "store.db")
    for headline, body in (
        ("Bridge opens on time", "The new bridge opened on Monday."),
        ("Council budgt agreed", "Councillors organized a vote.\n\nIt passed easily."),
    ):
        assert (
            run(
                capsys,
                "--db",
                url,
                "new",
                "--headline",
                headline,
                "--body-file",
                _file(tmp_path, body),
            )[0]
            == 0
        )
    return url


def _file(folder: Path, text: str) -> str:
    path = folder / f"body{len(list(folder.glob('body*')))}.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_clean_story_exits_0(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", db, "check", "bridge-opens-on-time")
    assert (code, out, err) == (0, "Checked 1 story: no problems.\n", "")


def test_problems_print_field_line_column_rule_and_fix(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", db, "check", "council-budgt-agreed")
    assert code == 1
    assert out.splitlines() == [
        "council-budgt-agreed headline:1:9 warning spelling: 'budgt' is not in the dictionary: "
        "correct it, or add it to a dictionary if it is right [fix: budget | budge]",
        "council-budgt-agreed body:1:13 warning NewsdeskBritish.Ise: Spell 'organized' with -ise "
        "(organise, realise); -ize is American. [fix: organised]",
        "2 problems in 1 of 1 story.",
    ]


def test_all_and_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "check", "--all", "--json")
    assert code == 1
    (story,) = json.loads(out)
    assert story["slug"] == "council-budgt-agreed"
    assert [(p["field"], p["line"], p["column"], p["rule"]) for p in story["problems"]] == [
        ("headline", 1, 9, "spelling"),
        ("body", 1, 13, "NewsdeskBritish.Ise"),
    ]
    assert story["problems"][1]["suggestions"] == ["organised"]


def test_newsroom_words_and_min_level(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(db)
    store.add_newsroom_word("budgt")
    store.close()
    code, out, _ = run(capsys, "--db", db, "check", "council-budgt-agreed", "--min-level", "error")
    assert (code, out) == (0, "Checked 1 story: no problems.\n")
    code, out, _ = run(capsys, "--db", db, "check", "council-budgt-agreed")
    assert code == 1 and "spelling" not in out and "NewsdeskBritish.Ise" in out


def test_a_style_folder_and_a_malformed_one(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "House"
    folder.mkdir()
    (folder / "Monday.yml").write_text(
        "extends: existence\nmessage: \"No '%s'.\"\ntokens: [Monday]\n"
    )
    code, out, _ = run(capsys, "--db", db, "check", "bridge-opens-on-time", "--style", str(folder))
    assert code == 1 and "body:1:26 warning House.Monday: No 'Monday'." in out
    (folder / "Monday.yml").write_text("extends: existence\nmessage: x\nlevel: [\n")
    code, out, err = run(capsys, "--db", db, "check", "--all", "--style", str(folder))
    assert code == 1 and out == ""
    assert f"{folder / 'Monday.yml'}:4: not valid YAML" in err


def test_a_missing_dictionary_is_named_and_fails_the_gate(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", db, "check", "bridge-opens-on-time", "--language", "xx-YY")
    assert code == 1
    assert "no xx-YY Hunspell dictionary; install hunspell-xx-yy" in err
    assert out == "Checked 1 story: no problems found, but spelling was not checked.\n"
    assert (
        run(
            capsys,
            "--db",
            db,
            "check",
            "bridge-opens-on-time",
            "--language",
            "xx-YY",
            "--no-spelling",
        )[0]
        == 0
    )


def test_ready_adds_the_checklist(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", db, "check", "bridge-opens-on-time", "--ready")
    assert code == 1
    assert "bridge-opens-on-time byline:1:1 error ready.required: The story has no byline" in out
    assert out.startswith("(publication) site:1:1 error ready.site-address: ")
    assert out.count("ready.site-address") == 1  # once, not under every story


def test_usage_errors(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", db, "check")
    assert code == 1 and "name the stories to check (their slugs), or give --all" in err
    code, _, err = run(capsys, "--db", db, "check", "no-such-story")
    assert code == 1 and "no-such-story" in err


def test_export_warns_loudly_about_the_placeholder_site(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "--db",
        db,
        "export",
        "--out",
        str(tmp_path / "out"),
        "--format",
        "markdown",
        "--status",
        "draft",
    )
    assert code == 0
    assert (
        "WARNING: The publication's site address is still the placeholder https://example.com/"
        in err
    )


def test_all_on_several_processes_says_the_same(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.cli import check_run as check

    serial = run(capsys, "--db", db, "check", "--all")
    monkeypatch.setattr(check, "PARALLEL_FROM", 1)  # workers open the store themselves
    monkeypatch.setattr(check, "CHUNK", 1)
    assert run(capsys, "--db", db, "check", "--all") == serial
    assert serial[0] == 1 and "2 problems in 1 of 2 stories." in serial[1]
