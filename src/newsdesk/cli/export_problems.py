"""``newsdesk export``'s list of the stories it handed off with open problems."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from newsdesk.core.models import Status
from newsdesk.core.ports import ArticleStore
from newsdesk.publish.exporting.export_report import ExportReport

if TYPE_CHECKING:
    from newsdesk.publish.handoff.open_problems import CheckLoader


def prepare_open_problems(
    store: ArticleStore, *, only: Collection[str] | None
) -> CheckLoader | None:
    """Start opening, on a worker thread, the dictionary the list will need after a partial
    export of ``only`` (about 50 ms of C code that then runs beside the export); call it
    before the export and hand the result to ``print_open_problems``."""
    from newsdesk.publish.handoff.open_problems import preload_checks

    return preload_checks(store, only)


def print_open_problems(
    store: ArticleStore,
    report: ExportReport,
    err: TextIO,
    *,
    statuses: Collection[Status],
    since: datetime | None,
    only: Collection[str] | None,
    preloaded: CheckLoader | None = None,
) -> None:
    """Each exported story with open problems, one a line on ``err`` (the export is done:
    this informs, it does not fail the command), and the command that lists them all.
    ``preloaded`` is ``prepare_open_problems``'s, if it was called before the export."""
    from newsdesk.publish.handoff.open_problems import after_export  # the checks load only now

    found = after_export(
        store, report, statuses=statuses, since=since, only=only, preloaded=preloaded
    )
    if found.site:  # loud, once, while the address is the placeholder
        err.write(f"newsdesk: WARNING: {found.site}\n")
    for note in found.notes:
        err.write(f"newsdesk: note: {note}\n")
    if not found.stories:
        return
    err.write(f"newsdesk: {found.headline()}:\n")
    for line in found.lines():
        err.write(f"newsdesk:   {line}\n")
    slugs = " ".join(story.slug for story in found.stories[:3])
    more = " ..." if len(found.stories) > 3 else ""
    err.write(f"newsdesk: each problem, and how to fix it: newsdesk check --ready {slugs}{more}\n")
