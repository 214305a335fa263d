"""``newsdesk sync``: send this store's changes to the newsroom server, bring its back.

``--server URL`` attaches the store the first time (remembered in the store); then
``newsdesk sync`` alone. ``--status`` says what would be sent and received; ``--resolve
SLUG --keep mine|theirs`` ends a conflict (both versions stay in the history).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from newsdesk.cli.common import EXIT_ERROR, EXIT_OK, Commands, Handler, Progress, print_json
from newsdesk.core.errors import ValidationError
from newsdesk.core.ports import ArticleStore, SyncStatus
from newsdesk.core.sync_status import status_line
from newsdesk.store import SqlStore


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    parser = commands.add_parser(
        "sync",
        help="sync this store with the newsroom server (send changes, bring the desk's back)",
        description="Send the stories changed here since the last sync to the newsroom's "
        "PostgreSQL server and bring back the ones changed there. A story changed on both "
        "sides keeps both versions in its history and is marked for you to choose; a story "
        "deleted on one side and edited on the other keeps the edit. A sync cut short (no "
        "network) is finished by the next one.",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="the newsroom server, e.g. postgresql://desk@newsroom/newsdesk (remembered)",
    )
    parser.add_argument("--status", action="store_true", help="say what would be sent and received")
    parser.add_argument("--json", action="store_true", help="with --status: as JSON")
    parser.add_argument("--resolve", metavar="SLUG", help="end the conflict on this story")
    parser.add_argument(
        "--keep", choices=["mine", "theirs"], help="with --resolve: which version to keep"
    )
    return {"sync": cmd_sync}


def cmd_sync(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.store.sync import sync  # loaded only by the commands using it
    from newsdesk.store.sync.sync_service import server_url

    local = _sql_store(store)
    if args.resolve:
        return _resolve(local, args, out)
    if args.status:
        return _status(sync.status(local), args.json, out)
    server = server_url(args.server) if args.server else None  # a PostgreSQL address
    progress = Progress("Syncing")
    report = sync.sync(local, server, progress=progress)
    progress.finish()
    out.write(report.summary() + "\n")
    return EXIT_OK


def _sql_store(store: ArticleStore) -> SqlStore:
    if not isinstance(store, SqlStore):
        raise ValidationError("sync needs a Newsdesk store (a SQLite file or PostgreSQL)")
    if store.dialect != "sqlite":
        raise ValidationError(
            "this store is a server already; run newsdesk sync on a laptop's store "
            "(--db FILE) with --server naming this one"
        )
    return store


def _resolve(store: SqlStore, args: argparse.Namespace, out: TextIO) -> int:
    if args.keep is None:
        raise ValidationError("say which version to keep: --keep mine or --keep theirs")
    from newsdesk.store.sync import sync_local  # loaded only by the commands using it

    article = store.get_by_slug(args.resolve)
    kept = sync_local.resolve(store, article.uri, keep_mine=args.keep == "mine")
    out.write(
        f"Kept {'your' if args.keep == 'mine' else 'the newsroom'} version of "
        f"{kept.headline!r}; the other is in its history (newsdesk history {kept.slug}).\n"
    )
    return EXIT_OK


def _status(status: SyncStatus, as_json: bool, out: TextIO) -> int:
    if as_json:
        data: dict[str, Any] = {
            "server": status.server,
            "last_sync": status.last_sync.isoformat() if status.last_sync else None,
            "to_send": status.to_send,
            "revisions_to_send": status.revisions_to_send,
            "conflicts": status.conflicts,
            "to_receive": status.to_receive,
            "revisions_to_receive": status.revisions_to_receive,
            "reachable": status.to_receive is not None,
            "error": status.error or None,
        }
        print_json(data, out)
    else:
        out.write(status_line(status) + "\n")
        if status.server:
            out.write(f"Server: {status.server}\n")
        if status.error:
            out.write(f"The server could not be asked: {status.error}\n")
    return EXIT_ERROR if status.server and status.to_receive is None else EXIT_OK
