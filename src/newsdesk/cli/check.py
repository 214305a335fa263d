"""``newsdesk check``: spelling, house style and lengths (and with --ready the readiness
checklist) of some stories or all, printed one problem a line; exit 1 when any is found,
so a web team can gate on it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from newsdesk.cli.common import Commands, Handler
from newsdesk.core.checks.checks import SEVERITIES
from newsdesk.core.ports import ArticleStore


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    check = commands.add_parser(
        "check",
        help="check spelling, house style and lengths; exit 1 when a problem is found",
        description="Check stories' spelling (Hunspell, in each story's language), house "
        "style (Vale rules: Newsdesk's British news style, or --style DIR) and lengths, and "
        "print each problem as SLUG FIELD:LINE:COLUMN LEVEL RULE: MESSAGE, with the fix when "
        "there is one. Exits 1 when any problem is found, 0 when every story is clean. Words "
        "in the newsroom dictionary, and names in a story's tags and byline, are accepted.",
    )
    check.add_argument("slugs", nargs="*", metavar="SLUG", help="the stories to check")
    check.add_argument("--all", action="store_true", help="check every story in the store")
    check.add_argument(
        "--style", type=Path, metavar="DIR", help="a Vale style folder of .yml rules"
    )
    check.add_argument("--no-style", action="store_true", help="check spelling and lengths only")
    check.add_argument("--no-spelling", action="store_true", help="skip spelling")
    check.add_argument(
        "--language", metavar="TAG", help="check every story in this language (en-GB, en-US)"
    )
    check.add_argument(
        "--ready",
        action="store_true",
        help="also run the readiness checklist: required fields, pictures' alt text and "
        "credit, related links, the site address",
    )
    check.add_argument(
        "--min-level",
        choices=list(reversed(SEVERITIES)),
        default="suggestion",
        help="report only problems at this level or above (default: every problem)",
    )
    check.add_argument(
        "--suggestions",
        action=argparse.BooleanOptionalAction,
        help="look up spelling suggestions (35-60 ms a word): on for stories named, off "
        "with --all unless asked for",
    )
    check.add_argument("--json", action="store_true")
    return {"check": cmd_check}


def cmd_check(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.cli.check_run import cmd_check as run

    return run(store, args, out)
