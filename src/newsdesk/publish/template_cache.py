"""Compiled theme templates kept between runs, so a process does not compile them again.

Compiling the theme's templates is a tenth of a second of every export's start-up (and of
the window's first preview). Jinja2 keeps each template's compiled code in a file of the
user's cache folder, with the checksum of the source it was compiled from: a template
changed since (a newsroom's theme edited, Newsdesk upgraded) is compiled again. The key
also holds Jinja2's version and the environment's options, which compiled code depends
on as well. The cache is only ever a shortcut: a file that cannot be read or written is
ignored, and the template compiled as without it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

CACHE_ENV = "NEWSDESK_TEMPLATE_CACHE"  # a folder, or "off"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache in ``folder``, keyed also by ``salt`` (the environment's options)
    and forgiving: never an error for a cache file that is damaged or cannot be written."""

    def __init__(self, folder: Path, salt: str) -> None:
        super().__init__(str(folder), "%s.jinja")
        self.folder = folder
        self.salt = f"{salt}|jinja2/{jinja2.__version__}|{sys.implementation.cache_tag}"

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        text = f"{self.salt}|{name}|{filename or ''}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file (cut short, not a pickle): compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:  # a read-only or full disk: the next run compiles again
            pass


def template_cache(salt: str) -> TemplateCache | None:
    """The cache in the user's cache folder, or in ``$NEWSDESK_TEMPLATE_CACHE`` when set
    ("off": none, every template compiled each time)."""
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return TemplateCache(Path(chosen), salt)
    import platformdirs  # only when the cache is used

    return TemplateCache(
        Path(platformdirs.user_cache_dir("Newsdesk", "Newsdesk")) / "templates", salt
    )
