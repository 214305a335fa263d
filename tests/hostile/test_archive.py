"""``newsdesk dump`` and ``newsdesk load`` with hostile content, and hostile archive files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core import archive
from newsdesk.core.archive import ArchiveError
from newsdesk.core.models import Article
from newsdesk.store import open_store

from ..cli.helpers import run
from . import corpus


def snapshot(store: Any) -> dict[str, dict[str, Any]]:
    return {a.uri: a.to_dict() | {"id": None} for a in store.iter_articles()}


def test_dump_and_load_keep_every_hostile_field_exactly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    source = open_store(str(tmp_path / "source.db"))
    source.create_many(corpus.articles())
    first = source.get(corpus.uri(1))
    source.save(first.edited(body=first.body + "\n\u202eedited\u202c 👩🏽‍💻\n"), reason="manual")
    before = snapshot(source)
    revisions = [r.snapshot for r in source.all_revisions()]
    source.close()
    archive = tmp_path / "newsroom.json"
    assert run(capsys, "--db", str(tmp_path / "source.db"), "dump", str(archive))[0] == 0
    code, _, err = run(capsys, "--db", store_url, "load", str(archive))
    assert (code, err) == (0, ""), err
    loaded = open_store(store_url)
    try:
        assert snapshot(loaded) == before
        assert [r.snapshot for r in loaded.all_revisions()] == revisions
    finally:
        loaded.close()
    # Dumping what was loaded gives the same archive, byte for byte but for the header.
    again = tmp_path / "again.json"
    assert run(capsys, "--db", store_url, "dump", str(again))[0] == 0
    assert (
        archive.read_text("utf-8").split("\n", 4)[4] == again.read_text("utf-8").split("\n", 4)[4]
    )


def _archive(tmp_path: Path, article: dict[str, Any], revisions: list[Any] | None = None) -> Path:
    path = tmp_path / "forged.json"
    data = {"format": "newsdesk-archive", "format_version": 1, "articles": [article],
            "revisions": revisions or []}  # fmt: skip
    path.write_text(json.dumps(data), encoding="utf-8")  # \\u escapes: NUL and surrogates too
    return path


def _article_dict(**changes: Any) -> dict[str, Any]:
    data = corpus.article(corpus.payloads()[0]).to_dict()
    data.pop("id")
    data.update({"slug": "forged-article", "slug_locked": True, **changes})
    return data


def test_a_forged_archive_with_an_unsafe_slug_loads_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for slug in [s for s in corpus.PATHS if s]:
        path = _archive(tmp_path, _article_dict(slug=slug))
        with pytest.raises(ArchiveError) as caught:
            archive.read(path)
        message = str(caught.value)
        assert str(path) in message and "not a single safe path segment" in message
        assert repr(slug) in message
    db = str(tmp_path / "x.db")
    path = _archive(tmp_path, _article_dict(slug="../../escape"))
    code, _, err = run(capsys, "--db", db, "load", str(path))
    assert code == 1 and "'../../escape', which is not a single safe path segment" in err
    store = open_store(db)
    assert store.info().article_count == 0
    store.close()


def test_a_forged_archive_gets_the_same_text_rule_on_both_engines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    nasty = "a\x00b\x85c\u2028d\ud800e\u202ef"
    data = _article_dict(headline=nasty, body=nasty, tags=[nasty], byline=nasty)
    data["related"] = [{"title": nasty, "url": "https://example.org/" + nasty}]
    data["image"] = {"src": "lead.jpg", "caption": nasty, "alt": nasty}
    data["corrections"] = [{"when": "2026-03-02T08:00:00+00:00", "text": nasty}]
    revision = {"article_uri": data["uri"], "number": 1, "reason": "manual\x00",
                "created_at": "2026-03-02T08:00:00+00:00", "snapshot": dict(data)}  # fmt: skip
    path = _archive(tmp_path, data, [revision])
    code, _, err = run(capsys, "--db", store_url, "load", str(path))
    assert (code, err) == (0, "")
    store = open_store(store_url)
    try:
        loaded = store.get(data["uri"])
        expected = corpus.expected_fields(Article.from_dict(data))
        assert corpus.stored_fields(loaded) == expected
        assert (
            loaded.headline == "a b c d\ufffde\u202ef" and loaded.body == "abc\u2028d\ufffde\u202ef"
        )
        assert loaded.slug == "forged-article"
        (stored_revision,) = list(store.all_revisions())
        assert stored_revision.reason == "manual"
        assert stored_revision.snapshot["body"] == loaded.body
        # What was loaded can be dumped again (a lone surrogate could not be written).
        assert run(capsys, "--db", store_url, "dump", str(tmp_path / "again.json"))[0] == 0
    finally:
        store.close()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"section": "S" * 121}, "section 'SSSS"),
        ({"created_at": "2026-03-01T08:00:00"}, "must carry a time zone"),
        ({"headline": "\x00\x01", "status": "published"}, "needs a headline"),
        ({"related": [{"title": "t", "url": "\x00"}]}, "has no address"),
        ({"related": [{"title": "t"}]}, "points at an article or at a URL"),
        ({"status": "pwned"}, "unknown status 'pwned'"),
        ({"revision": {"reason": "r" * 301}}, "its reason or article uri is too long"),
        ({"revision": {"created_at": "2026-03-01T08:00:00"}}, "its date must carry a time zone"),
    ],
)
def test_a_damaged_archive_is_refused_naming_the_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    db = str(tmp_path / "x.db")
    forged = changes.pop("revision", None)
    article = _article_dict(**changes)
    revision = {"article_uri": article["uri"], "number": 1, "reason": "manual",
                "created_at": "2026-03-02T08:00:00+00:00", "snapshot": {}}  # fmt: skip
    path = _archive(tmp_path, article, [revision | forged] if forged else [])
    code, _, err = run(capsys, "--db", db, "load", str(path))
    assert code == 1 and str(path) in err and message in err, err
    assert "Traceback" not in err
    store = open_store(db)
    assert store.info().article_count == 0
    store.close()


def test_invalid_utf8_in_an_archive_names_the_file_line_and_byte(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "x.db")
    good = _archive(tmp_path, _article_dict(body="Caf\u00e9"))
    raw = good.read_bytes().replace(b'"articles"', b'\n"articles"', 1)
    broken = tmp_path / "broken.json"
    position = raw.index(b"Caf") + 3
    broken.write_bytes(raw[:position] + b"\xe9" + raw[position:])  # Latin-1 é in UTF-8
    code, _, err = run(capsys, "--db", db, "load", str(broken))
    assert code == 1
    assert f"{broken}:2: not UTF-8 text (byte {position:,} is 0xe9)" in err, err
    store = open_store(db)
    assert store.info().article_count == 0
    store.close()
