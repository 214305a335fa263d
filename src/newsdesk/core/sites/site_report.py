"""A site import's report in words: per file what is imported, skipped and why, what was
converted and what was flagged, and the publication profile the site's config proposes."""

from __future__ import annotations

from newsdesk.core.sites.site_import import (
    LISTED,
    NEW,
    PROBLEM,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    FileReport,
    SitePlan,
)

_WIDTH = 10


def summary(plan: SitePlan) -> str:
    """ "8 new, 1 updated, 2 unchanged, 3 skipped, 2 list pages, 0 problems; 4 pictures"."""
    counts = [
        f"{plan.count(NEW):,} new",
        f"{plan.count(UPDATED):,} updated",
        f"{plan.count(UNCHANGED):,} unchanged",
        f"{plan.count(SKIPPED):,} skipped",
        f"{plan.count(LISTED):,} list page{'s' if plan.count(LISTED) != 1 else ''}",
        f"{plan.count(PROBLEM):,} problem{'s' if plan.count(PROBLEM) != 1 else ''}",
    ]
    files = len(plan.media) + len(plan.reused)
    pictures = f"; {files:,} picture{'s' if files != 1 else ''}" if files else ""
    if plan.reused:
        pictures += f" ({len(plan.reused):,} already in the store)"
    return ", ".join(counts) + pictures


def heading(plan: SitePlan) -> str:
    config = plan.config
    where = f"config {config.file.name}" if config.file else "no config file"
    return f"{config.generator.capitalize()} site {config.root} ({where})"


def file_lines(item: FileReport, *, details: bool = True) -> list[str]:
    """One file's lines: what happens to it, then each conversion and flagged spot."""
    what = item.outcome.ljust(_WIDTH)
    if item.outcome in {NEW, UPDATED, UNCHANGED}:
        lines = [f"{what} {item.path}: {item.headline!r} → {item.reason}"]
    elif item.outcome == LISTED:
        named = f" (section {item.headline!r})" if item.headline else ""
        lines = [f"{what} {item.path}{named}: {item.reason}"]
    elif item.outcome == PROBLEM:
        lines = [f"{what} {item.reason}"]
    else:
        lines = [f"{what} {item.path}: {item.reason}"]
    if details:
        lines += [f"{'':{_WIDTH}}   converted: {c}" for c in item.converted]
    lines += [f"{'':{_WIDTH}}   flagged:   {item.path}: {f}" for f in item.flagged]
    return lines


def report_lines(plan: SitePlan, *, quiet: bool = False) -> list[str]:
    """The whole report; ``quiet`` keeps only what needs a look (skipped, flagged,
    problems), for a real import of thousands of posts."""
    lines = [heading(plan)]
    for note in plan.config.notes:
        lines.append(f"note: {note}")
    for item in plan.files:
        if quiet and item.outcome in {NEW, UPDATED, UNCHANGED, LISTED} and not item.flagged:
            continue
        lines += file_lines(item, details=not quiet)
    lines += profile_lines(plan)
    lines.append(summary(plan))
    return lines


def profile_lines(plan: SitePlan) -> list[str]:
    if not plan.profile_changes:
        return []
    lines = ["The site's config proposes this publication profile (not applied unless you say so):"]
    lines += [f"  {c.label}: {c.current!r} → {c.proposed!r}" for c in plan.profile_changes]
    return lines
