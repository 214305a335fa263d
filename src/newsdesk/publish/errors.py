"""Errors of the publishing layer, each with a message a journalist can act on."""

from __future__ import annotations

from newsdesk.core.errors import NewsdeskError


class ExportError(NewsdeskError):
    """An export could not be done; the previous export in that folder is left as it was."""


class ThemeError(NewsdeskError):
    """The theme folder or one of its templates cannot be used."""
