"""``newsdesk export`` lists the stories it handed off with open problems: what is wrong
with each, and whether an editor went ahead anyway (the reason, from the history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.publish.handoff import open_problems
from newsdesk.store import open_store

from .helpers import run

STANDFIRST = (
    "The council voted on Tuesday night to approve a budget that protects libraries and "
    "raises parking charges."
)


def story(**changes: str) -> Article:
    """A published story with everything the checklist asks for, but ``changes``."""
    fields = {
        "headline": "Council approves the budget",
        "byline": "Helen Park",
        "section": "News",
        "standfirst": STANDFIRST,
        "body": "The council approved the budget on Tuesday.",
        **changes,
    }
    return Article(status=Status.PUBLISHED, **fields)  # type: ignore[arg-type]


CLEAN = story(slug="clean")
# No byline, a headline over 70 characters, and a typo (seen only when spelling is checked).
FLAWED = story(
    headline="Council approves the budget after a long night of argument over the libary cuts",
    byline="",
    slug="flawed",
)
# No standfirst; an editor marked it published all the same, with a reason.
RUSHED = story(headline="Flood warning for the Severn", standfirst="", slug="rushed")
REASON = "Marked published with open problems: the warning cannot wait"


@pytest.fixture
def newsroom(tmp_path: Path) -> str:
    db = str(tmp_path / "newsroom.db")
    store = open_store(db)
    try:
        store.save_profile(PublicationProfile(base_url="https://news.example.org/"))
        for article in (CLEAN, FLAWED, RUSHED):
            store.create(article)
        rushed = store.get_by_slug("rushed")
        store.add_revision(rushed.uri, REASON)
    finally:
        store.close()
    return db


def test_an_export_lists_each_story_it_handed_off_with_open_problems(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    out = tmp_path / "all"
    code, text, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                          "--format", "ninjs")  # fmt: skip
    assert code == 0, err  # exported: the list informs, it does not fail the command
    assert "Exported 3 articles" in text
    lines = err.splitlines()
    assert lines[0] == (
        "newsdesk: 2 of the 3 stories handed off have open problems (spelling and house "
        "style not checked); an editor went ahead anyway with 1 of them:"
    )
    assert sorted(lines[1:3]) == [
        f"newsdesk:   “{FLAWED.headline}” (flawed): no byline, headline too long",
        "newsdesk:   “Flood warning for the Severn” (rushed): no standfirst; marked "
        "published anyway: “the warning cannot wait”",
    ]
    assert lines[3].startswith("newsdesk: each problem, and how to fix it: newsdesk check")
    assert "clean" not in err and "WARNING" not in err  # the site address is a real one

    # Exported again after one edit: only the story handed off anew is checked.
    store = open_store(newsroom)
    rushed = store.get_by_slug("rushed")
    store.save(rushed.edited(body="The Environment Agency warned of flooding."), reason="edit")
    store.close()
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(out),
                       "--format", "ninjs")  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[:2] == [
        "newsdesk: The story handed off has open problems (spelling and house style not "
        "checked); an editor went ahead anyway with 1 of them:",
        "newsdesk:   “Flood warning for the Severn” (rushed): no standfirst; marked "
        "published anyway: “the warning cannot wait”",
    ]


def test_a_big_partial_export_is_checked_without_spelling_and_style(
    capsys: pytest.CaptureFixture[str],
    newsroom: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(open_problems, "SPELLING_UP_TO", 1)  # 2 stories are "many" here
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(tmp_path / "two"),
                       "--format", "ninjs", "--only", "flawed", "clean")  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[:2] == [
        "newsdesk: 1 of the 2 stories handed off has open problems (spelling and house "
        "style not checked); none has a go-ahead in its history:",
        f"newsdesk:   “{FLAWED.headline}” (flawed): no byline, headline too long",
    ]


def test_a_partial_export_checks_the_stories_chosen(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--db", newsroom, "export", "--out", str(tmp_path / "one"),
                       "--format", "ninjs", "--only", "flawed", "clean")  # fmt: skip
    assert code == 0, err
    assert err.splitlines()[:2] == [
        "newsdesk: 1 of the 2 stories handed off has open problems; none has a go-ahead "
        "in its history:",
        f"newsdesk:   “{FLAWED.headline}” (flawed): no byline, headline too long, "
        "1 spelling mistake",
    ]


def test_a_clean_export_says_nothing_but_the_placeholder_warns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "clean.db")
    store = open_store(db)
    store.create(CLEAN)
    store.close()
    code, _, err = run(capsys, "--db", db, "export", "--out", str(tmp_path / "out"),
                       "--format", "ninjs")  # fmt: skip
    assert code == 0, err
    assert "open problems" not in err
    assert "WARNING: The publication's site address is still the placeholder" in err


def test_the_list_is_the_same_with_the_dictionary_opened_before_the_export(
    capsys: pytest.CaptureFixture[str], newsroom: str, tmp_path: Path
) -> None:
    import io

    from newsdesk.cli.export_problems import prepare_open_problems, print_open_problems
    from newsdesk.core.models import PUBLISHABLE
    from newsdesk.publish.exporting.export import export

    code, _, said = run(capsys, "--db", newsroom, "export", "--out", str(tmp_path / "cli"),
                        "--format", "ninjs", "--only", "flawed", "rushed")  # fmt: skip
    assert code == 0, said
    store = open_store(newsroom)
    try:
        only = {store.get_by_slug(slug).uri: 0 for slug in ("flawed", "rushed")}
        preloaded = prepare_open_problems(store, only=only)  # the hook cmd_export can call
        assert preloaded is not None
        report = export(store, tmp_path / "hooked", formats="ninjs", only=only)
        err = io.StringIO()
        print_open_problems(store, report, err, statuses=PUBLISHABLE, since=None, only=only,
                            preloaded=preloaded)  # fmt: skip
    finally:
        store.close()
    assert "1 spelling mistake" in err.getvalue()
    assert err.getvalue() == said  # word for word what the command says without the hook
