"""The words a picture carries (caption, alt text, credit, copyright) to pre-fill its fields.

Read in the order IPTC's photo metadata standard gives: XMP first, then IPTC IIM, then
EXIF. Alt text comes only from XMP ``Iptc4xmpCore:AltTextAccessibility``: a caption read
aloud as alt text gives screen-reader users dates and credits instead of the picture.
Reading is best effort: damaged metadata leaves a field empty, it never refuses the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML  # type: ignore[import-untyped]
from PIL import Image, ImageFile, IptcImagePlugin

from newsdesk.core import text

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DC = "http://purl.org/dc/elements/1.1/"
_PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
_IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"

# XMP properties, in Clark notation.
_XMP_CAPTION = f"{{{_DC}}}description"
_XMP_RIGHTS = f"{{{_DC}}}rights"
_XMP_CREATOR = f"{{{_DC}}}creator"
_XMP_CREDIT = f"{{{_PHOTOSHOP}}}Credit"
_XMP_ALT = f"{{{_IPTC_CORE}}}AltTextAccessibility"

# IPTC IIM datasets (record 2) and the coded character set (1:90; ESC % G is UTF-8).
_IIM_CAPTION = (2, 120)
_IIM_CREDIT = (2, 110)
_IIM_BYLINE = (2, 80)
_IIM_COPYRIGHT = (2, 116)
_IIM_CHARSET = (1, 90)
_UTF8_ESCAPE = b"\x1b%G"

# EXIF tags.
_EXIF_DESCRIPTION = 0x010E
_EXIF_COPYRIGHT = 0x8298
# What cameras write into ImageDescription when nobody wrote a caption.
_CAMERA_PLACEHOLDERS = {
    "olympus digital camera",
    "sony dsc",
    "digital camera",
    "exif_jpeg_picture",
    "default",
    "image",
}


@dataclass(frozen=True, slots=True)
class EmbeddedWords:
    """Words found in a picture's metadata, each cleaned to a single line ("" if none)."""

    caption: str = ""
    alt: str = ""
    credit: str = ""
    copyright: str = ""


def embedded_words(image: Image.Image) -> EmbeddedWords:
    """The caption, alt text, credit line and copyright notice a picture carries.

    The credit falls back to the creator (XMP ``dc:creator``, IIM by-line) when no credit
    line is given, as agencies' readers do. EXIF Artist never fills it: cameras write the
    owner's name there on their own ("Author" or "Owner" in the camera's settings), and a
    pre-filled credit is one click from publication, where it could name a source's
    photographer. The journalist types the credit instead.
    """
    xmp = _xmp_fields(image.info.get("xmp"))
    iim = _iim_fields(image)
    exif = _exif_fields(image)
    return EmbeddedWords(
        caption=_first(xmp.get(_XMP_CAPTION), iim.get(_IIM_CAPTION), exif.get("caption")),
        alt=_first(xmp.get(_XMP_ALT)),
        credit=_first(
            xmp.get(_XMP_CREDIT),
            iim.get(_IIM_CREDIT),
            xmp.get(_XMP_CREATOR),
            iim.get(_IIM_BYLINE),
        ),
        copyright=_first(xmp.get(_XMP_RIGHTS), iim.get(_IIM_COPYRIGHT), exif.get("copyright")),
    )


def _first(*values: str | None) -> str:
    for value in values:
        cleaned = text.clean_line(value or "")
        if cleaned:
            return cleaned
    return ""


def _xmp_fields(packet: object) -> dict[str, str]:
    """The XMP properties Newsdesk reads, from a packet (parsed with defusedxml: the
    packet is untrusted XML, and entity expansion must not run)."""
    if isinstance(packet, str):
        packet = packet.encode("utf-8", "replace")
    if not isinstance(packet, bytes) or not packet.strip(b"\x00 \t\r\n"):
        return {}
    try:
        root: Element = SafeXML.fromstring(packet.strip(b"\x00 \t\r\n"))
    except Exception:  # malformed or hostile XML (entities, DTD): no words from it
        return {}
    fields: dict[str, str] = {}
    wanted = (_XMP_CAPTION, _XMP_RIGHTS, _XMP_CREATOR, _XMP_CREDIT, _XMP_ALT)
    for description in root.iter(f"{{{_RDF}}}Description"):
        for name in wanted:
            value = description.get(name)  # the short form: a property as an attribute
            element = description.find(name)
            if value is None and element is not None:
                value = _xmp_value(element)
            if value and name not in fields:
                fields[name] = value
    return fields


def _xmp_value(element: Element) -> str:
    """A property's text: the default language of a language alternative, the items of a
    list joined, or the element's own text."""
    alternative = element.find(f"{{{_RDF}}}Alt")
    if alternative is not None:
        items = alternative.findall(f"{{{_RDF}}}li")
        chosen = [li for li in items if li.get(_XML_LANG) == "x-default"] or items
        return (chosen[0].text or "") if chosen else ""
    for container in ("Seq", "Bag"):
        listed = element.find(f"{{{_RDF}}}{container}")
        if listed is not None:
            return ", ".join(li.text or "" for li in listed.findall(f"{{{_RDF}}}li") if li.text)
    return element.text or ""


def _iim_fields(image: Image.Image) -> dict[tuple[int, int], str]:
    """IPTC IIM datasets as text: UTF-8 only when record 1:90 says so, else Latin-1 (the
    IIM default, which also never fails to decode)."""
    if not isinstance(image, ImageFile.ImageFile):
        return {}
    try:
        raw = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # a damaged APP13 block: no words from it
        return {}
    charset = _iim_bytes(raw.get(_IIM_CHARSET))
    encoding = "utf-8" if charset and charset[0].startswith(_UTF8_ESCAPE) else "latin-1"
    return {
        key: ", ".join(part.decode(encoding, "replace") for part in _iim_bytes(value))
        for key, value in raw.items()
        if key[0] == 2
    }


def _iim_bytes(value: bytes | list[bytes] | None) -> list[bytes]:
    if value is None:
        return []
    return [value] if isinstance(value, bytes) else list(value)


def _exif_fields(image: Image.Image) -> dict[str, str]:
    try:
        exif = image.getexif()
        values = {
            "caption": _exif_text(exif.get(_EXIF_DESCRIPTION)),
            "copyright": _exif_text(exif.get(_EXIF_COPYRIGHT)),
        }
    except Exception:  # damaged EXIF: no words from it
        return {}
    if values["caption"].strip().lower() in _CAMERA_PLACEHOLDERS:
        values["caption"] = ""
    return values


def _exif_text(value: object) -> str:
    """EXIF ASCII text as written in practice: often UTF-8 (Pillow reads it as Latin-1,
    so it is re-read as UTF-8 when that fits); Copyright may hold "photographer NUL
    editor"."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    with contextlib.suppress(UnicodeError):  # not UTF-8: Latin-1 it stays
        value = value.encode("latin-1").decode("utf-8")
    return "; ".join(_nonempty(part.strip() for part in value.split("\x00")))


def _nonempty(parts: Iterable[str]) -> list[str]:
    return [part for part in parts if part]
