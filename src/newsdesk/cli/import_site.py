"""``newsdesk import --site DIR``: a whole Hugo or Jekyll site, its report first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from newsdesk.cli import media
from newsdesk.cli.common import EXIT_ERROR, EXIT_OK, Progress
from newsdesk.core.ports import ArticleStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``newsdesk import``'s files and folders, or ``--site DIR``; ``--dry-run``."""
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--site", type=Path, metavar="DIR", help="import a Hugo or Jekyll site")
    parser.add_argument(
        "--dry-run", action="store_true", help="read and report only: nothing is stored"
    )
    parser.add_argument(
        "--use-site-profile",
        action="store_true",
        help="with --site: also set the publication profile (title, base URL, language, "
        "time zone) to what the site's config proposes",
    )


def cmd_import_site(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    """Read the site, print the report; unless ``--dry-run``, store it (all or nothing)."""
    from newsdesk.core.sites import site_import, site_report  # loaded only by this command

    reading = Progress("Reading the site")
    plan = site_import.plan_site(args.site, store, limits=media.limits_of(args), progress=reading)
    reading.finish()
    dry = bool(args.dry_run)
    for line in site_report.report_lines(plan, quiet=not dry):
        out.write(line + "\n")
    if plan.problems:
        sys.stderr.write(
            f"newsdesk: error: {len(plan.problems)} file(s) cannot be imported (listed above); "
            "nothing was stored. Correct them and import again.\n"
        )
        return EXIT_ERROR
    if dry:
        out.write("Dry run: nothing was stored.\n")
        return EXIT_OK
    writing = Progress("Importing")
    count = site_import.import_site(plan, store, writing)
    writing.finish()
    if plan.profile_changes and args.use_site_profile:
        store.save_profile(plan.profile)
        out.write("The publication profile now follows the site's config.\n")
    elif plan.profile_changes:
        out.write(
            "The profile was not changed; import again with --use-site-profile to apply it.\n"
        )
    out.write(f"Imported the site: {count:,} article{'s' if count != 1 else ''} written.\n")
    return EXIT_OK
