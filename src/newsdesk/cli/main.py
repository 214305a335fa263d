"""The parser, the runner and the article commands (info, new, list, show, search, ...)."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsdesk import __version__
from newsdesk.cli import backup, check, history, import_site, media, related, sync
from newsdesk.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CommandGroup,
    Handler,
    Progress,
    moment_arg,
    non_negative_arg,
    positive_arg,
    print_json,
    status_arg,
    when_text,
)
from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.history import record_exports
from newsdesk.core.models import PUBLISHABLE, Article, ArticleSummary, Status
from newsdesk.core.ports import ArticleQuery, ArticleStore, SortKey
from newsdesk.store import open_store

if TYPE_CHECKING:
    from newsdesk.core.intake import importing
__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_USAGE", "build_parser", "main", "run"]

GROUPS: tuple[CommandGroup, ...] = (related, backup, history, media, check, sync)
"""The further groups of commands, each a module of this package."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Draft articles offline and hand publishable files to the web team. "
        "Without a command, opens the Newsdesk window.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the store: a SQLite file path or a URL such as "
        "postgresql+psycopg://user@host/db (default: $NEWSDESK_DB, else a file in your "
        "user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("info", help="show which store is open and what it holds")
    opener = commands.add_parser(
        "open",
        help="open the window with Markdown files or Word documents imported as new articles "
        "(what the desktop's 'Open with Newsdesk' runs)",
    )
    opener.add_argument("paths", nargs="*", type=Path)
    commands.add_parser("demo", help="fill the store with the sample newsroom archive")

    new = commands.add_parser("new", help="create an article")
    new.add_argument("--headline", required=True)
    new.add_argument("--kicker", default="")
    new.add_argument("--standfirst", default="")
    new.add_argument("--byline", default="")
    new.add_argument("--dateline", default="")
    new.add_argument("--section", default="")
    new.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    new.add_argument("--status", default="draft", type=status_arg)
    new.add_argument("--slug", help="set the slug by hand (otherwise it follows the headline)")
    new.add_argument("--body-file", type=Path, help="Markdown body from a file ('-' for stdin)")
    new.add_argument("--json", action="store_true", help="print the new article as JSON")

    listing = commands.add_parser("list", help="list articles, most recently updated first")
    _add_filters(listing)
    listing.add_argument("--sort", type=SortKey, choices=list(SortKey), default=SortKey.UPDATED)
    listing.add_argument("--ascending", action="store_true")
    listing.add_argument("--limit", type=positive_arg, default=50)
    listing.add_argument("--offset", type=non_negative_arg, default=0)
    listing.add_argument("--json", action="store_true")

    show = commands.add_parser("show", help="show one article")
    show.add_argument("slug")
    show.add_argument("--json", action="store_true")

    search = commands.add_parser("search", help="ranked full-text search")
    search.add_argument("query")
    _add_filters(search)
    search.add_argument("--limit", type=positive_arg, default=20)
    search.add_argument("--json", action="store_true")

    imp = commands.add_parser(
        "import",
        help="import Markdown files (YAML front matter) and Word documents (.docx), or folders "
        "of them, with their pictures and audio (all or none)",
        description="Import Markdown files and Word documents (.docx; .docm without its "
        "macros), or the folders holding them (Hugo page bundles too), as new articles. "
        "Pictures and audio named in the front matter (image:, images:, audio:) or in the "
        "body (![alt](photo.jpg)) are read relative to the Markdown file, must lie below the "
        "folder imported, and come into the store with the articles; web addresses are left "
        "as they are. A Word document's title, author, subtitle, comments and embedded "
        "pictures fill the headline, byline, standfirst, note and media library; linked "
        "pictures are never fetched. Word files up to 100 MB. One bad file, picture or line "
        "and nothing is imported. Front matter may be YAML (---), TOML (+++) or JSON ({ }). "
        "With --site DIR, a whole Hugo or Jekyll site is read the way its generator reads it "
        "(drafts, list pages, dates and titles from file names, shortcodes and Liquid, page "
        "bundles), with a report of what is imported, skipped, converted and flagged; "
        "importing the same site again updates the stories it brought in before.",
    )
    import_site.add_arguments(imp)  # the paths, --site DIR, --dry-run
    media.limits_arg(imp)

    export = commands.add_parser(
        "export",
        help="write publishable files: static site, fragments, Markdown, ninjs, bundle",
        description="Export articles into a folder. Only what changed since the last export "
        "to that folder is written, and the folder is swapped in only when everything is "
        "ready: a failure leaves the previous export as it was.",
    )
    export.add_argument("--out", required=True, type=Path, metavar="DIR")
    export.add_argument(
        "--format",
        default="all",
        metavar="LIST",
        help="comma-separated: site,fragment,markdown,ninjs,bundle (default: all)",
    )
    export.add_argument(
        "--status",
        action="append",
        type=status_arg,
        default=[],
        help="repeat for several (default: ready, scheduled and published)",
    )
    export.add_argument(
        "--since", type=moment_arg, metavar="WHEN", help="only articles saved since then (ISO date)"
    )
    export.add_argument(
        "--only",
        nargs="+",
        metavar="SLUG",
        help="export just these stories; the other stories' files already in the folder "
        "stay as they are",
    )

    dump = commands.add_parser("dump", help="write the whole store to a portable JSON archive")
    dump.add_argument("file", type=Path)
    load = commands.add_parser("load", help="load a JSON archive into an empty store")
    load.add_argument("file", type=Path)
    for group in GROUPS:
        COMMANDS.update(group.register(commands))
    return parser


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status", action="append", type=status_arg, default=[], help="repeat for several statuses"
    )
    parser.add_argument("--section")
    parser.add_argument("--tag")


def _query(args: argparse.Namespace, **extra: Any) -> ArticleQuery:
    return ArticleQuery(
        statuses=frozenset(args.status), section=args.section, tag=args.tag, **extra
    )


def _summary_json(summary: ArticleSummary) -> dict[str, Any]:
    return {
        "uri": summary.uri,
        "slug": summary.slug,
        "headline": summary.headline,
        "status": summary.status.value,
        "section": summary.section,
        "byline": summary.byline,
        "tags": list(summary.tags),
        "updated_at": summary.updated_at.isoformat(),
        "display_date": summary.display_date.isoformat() if summary.display_date else None,
        "word_count": summary.word_count,
    }


def _table(rows: Sequence[ArticleSummary], out: TextIO, scores: Sequence[float] = ()) -> None:
    if not rows:
        out.write("No articles match.\n")
        return
    width = max(len(r.slug) for r in rows)
    for index, row in enumerate(rows):
        score = f"{scores[index]:8.3f}  " if scores else ""
        out.write(
            f"{score}{row.status.label:<10}  {row.section or '-':<10.10}  "
            f"{row.updated_at:%Y-%m-%d %H:%M}  {row.slug:<{width}}  {row.headline}\n"
        )


def cmd_info(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    info = store.info()
    out.write(
        f"Store:    {info.url}\nEngine:   {info.dialect}\nSchema:   {info.schema_revision}\n"
        f"Articles: {info.article_count:,}\n"
    )
    if info.read_only:
        out.write(f"Read-only: {info.read_only}\n")
    return EXIT_OK


def cmd_demo(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core import sample  # loaded only by the commands using it

    progress = Progress("Adding the sample archive")
    count = sample.load_sample(store, progress)
    progress.finish()
    out.write(f"Added {count} sample articles. Try: newsdesk list\n")
    return EXIT_OK


def cmd_new(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core.intake import importing  # loaded only by the commands using it

    body = ""
    if args.body_file is not None:
        body = (
            sys.stdin.read()
            if str(args.body_file) == "-"
            else importing.read_text_file(args.body_file)
        )
    article = Article(
        headline=args.headline,
        kicker=args.kicker,
        standfirst=args.standfirst,
        byline=args.byline,
        dateline=args.dateline,
        section=args.section,
        tags=tuple(args.tag),
        status=args.status,
        body=body,
    )
    if args.slug:
        article = article.edited(slug=args.slug)
    stored = store.create(article)
    if args.json:
        print_json(stored.to_dict(), out)
    else:
        out.write(f"Created {stored.slug} ({stored.status.label.lower()})\n")
    return EXIT_OK


def cmd_list(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    query = _query(
        args, sort=args.sort, descending=not args.ascending, offset=args.offset, limit=args.limit
    )
    rows = store.list_page(query)
    if args.json:
        print_json([_summary_json(r) for r in rows], out)
    else:
        _table(rows, out)
        total = store.count(query)
        if total > len(rows):
            out.write(f"({len(rows)} of {total:,} shown; use --limit and --offset for more)\n")
    return EXIT_OK


def cmd_show(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = store.get_by_slug(args.slug)
    if args.json:
        print_json(article.to_dict(), out)
        return EXIT_OK
    lines = []
    if article.kicker:
        lines.append(article.kicker.upper())
    lines.append(article.headline)
    if article.standfirst:
        lines.append(article.standfirst)
    meta = [
        ("Status", article.status.label),
        ("Section", article.section),
        ("Byline", article.byline),
        ("Dateline", article.dateline),
        ("Tags", ", ".join(article.tags)),
        ("Date", when_text(article.display_date)),
        ("Updated", when_text(article.updated_at)),
        ("Words", f"{article.word_count:,} ({article.reading_minutes} min read)"),
        ("Slug", article.slug),
        ("URI", article.uri),
    ]
    lines.append("")
    lines.extend(f"{name + ':':<10}{value}" for name, value in meta if value)
    if article.related:
        lines.append("Related:")
        lines.extend(
            f"  {i}. {link.title}" + (f" <{link.url}>" if link.url else "")
            for i, link in enumerate(article.related, start=1)
        )
    lines.extend(["", article.body.rstrip()])
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_search(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    hits = store.search(args.query, limit=args.limit, query=_query(args))
    if args.json:
        print_json([{**_summary_json(h.summary), "score": round(h.score, 6)} for h in hits], out)
    else:
        _table([h.summary for h in hits], out, [h.score for h in hits])
    return EXIT_OK


def cmd_import(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core.intake import importing  # loaded only by the commands using it

    if bool(args.site) == bool(args.paths):
        raise ValidationError(
            "name the files or folders to import, or a site with --site DIR (not both)"
        )
    if args.site:
        return import_site.cmd_import_site(store, args, out)
    progress = Progress("Importing")
    plan = importing.plan_import(args.paths, store, limits=media.limits_of(args))
    if args.dry_run:
        for article in plan.articles:
            out.write(f"would import {article.slug}: {article.headline}\n")
        out.write(f"Dry run: {len(plan.articles)} article(s); nothing was stored.\n")
        return EXIT_OK
    store.create_many(plan.articles, progress, media=plan.media)
    progress.finish()
    count = len(plan.articles)
    out.write(f"Imported {count} article{'s' if count != 1 else ''}{_media_note(plan)}.\n")
    for note in plan.notes:
        out.write(f"  note: {note}\n")
    return EXIT_OK


def _media_note(plan: importing.ImportPlan) -> str:
    """ ", with 3 pictures and audio files (1 already in the store)", or nothing."""
    new, reused = len(plan.media), len(plan.reused)
    if not new and not reused:
        return ""
    files = new + reused
    note = f" with {files} media file{'s' if files != 1 else ''}"
    if reused:
        note += " (all already in the store)" if not new else f" ({reused} already in the store)"
    return note


def cmd_export(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.cli.export_problems import prepare_open_problems, print_open_problems
    from newsdesk.publish.exporting.export import export, parse_formats

    formats = parse_formats(args.format)
    progress = Progress("Exporting")
    statuses = frozenset(args.status) or PUBLISHABLE
    only = None if args.only is None else _chosen(store, args.only, statuses)
    preloaded = prepare_open_problems(store, only=only)  # the dictionary opens meanwhile
    report = export(
        store,
        args.out,
        formats=formats,
        statuses=statuses,
        since=args.since,
        only=only,
        progress=progress,
        hold=getattr(args, "held_until_exit", None),
    )
    progress.finish()
    out.write(report.summary() + "\n")
    for left in report.problems:  # each story left out, and why: never silently
        sys.stderr.write(f"newsdesk: left out {left.headline!r}: {left.message}\n")
    print_open_problems(
        store, report, sys.stderr, statuses=statuses, since=args.since, only=only,
        preloaded=preloaded,
    )  # fmt: skip
    # The export is on disk; its revisions are a record of it, so a failure here is said
    # but does not undo the export.
    try:
        if only is None:
            record_exports(
                store,
                statuses=statuses,
                since=args.since,
                left_out=[problem.uri for problem in report.problems],
            )
        else:  # the stories chosen, as read just before (not the whole archive again)
            left_out = {problem.uri for problem in report.problems}
            store.record_exports([(uri, v) for uri, v in only.items() if uri not in left_out])
    except NewsdeskError as exc:
        sys.stderr.write(
            f"newsdesk: the export is done, but its revisions were not recorded: {exc}\n"
        )
    if report.problems:
        count = len(report.problems)
        sys.stderr.write(
            f"newsdesk: {count} {'story was' if count == 1 else 'stories were'} left out "
            "(listed above); the rest is exported. Fix them, then export again.\n"
        )
        return EXIT_ERROR
    return EXIT_OK


def _chosen(
    store: ArticleStore, slugs: Sequence[str], statuses: frozenset[Status]
) -> dict[str, int]:
    """The uris of the stories ``--only`` names, each checked to be exportable, with the
    version read."""
    uris = {}
    for slug in dict.fromkeys(slugs):
        article = store.get_by_slug(slug)  # says which slug is unknown
        if article.status not in statuses:
            wanted = ", ".join(sorted(s.value for s in statuses))
            raise ValidationError(
                f"{slug!r} is {article.status.label.lower()}, and this export takes "
                f"{wanted} stories; change its status, or add --status {article.status.value}"
            )
        uris[article.uri] = article.version
    return uris


def cmd_dump(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core import archive  # loaded only by the commands using it

    progress = Progress("Writing archive")
    count = archive.dump(store, args.file, progress)
    progress.finish()
    out.write(f"Wrote {count:,} articles to {args.file}\n")
    return EXIT_OK


def cmd_load(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core import archive  # loaded only by the commands using it

    progress = Progress("Loading archive")
    count = archive.load(store, args.file, progress)
    progress.finish()
    out.write(f"Loaded {count:,} articles from {args.file}\n")
    return EXIT_OK


COMMANDS: dict[str, Handler] = {
    "info": cmd_info,
    "demo": cmd_demo,
    "new": cmd_new,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "import": cmd_import,
    "export": cmd_export,
    "dump": cmd_dump,
    "load": cmd_load,
}


def run(
    args: argparse.Namespace,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    store_opener: Callable[[str | None], ArticleStore] = open_store,
    keep: list[object] | None = None,
) -> int:
    """Run one parsed command; errors become a message on ``err`` and exit code 1.

    ``keep``: for a process that ends right after without freeing anything (the
    ``newsdesk`` executable), where a command may put what it worked with instead of
    freeing it (as ``args.held_until_exit``: an export of one story from ten thousand
    would free their records for 20 ms)."""
    args.held_until_exit = keep
    # What the command line has imported (SQLAlchemy, the store, the commands) lives as
    # long as the process: the cycle collector need not walk it again, neither while the
    # command runs nor when the process exits (that last walk alone was a tenth of a second
    # of every command). Here, not at import: the window imports this module too.
    gc.freeze()
    gc.enable()  # newsdesk.app.main holds the collector while the command line loads
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        without_store = getattr(args, "without_store", None)
        if without_store is not None:  # it opens the store itself (restore: maybe damaged)
            return int(without_store(args, out))
        store = store_opener(args.db)
        try:
            return COMMANDS[args.command](store, args, out)
        finally:
            store.close()
    except NewsdeskError as exc:
        err.write(f"newsdesk: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.write("newsdesk: interrupted; nothing was half-written\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    return run(args)
