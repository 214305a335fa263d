"""``newsdesk import`` of hostile Markdown files, broken encodings, export-import round trips."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
import yaml

from newsdesk.core.errors import ImportFileError
from newsdesk.core.intake.importing import import_paths
from newsdesk.core.models import Article
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.markdown_files import neutralize_markdown
from newsdesk.store import open_store

from ..cli.helpers import run
from . import corpus

# File and folder names a newsroom's shared drive can hold (all legal on Linux).
HOSTILE_NAMES = [
    "CON.md", "con.txt.md", "aux.md", "nul.md", "LPT1.md", "-rf.md", "--db=x.md",
    "\u202egnp.md", "👩🏽‍💻 story.md", "name with  spaces .md", "a" * 240 + ".md",
    "%2e%2e%2f.md", "c:evil.md", "back\\slash.md", "new\nline.md", "tab\tname.md",
    os.fsdecode(b"latin1-\xe9.md"), os.fsdecode(b"\xff\xfe.md"), "$(touch pwned).md",
    "`id`.md", "'; DROP TABLE article; --.md", "<script>.md", "*.md", "?.md",
]  # fmt: skip


TEXT_ONLY = {"template-injection", "control", "bidi", "combining", "emoji"}


def markdown_file(item: Article) -> str:
    """``item`` as a Markdown file with front matter, every text field included."""
    assert item.image is not None and item.audio is not None
    matter = {
        "title": item.headline, "kicker": item.kicker, "standfirst": item.standfirst,
        "byline": item.byline, "authors": list(item.authors), "dateline": item.dateline,
        "section": item.section, "tags": list(item.tags), "status": "published",
        "date": item.display_date, "seo_title": item.seo_title,
        "seo_description": item.seo_description, "canonical": item.canonical_url,
        "editor_note": item.editor_note, "image": item.image.to_dict(),
        "audio": item.audio.to_dict(),
        "related": [{"url": link.url, "title": link.title} for link in item.related if link.url],
    }  # fmt: skip
    front = yaml.safe_dump(matter, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{item.body}"


def web_media(item: Article) -> Article:
    """``item`` with its image and audio at web addresses (the hostile text kept in the
    audio's): an import brings a file named by a path into the store, or refuses it when
    it is not there (tests/cli/test_import_media.py)."""
    assert item.image is not None and item.audio is not None
    return dataclasses.replace(
        item,
        image=dataclasses.replace(item.image, src=f"https://example.org/{item.image.src}"),
        audio=dataclasses.replace(item.audio, src=f"https://example.org/a.mp3?{item.audio.src}"),
    )


def write_corpus(folder: Path) -> dict[Path, Article]:
    """One file per payload (three of each kind of markup, which YAML quotes alike), under
    hostile folder and file names."""
    written = {}
    chosen = [p for p in corpus.payloads() if p.category not in corpus.HTML_CATEGORIES]
    for name in corpus.HTML_CATEGORIES:
        chosen += [p for p in corpus.payloads() if p.category == name][:3]
    for index, item in enumerate(web_media(corpus.article(p)) for p in chosen):
        name = HOSTILE_NAMES[index % len(HOSTILE_NAMES)]
        path = folder / HOSTILE_NAMES[(index + 7) % len(HOSTILE_NAMES)].replace(".md", "") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown_file(item), encoding="utf-8", newline="")
        written[path] = dataclasses.replace(item, related=item.related[:1], corrections=())
    return written


def test_hostile_files_import_with_every_field_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # One engine: the store's round trip on both is test_store's; reading YAML is the cost.
    store_url = str(tmp_path / "i.db")
    folder = tmp_path / "drive"
    written = write_corpus(folder)
    code, out, err = run(capsys, "--db", store_url, "import", str(folder))
    assert (code, err) == (0, ""), err
    assert out == f"Imported {len(written)} articles.\n"
    store = open_store(store_url)
    try:
        stored = {a.headline: a for a in store.iter_articles()}
        for item in written.values():
            expected = corpus.expected_fields(item)
            got = corpus.stored_fields(stored[str(expected["headline"])])
            assert got == expected, item.uri
    finally:
        store.close()
    assert not (tmp_path / "pwned").exists()  # no file name was ever run by a shell


def test_control_characters_in_front_matter_follow_the_same_rule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    raw = "---\ntitle: Raw a\x00b\x1bc\x7fd\nkicker: 'e\x01f'\n---\nBody \x00with\x08 NUL\r\n"
    (tmp_path / "raw.md").write_text(raw, encoding="utf-8", newline="")
    assert run(capsys, "--db", db, "import", str(tmp_path / "raw.md"))[0] == 0
    store = open_store(db)
    article = next(store.iter_articles())
    store.close()
    typed = Article(
        headline="Raw a\x00b\x1bc\x7fd", kicker="e\x01f", body="Body \x00with\x08 NUL\r\n"
    )
    typed = typed.normalized()  # what the window stores for the same keystrokes
    assert (article.headline, article.kicker, article.body) == (
        typed.headline,
        typed.kicker,
        typed.body,
    )
    assert article.headline == "Raw a b c d" and article.body == "Body with NUL\n"


# Each bad sequence, and how far into it the first byte that is not UTF-8 sits.
BAD_BYTES = {
    "latin-1": (b"Caf\xe9", 3),
    "utf-16 bom": (b"\xff\xfeH\x00i\x00", 0),
    "overlong slash": (b"\xc0\xaf", 0),
    "encoded surrogate": (b"\xed\xa0\x80", 0),
    "cut sequence": (b"ok \xe2\x82", 3),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00", 0),
    "windows-1252 quote": (b"\x93quoted\x94", 0),
}


def test_invalid_utf8_names_file_line_and_byte_and_imports_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "i.db")
    store = open_store(db)
    before = store.create(Article(headline="Already here", body="Kept as it is.\n"))
    tried = 0
    try:
        for kind, (sequence, skip) in BAD_BYTES.items():
            for where in ("front matter", "body"):
                folder = tmp_path / f"in-{tried}"
                folder.mkdir()
                for n in range(3):
                    good = f"---\ntitle: Good {n}\n---\nFine 🌊\n"
                    (folder / f"good-{n}.md").write_text(good, "utf-8")
                head = b"---\ntitle: Broken\nkicker: "
                if where == "front matter":
                    prefix, line = head, 3
                    data = prefix + sequence + b"\n---\nbody\n"
                else:
                    prefix, line = head + b"k\n---\nfirst line\n", 6
                    data = prefix + sequence + b"\n"
                bad = folder / "b-broken.md"
                bad.write_bytes(data)
                with pytest.raises(ImportFileError) as caught:
                    import_paths([folder], store)
                expected = f"{bad}:{line}: the file is not UTF-8 text (byte {len(prefix) + skip} "
                assert str(caught.value).startswith(expected), (kind, where, str(caught.value))
                tried += 1
        assert [a.to_dict() for a in store.iter_articles()] == [before.to_dict()]
    finally:
        store.close()
    # The command line says the same, exits 1, and the store is as it was.
    code, out, err = run(capsys, "--db", db, "import", str(tmp_path / "in-0"))
    assert (code, out) == (1, "") and "b-broken.md:3: the file is not UTF-8 text" in err
    assert "save it as UTF-8 and import again" in err
    store = open_store(db)
    assert store.info().article_count == 1
    store.close()


def test_a_character_yaml_cannot_carry_is_refused_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "nonchar.md"
    path.write_text("---\ntitle: ok\nkicker: a\ufffeb\n---\nbody\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(tmp_path / "i.db"), "import", str(path))
    assert code == 1
    assert f"{path}:3: the front matter is not valid YAML: the character U+FFFE" in err


def test_markdown_export_then_import_keeps_every_word(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first_db, second_db = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    first = open_store(first_db)
    # Every text-only payload, and the first three of each kind of markup (the import test
    # above reads them all; YAML parsing is what takes the time here).
    every = corpus.payloads()
    chosen = [p for p in every if p.category in TEXT_ONLY]
    for name in corpus.HTML_CATEGORIES:
        chosen += [p for p in every if p.category == name][:3]
    first.create_many([corpus.article(p) for p in chosen])
    export(first, tmp_path / "out", formats="markdown", workers=1)
    originals = {a.slug: a for a in first.iter_articles()}
    categories = {p.number: p.category for p in corpus.payloads()}
    first.close()
    code, _, err = run(capsys, "--db", second_db, "import", str(tmp_path / "out" / "markdown"))
    assert (code, err) == (0, ""), err
    second = open_store(second_db)
    try:
        again = {a.slug: a for a in second.iter_articles()}
        assert again.keys() == originals.keys()
        for slug, original in originals.items():
            back = again[slug]
            for name in ("headline", "kicker", "standfirst", "byline", "dateline", "section",
                         "tags", "authors"):  # fmt: skip
                assert getattr(back, name) == getattr(original, name), (slug, name)
            # Raw HTML and script links are escaped on the way out, on purpose (a CMS that
            # trusts Markdown must not run them); every other character comes back.
            assert back.body == neutralize_markdown(original.body).strip("\n") + "\n", slug
            number = int(original.headline.split(":", 1)[0].removeprefix("Hostile "))
            if categories[number] in TEXT_ONLY and "<" not in original.body:
                assert back.body == original.body, slug
            # Exporting it again would write the same body: escaping is done once.
            assert neutralize_markdown(back.body) == back.body, slug
    finally:
        second.close()


HOSTILE_YAML = {
    "title: !!python/object/apply:os.system ['touch {pwned}']": "could not determine a constructor",
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "tags: *d": "tags: expected a list of text items",
    "tags: " + "[" * 800 + "]" * 800: "it is nested too deeply",
    "? [a, b]\n: x": "found unhashable key",
    "audio: {src: a.mp3, duration_seconds: .nan}": "duration_seconds must be a number of seconds",
    "audio: {src: a.mp3, duration_seconds: .inf}": "duration_seconds must be a number of seconds",
    "audio: {src: a.mp3, duration_seconds: -5}": "duration_seconds must be a number of seconds",
    "date: 0001-01-01T00:00:00+14:00": "date: the date 0001-01-01T00:00:00+14:00 is out of range",
    "date: 9999-12-31T23:59:59-12:00": "is out of range (years 1 to 9999)",
    "title: [not, text]": "title: expected text, found list",
    "related: [{url: 'javascript:alert(1)', title: x}]": "is not an http or https address",
    'related: [{url: "https://example.org/\\0x", title: x}]': None,  # a YAML \0 escape
}


def test_hostile_yaml_is_refused_naming_the_key_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pwned = tmp_path / "pwned"
    store = open_store(str(tmp_path / "i.db"))
    try:
        for number, (front, message) in enumerate(HOSTILE_YAML.items()):
            path = tmp_path / f"y{number}.md"
            text = f"---\n{front.replace('{pwned}', str(pwned))}\ntitle: Fine\n---\nBody.\n"
            if front.startswith("title:"):
                text = f"---\n{front.replace('{pwned}', str(pwned))}\n---\nBody.\n"
            path.write_text(text, encoding="utf-8")
            if message is None:
                (article,) = import_paths([path], store)
                assert article.related[0].url == "https://example.org/ x"  # the \0 escape
                continue
            with pytest.raises(ImportFileError) as caught:
                import_paths([path], store)
            assert str(path) in str(caught.value) and message in str(caught.value), front
        assert store.info().article_count == 1
    finally:
        store.close()
    assert not pwned.exists()
    code, _, err = run(capsys, "--db", str(tmp_path / "i.db"), "import", str(tmp_path / "y2.md"))
    assert code == 1 and "nested too deeply" in err and "Traceback" not in err
