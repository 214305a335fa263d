"""``newsdesk related ...``: an article's related links from the command line.

``list``, ``add``, ``remove``, ``move`` and ``suggest`` live here; ``check`` and ``dedupe``
in :mod:`newsdesk.cli.related_upkeep`. Every change is one save with the reason
"related links" (so a revision is recorded) and keeps the list's order; a refused change
leaves the article as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TextIO

from newsdesk.cli import related_upkeep
from newsdesk.cli.common import EXIT_OK, Commands, Handler, positive_arg, print_json
from newsdesk.cli.related_view import (
    entry_json,
    entry_line,
    linked_targets,
    load,
    page_entries,
    page_summary,
    relation_label,
    save_links,
)
from newsdesk.core.errors import NotFoundError, ValidationError
from newsdesk.core.models import Article, RelatedLink, RelationKind
from newsdesk.core.ports import ArticleStore
from newsdesk.core.related.health import HealthState, target_health
from newsdesk.core.related.links import article_link, looks_like_url, resolve_entry, url_key
from newsdesk.publish.related import base_url

RELATIONS = {relation_label(kind): kind for kind in RelationKind}


def relation_arg(value: str) -> RelationKind:
    try:
        return RelationKind.parse(value)
    except ValidationError:
        choices = ", ".join(RELATIONS)
        raise argparse.ArgumentTypeError(f"use one of: {choices}") from None


def register(commands: Commands[argparse.ArgumentParser]) -> dict[str, Handler]:
    group = commands.add_parser(
        "related",
        help="list, add, remove, move, suggest, check and dedupe an article's related links",
        description="The ordered 'Related articles' list under an article. Positions are "
        "numbered from 1 as 'related list' shows them.",
    )
    actions = group.add_subparsers(dest="related_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the list, its health, and what the page shows")
    listing.add_argument("slug")
    listing.add_argument("--json", action="store_true")

    add = actions.add_parser(
        "add", help="add an archive article (by slug) or an external page (by URL)"
    )
    add.add_argument("slug")
    add.add_argument("target", metavar="URL-OR-SLUG")
    add.add_argument("--title", default="", help="the title to show (default: the headline)")
    add.add_argument(
        "--relation", type=relation_arg, default=RelationKind.RELATED, help="|".join(RELATIONS)
    )
    add.add_argument("--pin", action="store_true", help="keep it first on the page")
    add.add_argument("--at", type=positive_arg, metavar="N", help="insert at position N")

    remove = actions.add_parser("remove", help="remove an entry by position, URL or slug")
    remove.add_argument("slug")
    remove.add_argument("entry", metavar="N|URL|SLUG")

    move = actions.add_parser("move", help="move the entry at FROM to position TO")
    move.add_argument("slug")
    move.add_argument("source", metavar="FROM", type=positive_arg)
    move.add_argument("destination", metavar="TO", type=positive_arg)

    suggest = actions.add_parser("suggest", help="archive articles related to this one")
    suggest.add_argument("slug")
    suggest.add_argument("--limit", type=positive_arg, default=10)
    suggest.add_argument("--json", action="store_true")

    related_upkeep.register(actions)
    return {"related": cmd_related}


def cmd_related(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    handlers: dict[str, Handler] = {
        "list": cmd_list,
        "add": cmd_add,
        "remove": cmd_remove,
        "move": cmd_move,
        "suggest": cmd_suggest,
        "check": related_upkeep.cmd_check,
        "dedupe": related_upkeep.cmd_dedupe,
    }
    return handlers[args.related_command](store, args, out)


def cmd_list(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = load(store, args.slug)
    links = list(article.related)
    profile = store.profile()
    checks = store.link_checks([link.url for link in links if link.url])
    entries = page_entries(article, links, linked_targets(store, links), profile, checks)
    if args.json:
        print_json([entry_json(e) for e in entries], out)
        return EXIT_OK
    if not entries:
        out.write(f"{article.slug} has no related links. Try: newsdesk related suggest SLUG\n")
        return EXIT_OK
    out.write("".join(entry_line(e) + "\n" for e in entries))
    out.write(page_summary(entries, profile.related_cap) + "\n")
    return EXIT_OK


def _find_slug(store: ArticleStore) -> Callable[[str], Article | None]:
    def find(slug: str) -> Article | None:
        try:
            return store.get_by_slug(slug)
        except NotFoundError:
            return None

    return find


def new_link(store: ArticleStore, args: argparse.Namespace) -> RelatedLink:
    """The entry asked for: a URL normalised (or refused), or a stored article by slug. An
    address on the publication's own site becomes a link to the article it shows."""
    text = args.target.strip()
    find = _find_slug(store)
    link = resolve_entry(text, find, title=args.title, relation=args.relation)
    if link.url and url_key(link.url).startswith(url_key(base_url(store.profile()))):
        own = find(link.url.rstrip("/").rsplit("/", 1)[-1])
        if own is not None:
            link = article_link(own, args.relation)
            if args.title.strip():
                link = replace(link, title=" ".join(args.title.split()))
    return replace(link, pinned=bool(args.pin))


def cmd_add(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = load(store, args.slug)
    links = list(article.related)
    link = new_link(store, args)
    targets = linked_targets(store, [*links, link])
    if link.target_uri:
        state, message = target_health(link, targets.get(link.target_uri), article.uri)
        if state == HealthState.SELF:
            raise ValidationError("an article cannot be related to itself; nothing was added")
        if state.is_problem:
            raise ValidationError(f"“{link.title}” is {message}; nothing was added")
        if state == HealthState.UNPUBLISHED:
            sys.stderr.write(f"note: “{link.title}” is {message}\n")
    from newsdesk.core.related.duplicates import duplicate_of, link_title  # only this command's

    repeat = duplicate_of(links, link, targets)
    if repeat is not None:
        existing = links[repeat.original]
        raise ValidationError(
            f"“{link.title}” is already in the list as #{repeat.original + 1} "
            f"“{link_title(existing, targets)}” ({repeat.kind.value}); nothing was added"
        )
    at = len(links) + 1 if args.at is None else args.at
    if at > len(links) + 1:
        raise ValidationError(
            f"--at {at} is past the end of the list: use a position from 1 to {len(links) + 1}"
        )
    links.insert(at - 1, link)
    saved = save_links(store, article, links)
    out.write(f"Added #{at} “{link.title}” ({relation_label(link.relation)}) to {saved.slug}.\n")
    _warn_over_cap(store, saved, at, targets)
    return EXIT_OK


def _warn_over_cap(
    store: ArticleStore, article: Article, position: int, targets: Mapping[str, Article]
) -> None:
    links = list(article.related)
    profile = store.profile()
    entries = page_entries(article, links, targets, profile, {})
    over = [e for e in entries if e.over_cap]
    if not over:
        return
    cap = profile.related_cap
    one = entries[position - 1].over_cap or len(over) == 1
    if entries[position - 1].over_cap:
        what = f"#{position} is past the publication's cap of {cap} related links"
    else:
        pushed = ", ".join(f"#{e.position} “{e.link.title}”" for e in over)
        verb = "is" if one else "are"
        what = f"the publication's cap is {cap} related links, so {pushed} {verb} past it"
    sys.stderr.write(
        f"warning: {what}: the page will not show {'it' if one else 'them'}. "
        "Pin or move up what matters most, or remove an entry.\n"
    )


def _matches(store: ArticleStore, links: Sequence[RelatedLink], ref: str) -> list[int]:
    ref = ref.strip()
    if ref.isdigit():
        position = int(ref)
        if not 1 <= position <= len(links):
            raise ValidationError(
                f"there is no #{position}: the list has {len(links)} "
                f"entr{'y' if len(links) == 1 else 'ies'}"
            )
        return [position - 1]
    if looks_like_url(ref):
        key = url_key(ref)
        found = [i for i, link in enumerate(links) if link.url and url_key(link.url) == key]
    else:
        target = _find_slug(store)(ref.strip("/").rsplit("/", 1)[-1])
        uri = target.uri if target is not None else None
        found = [i for i, link in enumerate(links) if uri and link.target_uri == uri]
    if not found:
        raise ValidationError(
            f"{ref!r} is not in the list: give its position from 'newsdesk related list'"
        )
    return found


def cmd_remove(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = load(store, args.slug)
    links = list(article.related)
    gone = _matches(store, links, args.entry)
    kept = [link for i, link in enumerate(links) if i not in gone]
    saved = save_links(store, article, kept)
    for index in gone:
        out.write(f"Removed #{index + 1} “{links[index].title}” from {saved.slug}.\n")
    return EXIT_OK


def cmd_move(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = load(store, args.slug)
    links = list(article.related)
    for name, position in (("FROM", args.source), ("TO", args.destination)):
        if position > len(links):
            raise ValidationError(
                f"{name} is #{position} but the list has {len(links)} "
                f"entr{'y' if len(links) == 1 else 'ies'}"
            )
    link = links.pop(args.source - 1)
    links.insert(args.destination - 1, link)
    saved = save_links(store, article, links)
    out.write(f"Moved “{link.title}” from #{args.source} to #{args.destination} in {saved.slug}.\n")
    if not link.pinned and any(other.pinned for other in links[args.destination :]):
        sys.stderr.write("note: pinned links still come first on the page\n")
    return EXIT_OK


def cmd_suggest(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    article = load(store, args.slug)
    exclude = {link.target_uri for link in article.related if link.target_uri}
    exclude.add(article.uri)
    found = store.suggest_related(article, limit=args.limit, exclude=exclude)
    if args.json:
        print_json([s.to_dict() for s in found], out)
        return EXIT_OK
    if not found:
        out.write("No suggestions: nothing in the archive shares enough with this article.\n")
        return EXIT_OK
    width = max(len(s.slug) for s in found)
    for s in found:
        out.write(f"{s.score:6.3f}  {s.slug:<{width}}  {s.headline}  ({s.reason})\n")
    out.write(f"Add one with: newsdesk related add {article.slug} SLUG\n")
    return EXIT_OK
