"""Word documents (.docx, and .docm without its macros) read as a Markdown story: mammoth
turns the document into HTML, :mod:`rich_text` turns that into clean Markdown, python-docx
reads the title and author. Checked before anything is unpacked; nothing is ever fetched."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsdesk.core.errors import ImportFileError, NewsdeskError
from newsdesk.core.intake.rich_text import html_to_markdown
from newsdesk.core.media import media_intake
from newsdesk.core.media.media import MediaInfo, MediaLimits

WORD_SUFFIXES = {".docx", ".docm"}
MAX_WORD_BYTES = 100 * 1024 * 1024  # the file itself: text and the pictures in it
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all its parts once unpacked (a zip bomb is refused)
MAX_PARTS = 10_000
# One XML part (the text, its notes, its styles) once unpacked: a 300-page story is about
# 5 MB of Word's XML; mammoth holds a part's whole tree in memory, about 15 times its size.
MAX_XML_PART_BYTES = 40 * 1024 * 1024
PICTURE_SCHEME = "docx-picture:"
# Authors a template or a fresh install writes, never a reporter's name.
_PLACEHOLDER_AUTHORS = {
    "python-docx", "microsoft office user", "windows user", "user", "author", "admin",
    "administrator", "unknown",
}  # fmt: skip
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc and of encrypted .docx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
# Word's own styles for a headline, a standfirst and quotes, as mammoth names them.
_STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Standfirst'] => p.subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
"""


@dataclass(frozen=True, slots=True)
class WordPicture:
    """A picture embedded in the document, checked by media intake."""

    src: str  # how the Markdown refers to it until it is stored
    data: bytes
    info: MediaInfo
    name: str
    alt: str


@dataclass(frozen=True, slots=True)
class WordStory:
    """A document as a Markdown file (front matter and body), its pictures, and what the
    import dropped or changed (one line each, for the person importing)."""

    text: str
    pictures: list[WordPicture] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_word_file(path: Path, limits: MediaLimits | None = None) -> WordStory:
    """Read a .docx or .docm file as a story; ``ImportFileError`` says what is wrong."""
    name = str(path)
    _check_container(path, name)
    notes = _check_parts(path, name)
    reader = _Reader(path, limits or media_intake.DEFAULT_LIMITS)
    html = reader.html()
    converted = html_to_markdown(html, pictures=reader.keep_picture, lift=("title", "subtitle"))
    notes += [f"{path.name}: {line}" for line in reader.notes + list(converted.dropped)]
    title, author = _properties(path)
    front: dict[str, Any] = {}
    headline = converted.lifted.get("title") or title
    if headline:
        front["headline"] = headline
    elif not converted.markdown.startswith("# "):
        front["headline"] = path.stem.replace("_", " ").strip() or "Untitled"
    if author and author.casefold() not in _PLACEHOLDER_AUTHORS:
        front["byline"] = author
    if converted.lifted.get("subtitle"):
        front["standfirst"] = converted.lifted["subtitle"]
    if reader.comments:
        front["editor_note"] = "Comments in the Word file:\n" + "\n".join(reader.comments)
    text = _front_matter(front) + converted.markdown
    return WordStory(text, reader.pictures, notes)


def _front_matter(values: dict[str, Any]) -> str:
    if not values:
        return ""
    dumped = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{dumped}---\n\n"


def _check_container(path: Path, name: str) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
            if size > MAX_WORD_BYTES:
                raise ImportFileError(
                    name,
                    None,
                    f"the document is {size / 1e6:,.0f} MB; Word files up to "
                    f"{MAX_WORD_BYTES // 2**20} MB import. Split it, or make its pictures "
                    "smaller (Word: File ▸ Compress Pictures)",
                )
            if head == _OLE:
                encrypted = _ENCRYPTED in handle.read()
    except OSError as exc:
        raise ImportFileError(name, None, f"cannot be read: {exc.strerror or exc}") from None
    if head == _OLE:
        raise ImportFileError(
            name,
            None,
            "the document is password-protected; open it in Word, remove the password "
            "(File ▸ Info ▸ Protect Document) and import it again"
            if encrypted
            else "this is an old Word 97–2003 document (.doc); open it in Word or LibreOffice "
            "and save it as .docx, then import that",
        )
    if head[:4] != _ZIP:
        raise ImportFileError(
            name,
            None,
            "is not a Word document (.docx) or is damaged; open it in Word and save it "
            "again as .docx",
        )


def _check_parts(path: Path, name: str) -> list[str]:
    """Refuse what would unpack too large, from the sizes the zip's directory declares
    (reading a part never yields more than declared: zipfile stops there); say what the
    import leaves out (macros) or decides (tracked changes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, path, name)
    except zipfile.BadZipFile as exc:
        raise _damaged(name, exc) from None
    except OSError as exc:
        raise ImportFileError(name, None, f"cannot be read: {exc.strerror or exc}") from None


def _check_archive(archive: zipfile.ZipFile, path: Path, name: str) -> list[str]:
    try:
        infos = archive.infolist()
        unpacked = sum(i.file_size for i in infos)
        if len(infos) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                name,
                None,
                f"the document would unpack to {unpacked / 1e6:,.0f} MB in {len(infos):,} "
                f"parts; at most {MAX_UNPACKED_BYTES // 2**20} MB import. It may be damaged "
                "or built to exhaust memory: open it in Word and save it again",
            )
        archive.getinfo("word/document.xml")
        for info in infos:
            if info.filename.lower().endswith(".xml") and info.file_size > MAX_XML_PART_BYTES:
                raise ImportFileError(
                    name,
                    None,
                    f"its text ({info.filename}) is {info.file_size / 1e6:,.0f} MB once "
                    f"unpacked; up to {MAX_XML_PART_BYTES // 2**20} MB (some 2,000 pages) "
                    "import. Split the document into parts and import those",
                )
    except KeyError:
        raise ImportFileError(
            name, None, "holds no Word text (no word/document.xml); is it a Word file?"
        ) from None
    notes = []
    if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
        notes.append(f"{path.name}: macros were left out (never run); the text came in")
    if _has_tracked_changes(archive):
        notes.append(f"{path.name}: has tracked changes; the text as if all were accepted came in")
    return notes


def _has_tracked_changes(archive: zipfile.ZipFile) -> bool:
    try:
        xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False  # mammoth reads it next and says what is wrong
    return b"<w:ins " in xml or b"<w:del " in xml


def _damaged(name: str, exc: Exception) -> ImportFileError:
    return ImportFileError(
        name,
        None,
        f"the document is damaged or cut short ({exc}); open it in Word, save it again "
        "and import that",
    )


def _properties(path: Path) -> tuple[str, str]:
    """The title and author of the document's properties (File ▸ Info in Word)."""
    from docx.package import Package  # loaded only for Word imports

    try:
        props = Package.open(str(path)).core_properties
        return (" ".join((props.title or "").split()), " ".join((props.author or "").split()))
    except Exception:  # damaged properties: the words still import
        return "", ""


class _Reader:
    """One mammoth conversion, with the pictures and comments it meets."""

    def __init__(self, path: Path, limits: MediaLimits) -> None:
        self.path = path
        self.limits = limits
        self.pictures: list[WordPicture] = []
        self.comments: list[str] = []
        self.notes: list[str] = []
        self._kept: dict[str, WordPicture] = {}
        self._seen = 0

    def html(self) -> str:
        import mammoth  # loaded only for Word imports

        name = str(self.path)
        convert_image = mammoth.images.img_element(self._picture)
        try:
            with self.path.open("rb") as handle:
                result = mammoth.convert_to_html(
                    handle,
                    style_map=_STYLE_MAP,
                    convert_image=convert_image,
                    transform_document=self._comments,
                    external_file_access=False,  # a linked picture is never fetched
                )
        except NewsdeskError:
            raise
        except OSError as exc:
            raise ImportFileError(name, None, f"cannot be read: {exc.strerror or exc}") from None
        except Exception as exc:  # mammoth raises what its parsers raise (zlib, XML, KeyError)
            raise _damaged(name, exc) from None
        return str(result.value)

    def _picture(self, image: Any) -> dict[str, str]:
        self._seen += 1
        number = self._seen
        alt = " ".join(str(image.alt_text or "").split())
        label = f"picture {number}" + (f" (“{alt}”)" if alt else "")
        try:
            with image.open() as stream:
                data = stream.read(self.limits.max_image_bytes + 1)
        except ValueError:  # mammoth's InvalidFileReferenceError: a linked, outside file
            self.notes.append(f"{label} is linked to an outside file: not fetched, left out")
            return {"src": ""}
        name = f"{self.path.stem}-{number}.{str(image.content_type).rpartition('/')[2]}"
        try:
            info = media_intake.probe(data, name, self.limits)
        except NewsdeskError as exc:
            self.notes.append(f"{label} left out: {exc}")
            return {"src": ""}
        src = f"{PICTURE_SCHEME}{number}"
        picture = WordPicture(src, data, info, name, alt)
        self._kept[src] = picture
        self.pictures.append(picture)
        return {"src": src}

    def keep_picture(self, src: str, _alt: str) -> str | None:
        return src if src in self._kept else ""

    def _comments(self, document: Any) -> Any:
        from mammoth import extract_raw_text_from_element

        for comment in getattr(document, "comments", []) or []:
            body = "".join(extract_raw_text_from_element(part) for part in comment.body)
            words = " ".join(body.split())
            who = comment.author_name or comment.author_initials or "someone"
            if words:
                self.comments.append(f"- {who}: {words}")
        return document
