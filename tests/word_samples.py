"""Word documents made for the tests with python-docx, shaped as a contributor's file comes
in: document properties, a subtitle, headings, fonts and colours, a tracked link, a nested
list on a multi-level list definition (as Word writes one), a quote, a table, a comment
and embedded pictures with alt text."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from tests.media_samples import jpeg_bytes

BULLETS, NUMBERS = 90, 91  # numIds of the multi-level lists added below


def _levels(kind: str) -> str:
    text = ["\uf0b7", "o", "\uf0a7"] if kind == "bullet" else ["%1.", "%2.", "%3."]
    return "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
        f'<w:lvlText w:val="{text[level]}"/><w:pPr><w:ind w:left="{720 * (level + 1)}" '
        f'w:hanging="360"/></w:pPr></w:lvl>'
        for level in range(3)
    )


def add_list_definitions(document: Document) -> None:
    """Word's multi-level lists (bullets, numbers): what Home ▸ Bullets gives."""
    numbering = document.part.numbering_part.element
    for num_id, kind in ((BULLETS, "bullet"), (NUMBERS, "decimal")):
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{_levels(kind)}</w:abstractNum>'
        )
        numbering.insert(0, abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                f'w:val="{num_id}"/></w:num>'
            )
        )


def list_item(document: Document, text: str, level: int = 0, *, numbered: bool = False) -> None:
    paragraph = document.add_paragraph(text, style="List Paragraph")
    numbering = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
        f'<w:numId w:val="{NUMBERS if numbered else BULLETS}"/></w:numPr>'
    )
    paragraph._p.get_or_add_pPr().append(numbering)


def hyperlink(paragraph: Paragraph, text: str, url: str) -> None:
    """A link as Word writes it: an external relationship and a w:hyperlink run."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = parse_xml(f'<w:rPr {nsdecls("w")}><w:rStyle w:val="Hyperlink"/></w:rPr>')
    run.append(props)
    words = OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def picture(document: Document, data: bytes, alt: str) -> None:
    document.add_picture(io.BytesIO(data))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)


def tracked_insertion(paragraph: Paragraph, text: str) -> None:
    """Words added with Track Changes on (not yet accepted)."""
    ins = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="7" w:author="Sub Editor" '
        f'w:date="2026-11-30T10:00:00Z"><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
    )
    paragraph._p.append(ins)


def tracked_deletion(paragraph: Paragraph, text: str) -> None:
    deleted = parse_xml(
        f'<w:del {nsdecls("w")} w:id="8" w:author="Sub Editor" '
        f'w:date="2026-11-30T10:00:00Z"><w:r><w:delText xml:space="preserve">{text}'
        "</w:delText></w:r></w:del>"
    )
    paragraph._p.append(deleted)


def footnote(document: Document, paragraph: Paragraph, note_id: int, text: str) -> None:
    """A footnote as Word keeps it: a reference run in the text, the note in its own part
    (python-docx's template has none: the part is made once, beside the document)."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>'
        )
    )
    notes = (
        f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
        '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" '
        'w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        notes.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def flood_story(path: Path) -> Path:
    """The contributor's story every Word test imports."""
    document = docx.Document()
    add_list_definitions(document)
    props = document.core_properties
    props.title = "Flood defences fail at Oban"
    props.author = "Morag Campbell"
    document.add_paragraph(
        "Residents say warnings came too late as the river broke its banks", style="Subtitle"
    )
    document.add_paragraph("")  # empty paragraphs, as typed for spacing
    opening = document.add_paragraph()
    run = opening.add_run("The river Oban rose ")
    run.font.name, run.font.size, run.font.color.rgb = "Calibri", Pt(11), RGBColor(0x33, 0, 0)
    opening.add_run("two metres").bold = True
    opening.add_run(" overnight, ")
    opening.add_run("the highest since 1953").italic = True
    opening.add_run(", according to ")
    hyperlink(opening, "SEPA", "https://www.sepa.org.uk/levels?utm_source=newsletter&station=12")
    opening.add_run(".")
    document.add_paragraph("")
    document.add_heading("What happened", level=2)
    lines = document.add_paragraph("Timeline:")
    lines.add_run().add_break()
    lines.add_run("22:00 first alert")
    list_item(document, "Sandbags ran out")
    list_item(document, "at the pier", level=1)
    list_item(document, "at the school", level=1)
    list_item(document, "Roads closed")
    list_item(document, "Call the council", numbered=True)
    list_item(document, "Check the gauge", numbered=True)
    document.add_paragraph("We were told nothing until it was too late.", style="Quote")
    table = document.add_table(rows=3, cols=2)
    for row, (place, level) in enumerate(
        [("Gauge", "Level"), ("Pier", "2.1 m"), ("Bridge", "1.8 m")]
    ):
        table.cell(row, 0).text = place
        table.cell(row, 1).text = level
    picture(document, jpeg_bytes(640, 480), "Water in the high street")
    closing = document.add_paragraph("The council will meet on Monday.")
    document.add_comment(closing.runs[0], text="Confirm the date", author="Ed Itor", initials="EI")
    document.save(path)
    return path


FLOOD_BODY = (
    "The river Oban rose **two metres** overnight, *the highest since 1953*, according to "
    "[SEPA](https://www.sepa.org.uk/levels?station=12).\n"
    "\n"
    "## What happened\n"
    "\n"
    "Timeline:  \n"
    "22:00 first alert\n"
    "\n"
    "- Sandbags ran out\n"
    "    - at the pier\n"
    "    - at the school\n"
    "- Roads closed\n"
    "\n"
    "1. Call the council\n"
    "2. Check the gauge\n"
    "\n"
    "> We were told nothing until it was too late.\n"
    "\n"
    "| Gauge | Level |\n"
    "| --- | --- |\n"
    "| Pier | 2.1 m |\n"
    "| Bridge | 1.8 m |\n"
    "\n"
    "PICTURE\n"
    "\n"
    "The council will meet on Monday.\n"
)


def long_story(path: Path, *, words: int = 10_000, pictures: int = 20) -> Path:
    """A long feature: at least ``words`` words in paragraphs of 93, a heading every ten
    paragraphs, a picture spread evenly ``pictures`` times (each a different photo)."""
    document = docx.Document()
    document.core_properties.title = "A long read"
    paragraphs = max(1, -(-words // 93))  # 93 words a paragraph
    every = max(1, paragraphs // max(1, pictures))
    sentence = "The river rose in the night and the town woke to water in the streets "
    placed = 0
    for index in range(paragraphs):
        if index % 10 == 0:
            document.add_heading(f"Part {index // 10 + 1}", level=2)
        paragraph = document.add_paragraph()
        paragraph.add_run(sentence * 4).italic = index % 3 == 0
        paragraph.add_run(sentence * 2 + "and so on.").bold = index % 5 == 0
        if placed < pictures and index % every == 0:
            picture(document, jpeg_bytes(1200, 800, seed=placed + 1), f"Photo {placed + 1}")
            placed += 1
    document.save(path)
    return path
