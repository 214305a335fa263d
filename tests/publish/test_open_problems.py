"""The export summary's cheap check (the house style's suggestions not run, its patterns
compiled as each rule first runs, the dictionary opened before the export) says exactly what
the whole checklist says: the window's checker, every rule compiled and run on every text."""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections.abc import Callable, Collection
from pathlib import Path

import pytest

from newsdesk.core.checks.checker import ArticleChecker
from newsdesk.core.checks.house_style import Style, load_style
from newsdesk.core.models import Article, Media, PublicationProfile, Status
from newsdesk.publish.handoff.open_problems import CheckLoader, check_exported, preload_checks
from newsdesk.store import open_store

STANDFIRST = (
    "The council voted on Tuesday night to approve a budget that protects libraries and "
    "raises parking charges."
)


def story(slug: str, **changes: object) -> Article:
    fields: dict[str, object] = {
        "headline": "Council approves the budget",
        "byline": "Helen Park",
        "section": "News",
        "standfirst": STANDFIRST,
        "body": "The council approved the budget on Tuesday.",
        **changes,
    }
    return Article(status=Status.PUBLISHED, slug=slug, **fields)  # type: ignore[arg-type]


STORIES = [
    story("clean"),
    # Spelling, and a warning of nearly every rule the summary counts.
    story(
        "warnings",
        headline="Officials organized the libary vote",
        body=(
            "Officials organized a 5% rise worth £5 million on the 1st December. The U.K. "
            "and NATO advisors had gotten there whilst it was late, the the end.\n\n"
            "The judgement came; then the judgment went. 12 people came by math."
        ),
    ),
    # Only suggestions (figures below ten, a cliché, a relative day, a long sentence, a
    # heading's case): the summary counts none of them.
    story(
        "suggestions",
        body="## A Heading In Title Case\n\nOnly 4 people came today: it was iconic. "
        + " ".join(["harbour", "council"] * 23)
        + ".",
    ),
    # Spelling only, in a caption and the alt text too; one word the newsroom added.
    story(
        "spelling",
        body="The councel met Zorblax on Tuesday.",
        image=Media(
            src="https://example.org/a.jpg", alt="A harbur view", caption="Teh", credit="AP"
        ),
    ),
    # Another language than the publication's: opens its own dictionary.
    story("american", language="en-US", body="The colour of the harbour changed.", byline=""),
    # A language without a dictionary here: its spelling is off, and a note says so.
    story("klingon", language="tlh", body="The council met in the harbour."),
    # A rule the summary counts and nothing else wrong.
    story("per-cent", body="Prices rose by 5% in a year."),
]


def the_whole_checklist(known: Collection[str]) -> Callable[[str], ArticleChecker]:
    """Every rule of the shipped style, compiled as it loads and run on every text (no
    words looked for first), with every level."""
    from newsdesk.resources import as_file, resource

    with as_file(resource("styles", "NewsdeskBritish")) as folder:
        style = load_style(Path(folder))
    style = Style(style.name, tuple(dataclasses.replace(r, needs=None) for r in style.rules))
    return lambda language: ArticleChecker(language, style, known)


@pytest.fixture
def newsroom(tmp_path: Path) -> list[str]:
    store = open_store(str(tmp_path / "newsroom.db"))
    store.save_profile(PublicationProfile(base_url="https://news.example.org/"))
    store.add_newsroom_word("Zorblax")
    uris = [store.create(article).uri for article in STORIES]
    store.close()
    return uris


def test_the_summary_says_what_the_whole_checklist_finds(
    newsroom: list[str], tmp_path: Path
) -> None:
    store = open_store(str(tmp_path / "newsroom.db"))
    try:
        whole = check_exported(store, newsroom, spelling=True,
                               checker_for=the_whole_checklist(store.newsroom_words()))  # fmt: skip
        loader = preload_checks(store, newsroom)
        assert isinstance(loader, CheckLoader) and loader.language == "en-GB"
        cheap = check_exported(store, newsroom, spelling=True, preloaded=loader)
        without_preload = check_exported(store, newsroom, spelling=True)
    finally:
        store.close()
    assert cheap == whole
    assert len(whole.notes) == 1 and "no tlh Hunspell dictionary" in whole.notes[0]
    # The summary's check skips these stories' suggestions: the whole checklist finds some.
    found = the_whole_checklist(())("en-GB").check_article(STORIES[2])
    assert {p.rule.split(".")[-1] for p in found} == {
        "HeadlineCase", "NumbersBelowTen", "RelativeDays", "Cliches", "SentenceLength"
    }  # fmt: skip
    assert {p.severity for p in found} == {"suggestion"}
    assert without_preload == whole
    said = {s.slug: s.kinds for s in whole.stories}
    assert said == {
        "warnings": ("14 house-style problems", "2 spelling mistakes"),
        "spelling": ("3 spelling mistakes",),
        "american": ("no byline", "2 spelling mistakes"),  # colour, harbour
        "per-cent": ("1 house-style problem",),
    }


def test_no_dictionary_is_opened_for_a_summary_without_spelling(newsroom: list[str]) -> None:
    assert preload_checks(_NoStore(), None) is None  # a full export: no spelling
    assert preload_checks(_NoStore(), ["a"] * 501) is None  # too many to check
    loader = preload_checks(_ProfileOnly(), newsroom[:1])
    assert loader is not None and loader.dictionary("en-GB") is not None
    assert loader.dictionary("en-US") is None  # another language opens its own
    loader.release()
    missing = CheckLoader("tlh")  # fails on its worker: the checker opens it and says why
    assert missing.dictionary("tlh") is None
    missing.release()


class _NoStore:
    def profile(self) -> PublicationProfile:
        raise AssertionError("the store is not read when nothing will be spelt")


class _ProfileOnly:
    def profile(self) -> PublicationProfile:
        return PublicationProfile()


def test_the_dictionary_is_let_go_off_the_calling_thread(
    newsroom: list[str], tmp_path: Path
) -> None:
    """Hunspell takes 15-50 ms to free its tables: a worker does it, not the command."""
    store = open_store(str(tmp_path / "newsroom.db"))
    loader = CheckLoader("en-GB")
    dictionary = loader.dictionary("en-GB")
    freed_on: list[str] = []  # Enchant's own object: freeing it frees Hunspell's tables
    handle = dictionary._handle  # type: ignore[union-attr]
    weakref.finalize(handle, lambda: freed_on.append(threading.current_thread().name))
    del dictionary, handle
    try:
        check_exported(store, newsroom, spelling=True, preloaded=loader)
    finally:
        store.close()
    for thread in threading.enumerate():
        if thread.name == "newsdesk-dictionary-free":
            thread.join()
    assert freed_on == ["newsdesk-dictionary-free"]
