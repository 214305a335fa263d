"""The work of ``newsdesk check`` (imported when the command runs: the dictionary,
the house style and the process pool stay off every other command's start-up)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from newsdesk.cli.common import EXIT_ERROR, EXIT_OK, Progress, print_json
from newsdesk.core.checks.checker import ArticleChecker
from newsdesk.core.checks.checks import SEVERITIES, Problem, ordered
from newsdesk.core.checks.house_style import Style, default_style, load_style
from newsdesk.core.checks.readiness import (
    Limits,
    length_problems,
    readiness_problems,
    site_problems,
)
from newsdesk.core.errors import ValidationError
from newsdesk.core.media.media import MediaAsset, article_keys
from newsdesk.core.models import Article, PublicationProfile
from newsdesk.core.ports import ArticleStore

FIELD_ORDER = ("site", "article", "headline", "kicker", "standfirst", "byline", "section", "body")
PARALLEL_FROM = 400
"""From this many stories, ``--all`` checks on every core (each process loads the
dictionary once: 40 ms)."""
CHUNK = 200
PUBLICATION = "(publication)"
"""Where problems with the publication itself are printed (its site address)."""


@dataclass
class Options:
    """What each story is checked with (plain data: it travels to worker processes, which
    load the style again from ``style_dir``: a compiled rule does not travel)."""

    use_style: bool
    style_dir: Path | None
    db: str | None
    language: str | None
    spelling: bool
    suggest: bool
    ready: bool
    levels: tuple[str, ...]
    known: frozenset[str]
    profile: PublicationProfile
    limits: Limits = field(default_factory=Limits)

    loaded: Style | None = field(default=None, repr=False, compare=False)

    def style(self) -> Style | None:
        """The style, loaded once per process."""
        if self.use_style and self.loaded is None:
            self.loaded = load_style(self.style_dir) if self.style_dir else default_style()
        return self.loaded

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "loaded": None}  # a worker loads its own


@dataclass
class Outcome:
    slug: str
    uri: str
    problems: list[Problem]


def cmd_check(store: ArticleStore, args: argparse.Namespace, out: TextIO) -> int:
    if args.all == bool(args.slugs):
        raise ValidationError("name the stories to check (their slugs), or give --all")
    options = Options(
        use_style=not args.no_style,
        style_dir=args.style,
        db=args.db,
        language=args.language,
        spelling=not args.no_spelling,
        suggest=not args.all if args.suggestions is None else args.suggestions,
        ready=args.ready,
        levels=SEVERITIES[: SEVERITIES.index(args.min_level) + 1],
        known=frozenset(store.newsroom_words()) if not args.no_spelling else frozenset(),
        profile=store.profile(),
    )
    style = options.style()  # a bad rule file stops here, naming its path and line
    for note in style.skipped if style else ():
        sys.stderr.write(f"newsdesk: note: {note}\n")
    if args.all:
        total = store.info().article_count
        progress = Progress("Checking")
        outcomes, missing = _check_all(store, options, total, progress)
        progress.finish()
    else:
        articles = [store.get_by_slug(slug) for slug in dict.fromkeys(args.slugs)]
        outcomes, missing = _check_some(store, articles, options)
    for note in sorted(missing):
        sys.stderr.write(f"newsdesk: {note}\n")
    if options.ready:  # about the publication, said once rather than under every story
        site = [p for p in site_problems(options.profile) if p.severity in options.levels]
        outcomes = ([Outcome(PUBLICATION, "", site)] if site else []) + outcomes
    _report(outcomes, len(missing), args.json, out)
    found = any(o.problems for o in outcomes)
    return EXIT_ERROR if found or missing else EXIT_OK


def _check_some(
    store: ArticleStore, articles: Sequence[Article], options: Options
) -> tuple[list[Outcome], set[str]]:
    media = _media(store, articles) if options.ready else {}
    checkers: dict[str, ArticleChecker] = {}
    outcomes = [_check_one(a, options, checkers, media) for a in articles]
    return outcomes, {str(c.missing) for c in checkers.values() if c.missing}


def _check_all(
    store: ArticleStore, options: Options, total: int, progress: Progress
) -> tuple[list[Outcome], set[str]]:
    outcomes: list[Outcome] = []
    missing: set[str] = set()
    workers = min(os.cpu_count() or 1, 4)
    uris = [uri for uri, _, _ in store.article_versions()]
    chunks = [uris[at : at + CHUNK] for at in range(0, len(uris), CHUNK)]
    if total < PARALLEL_FROM or workers < 2:
        checkers: dict[str, ArticleChecker] = {}  # one per language, its word cache kept
        for chunk in chunks:
            checked, lacking = _read_and_check(store, chunk, options, checkers)
            outcomes.extend(checked)
            missing |= lacking
            progress(len(outcomes), total)
        return outcomes, missing
    # Each worker opens the store itself and reads its own stories in bulk: this process
    # only hands out lists of uris and prints.
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(options,)) as pool:
        for checked, lacking in pool.map(_worker_chunk, chunks):
            outcomes.extend(checked)
            missing |= lacking
            progress(len(outcomes), total)
    return outcomes, missing


def _read_and_check(
    store: ArticleStore,
    uris: Sequence[str],
    options: Options,
    checkers: dict[str, ArticleChecker],
) -> tuple[list[Outcome], set[str]]:
    articles = store.read_many(uris)
    media = _media(store, articles) if options.ready else {}
    return _check_batch(articles, media, options, checkers)


_worker: dict[str, Any] = {}  # a worker process's options and store, set once as it starts
_worker_checkers: dict[str, ArticleChecker] = {}


def _start_worker(options: Options) -> None:
    from newsdesk.store import open_store  # the worker's own connection

    _worker["options"] = options
    _worker["store"] = open_store(options.db)


def _worker_chunk(uris: list[str]) -> tuple[list[Outcome], set[str]]:
    return _read_and_check(_worker["store"], uris, _worker["options"], _worker_checkers)


def _check_batch(
    articles: Iterable[Article],
    media: dict[str, MediaAsset],
    options: Options,
    checkers: dict[str, ArticleChecker] | None = None,
) -> tuple[list[Outcome], set[str]]:
    checkers = {} if checkers is None else checkers
    outcomes = [_check_one(a, options, checkers, media) for a in articles]
    return outcomes, {str(c.missing) for c in checkers.values() if c.missing}


def _check_one(
    article: Article,
    options: Options,
    checkers: dict[str, ArticleChecker],
    media: dict[str, MediaAsset],
) -> Outcome:
    language = options.language or article.language or options.profile.language
    checker = checkers.get(language)
    if checker is None:
        checker = checkers[language] = _checker(language, options)
    found = checker.check_article(article)
    if options.ready:
        found = found + readiness_problems(
            article,
            options.profile,
            media=media,
            spelling_and_style=found,
            limits=options.limits,
        )
    else:
        found = found + length_problems(article, options.limits)
    kept = [p for p in found if p.severity in options.levels and p.field != "site"]
    return Outcome(article.slug, article.uri, ordered(kept, FIELD_ORDER))


def _checker(language: str, options: Options) -> ArticleChecker:
    if not options.spelling:
        return ArticleChecker(language, options.style(), dictionary=_NoSpelling())
    return ArticleChecker(language, options.style(), options.known, suggest=options.suggest)


class _NoSpelling:
    """A dictionary that knows every word (``--no-spelling``)."""

    def check(self, word: str) -> bool:
        return True

    def suggest(self, word: str) -> list[str]:
        return []


def _media(store: ArticleStore, articles: Sequence[Article]) -> dict[str, MediaAsset]:
    keys = {
        key
        for a in articles
        for key in article_keys(
            a.image.src if a.image else None, a.audio.src if a.audio else None, a.body
        )
    }
    return dict(store.media_many(keys)) if keys else {}


def line_of(slug: str, problem: Problem) -> str:
    """One problem as the command line prints it."""
    fix = ""
    if problem.suggestions:
        shown = [repr(s) if not s.strip() or s != s.strip() else s for s in problem.suggestions[:3]]
        fix = f" [fix: {' | '.join(shown)}]"
    return (
        f"{slug} {problem.field}:{problem.line}:{problem.column} {problem.severity} "
        f"{problem.rule}: {problem.message}{fix}"
    )


def _report(outcomes: Sequence[Outcome], missing: int, as_json: bool, out: TextIO) -> None:
    if as_json:
        print_json(
            [
                {"slug": o.slug, "uri": o.uri, "problems": [p.to_dict() for p in o.problems]}
                for o in outcomes
                if o.problems
            ],
            out,
        )
        return
    for outcome in outcomes:
        for problem in outcome.problems:
            out.write(line_of(outcome.slug, problem) + "\n")
    count = sum(len(o.problems) for o in outcomes)
    told = [o for o in outcomes if o.slug != PUBLICATION]
    stories = sum(1 for o in told if o.problems)
    checked = f"{len(told):,} stor{'ies' if len(told) != 1 else 'y'}"
    if count:
        out.write(f"{count:,} problem{'s' if count != 1 else ''} in {stories:,} of {checked}.\n")
    elif not missing:
        out.write(f"Checked {checked}: no problems.\n")
    else:
        out.write(f"Checked {checked}: no problems found, but spelling was not checked.\n")
