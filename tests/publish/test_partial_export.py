"""A partial export into a folder holding the full export gives the very bytes of a full one.

Only the chosen stories are edited between exports (the others' files stay as they were
exported, by design): the folder after ``export(only=...)`` must then be, file by file, the
folder a full export of the same store makes, listing pages, sitemap, feed, 404 page and
record included; the hand-off manifest differs only in its head (partial, chosen, the
change list), its story lines are the same.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from newsdesk.core.models import Article, RelatedLink, Status
from newsdesk.publish.exporting.export import export
from newsdesk.publish.formats.site import SiteEntry, sitemap_files
from newsdesk.publish.views import Teaser
from newsdesk.store import SqlStore

from .samples import BASE, PROFILE

NOW = BASE + timedelta(days=40)
ROUNDS = 7
SECTIONS = ["World", "Business"]  # about 35 stories each: two listing pages per section
WORDS = "harbour council review river ferry strike budget school court tide".split()
HANDOFF_FILES = {"handoff.json", "HANDOFF.md"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes, the record included."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in HANDOFF_FILES
    }


def manifest_body(folder: Path) -> bytes:
    """``handoff.json`` below its head: each story's line and the other files."""
    data = (folder / "handoff.json").read_bytes()
    return data[data.index(b"\n") + 1 :]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _article(rng: random.Random, number: int) -> Article:
    when = BASE + timedelta(hours=rng.randrange(900))
    return Article(
        headline=f"{_text(rng, 5)} {number}",
        status=Status.PUBLISHED,
        section=SECTIONS[number % len(SECTIONS)],
        standfirst=_text(rng, 12),
        byline="Dan Ruiz",
        body="\n\n".join(_text(rng, 20) for _ in range(rng.randint(1, 3))),
        created_at=when,
        updated_at=when,
        display_date=when,
    )


def _edited(rng: random.Random, article: Article, targets: list[str]) -> Article:
    """``article`` changed as the desk might: words, date (its place in the listings),
    section (its address), status, embargo, or links to stories never chosen (a chosen
    story's change must not show on another story's page)."""
    kind = rng.choice(
        ["headline", "standfirst", "body", "date", "section", "status", "embargo", "links"]
    )
    changes: dict[str, object] = {}
    if kind == "headline":
        changes["headline"] = f"{_text(rng, 4)} {rng.randrange(10_000)}"
    elif kind == "standfirst":
        changes["standfirst"] = _text(rng, 10)
    elif kind == "body":
        changes["body"] = article.body + "\n\n" + _text(rng, 15)
    elif kind == "date":  # newest of all (the home page and the year) or back in the pages
        changes["display_date"] = rng.choice(
            [NOW - timedelta(hours=1), BASE + timedelta(hours=rng.randrange(900))]
        )
    elif kind == "section":
        changes["section"] = rng.choice(["World", "Business", "Science"])
    elif kind == "status":
        changes["status"] = rng.choice([Status.PUBLISHED, Status.READY, Status.WITHDRAWN])
    elif kind == "embargo":
        changes["embargo_until"] = rng.choice([None, NOW + timedelta(hours=5)])
    else:
        links = [RelatedLink(title=_text(rng, 2), target_uri=t) for t in rng.sample(targets, 2)]
        changes["related"] = tuple(links)
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def test_a_partial_export_after_edits_equals_a_full_export(store: SqlStore, tmp_path: Path) -> None:
    rng = random.Random(20261202)
    store.create_many([_article(rng, n) for n in range(70)])
    uris = sorted(a.uri for a in store.iter_articles())
    choosable, others = uris[:20], uris[20:]
    out = tmp_path / "out"
    export(store, out, now=NOW, workers=1)
    for number in range(ROUNDS):
        chosen = rng.sample(choosable, k=rng.randint(1, 3))
        for uri in chosen:
            store.save(_edited(rng, store.get(uri), others))
        if number == 3:  # a new story, handed off on its own
            new = store.create(_article(rng, 100 + number))
            chosen.append(new.uri)
            choosable.append(new.uri)
        report = export(store, out, only=chosen, now=NOW, workers=1)
        fresh = tmp_path / f"fresh-{number}"
        full = export(store, fresh, now=NOW, workers=1)
        assert report.problems == full.problems == []
        assert report.rendered < full.rendered  # the others were not rendered again
        assert snapshot(out) == snapshot(fresh), f"round {number}"
        assert manifest_body(out) == manifest_body(fresh), f"round {number}"


def _entry(number: int, modified: str) -> SiteEntry:
    path = f"world/story-{number}/"
    teaser = Teaser(f"urn:{number}", "H", "", "", "", "World", "world", path, "", "", (0.0, ""))
    fields = [*dataclasses.astuple(teaser)[:10], -float(number), f"urn:{number}"]
    return SiteEntry.of_fields(fields, modified, "digest")


def test_the_sitemap_reads_each_last_change_as_the_moment_it_is() -> None:
    """The sitemap takes a story's last change from the record's text where it is in UTC
    (the usual case), else from the moment: the same ``lastmod`` either way, and the
    listing pages' is the latest change, whatever the text's offset or fraction."""
    moments = [
        datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 0, 0, 500_000, tzinfo=UTC),  # a fraction: later
        datetime(2026, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))),  # 09:30 UTC
    ]
    entries = [_entry(n, m.isoformat()) for n, m in enumerate(moments)]
    [(name, data)] = sitemap_files(entries, ["index.html"], PROFILE)
    text = data.decode()
    assert name == "sitemap.xml"
    assert "<loc>https://example.com/</loc><lastmod>2026-03-01T09:30:00Z</lastmod>" in text
    assert "story-0/</loc><lastmod>2026-03-01T09:00:00Z</lastmod>" in text
    assert "story-1/</loc><lastmod>2026-03-01T09:00:00Z</lastmod>" in text
    assert "story-2/</loc><lastmod>2026-03-01T09:30:00Z</lastmod>" in text
    utc_only = sitemap_files(entries[:2], ["index.html"], PROFILE)[0][1].decode()
    assert "<loc>https://example.com/</loc><lastmod>2026-03-01T09:00:00Z</lastmod>" in utc_only
