"""Incremental export gives the very bytes of a full export, whatever was edited between."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta
from pathlib import Path

from newsdesk.core.errors import NotFoundError
from newsdesk.core.models import Article, Media, RelatedLink, Status
from newsdesk.publish.exporting.export import export
from newsdesk.store import SqlStore

from .samples import BASE

NOW = BASE + timedelta(days=30)
ROUNDS = 18
STATUSES = [Status.PUBLISHED] * 4 + [Status.READY, Status.SCHEDULED, Status.DRAFT]
SECTIONS = ["World", "UK News", "Business"]
WORDS = "harbour council review river ferry strike budget school court tide".split()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes (state file and bundle included)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in HANDOFF_FILES
    }


# The hand-off manifest tells what changed since the previous export and when: an
# incremental export's differs from a fresh one's (tests/publish/test_handoff_manifest.py).
HANDOFF_FILES = {"handoff.json", "HANDOFF.md"}


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _new_article(rng: random.Random, number: int) -> Article:
    when = BASE + timedelta(hours=rng.randrange(600))
    return Article(
        headline=f"{_text(rng, 5)} {number}",
        status=rng.choice(STATUSES),
        section=rng.choice(SECTIONS),
        standfirst=_text(rng, 12),
        byline="Dan Ruiz",
        tags=(rng.choice(WORDS),),
        body="\n\n".join(_text(rng, 20) for _ in range(rng.randint(1, 4))),
        created_at=when,
        updated_at=when,
        display_date=when,
    )


def _edit(rng: random.Random, store: SqlStore, article: Article, uris: list[str]) -> None:
    kind = rng.choice(
        ["headline", "body", "status", "links", "date", "embargo", "image", "same", "delete"]
    )
    if kind == "delete":
        store.delete(article.uri)
        return
    changes: dict[str, object] = {}
    if kind == "headline":
        changes["headline"] = f"{_text(rng, 4)} {rng.randrange(10_000)}"
    elif kind == "body":
        changes["body"] = article.body + "\n\n" + _text(rng, 15)
    elif kind == "status":
        changes["status"] = rng.choice([*STATUSES, Status.WITHDRAWN])
    elif kind == "links":
        targets = rng.sample(uris, k=min(len(uris), rng.randint(0, 3)))
        links = [RelatedLink(title=_text(rng, 2), target_uri=t) for t in targets]
        if rng.random() < 0.3:
            links.append(RelatedLink(title="Elsewhere", url="https://example.org/x"))
        changes["related"] = tuple(links)
    elif kind == "date":
        changes["display_date"] = BASE + timedelta(hours=rng.randrange(900))
    elif kind == "embargo":
        changes["embargo_until"] = rng.choice(
            [None, NOW - timedelta(days=1), NOW + timedelta(hours=rng.randrange(6, 90))]
        )
    elif kind == "image":
        changes["image"] = Media(src=f"https://example.com/{rng.randrange(9)}.jpg", alt="A")
    store.save(dataclasses.replace(article, **changes))  # type: ignore[arg-type]


def test_random_edits_then_incremental_export_equal_a_full_export(
    store: SqlStore, tmp_path: Path
) -> None:
    rng = random.Random(20261126)
    made = store.create_many([_new_article(rng, n) for n in range(30)])
    assert made == 30
    uris = [a.uri for a in store.iter_articles()]
    out = tmp_path / "out"
    for number in range(ROUNDS):
        live = [a.uri for a in store.iter_articles()]
        for uri in rng.sample(live, k=rng.randint(1, 4)):
            try:
                article = store.get(uri)
            except NotFoundError:
                continue
            _edit(rng, store, article, uris)
        if rng.random() < 0.3:
            store.create(_new_article(rng, 100 + number))
            uris = [a.uri for a in store.iter_articles()]
        if number == ROUNDS // 2:  # new settings: every file is made again
            store.save_profile(dataclasses.replace(store.profile(), related_cap=2))
        if number % 5 == 4 and (out / "site").is_dir():  # a file lost by hand
            pages = sorted((out / "site").rglob("*.html"))
            rng.choice(pages).unlink()
        now = NOW + timedelta(hours=6 * number)  # embargoes run out as rounds go by
        incremental = export(store, out, now=now, workers=1)
        fresh = tmp_path / f"fresh-{number}"
        full = export(store, fresh, now=now, workers=1)
        assert incremental.problems == full.problems == []
        assert snapshot(out) == snapshot(fresh), f"round {number}"
    assert incremental.rendered < full.rendered  # it did work incrementally
