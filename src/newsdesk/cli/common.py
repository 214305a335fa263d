"""What every group of commands shares: exit codes, progress, argument types, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol, TextIO

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import Status
from newsdesk.core.ports import ArticleStore

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

Handler = Callable[[ArticleStore, argparse.Namespace, TextIO], int]
"""A command: the open store, the parsed arguments, standard output; returns the exit code."""

Commands = argparse._SubParsersAction  # the parser's sub-command table


class CommandGroup(Protocol):
    """A module adding a group of commands (``newsdesk related ...``) to the parser."""

    def register(self, commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
        """Add the group's sub-parsers; return each command name's handler."""
        ...


class Progress:
    """Progress on standard error, redrawn in place on a terminal, quiet otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.live and total:
            self.stream.write(f"\r{self.label}: {done:,}/{total:,} ({done * 100 // total}%)")
            self.stream.flush()
            self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def status_arg(value: str) -> Status:
    try:
        return Status.parse(value)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def moment_arg(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it like 2026-11-20 or 2026-11-20T09:00+00:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def positive_arg(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def non_negative_arg(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def when_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z") if value else ""
