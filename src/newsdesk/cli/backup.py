"""``newsdesk backup``, ``restore`` and ``backups``: copies of the store, and putting one back.

A SQLite store is copied with SQLite's online backup API (a consistent copy even while the
window writes) and checked before it counts; ``restore`` puts a backup back atomically,
backing the store up first (see :mod:`newsdesk.store.restore`). A PostgreSQL store is
backed up as the portable JSON archive of ``newsdesk dump``, and ``restore`` loads such an
archive only into an empty database: it never overwrites a server's data.

These commands open the store themselves (``without_store``): ``restore`` must work when
the store is too damaged to open.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newsdesk.cli.common import EXIT_OK, Commands, Handler, Progress
from newsdesk.core.errors import StoreError
from newsdesk.store import open_store
from newsdesk.store.backup import (
    backup_folder,
    backup_name,
    copy_store,
    list_backups,
    restore_advice,
    verify,
)
from newsdesk.store.engine import DamagedStoreError, redact, resolve_url, sqlite_path

if TYPE_CHECKING:
    from newsdesk.store.restore import Restored


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    backup = commands.add_parser(
        "backup",
        help="copy the store to a file or folder (checked before it counts)",
        description="Copy the store to DEST. A SQLite store becomes a SQLite file (DEST a "
        "folder: a file named with the time is made in it); a PostgreSQL store, or a DEST "
        "ending in .json, becomes a portable JSON archive. An existing file is never "
        "overwritten.",
    )
    # Text, not a Path: a Path drops the trailing slash that says DEST is a folder.
    backup.add_argument("dest", metavar="DEST")
    backup.set_defaults(without_store=cmd_backup)

    restoring = commands.add_parser(
        "restore",
        help="put a backup back in place of the store (the store is backed up first)",
        description="Replace the store with the backup SRC. The backup is checked first; "
        "a store holding work made after the backup is refused unless --force; the store "
        "as it is is backed up first, and a damaged store is moved aside, never deleted. A "
        "PostgreSQL store is restored from a JSON archive, into an empty database only.",
    )
    restoring.add_argument("source", type=Path, metavar="SRC")
    restoring.add_argument(
        "--force", action="store_true", help="restore even over work newer than the backup"
    )
    restoring.set_defaults(without_store=cmd_restore)

    listing = commands.add_parser("backups", help="list the store's automatic backups")
    listing.add_argument("--check", action="store_true", help="check each backup's pages")
    listing.set_defaults(without_store=cmd_backups)
    return {}


def _now() -> datetime:
    return datetime.now(UTC)


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


def _destination(raw: str) -> Path:
    """DEST as a path; one ending in a slash must be a folder that exists (a USB stick not
    mounted would otherwise get a file named after its folder)."""
    dest = Path(raw).expanduser()
    if raw.endswith(("/", os.sep)) and not dest.is_dir():
        raise StoreError(
            f"The folder {dest} does not exist (is the drive mounted?). Nothing was written. "
            "Create the folder or plug the drive in, then back up again."
        )
    return dest


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    url = resolve_url(args.db)
    path = sqlite_path(url)
    dest = _destination(str(args.dest))
    if path is None or dest.suffix.lower() == ".json":
        target = dest / f"newsdesk-{_now():%Y%m%dT%H%M%SZ}.json" if dest.is_dir() else dest
        if target.exists():
            raise StoreError(f"{target} already exists; choose another name.")
        from newsdesk.core import archive  # loaded only by the commands using it

        store = open_store(url)
        try:
            progress = Progress("Writing archive")
            count = archive.dump(store, target, progress)
            progress.finish()
        finally:
            store.close()
        where = path or redact(url)
        out.write(f"Backed up {where} to {target} (a JSON archive, {_articles(count)}).\n")
        return EXIT_OK
    target = dest / backup_name(path, _now(), "manual") if dest.is_dir() else dest
    if target.exists():
        raise StoreError(f"{target} already exists; choose another name.")
    if not target.parent.is_dir():
        raise StoreError(f"The folder {target.parent} does not exist; create it first.")
    try:
        contents = copy_store(path, target)
    except DamagedStoreError as exc:
        raise DamagedStoreError(f"{exc} {restore_advice(path)}") from None
    out.write(f"Backed up {path} to {target} ({_articles(contents.article_count)}; checked).\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.store.restore import restore  # loaded only by the commands using it

    url = resolve_url(args.db)
    path = sqlite_path(url)
    source = args.source.expanduser()
    if path is None:
        return _restore_server(url, source, out)
    if source.suffix.lower() == ".json":
        done = _restore_archive(path, source, force=args.force)
    else:
        done = restore(path, source, force=args.force)
    out.write(f"Restored {source} into {done.store} ({_articles(done.contents.article_count)}).\n")
    if done.kept is not None:
        out.write(f"The store as it was is kept as {done.kept.path}\n")
    if done.set_aside is not None:
        out.write(f"The damaged store was moved aside to {done.set_aside} (not deleted).\n")
    return EXIT_OK


def _restore_archive(path: Path, source: Path, *, force: bool) -> Restored:
    """A JSON archive into a SQLite store: build a store from it beside, then restore."""
    from newsdesk.core import archive  # loaded only by the commands using it
    from newsdesk.store.restore import restore

    contents = archive.read(source)
    built = path.with_name(f".{path.stem}.from-archive-{_now():%Y%m%dT%H%M%S%f}.db")
    try:
        store = open_store(str(built))
        try:
            archive.fill(store, contents)
        finally:
            store.close()
        return restore(path, built, force=force)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{built}{suffix}").unlink()


def _restore_server(url: str, source: Path, out: TextIO) -> int:
    if source.suffix.lower() != ".json":
        raise StoreError(
            f"{source} is not a JSON archive. A PostgreSQL store is restored from an archive "
            "made by 'newsdesk backup FILE.json' or 'newsdesk dump'. To move a SQLite backup "
            "to the server: newsdesk --db restored.db restore BACKUP.db, then newsdesk --db "
            "restored.db dump all.json, then restore all.json here."
        )
    from newsdesk.core import archive  # loaded only by the commands using it

    contents = archive.read(source)
    store = open_store(url)
    try:
        if not store.is_empty():
            raise StoreError(
                f"The PostgreSQL store {redact(url)} already holds "
                f"{_articles(store.info().article_count)}, and Newsdesk never overwrites a "
                "server's data. Create an empty database and run: newsdesk --db "
                f"postgresql+psycopg://USER@HOST/EMPTY_DB restore {source} (then use that "
                "database); for the server as a whole, use PostgreSQL's pg_dump and pg_restore."
            )
        progress = Progress("Loading archive")
        count = archive.fill(store, contents, progress)
        progress.finish()
    finally:
        store.close()
    out.write(f"Restored {source} into {redact(url)} ({_articles(count)}).\n")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace, out: TextIO) -> int:
    path = sqlite_path(resolve_url(args.db))
    if path is None:
        out.write(
            "Automatic backups are made of SQLite stores. Back a PostgreSQL store up with "
            "'newsdesk backup FILE.json' (or pg_dump).\n"
        )
        return EXIT_OK
    backups = list_backups(path)
    if not backups:
        out.write(f"No backups of {path} yet in {backup_folder(path)}.\n")
        return EXIT_OK
    for backup in backups:
        state = ""
        if args.check:
            try:
                state = f"  ok, {_articles(verify(backup.path).article_count)}"
            except StoreError as exc:
                state = f"  NOT USABLE: {exc}"
        size = backup.path.stat().st_size / 1_000_000
        out.write(
            f"{backup.taken_at:%Y-%m-%d %H:%M:%S} UTC  {backup.reason:<22} {size:8.1f} MB  "
            f"{backup.path}{state}\n"
        )
    return EXIT_OK
