"""Errors the services raise; each carries a message a journalist can act on."""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base of every error Newsdesk reports to its user instead of a traceback."""


class ValidationError(NewsdeskError):
    """Input that cannot be accepted as it is (an empty headline, an unknown status...)."""


class NotFoundError(NewsdeskError):
    """The article, revision or link asked for does not exist."""


class ConflictError(NewsdeskError):
    """A save lost a race: someone saved a newer version of the article first."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class DuplicateSlugError(ValidationError):
    """The slug is already used by another article."""


class StoreError(NewsdeskError):
    """The store cannot be opened or written (corrupt, locked, read-only, unreachable, newer)."""


class ImportFileError(NewsdeskError):
    """An import file is malformed; names the file, the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem
