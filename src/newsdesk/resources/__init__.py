"""The one accessor for runtime assets shipped as package data (theme, demo archive, icons)."""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

__all__ = ["as_file", "read_text", "resource"]


def resource(*parts: str) -> Traversable:
    """Return the packaged resource at ``parts`` below ``newsdesk/resources``."""
    node: Traversable = files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node


def read_text(*parts: str) -> str:
    """Read a packaged text resource as UTF-8."""
    return resource(*parts).read_text(encoding="utf-8")
