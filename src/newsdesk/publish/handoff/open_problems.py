"""Stories an export handed off with open problems, for its summary (the readiness checklist).

The stories checked are those the export handed off anew: the ones chosen for a partial
export, else those its hand-off manifest lists as added or updated (one changed story in a
folder of ten thousand is one story checked; a story unchanged since the last export into the
folder was listed then). A partial export of up to 500 stories gets the whole checklist,
spelling and house style included, as the window's status change runs it. A full export gets
it without spelling and house style: they cost about 3 ms of CPU a story (32 s over ten
thousand: bench/README.md, "Copy checks"), several times the export's own time;
``newsdesk check --all --ready`` runs them, on every core. Figures:
bench/export_problems_bench.py.

For each story found, the newest "went ahead anyway" record of its history is read: the
reason an editor gave when the checklist was overridden (ui/checks/checking.py writes it). The
site address still at the placeholder is said once, loudly, not under every story.

For one story, loading the checks cost more than checking it (about 0.1 s: the style's
patterns compiled, the dictionary opened and freed). The summary counts warnings and errors
only, so the style's suggestion-level rules are not run for it, and its patterns compile
only for the rules a story's words can trigger (``house_style.default_style``). The
dictionary opens on a worker thread, from before the export when ``preload_checks`` is
called then, else while the stories are read: Enchant's load is C code that lets Python go
on meanwhile; and another worker frees it (15-50 ms). The messages are the same as the
whole checklist's (tests/publish/test_open_problems.py).
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from newsdesk.core.checks.checks import CheckKind, Problem
from newsdesk.core.checks.readiness import Limits, readiness_problems, site_problems
from newsdesk.core.media.media import MediaAsset, article_keys
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.core.related.health import LinkCheck
from newsdesk.publish.exporting.export_report import ExportReport
from newsdesk.publish.handoff.handoff import HANDOFF_JSON

if TYPE_CHECKING:  # the dictionary and the style load only when spelling is checked
    from newsdesk.core.checks.checker import ArticleChecker
    from newsdesk.core.checks.spelling import Dictionary, EnchantDictionary

CHUNK = 500  # stories read at a time
EVERY_ARTICLE = 1_000_000_000  # a query limit above any store's size
SPELLING_UP_TO = 500
"""A partial export of more stories than this (a big section) skips spelling and style."""
LOOKED_UP = 200
"""At most this many stories' histories are read for a go-ahead (one query each)."""
# ui/checks/checking.py: f"Marked {status} with open problems: {reason}"
_GO_AHEAD = re.compile(r"Marked (?P<status>.+?) with open problems: (?P<reason>.*)", re.S)
# What each kind of problem is called in the summary: counted (by rule, then by kind)...
_COUNTED = {
    "ready.alt-text": ("picture without alt text", "pictures without alt text"),
    "ready.credit": ("picture without credit", "pictures without credit"),
    "ready.related-broken": ("broken related link", "broken related links"),
    CheckKind.SPELLING.value: ("spelling mistake", "spelling mistakes"),
    CheckKind.STYLE.value: ("house-style problem", "house-style problems"),
}
# ... or said once.
_SAID = {
    "length.headline": "headline too long",
    "length.seo_title": "SEO title too long",
    "length.seo_description": "search description too long",
    "length.standfirst": "standfirst too short or too long",
    "ready.related-cap": "too many related links",
}
_SKIPPED_RULES = {"ready.problems-left", "ready.site-address"}  # counted already; said once


class CheckLoader:
    """One language's spelling dictionary, opened on a worker thread from the moment this is
    made (before an export, so that it is ready when the export is done)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._dictionary: EnchantDictionary | None = None
        # pyenchant is imported here: Python code importing on a worker waits for the GIL
        # after each file it reads while this thread runs (up to 5 ms each); the worker is
        # left the dictionary's load, C code that runs beside Python.
        with suppress(ImportError, OSError):  # the worker fails then, and the checker says why
            import enchant  # type: ignore[import-untyped]  # noqa: F401
        self._thread = threading.Thread(target=self._open, name="newsdesk-dictionary")
        self._thread.start()

    def _open(self) -> None:
        from newsdesk.core.checks.spelling import open_dictionary

        try:
            self._dictionary = open_dictionary(self.language)
        except Exception:  # the checker opens it again, and says what failed
            self._dictionary = None

    def dictionary(self, language: str) -> Dictionary | None:
        """The dictionary for ``language`` once it is open; ``None`` for another language,
        or when it could not be opened (the checker then tries itself, and says why)."""
        self._thread.join()
        return self._dictionary if language == self.language else None

    def release(self) -> None:
        """Free the dictionary on another worker thread: Hunspell takes 15-50 ms over its
        tables, time the command need not wait for (the process waits at its end). The
        checkers given it must not be used after."""
        self._thread.join()
        if self._dictionary is not None:
            close, self._dictionary = self._dictionary.close, None
            threading.Thread(target=close, name="newsdesk-dictionary-free").start()


def preload_checks(source: ProblemSource, only: Collection[str] | None) -> CheckLoader | None:
    """Start opening the dictionary ``after_export`` will use for a partial export of
    ``only`` (the publication's language: a story in another opens its own then); ``None``
    when that export will not check spelling. Call before the export; pass the result to
    ``after_export``."""
    if only is None or len(only) > SPELLING_UP_TO:
        return None
    return CheckLoader(source.profile().language)


class ProblemSource(Protocol):
    """What the check needs of the store (``ArticleStore`` provides all of it)."""

    def read_many(self, uris: Sequence[str]) -> list[Article]: ...

    def media_many(self, keys: Collection[str]) -> dict[str, MediaAsset]: ...

    def profile(self) -> PublicationProfile: ...

    def link_checks(self, urls: Sequence[str]) -> dict[str, LinkCheck]: ...

    def newsroom_words(self) -> set[str]: ...

    def revision_reasons(self, uri: str) -> list[tuple[int, str]]: ...

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]: ...


@dataclass(frozen=True, slots=True)
class StoryProblems:
    """One story exported with open problems: how many of each kind, and the go-ahead."""

    uri: str
    slug: str
    headline: str
    kinds: tuple[str, ...]
    """What is wrong, in words: ``("no byline", "headline too long", "2 spelling mistakes")``."""
    went_ahead: str = ""
    """``'marked ready anyway: "REASON"'`` when the history records it; "" otherwise."""

    def describe(self) -> str:
        """``"Budget row" (budget-row): no byline, 2 spelling mistakes; marked ...``"""
        said = f"“{self.headline or '(no headline)'}” ({self.slug}): {', '.join(self.kinds)}"
        return f"{said}; {self.went_ahead}" if self.went_ahead else said


@dataclass(slots=True)
class OpenProblems:
    """What the checklist found in the stories an export handed off."""

    stories: list[StoryProblems] = field(default_factory=list)
    checked: int = 0
    spelling: bool = False
    """Whether spelling and house style were checked (a partial export)."""
    site: str = ""
    """The site-address warning while it is the placeholder, else ""."""
    notes: list[str] = field(default_factory=list)
    """Why a check did not run fully (a missing dictionary)."""

    def headline(self) -> str:
        """One sentence: how many of the stories handed off have open problems, and how
        many of those an editor let through anyway ("" when none has any)."""
        if not self.stories:
            return ""
        count, ahead = len(self.stories), sum(1 for s in self.stories if s.went_ahead)
        if count == self.checked:
            said = (
                "The story handed off has open problems"
                if count == 1
                else f"All {count} stories handed off have open problems"
            )
        else:
            said = (
                f"{count} of the {self.checked} stories handed off "
                f"{'has' if count == 1 else 'have'} open problems"
            )
        if not self.spelling:
            said += " (spelling and house style not checked)"
        if ahead:
            return f"{said}; an editor went ahead anyway with {ahead} of them"
        return f"{said}; none has a go-ahead in its history"

    def lines(self, limit: int | None = None) -> list[str]:
        """Each story, described; with ``limit``, the first ``limit`` and a count of more."""
        shown = self.stories if limit is None else self.stories[:limit]
        lines = [story.describe() for story in shown]
        if len(self.stories) > len(shown):
            lines.append(f"and {len(self.stories) - len(shown)} more")
        return lines


def after_export(
    source: ProblemSource,
    report: ExportReport,
    *,
    statuses: Iterable[Status],
    since: datetime | None = None,
    only: Collection[str] | None = None,
    checker_for: Callable[[str], ArticleChecker] | None = None,
    preloaded: CheckLoader | None = None,
) -> OpenProblems:
    """The checklist over the stories ``report``'s export handed off anew: those of
    ``only`` (a partial export), else those its hand-off manifest lists as added or updated
    (a story unchanged since the last export into the folder was checked by that one), less
    those left out or held back by embargo. Spelling and house style are checked for a
    partial export of at most ``SPELLING_UP_TO``. Without a readable manifest: every story
    of ``statuses`` saved since ``since``. ``preloaded`` is ``preload_checks``'s."""
    skipped = {p.uri for p in report.problems} | {p.uri for p in report.held}
    # Those chosen are read for their check anyway: the statuses are checked then, not
    # by listing the whole archive first.
    handed = list(dict.fromkeys(only)) if only is not None else _handed_off(report)
    if handed is None:
        query = ArticleQuery(statuses=frozenset(statuses), limit=EVERY_ARTICLE)
        saved = source.article_versions(query)
        handed = [uri for uri, _version, at in saved if since is None or at >= since]
    uris = [uri for uri in handed if uri not in skipped]
    spelling = only is not None and len(uris) <= SPELLING_UP_TO
    return check_exported(
        source,
        uris,
        spelling=spelling,
        checker_for=checker_for,
        statuses=statuses,
        preloaded=preloaded,
    )


def _handed_off(report: ExportReport) -> list[str] | None:
    """The uris of the stories the export added or updated, as its report carries them
    from the hand-off manifest it made (README, "For the web team"); [] when it changed
    nothing; else read from the manifest in the folder; None without one."""
    if not report.written and not report.deleted:
        return []  # the manifest left in the folder is an earlier export's
    if report.handed_off is not None:
        return list(report.handed_off)
    try:
        manifest = json.loads((report.out_dir / HANDOFF_JSON).read_bytes())
        changes = manifest["changes"]
        fresh = {str(key) for name in ("added", "updated") for key in changes[name]}
        return [str(s["uri"]) for s in manifest["stories"] if s["id"] in fresh]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_exported(
    source: ProblemSource,
    uris: Sequence[str],
    *,
    spelling: bool,
    limits: Limits | None = None,
    checker_for: Callable[[str], ArticleChecker] | None = None,
    statuses: Iterable[Status] | None = None,
    preloaded: CheckLoader | None = None,
) -> OpenProblems:
    """The checklist over the exported stories ``uris`` (spelling and house style only
    with ``spelling``); ``checker_for(language)`` gives the checker to use (by default
    Newsdesk's British news style, less its suggestions, and the newsroom dictionary, the
    one ``preloaded`` opened when it is that language's: it is let go when done); with
    ``statuses``, a story in another status is not counted (an export does not take it)."""
    profile = source.profile()
    limits = limits or Limits()
    wanted = None if statuses is None else frozenset(statuses)
    found = OpenProblems(checked=0, spelling=spelling)
    found.site = " ".join(p.message for p in site_problems(profile))
    loader = preloaded
    if spelling and checker_for is None:
        # Not opened before? Then now, on a worker: it loads while the stories are read
        # and the style is loaded here.
        loader = loader or CheckLoader(profile.language)
        checker_for = _default_checkers(source.newsroom_words(), loader)
    checkers: dict[str, ArticleChecker] = {}
    try:
        _check(source, uris, found, checkers, profile=profile, limits=limits, wanted=wanted,
               checker_for=checker_for if spelling else None)  # fmt: skip
    finally:
        if loader is not None:
            loader.release()
    found.notes = sorted({str(c.missing) for c in checkers.values() if c.missing})
    if len(found.stories) > LOOKED_UP:
        found.notes.append(
            f"the histories of the first {LOOKED_UP} stories listed were read for a go-ahead; "
            "newsdesk history SLUG shows any other's"
        )
    found.stories = [
        _with_go_ahead(source, story) if i < LOOKED_UP else story
        for i, story in enumerate(found.stories)
    ]
    return found


def _check(
    source: ProblemSource,
    uris: Sequence[str],
    found: OpenProblems,
    checkers: dict[str, ArticleChecker],
    *,
    profile: PublicationProfile,
    limits: Limits,
    wanted: frozenset[Status] | None,
    checker_for: Callable[[str], ArticleChecker] | None,
) -> None:
    """Each story of ``uris`` checked, counted in ``found`` and listed there if it has
    problems (spelling and style with ``checker_for``, one checker a language)."""
    for start in range(0, len(uris), CHUNK):
        articles = [
            article
            for article in source.read_many(uris[start : start + CHUNK])
            if wanted is None or article.status in wanted  # an export takes only these
        ]
        found.checked += len(articles)
        media = _media(source, articles)
        links = _links(source, articles)
        for article in articles:
            copy: list[Problem] = []
            if checker_for is not None:
                language = article.language or profile.language
                checker = checkers.get(language)
                if checker is None:
                    checker = checkers[language] = checker_for(language)
                copy = checker.check_article(article)
            problems = copy + readiness_problems(
                article, profile, media=media, spelling_and_style=copy, limits=limits,
                link_checks=links,
            )  # fmt: skip
            kinds = _kinds(problems)
            if kinds:
                found.stories.append(StoryProblems(article.uri, article.slug,
                                                   article.headline, kinds))  # fmt: skip


def _default_checkers(
    known: Collection[str], preloaded: CheckLoader | None = None
) -> Callable[[str], ArticleChecker]:
    from newsdesk.core.checks.checker import ArticleChecker
    from newsdesk.core.checks.house_style import default_style

    # The summary counts warnings and errors (``_kinds``, readiness's "problems left"):
    # suggestions would be found only to be left out.
    style = default_style().from_level("warning")

    def checker_for(language: str) -> ArticleChecker:
        dictionary = preloaded.dictionary(language) if preloaded is not None else None
        return ArticleChecker(language, style, known, dictionary)

    return checker_for


def _media(source: ProblemSource, articles: Sequence[Article]) -> dict[str, MediaAsset]:
    keys: set[str] = set()
    for a in articles:
        keys.update(article_keys(a.image.src if a.image else None,
                                 a.audio.src if a.audio else None, a.body))  # fmt: skip
    return source.media_many(keys) if keys else {}


def _links(source: ProblemSource, articles: Sequence[Article]) -> dict[str, LinkCheck]:
    urls = sorted({link.url for a in articles for link in a.related if link.url})
    return source.link_checks(urls) if urls else {}


def _kinds(problems: Sequence[Problem]) -> tuple[str, ...]:
    """What is wrong, in words: missing fields first, then lengths, then counted kinds
    (suggestions, and the publication's own problem, left out)."""
    missing = [f"no {p.field}" for p in problems if p.rule == "ready.required"]
    said: list[str] = []
    counted: Counter[str] = Counter()
    for problem in problems:
        if problem.severity == "suggestion" or problem.rule in _SKIPPED_RULES:
            continue
        if problem.rule in _SAID:
            said.append(_SAID[problem.rule])
        elif problem.rule in _COUNTED:
            counted[problem.rule] += 1
        elif problem.kind.value in _COUNTED:
            counted[problem.kind.value] += 1
        elif problem.rule != "ready.required":
            counted[problem.rule] += 1  # a rule this summary has no words for yet
    numbered = [
        f"{n} {_COUNTED[key][0 if n == 1 else 1] if key in _COUNTED else key}"
        for key, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    ]
    return tuple([*missing, *dict.fromkeys(said), *numbered])


def _with_go_ahead(source: ProblemSource, story: StoryProblems) -> StoryProblems:
    """``story`` with the newest go-ahead its history records, if any."""
    # The reasons alone: each snapshot parsed was 10-50 ms for a story edited for a while.
    for _, why in sorted(source.revision_reasons(story.uri), key=lambda r: -r[0]):
        match = _GO_AHEAD.fullmatch(why)
        if match:
            reason = match["reason"].strip()
            said = f"marked {match['status']} anyway" + (f": “{reason}”" if reason else "")
            return StoryProblems(story.uri, story.slug, story.headline, story.kinds, said)
    return story
