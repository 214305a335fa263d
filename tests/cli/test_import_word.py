"""``newsdesk import`` of Word documents, alone or beside Markdown files: the story, its
picture, its title, author, subtitle and comments land in the store; one bad document and
nothing does."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from tests.media_samples import jpeg_bytes
from tests.word_samples import FLOOD_BODY, flood_story

from newsdesk.core.media.media import image_markdown
from newsdesk.store import open_store

from .helpers import run

MARKDOWN = "---\ntitle: Ferry cut\n---\nSailings stop on Monday.\n"


def test_word_and_markdown_in_one_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    flood_story(folder / "flood.docx")
    (folder / "ferry.md").write_text(MARKDOWN)
    (folder / "~$flood.docx").write_bytes(b"\x0cMorag Campbell")  # Word's lock file
    code, out, err = run(capsys, "--db", store_url, "import", str(folder))
    assert (code, err) == (0, "")
    assert out == (
        "Imported 2 articles with 1 media file.\n"
        "  note: flood.docx: tracking parameters removed from a link\n"
    )
    store = open_store(store_url)
    try:
        (photo,) = store.list_media()
        flood = store.get_by_slug("flood-defences-fail-at-oban")
        ferry = store.get_by_slug("ferry-cut")
        stored = store.media_data(photo.key)
    finally:
        store.close()
    assert ferry.body == "Sailings stop on Monday.\n"
    assert flood.byline == "Morag Campbell"
    assert flood.standfirst == "Residents say warnings came too late as the river broke its banks"
    assert flood.editor_note == "Comments in the Word file:\n- Ed Itor: Confirm the date"
    assert flood.body == FLOOD_BODY.replace(
        "PICTURE", image_markdown(photo.key, "Water in the high street")
    )
    assert (photo.alt, photo.mime_type, photo.width) == (
        "Water in the high street",
        "image/jpeg",
        640,
    )
    assert hashlib.sha256(stored).hexdigest() == photo.sha256


def test_the_same_picture_in_a_document_and_beside_markdown_is_stored_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import docx
    from tests.word_samples import picture

    db = str(tmp_path / "i.db")
    photo = jpeg_bytes(320, 240, seed=4)
    document = docx.Document()
    document.add_paragraph("Words.")
    picture(document, photo, "Quay")
    document.save(tmp_path / "a.docx")
    (tmp_path / "quay.jpg").write_bytes(photo)
    (tmp_path / "b.md").write_text("---\ntitle: B\n---\n![Quay](quay.jpg)\n")
    code, out, _ = run(capsys, "--db", db, "import", str(tmp_path))
    assert (code, out) == (0, "Imported 2 articles with 1 media file.\n")


def test_one_damaged_document_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str
) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    flood_story(folder / "a-flood.docx")
    (folder / "ferry.md").write_text(MARKDOWN)
    whole = flood_story(tmp_path / "whole.docx").read_bytes()
    (folder / "z-cut.docx").write_bytes(whole[: len(whole) - 200])
    code, out, err = run(capsys, "--db", store_url, "import", str(folder))
    assert code != 0 and out == ""
    assert "z-cut.docx: the document is damaged or cut short" in err
    store = open_store(store_url)
    try:
        assert store.info().article_count == 0
        assert store.list_media() == []
    finally:
        store.close()


def test_a_zip_bomb_named_docx_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.docx"
    chunk = bytes(8 * 1024 * 1024)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(52):
            part.write(chunk)
    code, _, err = run(capsys, "--db", str(tmp_path / "i.db"), "import", str(bomb))
    assert code != 0
    assert "would unpack to 436 MB in 1 parts; at most 400 MB import" in err
