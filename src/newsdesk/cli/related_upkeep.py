"""``newsdesk related check`` and ``newsdesk related dedupe``: the upkeep of related lists,
for one article or the whole archive. ``check`` exits with status 1 when anything needs
attention (a dead, moved or withdrawn target, a duplicate), so scripts can act on it."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from newsdesk.cli.common import EXIT_ERROR, EXIT_OK, Commands, Progress, positive_arg
from newsdesk.cli.related_view import (
    entry_line,
    health_text,
    linked_targets,
    load,
    page_entries,
    page_summary,
    save_links,
)
from newsdesk.core.models import Article, ArticleSummary, RelatedLink
from newsdesk.core.ports import ArticleStore
from newsdesk.core.related.health import HealthState, LinkCheck, LinkHealth, link_health

if TYPE_CHECKING:
    from newsdesk.core.related.duplicates import Duplicate

ROUND = 100
"""Addresses per round of checks; each round's results are kept before the next starts."""
TARGET_CHUNK = 500
WORTH_SHOWING = frozenset({HealthState.REDIRECTED}) | {s for s in HealthState if s.is_problem}


def register(actions: Commands[argparse.ArgumentParser]) -> None:
    check = actions.add_parser(
        "check",
        help="check links: archive targets always, external pages over the network",
        description="Flags links to withdrawn, archived or deleted articles and checks "
        "external pages (a few at a time, each time-limited). The results are kept with "
        "their time. Offline, pages show as 'not checked' with their last result. Without "
        "SLUG, every article's links are checked and only what needs attention is listed. "
        "The exit status is 1 when anything needs attention, 0 when all is well.",
    )
    check.add_argument("slug", nargs="?")
    check.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="per page (default 5)"
    )
    check.add_argument("--workers", type=positive_arg, default=4, help="pages at a time")
    check.add_argument(
        "--no-network", action="store_true", help="show the last checks; check nothing online"
    )

    dedupe = actions.add_parser(
        "dedupe",
        help="merge duplicate entries (same article, same page, same story)",
        description="Each duplicate is folded into the entry it repeats, which keeps its "
        "place (and is pinned if either was). Without SLUG, every article.",
    )
    dedupe.add_argument("slug", nargs="?")
    dedupe.add_argument("--dry-run", action="store_true", help="show what would be merged")


@dataclass(frozen=True, slots=True)
class Listed:
    """What a check needs of one article: not its text."""

    slug: str
    uri: str
    links: tuple[RelatedLink, ...]

    @classmethod
    def of(cls, article: Article) -> Listed:
        return cls(article.slug, article.uri, article.related)


def _listed(store: ArticleStore, slug: str | None) -> Iterator[Article]:
    if slug:
        yield load(store, slug)
        return
    yield from (a for a in store.iter_articles() if a.related)


def _targets(store: ArticleStore, uris: Sequence[str]) -> dict[str, ArticleSummary]:
    found: dict[str, ArticleSummary] = {}
    for start in range(0, len(uris), TARGET_CHUNK):
        found.update(
            {a.uri: a.summary() for a in store.read_many(uris[start : start + TARGET_CHUNK])}
        )
    return found


def _check_online(
    store: ArticleStore, urls: Sequence[str], args: argparse.Namespace
) -> tuple[dict[str, LinkCheck], bool]:
    """Check ``urls`` in rounds, keeping each round's results; ``(this run's results,
    offline)``. Once a round finds the network down, the rest are not tried."""
    from newsdesk.core.related.linkcheck import any_answered, check_urls  # only this command checks
    from newsdesk.web.http import http_opener

    progress = Progress("Checking links")
    results: dict[str, LinkCheck] = {}
    online = False
    for start in range(0, len(urls), ROUND):
        batch = urls[start : start + ROUND]

        def report(done: int, total: int, offset: int = start) -> None:
            progress(offset + done, len(urls))

        checks = check_urls(
            batch,
            timeout=args.timeout,
            workers=args.workers,
            opener=http_opener,
            progress=report,
            known_online=online,
        )
        store.record_link_checks(checks)
        results.update({c.url: c for c in checks})
        online = online or any_answered(checks)
        if not online:
            progress.finish()
            return results, True
    progress.finish()
    return results, False


def cmd_check(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    single = load(store, args.slug) if args.slug else None
    if single is not None:
        listed = [Listed.of(single)]
    else:
        listed = [Listed.of(a) for a in store.iter_articles() if a.related]
    uris = sorted({link.target_uri for item in listed for link in item.links if link.target_uri})
    urls = list(dict.fromkeys(link.url for item in listed for link in item.links if link.url))
    now: dict[str, LinkCheck] = {}
    offline = False
    if urls and not args.no_network:
        now, offline = _check_online(store, urls, args)
    last = store.link_checks(urls)
    # This run's result, or (offline, stopped) the last real one with its time.
    checks = {u: last[u] if u in last else now[u] for u in urls if u in last or u in now}
    if single is not None:
        attention = _print_one(store, single, checks, out)
    else:
        attention = _print_all(listed, _targets(store, uris), checks, out)
    if offline:
        out.write(
            "Offline: no site answered, so external pages were not checked; their last "
            "results are shown with the time they were checked.\n"
        )
    if attention:
        out.write(
            f"{attention} need{'s' if attention == 1 else ''} attention: fix or remove "
            f"{'it' if attention == 1 else 'them'} ('newsdesk related remove SLUG N'), "
            "merge duplicates with 'newsdesk related dedupe'.\n"
        )
        return EXIT_ERROR
    return EXIT_OK


def _print_one(
    store: ArticleStore, article: Article, checks: Mapping[str, LinkCheck], out: TextIO
) -> int:
    """Every entry of one article's list; returns how many need attention."""
    links = list(article.related)
    profile = store.profile()
    entries = page_entries(article, links, linked_targets(store, links), profile, checks)
    if not entries:
        out.write(f"{article.slug} has no related links.\n")
        return 0
    out.write("".join(entry_line(e) + "\n" for e in entries))
    out.write(
        _tally([e.health for e in entries]) + ". " + page_summary(entries, profile.related_cap)
    )
    out.write("\n")
    return sum(e.health.state in WORTH_SHOWING or e.repeats is not None for e in entries)


def _print_all(
    listed: Sequence[Listed],
    targets: Mapping[str, ArticleSummary],
    checks: Mapping[str, LinkCheck],
    out: TextIO,
) -> int:
    """What needs attention in every list, by article; returns how many entries do."""
    from newsdesk.core.related.duplicates import find_duplicates  # only the related commands use it

    everything: list[LinkHealth] = []
    attention = 0
    for item in listed:
        health = link_health(item.links, targets, checks, own_uri=item.uri)
        everything.extend(health)
        shown = [h for h in health if h.state in WORTH_SHOWING]
        repeats = find_duplicates(item.links, targets)
        attention += len({h.index for h in shown} | {d.index for d in repeats})
        if shown or repeats:
            out.write(f"{item.slug}:\n")
        for h in shown:
            summary = targets.get(h.link.target_uri or "")
            target = h.link.url or (summary.slug if summary else h.link.target_uri) or ""
            out.write(f"  #{h.index + 1} “{h.link.title}” → {target}  [{health_text(h)}]\n")
        out.write("".join(_repeat_line(item.links, d, targets) for d in repeats))
    out.write(f"{_tally(everything)} in {len(listed):,} article(s).\n")
    return attention


def _repeat_line(
    links: Sequence[RelatedLink], duplicate: Duplicate, targets: Mapping[str, ArticleSummary]
) -> str:
    from newsdesk.core.related.duplicates import link_title  # only the related commands use it

    link = links[duplicate.index]
    return (
        f"  #{duplicate.index + 1} “{link_title(link, targets)}” repeats "
        f"#{duplicate.original + 1} ({duplicate.kind.value})\n"
    )


def _tally(health: Sequence[LinkHealth]) -> str:
    counts = Counter(h.state for h in health)
    parts = [f"{counts[state]} {state.label}" for state in HealthState if counts[state]]
    noun = "link" if len(health) == 1 else "links"
    return f"{len(health):,} {noun} ({', '.join(parts) if parts else 'none'})"


def cmd_dedupe(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    from newsdesk.core.related.duplicates import link_title, merge_all  # only this command's

    merged_count = articles = 0
    for article in _listed(store, args.slug):
        links = list(article.related)
        if len(links) < 2:
            continue
        targets = linked_targets(store, links)
        merged, done = merge_all(links, targets)
        if not done:
            continue
        for d in done:
            out.write(
                f"{article.slug}: #{d.index + 1} “{link_title(links[d.index], targets)}” "
                f"{'would merge' if args.dry_run else 'merged'} into #{d.original + 1} "
                f"“{link_title(links[d.original], targets)}” ({d.kind.value})\n"
            )
        if not args.dry_run:
            save_links(store, article, merged)
        merged_count += len(done)
        articles += 1
    if not merged_count:
        out.write("No duplicates found.\n")
    elif args.dry_run:
        out.write(
            f"{merged_count} duplicate(s) in {articles} article(s) would be merged "
            "(dry run: nothing was changed).\n"
        )
    else:
        out.write(f"Merged {merged_count} duplicate(s) in {articles} article(s).\n")
    return EXIT_OK
