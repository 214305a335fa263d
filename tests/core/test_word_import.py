"""Word documents read as stories: a contributor's file built with python-docx becomes the
Markdown a journalist would have typed, with its title, author, subtitle, comments and
pictures; damaged, encrypted, macro-laden and bomb-shaped files are refused or tamed."""

from __future__ import annotations

import io
import socket
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from tests.media_samples import jpeg_bytes
from tests.word_samples import (
    FLOOD_BODY,
    flood_story,
    footnote,
    long_story,
    picture,
    tracked_deletion,
    tracked_insertion,
)

from newsdesk.core.errors import ImportFileError
from newsdesk.core.intake.word_import import MAX_UNPACKED_BYTES, read_word_file

FLOOD_FRONT = """---
headline: Flood defences fail at Oban
byline: Morag Campbell
standfirst: Residents say warnings came too late as the river broke its banks
editor_note: 'Comments in the Word file:

  - Ed Itor: Confirm the date'
---

"""


def test_a_contributors_story(tmp_path: Path) -> None:
    story = read_word_file(flood_story(tmp_path / "flood.docx"))
    picture_md = "![Water in the high street](docx-picture:1)"
    assert story.text == FLOOD_FRONT + FLOOD_BODY.replace("PICTURE", picture_md)
    (kept,) = story.pictures
    assert (kept.src, kept.alt, kept.info.mime_type) == (
        "docx-picture:1",
        "Water in the high street",
        "image/jpeg",
    )
    assert (kept.info.width, kept.info.height) == (640, 480)
    assert story.notes == ["flood.docx: tracking parameters removed from a link"]


def test_title_paragraph_wins_and_a_bare_document_takes_its_file_name(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Stale template title"
    document.add_paragraph("Harbour reopens", style="Title")
    document.add_paragraph("Body.")
    document.save(tmp_path / "a.docx")
    assert read_word_file(tmp_path / "a.docx").text.startswith("---\nheadline: Harbour reopens\n")
    bare = docx.Document()
    bare.add_paragraph("Only words.")
    bare.save(tmp_path / "council_meeting.docx")
    text = read_word_file(tmp_path / "council_meeting.docx").text
    assert text == "---\nheadline: council meeting\n---\n\nOnly words.\n"


def test_footnotes(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("The gauge read 2.1 m")
    footnote(document, paragraph, 7, "SEPA gauge at the pier, 06:00.")
    paragraph.add_run(" at dawn.")
    document.save(tmp_path / "notes.docx")
    text = read_word_file(tmp_path / "notes.docx").text
    assert text.endswith(
        "\n\nThe gauge read 2.1 m[^1] at dawn.\n\n[^1]: SEPA gauge at the pier, 06:00.\n"
    )


def test_tracked_changes_taken_as_accepted_and_said(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("The council ")
    tracked_deletion(paragraph, "refused to ")
    tracked_insertion(paragraph, "agreed to ")
    paragraph.add_run("pay.")
    document.save(tmp_path / "edit.docx")
    story = read_word_file(tmp_path / "edit.docx")
    assert story.text.endswith("\n\nThe council agreed to pay.\n")
    assert story.notes == [
        "edit.docx: has tracked changes; the text as if all were accepted came in"
    ]


def test_macros_never_run_content_comes_in(tmp_path: Path) -> None:
    source = flood_story(tmp_path / "flood.docx")
    docm = tmp_path / "flood.docm"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(docm, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            out.writestr(info, data)
        out.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell(...) End Sub")
    story = read_word_file(docm)
    assert "The river Oban rose **two metres**" in story.text
    assert "headline: Flood defences fail at Oban" in story.text
    assert "flood.docm: macros were left out (never run); the text came in" in story.notes


def test_a_linked_picture_is_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = docx.Document()
    document.add_paragraph("Before.")
    picture(document, jpeg_bytes(64, 48), "Linked photo")
    blip = document.inline_shapes[-1]._inline.xpath(".//a:blip")[0]
    rel = document.part.relate_to(
        "http://127.0.0.1:9/photo.jpg", RELATIONSHIP_TYPE.IMAGE, is_external=True
    )
    embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    del blip.attrib[embed]
    blip.set(embed.replace("embed", "link"), rel)
    document.save(tmp_path / "linked.docx")

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a linked picture was fetched")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    story = read_word_file(tmp_path / "linked.docx")
    assert story.pictures == []
    assert "Linked photo" not in story.text and "Before." in story.text
    assert story.notes == [
        "linked.docx: picture 1 (“Linked photo”) is linked to an outside file: not "
        "fetched, left out"
    ]


def test_a_picture_of_an_unsupported_kind_is_listed_as_left_out(tmp_path: Path) -> None:
    from PIL import Image

    tiff = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(tiff, "TIFF")
    document = docx.Document()
    picture(document, tiff.getvalue(), "Scanned map")
    document.add_paragraph("Words.")
    document.save(tmp_path / "scan.docx")
    story = read_word_file(tmp_path / "scan.docx")
    assert story.pictures == [] and story.text.endswith("Words.\n")
    (note,) = story.notes
    assert note.startswith("scan.docx: picture 1 (“Scanned map”) left out: ")
    assert "JPEG, PNG, WebP, GIF and AVIF" in note


def test_damaged_and_cut_short(tmp_path: Path) -> None:
    whole = flood_story(tmp_path / "flood.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFileError, match="damaged or cut short") as caught:
        read_word_file(cut)
    assert "save it again" in str(caught.value)
    text = tmp_path / "notes.docx"
    text.write_text("just some text renamed to .docx")
    with pytest.raises(ImportFileError, match=r"is not a Word document \(.docx\) or is damaged"):
        read_word_file(text)
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ImportFileError, match="holds no Word text"):
        read_word_file(other)


def test_password_protected_and_old_doc(tmp_path: Path) -> None:
    # An encrypted .docx is an OLE compound file whose streams include EncryptionInfo.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + bytes(1024))
    with pytest.raises(ImportFileError, match="password-protected; open it in Word, remove"):
        read_word_file(locked)
    old = tmp_path / "old.docx"
    old.write_bytes(ole + "WordDocument".encode("utf-16-le") + bytes(1024))
    with pytest.raises(ImportFileError, match=r"old Word 97–2003 document \(.doc\)"):
        read_word_file(old)


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    """Half a gigabyte of zeros packs into about half a megabyte; it is refused from the
    sizes the zip declares, without unpacking anything."""
    bomb = tmp_path / "bomb.docx"
    chunk = bytes(8 * 1024 * 1024)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 2):
                part.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="would unpack to 436 MB"):
            read_word_file(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_too_large_a_file_is_refused_with_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.core.intake import word_import

    monkeypatch.setattr(word_import, "MAX_WORD_BYTES", 1000)
    with pytest.raises(ImportFileError, match="Word files up to 0 MB import"):
        read_word_file(flood_story(tmp_path / "flood.docx"))


def test_a_300_page_document_imports(tmp_path: Path) -> None:
    story = read_word_file(long_story(tmp_path / "report.docx", words=150_000, pictures=0))
    assert len(story.text.split()) > 150_000
    assert story.text.count("\n## Part ") == 162  # a heading every ten paragraphs, all kept


def test_text_over_the_limit_is_refused_saying_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.core.intake import word_import

    monkeypatch.setattr(word_import, "MAX_XML_PART_BYTES", 100_000)
    with pytest.raises(ImportFileError, match=r"word/document.xml\) is 1 MB once unpacked; up"):
        read_word_file(long_story(tmp_path / "report.docx", words=150_000, pictures=0))
