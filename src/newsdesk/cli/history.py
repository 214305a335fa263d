"""``newsdesk history`` and ``newsdesk restore-revision``: an article's revisions.

A revision is a snapshot of the whole article (details, body, related links), taken on
Ctrl+S, on each status change, on each export and while typing (autosave revisions are
coalesced and thinned with age, see :mod:`newsdesk.core.history`). Restoring one makes a
new revision: history is never rewritten.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from newsdesk.cli.common import EXIT_OK, Commands, Handler, positive_arg, print_json
from newsdesk.core.errors import ValidationError
from newsdesk.core.history import (
    article_text,
    change_summary,
    diff_lines,
    find_revision,
    restore,
    revision_time,
)
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    history = commands.add_parser(
        "history",
        help="list an article's revisions (number, time, reason, words), or compare two",
        description="An article's revisions, oldest first. With --diff N, what changed from "
        "revision N to the article as stored now; with --diff N M, from N to M.",
    )
    history.add_argument("slug")
    history.add_argument("--json", action="store_true")
    history.add_argument(
        "--diff",
        nargs="+",
        type=positive_arg,
        metavar="N",
        help="compare revision N with the stored article, or with revision M (--diff N M)",
    )
    restore_parser = commands.add_parser(
        "restore-revision",
        help="make revision N the article's newest text (recorded as a new revision)",
        description="Bring back revision N's text, details and related links as a new "
        "revision. The status stays as it is, a published article keeps its address, and "
        "nothing is deleted from the history.",
    )
    restore_parser.add_argument("slug")
    restore_parser.add_argument("number", type=positive_arg, metavar="N")
    return {"history": cmd_history, "restore-revision": cmd_restore_revision}


def cmd_history(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = store.get_by_slug(args.slug)
    revisions = store.revisions(article.uri)
    if args.diff:
        return _diff(store, article, args.diff, out)
    if args.json:
        print_json(
            [
                {
                    "number": r.number,
                    "time": revision_time(r).isoformat(),
                    "reason": r.reason,
                    "words": r.word_count,
                }
                for r in revisions
            ],
            out,
        )
        return EXIT_OK
    if not revisions:
        out.write(f"{article.headline!r} has no revisions yet.\n")
        return EXIT_OK
    out.write(f"{'No.':>5}  {'Time':<16}  {'Reason':<24}  {'Words':>7}\n")
    for r in revisions:
        when = revision_time(r).astimezone().strftime("%Y-%m-%d %H:%M")
        out.write(f"{r.number:>5}  {when:<16}  {r.reason:<24}  {r.word_count:>7,}\n")
    return EXIT_OK


def _diff(store: ArticleStore, article: Article, numbers: list[int], out: TextIO) -> int:
    if len(numbers) > 2:
        raise ValidationError("--diff takes one or two revision numbers: --diff N or --diff N M")
    revisions = store.revisions(article.uri)
    old = find_revision(revisions, numbers[0], article.headline)
    if len(numbers) == 2:
        new_article = find_revision(revisions, numbers[1], article.headline).article()
        new_label = f"revision {numbers[1]}"
    else:
        new_article, new_label = article, "stored now"
    old_label = f"revision {numbers[0]}"
    old_article = old.article()
    out.write(f"{old_label} -> {new_label}: {change_summary(old_article, new_article)}\n")
    lines = diff_lines(article_text(old_article), article_text(new_article), old_label, new_label)
    if lines:
        out.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_restore_revision(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = store.get_by_slug(args.slug)
    before, after = restore(store, article.uri, args.number)
    newest = store.revisions(article.uri)[-1]
    out.write(
        f"Restored revision {args.number} of {after.slug} as revision {newest.number}; "
        f"{change_summary(before, after)}.\n"
    )
    if after.slug != before.slug:
        out.write(f"Its slug follows the restored headline: {before.slug} -> {after.slug}\n")
    return EXIT_OK
