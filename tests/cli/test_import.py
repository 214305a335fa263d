"""Importing Markdown with front matter: Hugo/Jekyll keys, our keys, and all-or-nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.core.models import Status
from newsdesk.store import open_store

from .helpers import run

HUGO = """---
title: "Ferry Service Cut: Islanders Left Waiting"
date: 2026-10-02T09:00:00+01:00
lastmod: 2026-10-03
slug: ferry-service-cut
description: The operator blames a shortage of crew.
tags: [transport, islands]
categories: [UK]
draft: false
author: [Morag Innes, Ali Reza]
---
Islanders faced a **nine-hour** wait, officials said.
"""

NEWSDESK = """---
headline: Harbour Plan Approved
kicker: Planning
standfirst: Councillors voted 9–4 in favour.
byline: Morag Innes
dateline: Oban
section: UK
status: in review
related:
  - slug: ferry-service-cut
  - url: https://example.org/plans/harbour?utm_source=x
    title: The plan document
    relation: background
---
The vote followed a long debate. مرحبا 🌊
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_import_reads_hugo_and_newsdesk_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    folder = tmp_path / "content"
    write(folder, "posts/ferry.md", HUGO)
    write(folder, "harbour.md", NEWSDESK)
    write(folder, ".hidden/skip.md", "---\ntitle: never\n---\n")
    code, out, err = run(capsys, "--db", store_url, "import", str(folder))
    assert (code, out, err) == (0, "Imported 2 articles.\n", "")
    store = open_store(store_url)
    try:
        ferry = store.get_by_slug("ferry-service-cut")
        assert ferry.headline == "Ferry Service Cut: Islanders Left Waiting"
        assert ferry.status is Status.PUBLISHED
        assert ferry.standfirst == "The operator blames a shortage of crew."
        assert ferry.section == "UK" and ferry.tags == ("transport", "islands")
        assert ferry.authors == ("Morag Innes", "Ali Reza")
        assert ferry.byline == "Morag Innes and Ali Reza"
        assert ferry.display_date == datetime(2026, 10, 2, 8, 0, tzinfo=UTC)
        assert ferry.first_published_at == ferry.display_date
        harbour = store.get_by_slug("harbour-plan-approved")
        assert harbour.status is Status.IN_REVIEW
        assert harbour.kicker == "Planning" and harbour.dateline == "Oban"
        assert harbour.body == "The vote followed a long debate. مرحبا 🌊\n"
        assert harbour.related[0].target_uri == ferry.uri
        assert harbour.related[0].title == ferry.headline
        assert harbour.related[1].url == "https://example.org/plans/harbour?utm_source=x"
        assert harbour.related[1].relation.value == "background"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: A\nstatus: live\n---\nx", "bad.md:3: status: unknown status 'live'"),
        ("---\ntitle: A\ntags: [a, b\n---\nx", "bad.md:3: the front matter is not valid YAML"),
        (
            "---\ntitle: A\ndate: last tuesday\n---\nx",
            "bad.md:3: date: 'last tuesday' is not a date",
        ),
        ("---\ntitle: A\nbody text without a closing fence", "bad.md:1: the front matter opened"),
        ("---\nkicker: only\n---\nno headline here", "bad.md:1: no headline"),
        (
            "---\ntitle: A\nslug: ../../etc/passwd\n---\n",
            "bad.md:3: slug: '../../etc/passwd' is not a safe slug",
        ),
        (
            "---\ntitle: A\nrelated:\n  - slug: nowhere\n---\n",
            "bad.md: related: no article with slug 'nowhere'",
        ),
        (
            "---\ntitle: A\nrelated:\n  - url: javascript:alert(1)\n---\n",
            "bad.md:3: related: item 1: 'javascript:alert(1)' is not an http",
        ),
        (
            "---\ntitle: A\nslug: ferry-service-cut\n---\n",
            "bad.md:3: slug 'ferry-service-cut' is also used by",
        ),
        ("---\ntitle: A\ndraft: maybe\n---\n", "bad.md:3: draft: expected true or false"),
        ("---\n- just\n- a list\n---\n", "bad.md:2: the front matter must be"),
        (b"---\ntitle: A\n---\nCaf\xe9 latin-1\n", "bad.md:4: the file is not UTF-8"),
        ("---\ntitle: A\nstatus: ready\n---\n", None),
    ],
)
def test_one_bad_file_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str | bytes, expected: str | None
) -> None:
    db = str(tmp_path / "i.db")
    folder = tmp_path / "in"
    write(folder, "a-good.md", HUGO)
    write(folder, "bad.md", text)
    code, out, err = run(capsys, "--db", db, "import", str(folder))
    store = open_store(db)
    count = store.info().article_count
    store.close()
    if expected is None:
        assert code == 0 and count == 2
        return
    assert code == 1, out
    assert expected in err, err
    assert str(folder / "bad.md") in err
    assert count == 0


def test_slug_already_in_the_store_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    path = write(tmp_path, "ferry.md", HUGO)
    assert run(capsys, "--db", db, "import", str(path))[0] == 0
    code, _, err = run(capsys, "--db", db, "import", str(path))
    assert code == 1 and "ferry.md:5: slug 'ferry-service-cut' is already used" in err


def test_derived_slugs_are_made_unique(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "i.db")
    write(tmp_path / "in", "one.md", "---\ntitle: Same Story\n---\nOne")
    write(tmp_path / "in", "two.md", "---\ntitle: Same Story\n---\nTwo")
    assert run(capsys, "--db", db, "import", str(tmp_path / "in"))[0] == 0
    store = open_store(db)
    assert store.get_by_slug("same-story").body == "One\n"
    assert store.get_by_slug("same-story-2").body == "Two\n"
    store.close()


def test_missing_path_and_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "i.db")
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "nope"))
    assert code == 1 and "no such file or folder" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "empty"))
    assert code == 1 and "no Markdown files found" in err


def test_control_characters_rtl_and_emoji_round_trip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    body = "Línea \u202eRTL\u202c عربي עברית 👩🏽‍💻 e\u0301\tTab\n\nSecond\x07 para\n"
    write(tmp_path, "x.md", f'---\ntitle: "Head\\x1b line \U0001f30a"\n---\n{body}')
    assert run(capsys, "--db", db, "import", str(tmp_path / "x.md"))[0] == 0
    store = open_store(db)
    article = store.get_by_slug("head-line")
    store.close()
    assert article.headline == "Head line 🌊"
    assert article.body == body.replace("\x07", "")
