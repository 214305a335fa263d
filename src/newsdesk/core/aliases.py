"""Former addresses of an article (Hugo ``aliases``, Jekyll ``redirect_from``) as safe paths.

The rule, in one place: an alias is a URL path below the site root, never an address with
a scheme or host, a query or a fragment. Percent-escapes are decoded; empty segments
collapse. Each segment is a plain name (letters, digits, ``-``, ``_``, at most two short
lowercase extensions: the export's file-name rule), never ``.`` or ``..`` nor a Windows
device name. The result starts with a slash and ends with one, except a path whose last
segment ends in ``.html`` or ``.htm``, which is kept as that file: ``2019/05/old-title``
becomes ``/2019/05/old-title/``, ``/old/page.html`` stays as given. The site root itself
is no alias.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from newsdesk.core.errors import ValidationError
from newsdesk.core.slugs import is_safe_file_segment
from newsdesk.core.urls import url_scheme

MAX_ALIAS_LENGTH = 400
MAX_ALIASES = 100
_PAGE_FILE = re.compile(r".+\.html?")


def alias_problem(alias: str) -> str | None:
    """Why ``alias`` cannot be a former address (a sentence saying what to do), or None."""
    try:
        normalize_alias(alias)
    except ValidationError as exc:
        return str(exc)
    return None


def normalize_alias(alias: str) -> str:
    """``alias`` as a root-relative path by the rule above; raises ValidationError."""
    raw = alias.strip()
    path = unquote(raw)
    shown = raw[:80]
    if not path:
        raise ValidationError("a former address is empty; remove it or give its path")
    if url_scheme(path) is not None or path.startswith("//") or "\\" in path:
        raise ValidationError(
            f"former address {shown!r} is not a path: give it without scheme or host, "
            "as in /2019/05/old-title/"
        )
    if any(ch in path for ch in "?#") or any(ch.isspace() or ord(ch) < 32 for ch in path):
        raise ValidationError(
            f"former address {shown!r} has a query, a fragment or a space: give the path only"
        )
    if len(path) > MAX_ALIAS_LENGTH:
        raise ValidationError(
            f"former address {shown!r}... is longer than {MAX_ALIAS_LENGTH} characters"
        )
    segments = [s for s in path.split("/") if s]
    if not segments:
        raise ValidationError("the site root cannot be a former address; remove it")
    for segment in segments:
        if not is_safe_file_segment(segment):
            raise ValidationError(
                f"former address {shown!r} has the segment {segment[:40]!r}, which cannot be "
                "a folder or file name: use letters, digits, '-' and '_' (no '..')"
            )
    joined = "/" + "/".join(segments)
    return joined if _PAGE_FILE.fullmatch(segments[-1]) else joined + "/"


def normalize_aliases(aliases: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Every alias normalised, duplicates dropped, order kept."""
    if not aliases:
        return ()  # nearly every article: no work on each save
    if len(aliases) > MAX_ALIASES:
        raise ValidationError(
            f"an article has {len(aliases)} former addresses; keep at most {MAX_ALIASES}"
        )
    return tuple(dict.fromkeys(normalize_alias(str(a)) for a in aliases))
