"""``newsdesk media ...``: the pictures and audio in the store, from the command line.

``add`` checks every file (intake) before anything is stored, then stores them all in
one transaction; the same bytes are kept once. ``list``, ``show``, ``edit``, ``replace``,
``remove`` and ``get`` (the stored original back to a file) work on a file's key, the 12
hex digits of ``media:KEY``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from newsdesk.cli.common import EXIT_OK, EXIT_USAGE, Commands, Handler, positive_arg, print_json
from newsdesk.cli.media_view import asset_json, asset_line, asset_report
from newsdesk.core.atomic_files import write_atomically
from newsdesk.core.errors import NewsdeskError, ValidationError
from newsdesk.core.media.media import MediaAsset, MediaInfo, MediaKind, MediaLimits
from newsdesk.core.ports import ArticleStore

MB = 1024 * 1024
WORDS = ("alt", "caption", "credit", "copyright")


def limits_arg(parser: argparse.ArgumentParser) -> None:
    """``--max-mb``: the largest picture or audio file taken, as Settings has it."""
    parser.add_argument(
        "--max-mb",
        type=positive_arg,
        metavar="N",
        help="take files up to N MB (default: 50 for pictures, 200 for audio)",
    )


def limits_of(args: argparse.Namespace) -> MediaLimits:
    """The limits intake applies, said the command line's way (``--max-mb N``)."""
    how = "raise the limit with --max-mb N"
    if getattr(args, "max_mb", None) is None:
        return MediaLimits(how_to_raise=how)
    size = args.max_mb * MB
    return MediaLimits(max_image_bytes=size, max_audio_bytes=size, how_to_raise=how)


def _words(parser: argparse.ArgumentParser, *, filename: bool = False) -> None:
    parser.add_argument("--alt", help="alt text: what the picture shows, for who cannot see it")
    parser.add_argument("--caption")
    parser.add_argument("--credit", help="the photographer or agency, as published")
    parser.add_argument("--copyright", help="copyright or licence")
    if filename:
        parser.add_argument("--filename", help="the name shown and exported")


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    group = commands.add_parser(
        "media",
        help="add, list, show, edit, replace, remove and get pictures and audio",
        description="Pictures and audio kept in the store. A story refers to a file as "
        'media:KEY: in its body as ![alt](media:KEY "caption"), or as its featured image '
        "or audio.",
    )
    actions = group.add_subparsers(dest="media_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="copy files into the store (all checked first; the same bytes are kept once)",
    )
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _words(add)
    limits_arg(add)
    add.add_argument("--json", action="store_true")

    listing = actions.add_parser("list", help="the media library, newest first")
    listing.add_argument(
        "text",
        nargs="?",
        default="",
        metavar="TEXT",
        help="only files whose name, caption, alt text or credit hold TEXT",
    )
    listing.add_argument("--unused", action="store_true", help="only files no story uses")
    listing.add_argument("--kind", type=MediaKind, choices=list(MediaKind))
    listing.add_argument("--limit", type=positive_arg, default=500)
    listing.add_argument("--json", action="store_true")

    show = actions.add_parser("show", help="one file: its words, size and which stories use it")
    show.add_argument("key")
    show.add_argument("--json", action="store_true")

    edit = actions.add_parser("edit", help="change a file's words or name")
    edit.add_argument("key")
    _words(edit, filename=True)

    replacing = actions.add_parser(
        "replace", help="put a new file under KEY: every story using it follows"
    )
    replacing.add_argument("key")
    replacing.add_argument("file", type=Path, metavar="FILE")
    limits_arg(replacing)

    remove = actions.add_parser("remove", help="remove a file no story uses")
    remove.add_argument("key")
    remove.add_argument(
        "--force", action="store_true", help="remove it even though revisions still show it"
    )

    get = actions.add_parser("get", help="write the stored original to a file")
    get.add_argument("key")
    get.add_argument("out", type=Path, metavar="OUT", help="a file, or a folder to write into")
    get.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    return {"media": cmd_media}


def cmd_media(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    handlers: dict[str, Handler] = {
        "add": cmd_add,
        "list": cmd_list,
        "show": cmd_show,
        "edit": cmd_edit,
        "replace": cmd_replace,
        "remove": cmd_remove,
        "get": cmd_get,
    }
    return handlers[args.media_command](store, args, out)


@dataclass(frozen=True, slots=True)
class Checked:
    """A file intake took: where it is, what it is, the SHA-256 of its bytes."""

    path: Path
    sha256: str
    size: int
    info: MediaInfo


def check_files(paths: list[Path], limits: MediaLimits) -> list[Checked]:
    """Every file through intake before anything is stored; the first refusal stops all."""
    from newsdesk.core.media import media_intake  # Pillow and mutagen: only when media is read

    checked = []
    for path in paths:
        try:
            data, info = media_intake.read_media_file(path, limits)
        except NewsdeskError as exc:
            several = " Nothing was added." if len(paths) > 1 else ""
            if several:
                raise type(exc)(f"{exc}{several}") from None
            raise
        checked.append(Checked(path, hashlib.sha256(data).hexdigest(), len(data), info))
    return checked


def cmd_add(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core.intake.import_media import PendingMedia, new_asset  # only when adding

    checked = check_files(args.files, limits_of(args))
    given = {name: getattr(args, name) for name in WORDS if getattr(args, name) is not None}
    stored = store.media_by_sha([c.sha256 for c in checked])
    now = datetime.now(UTC)
    new: dict[str, tuple[MediaAsset, Path]] = {}
    for item in checked:
        if item.sha256 in stored or item.sha256 in new:
            continue
        words = {name: given.get(name, getattr(item.info, name)) for name in WORDS}
        asset = new_asset(item.path, item.sha256, item.size, item.info, now=now, **words)
        new[item.sha256] = (asset, item.path)
    store.create_many([], media=PendingMedia(list(new.values())))
    if args.json:
        print_json([_added_json(item, new, stored) for item in checked], out)
        return EXIT_OK
    for item in checked:
        if item.sha256 in new:
            asset, first = new[item.sha256]
            if first == item.path:
                out.write(f"Added {item.path.name} as {asset.key}:\n")
            else:
                out.write(f"{item.path.name} has the same bytes as {first.name}: kept once.\n")
                continue
        else:
            asset = stored[item.sha256]
            out.write(f"{item.path.name} is already in the store as {asset.key}")
            out.write(
                f" (its words are unchanged; change them with: newsdesk media edit {asset.key} "
                "--alt ...):\n"
                if given
                else ":\n"
            )
        out.write(asset_report(asset, short=True))
    return EXIT_OK


def _added_json(
    item: Checked,
    new: dict[str, tuple[MediaAsset, Path]],
    stored: dict[str, MediaAsset],
) -> dict[str, object]:
    if item.sha256 in new:
        asset, first = new[item.sha256]
        return {**asset_json(asset), "created": first == item.path}
    return {**asset_json(stored[item.sha256]), "created": False}


def cmd_list(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    assets = store.list_media(args.text, kind=args.kind, limit=args.limit)
    uses = store.media_use([a.key for a in assets]) if assets else {}
    if args.unused:
        assets = [a for a in assets if uses[a.key].unused]
    if args.json:
        print_json(
            [
                {
                    **asset_json(a),
                    "stories": len(uses[a.key].articles),
                    "revisions": uses[a.key].revisions,
                }
                for a in assets
            ],
            out,
        )
        return EXIT_OK
    if not assets:
        anything = not (args.text or args.unused or args.kind)
        out.write(
            "No media files yet. Add one: newsdesk media add FILE\n"
            if anything
            else "No media files match.\n"
        )
        return EXIT_OK
    out.write("".join(asset_line(a, uses[a.key]) + "\n" for a in assets))
    return EXIT_OK


def cmd_show(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    asset = store.get_media(args.key)
    use = store.media_use([asset.key])[asset.key]
    slugs = {a.uri: a.slug for a in store.get_many([uri for uri, _ in use.articles])}
    stories = [
        {"uri": uri, "slug": slugs.get(uri, ""), "headline": headline}
        for uri, headline in use.articles
    ]
    if args.json:
        print_json({**asset_json(asset), "stories": stories, "revisions": use.revisions}, out)
        return EXIT_OK
    out.write(asset_report(asset))
    if stories:
        out.write(f"Used by:   {len(stories)} {'story' if len(stories) == 1 else 'stories'}\n")
        out.write("".join(f"  {s['slug']}  {s['headline']}\n" for s in stories))
    else:
        out.write("Used by:   no story\n")
    if use.revisions:
        out.write(
            f"History:   {use.revisions} revision{'' if use.revisions == 1 else 's'} show it\n"
        )
    return EXIT_OK


def cmd_edit(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    changes = {
        name: getattr(args, name)
        for name in (*WORDS, "filename")
        if getattr(args, name) is not None
    }
    if not changes:
        sys.stderr.write(
            "newsdesk media edit: error: nothing to change; give --alt, --caption, --credit, "
            "--copyright or --filename\n"
        )
        return EXIT_USAGE
    asset = store.get_media(args.key)
    changed = store.update_media(replace(asset, **changes))
    names = {"alt": "alt text", "filename": "file name"}
    done = ", ".join(names.get(name, name) for name in changes)
    out.write(f"Updated {changed.key} ({changed.filename}): {done}.\n")
    return EXIT_OK


def cmd_replace(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core.media import media_intake  # Pillow and mutagen: only when media is read

    before = store.get_media(args.key)
    try:
        data, info = media_intake.read_media_file(args.file, limits_of(args))
    except NewsdeskError:
        raise
    after = store.replace_media(before.key, data, info, args.file.name)
    use = store.media_use([after.key])[after.key]
    count = len(use.articles)
    out.write(f"Replaced {before.filename} under {after.key} with {args.file.name}")
    out.write(
        f"; {count} {'story follows' if count == 1 else 'stories follow'}.\n" if count else ".\n"
    )
    out.write(asset_report(after, short=True))
    return EXIT_OK


def cmd_remove(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    asset = store.get_media(args.key)
    store.delete_media(asset.key, force=args.force)
    out.write(f"Removed {asset.key} ({asset.filename}).\n")
    return EXIT_OK


def cmd_get(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    asset = store.get_media(args.key)
    target = args.out / asset.filename if args.out.is_dir() else args.out
    if target.exists() and not args.force:
        raise ValidationError(
            f"{target} already exists; choose another name, or add --force to overwrite it"
        )
    if not target.parent.is_dir():
        raise ValidationError(f"the folder {target.parent} does not exist; create it first")
    _write_whole(target, store.media_data(asset.key))
    out.write(f"Wrote {asset.key} ({asset.filename}, {asset.size:,} bytes) to {target}\n")
    return EXIT_OK


def _write_whole(target: Path, data: bytes) -> None:
    """``data`` to ``target`` whole or not at all, flushed to disk."""
    try:
        write_atomically(target, data)
    except OSError as exc:
        raise ValidationError(
            f"could not write {target}: {exc.strerror or exc}; nothing was written"
        ) from None
