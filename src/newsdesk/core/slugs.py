"""Slugs: the URL path segment of an article, safe as a folder name on every platform."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_SAFE = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$", re.UNICODE)
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
# A plain name with at most two short lowercase extensions (``page.html``, ``a.tar.gz``).
_FILE_SEGMENT = re.compile(r"[^\W_][\w-]{0,119}(?:\.[a-z0-9]{1,8}){0,2}")
DEFAULT_SECTION = "news"  # the folder of a story without a section


def is_windows_reserved(name: str) -> bool:
    """Whether ``name`` (a slug or a file name) is a device name on Windows (``con``,
    ``nul.txt``, ``LPT1``...): such a file cannot be made there. The one list, for slugs
    and for every exported file."""
    return bool(_WINDOWS_RESERVED.match(name))


def is_safe_file_segment(name: str) -> bool:
    """Whether ``name`` may be one folder or file name of an exported path (and of a former
    address): letters, digits, ``-`` and ``_``, at most two short lowercase extensions, no
    ``.``/``..``, no Windows device name. The one rule, for export paths and aliases."""
    return bool(_FILE_SEGMENT.fullmatch(name)) and not is_windows_reserved(name)


def section_segment(section: str) -> str:
    """The URL segment of a section name: its slug, or ``news`` for a story without one."""
    return slugify(section, fallback=DEFAULT_SECTION) if section.strip() else DEFAULT_SECTION


def slugify(text: str, *, fallback: str = "article") -> str:
    """Turn a headline into a lowercase, hyphenated slug.

    Latin accents are folded ("Café" -> "cafe"); letters of other scripts are kept, so an
    Arabic or Greek headline still gets a readable slug. Anything else becomes a hyphen.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Me"})
    lowered = unicodedata.normalize("NFC", without_marks).lower()
    lowered = lowered.replace("'", "").replace("\u2019", "")
    hyphenated = re.sub(r"[\W_]+", "-", lowered, flags=re.UNICODE).strip("-")
    if len(hyphenated) > MAX_SLUG_LENGTH:
        hyphenated = hyphenated[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or hyphenated[:MAX_SLUG_LENGTH]
    slug = hyphenated.strip("-")
    if not slug or is_windows_reserved(slug):
        return fallback if not slug else f"{slug}-{fallback}"
    return slug


def is_safe_slug(slug: str) -> bool:
    """True when ``slug`` is a single safe path segment: no dots, slashes, drive letters."""
    return (
        0 < len(slug) <= MAX_SLUG_LENGTH
        and bool(_SAFE.match(slug))
        and slug.lower() == slug
        and not is_windows_reserved(slug)
    )


def unique_slug(base: str, taken: set[str]) -> str:
    """``base`` if free, else ``base-2``, ``base-3``... (within the length limit)."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1
