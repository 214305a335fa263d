"""``newsdesk related ...`` as a journalist or a web team scripts it: the list, its changes,
the refusals, health checks against a local site, and the order reaching every export."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

from newsdesk.core.models import Article, RelatedLink, RelationKind, Status
from newsdesk.store import open_store

from .helpers import run


@dataclass
class Newsroom:
    """A small archive written for these tests: one story and the pieces around it."""

    db: str
    main: Article
    ouse: Article
    barrier: Article
    rain: Article
    withdrawn: Article
    draft: Article
    football: Article
    deleted_uri: str

    def store(self) -> Any:
        return open_store(self.db)

    def article(self, slug: str = "") -> Article:
        store = self.store()
        try:
            return store.get_by_slug(slug or self.main.slug)
        finally:
            store.close()

    def revisions(self) -> list[str]:
        store = self.store()
        try:
            return [r.reason for r in store.revisions(self.main.uri)]
        finally:
            store.close()


REPORT = "https://www.environment.example/reports/york-flood-2026"
BODIES = {"Sport": "The squad celebrated promotion with the fans after the final whistle."}
LEADS = {  # each York story's own opening, as a reporter would write it
    "River Ouse floods York": "The River Ouse burst its banks and flooded homes in York.",
    "Foss barrier upgrade finished a year late": "The Foss barrier works ended a year behind "
    "schedule.",
    "Record rainfall recorded across Yorkshire": "Gauges across Yorkshire had their wettest "
    "month on record.",
    "Flood warden resigns over inquiry": "A volunteer warden stood down after criticism.",
    "Insurers count the cost of York floods": "Claims from the floods will pass £20m.",
    "Pumping station failed, engineers say": "A pump at the Foss station broke down.",
    "Council opens inquiry into York flood response": "Councillors will examine how the "
    "city prepared for the floods.",
}
FILLERS = [
    ("Chancellor signals tax rise in autumn budget", "Business"),
    ("Chip maker shares tumble on weak outlook", "Business"),
    ("Museum returns bronzes to Benin", "Culture"),
    ("Opera house names new artistic director", "Culture"),
    ("Tennis star withdraws from open with injury", "Sport"),
    ("Rail fares to rise by five per cent", "Business"),
    ("Novelist wins prize for debut about migration", "Culture"),
    ("Cricket board confirms winter tour schedule", "Sport"),
]


def make_newsroom(db: str, *, related_cap: int = 6) -> Newsroom:
    store = open_store(db)

    def add(headline: str, status: Status = Status.PUBLISHED, section: str = "UK") -> Article:
        return store.create(
            Article(
                headline=headline,
                status=status,
                section=section,
                tags=("flooding", "york") if section == "UK" else (section.lower(),),
                body=f"{LEADS.get(headline, headline)} {BODIES.get(section, '')}",
            )
        )

    for headline, section in FILLERS:
        add(headline, section=section)

    ouse = add("River Ouse floods York")
    barrier = add("Foss barrier upgrade finished a year late")
    rain = add("Record rainfall recorded across Yorkshire")
    withdrawn = add("Flood warden resigns over inquiry", Status.WITHDRAWN)
    draft = add("Insurers count the cost of York floods", Status.DRAFT)
    football = add("City clinch promotion on final day", section="Sport")
    gone = add("Pumping station failed, engineers say")
    store.delete(gone.uri)
    main = add("Council opens inquiry into York flood response")
    main = store.save(
        main.edited(
            related=(
                RelatedLink(ouse.headline, target_uri=ouse.uri),
                RelatedLink(barrier.headline, target_uri=barrier.uri),
                RelatedLink("Environment report", url=REPORT, relation=RelationKind.BACKGROUND),
            )
        )
    )
    store.save_profile(dataclasses.replace(store.profile(), related_cap=related_cap))
    store.close()
    return Newsroom(db, main, ouse, barrier, rain, withdrawn, draft, football, gone.uri)


@pytest.fixture
def newsroom(store_url: str) -> Newsroom:
    return make_newsroom(store_url)


def targets(article: Article) -> list[str]:
    return [link.target_uri or link.url or "" for link in article.related]


def test_list_shows_order_relation_pin_target_health_and_the_cap(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    links = (
        *main.related,
        RelatedLink(newsroom.withdrawn.headline, target_uri=newsroom.withdrawn.uri),
        RelatedLink("Pumping station failed", target_uri=newsroom.deleted_uri),
        RelatedLink(newsroom.rain.headline, target_uri=newsroom.rain.uri, pinned=True),
    )
    store.save(main.edited(related=links))
    store.save_profile(dataclasses.replace(store.profile(), related_cap=2))
    store.close()
    code, out, err = run(capsys, "--db", newsroom.db, "related", "list", newsroom.main.slug)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("#1 ") and "“River Ouse floods York”" in lines[0]
    assert f"→ {newsroom.ouse.slug}" in lines[0] and "[ok]" in lines[0]
    assert "over the cap" not in lines[0]
    assert "over the cap of 2: not shown" in lines[1]  # the pinned #6 comes first on the page
    assert "background" in lines[2] and f"→ {REPORT}" in lines[2] and "[not checked]" in lines[2]
    assert "[withdrawn" in lines[3] and "not on the page" in lines[3]
    assert "[deleted from the archive: remove it]" in lines[4]
    assert "pinned" in lines[5] and "over the cap" not in lines[5]
    assert lines[-1] == "The page shows 2 of 6 (the publication's cap is 2). Over the cap: #2, #3."

    code, out, _ = run(capsys, "--db", newsroom.db, "related", "list", newsroom.main.slug, "--json")
    rows = json.loads(out)
    assert code == 0 and [r["position"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0] == {
        "position": 1,
        "relation": "related",
        "pinned": False,
        "title": "River Ouse floods York",
        "target_uri": newsroom.ouse.uri,
        "target_slug": newsroom.ouse.slug,
        "url": None,
        "health": "ok",
        "health_message": "",
        "problem": False,
        "checked_at": None,
        "status_code": None,
        "final_url": None,
        "on_page": True,
        "over_cap": False,
        "page_rank": 2,
        "left_out": None,
    }
    assert [(r["on_page"], r["over_cap"], r["health"]) for r in rows] == [
        (True, False, "ok"),
        (False, True, "ok"),
        (False, True, "not checked"),
        (False, False, "withdrawn"),
        (False, False, "deleted"),
        (True, False, "ok"),
    ]
    assert rows[2]["url"] == REPORT and rows[2]["relation"] == "background"
    assert rows[3]["problem"] and rows[3]["left_out"] == "withdrawn"


def test_add_by_slug_and_by_url_keeps_order_and_records_a_revision(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    slug = newsroom.main.slug
    before = newsroom.revisions()
    code, out, err = run(
        capsys, "--db", newsroom.db, "related", "add", slug, newsroom.rain.slug,
        "--relation", "follow-up", "--at", "2", "--pin",
    )  # fmt: skip
    assert code == 0, err
    assert out == f"Added #2 “{newsroom.rain.headline}” (follow-up) to {slug}.\n"
    code, out, err = run(
        capsys, "--db", newsroom.db, "related", "add", slug,
        "HTTPS://News.Example.NET:443/york/flood-map/?utm_source=twitter&id=4#map",
        "--title", "  Flood   map ",
    )  # fmt: skip
    assert code == 0, err
    article = newsroom.article()
    assert targets(article) == [
        newsroom.ouse.uri,
        newsroom.rain.uri,
        newsroom.barrier.uri,
        REPORT,
        "https://news.example.net/york/flood-map?id=4",
    ]
    rain, flood_map = article.related[1], article.related[4]
    assert rain.pinned and rain.relation == RelationKind.FOLLOW_UP
    assert flood_map.title == "Flood map" and not flood_map.pinned
    assert newsroom.revisions() == [*before, "related links", "related links"]
    # An address of the publication's own site is the article it shows.
    code, _, err = run(
        capsys, "--db", newsroom.db, "related", "add", slug,
        f"https://example.com/sport/{newsroom.football.slug}/",
    )  # fmt: skip
    assert code == 0, err
    assert newsroom.article().related[-1].target_uri == newsroom.football.uri


@pytest.mark.parametrize(
    ("entry", "title", "message"),
    [
        ("river-ouse-floods-york", "", "already in the list as #1 “River Ouse floods York” "
         "(same article)"),
        ("http://environment.example/reports/york-flood-2026/?utm_campaign=x", "",
         "already in the list as #3 “Environment report” (same address)"),
        ("https://other.example.com/news/1", "York flooded as River Ouse bursts its banks",
         "“York flooded as River Ouse bursts its banks” is already in the list as #1 “River "
         "Ouse floods York” (same story); nothing was added"),
        ("javascript:alert(document.cookie)", "", "'javascript:' links are not allowed"),
        ("ftp://files.example.com/report.pdf", "", "'ftp:' links are not allowed"),
        ("https://editor:secret@cms.example.com/a", "", "user name or password"),
        ("https://example.com/a\u202egpj", "", "control characters"),
        ("no-such-story", "", "no article has the slug 'no-such-story'"),
        ("flood-warden-resigns-over-inquiry", "", "is withdrawn: the page leaves it out"),
        ("council-opens-inquiry-into-york-flood-response", "", "cannot be related to itself"),
    ],
)  # fmt: skip
def test_duplicates_and_bad_entries_are_refused_and_nothing_changes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, entry: str, title: str, message: str
) -> None:
    newsroom = make_newsroom(str(tmp_path / "n.db"))
    before, revisions = newsroom.article(), newsroom.revisions()
    argv = ["--db", newsroom.db, "related", "add", newsroom.main.slug, entry]
    code, out, err = run(capsys, *argv, *(["--title", title] if title else []))
    assert code == 1 and out == ""
    assert err.startswith("newsdesk: error: ") and message in err
    after = newsroom.article()
    assert after == before and newsroom.revisions() == revisions


def test_usage_errors_change_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    newsroom = make_newsroom(str(tmp_path / "n.db"))
    slug = newsroom.main.slug
    before = newsroom.article()
    cases = [
        (["add", slug, newsroom.rain.slug, "--at", "9"], "--at 9 is past the end"),
        (["add", "nobody", newsroom.rain.slug], "no article has the slug 'nobody'"),
        (["remove", slug, "7"], "there is no #7: the list has 3 entries"),
        (["remove", slug, newsroom.rain.slug], "is not in the list"),
        (["remove", slug, "https://elsewhere.example/x"], "is not in the list"),
        (["move", slug, "4", "1"], "FROM is #4 but the list has 3 entries"),
        (["move", slug, "1", "5"], "TO is #5 but the list has 3 entries"),
    ]
    for argv, message in cases:
        code, _, err = run(capsys, "--db", newsroom.db, "related", *argv)
        assert code == 1 and message in err, (argv, err)
    code, _, err = run(capsys, "--db", newsroom.db, "related", "add", slug, "x", "--relation", "y")
    assert code == 2 and "use one of: related, background, follow-up" in err
    code, _, err = run(capsys, "--db", newsroom.db, "related")
    assert code == 2
    assert newsroom.article() == before


def test_going_past_the_cap_warns_but_adds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    newsroom = make_newsroom(str(tmp_path / "n.db"), related_cap=3)
    slug = newsroom.main.slug
    code, out, err = run(capsys, "--db", newsroom.db, "related", "add", slug, newsroom.rain.slug)
    assert code == 0 and out.startswith("Added #4")
    assert "warning: #4 is past the publication's cap of 3 related links" in err
    code, _, err = run(
        capsys, "--db", newsroom.db, "related", "add", slug, newsroom.football.slug, "--pin"
    )
    assert code == 0
    assert "so #3 “Environment report”, #4 “Record rainfall recorded across Yorkshire” are " in err
    assert len(newsroom.article().related) == 5
    # A draft target is accepted with a note: the page shows it once it is published.
    code, _, err = run(capsys, "--db", newsroom.db, "related", "add", slug, newsroom.draft.slug)
    assert code == 0 and "note: “Insurers count the cost of York floods” is draft" in err


def test_remove_by_position_address_or_slug_and_move(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    slug = newsroom.main.slug
    run(capsys, "--db", newsroom.db, "related", "add", slug, newsroom.rain.slug)
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "move", slug, "4", "1")
    assert code == 0
    assert out == f"Moved “{newsroom.rain.headline}” from #4 to #1 in {slug}.\n"
    assert targets(newsroom.article()) == [
        newsroom.rain.uri, newsroom.ouse.uri, newsroom.barrier.uri, REPORT,
    ]  # fmt: skip
    code, out, _ = run(
        capsys, "--db", newsroom.db, "related", "remove", slug, "http://environment.example/"
        "reports/york-flood-2026/",
    )  # fmt: skip
    assert code == 0 and out == f"Removed #4 “Environment report” from {slug}.\n"
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "remove", slug, newsroom.ouse.slug)
    assert code == 0 and out.startswith("Removed #2 “River Ouse floods York”")
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "remove", slug, "1")
    assert code == 0 and out.startswith("Removed #1 “Record rainfall")
    assert targets(newsroom.article()) == [newsroom.barrier.uri]
    assert newsroom.revisions().count("related links") == 5


def test_suggest_ranks_the_archive_and_leaves_out_what_is_linked(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    code, out, err = run(
        capsys, "--db", newsroom.db, "related", "suggest", newsroom.main.slug, "--json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert rows, "the archive has on-topic pieces to suggest"
    for row in rows:
        assert {"slug", "headline", "score", "why"} <= set(row)
        assert isinstance(row["score"], float) and isinstance(row["why"], list)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    slugs = [row["slug"] for row in rows]
    linked = {newsroom.ouse.slug, newsroom.barrier.slug, newsroom.main.slug}
    assert not linked & set(slugs)
    assert newsroom.withdrawn.slug not in slugs
    on_topic = {newsroom.rain.slug, newsroom.draft.slug}
    assert on_topic <= set(slugs[:2])  # on topic, not yet linked: above everything else
    code, out, _ = run(
        capsys, "--db", newsroom.db, "related", "suggest", newsroom.main.slug, "--limit", "1"
    )
    assert code == 0 and out.splitlines()[0].split()[1] == slugs[0]
    assert len(out.splitlines()) == 2  # one suggestion, then how to add it


def test_check_flags_targets_checks_pages_and_keeps_the_results(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom, link_site: Any, refused_url: str
) -> None:
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    links = (
        RelatedLink("Live page", url=link_site.url("/ok")),
        RelatedLink("Gone page", url=link_site.url("/gone")),
        RelatedLink("Moved page", url=link_site.url("/moved")),
        RelatedLink("Dead host", url=refused_url),
        RelatedLink(newsroom.withdrawn.headline, target_uri=newsroom.withdrawn.uri),
        RelatedLink(newsroom.ouse.headline, target_uri=newsroom.ouse.uri),
    )
    store.save(main.edited(related=links))
    store.close()
    code, out, err = run(
        capsys, "--db", newsroom.db, "related", "check", newsroom.main.slug, "--timeout", "3"
    )
    assert code == 1, err  # something needs attention: a script can tell
    lines = out.splitlines()
    assert "[ok, checked 20" in lines[0]
    assert "[broken: HTTP 404 Not Found, checked 20" in lines[1]
    assert f"[redirected: moved to {link_site.url('/ok')}, checked " in lines[2]
    assert "[unreachable: the site refused the connection, checked " in lines[3]
    assert "[withdrawn: the page leaves it out; remove it]" in lines[4]
    assert "[ok]" in lines[5]
    assert lines[6].startswith("6 links (2 ok, 1 redirected, 1 broken, 1 unreachable, 1 withdrawn)")
    assert lines[7].startswith("4 need attention: fix or remove them")
    store = newsroom.store()
    kept = store.link_checks([link.url for link in links if link.url])
    store.close()
    assert {url: c.state.value for url, c in kept.items()} == {
        link_site.url("/ok"): "ok",
        link_site.url("/gone"): "broken",
        link_site.url("/moved"): "redirected",
        refused_url: "unreachable",
    }
    # The list shows the kept results with their time, without checking again.
    requests = len(link_site.requests)
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "list", newsroom.main.slug)
    assert "[broken: HTTP 404 Not Found, checked 20" in out.splitlines()[1]
    # The whole archive: only what needs attention, named by article.
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "check", "--no-network")
    assert len(link_site.requests) == requests
    assert out.splitlines()[0] == f"{newsroom.main.slug}:"
    assert "#2 “Gone page”" in out and "#1 “Live page”" not in out
    assert out.splitlines()[-2].endswith("in 1 article(s).")


def test_offline_pages_are_not_checked_and_keep_their_last_result(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom, link_site: Any, refused_url: str
) -> None:
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    gone = link_site.url("/gone")
    store.save(main.edited(related=(RelatedLink("Gone page", url=gone),)))
    store.close()
    assert run(capsys, "--db", newsroom.db, "related", "check", newsroom.main.slug)[0] == 1
    link_site.close()  # the network goes away: nothing answers any more
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    store.save(main.edited(related=(*main.related, RelatedLink("Dead", url=refused_url))))
    store.close()
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "check", newsroom.main.slug)
    lines = out.splitlines()
    assert code == 1  # the last real result still needs attention
    assert "[broken: HTTP 404 Not Found, checked 20" in lines[0]  # the last real result
    assert "[not checked: no site answered" in lines[1] and "unreachable" not in lines[1]
    assert lines[-2].startswith("Offline: no site answered")
    assert lines[-1].startswith("1 needs attention")
    store = newsroom.store()
    assert set(store.link_checks([gone, refused_url])) == {gone}
    store.close()


def test_dedupe_merges_in_place_and_dry_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    links = (
        RelatedLink("York flooded as River Ouse bursts its banks", url="https://a.example/ouse"),
        *main.related,
        RelatedLink("Report (copy)", url="http://environment.example/reports/york-flood-2026/"),
        RelatedLink(newsroom.rain.headline, target_uri=newsroom.rain.uri, pinned=True),
        RelatedLink("Barrier again", target_uri=newsroom.barrier.uri),
    )
    store.save(main.edited(related=links))
    other = store.get(newsroom.rain.uri)
    store.save(
        other.edited(
            related=(
                RelatedLink(newsroom.ouse.headline, target_uri=newsroom.ouse.uri),
                RelatedLink("River Ouse floods York!", url="https://b.example/x"),
            )
        )
    )
    store.close()
    before = newsroom.article()
    code, out, _ = run(
        capsys, "--db", newsroom.db, "related", "dedupe", newsroom.main.slug, "--dry-run"
    )
    assert code == 0 and "dry run: nothing was changed" in out
    assert newsroom.article() == before
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "dedupe", newsroom.main.slug)
    assert code == 0
    assert out.splitlines() == [
        f"{newsroom.main.slug}: #2 “River Ouse floods York” merged into #1 “York flooded as "
        "River Ouse bursts its banks” (same story)",
        f"{newsroom.main.slug}: #5 “Report (copy)” merged into #4 “Environment report” "
        "(same address)",
        f"{newsroom.main.slug}: #7 “Foss barrier upgrade finished a year late” merged into #3 "
        "“Foss barrier upgrade finished a year late” (same article)",
        "Merged 3 duplicate(s) in 1 article(s).",
    ]
    after = newsroom.article()
    assert targets(after) == [newsroom.ouse.uri, newsroom.barrier.uri, REPORT, newsroom.rain.uri]
    assert after.related[3].pinned and after.related[2].relation == RelationKind.BACKGROUND
    assert newsroom.revisions()[-1] == "related links"
    # Without a slug: every article; the one just cleaned has nothing left to merge.
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "dedupe")
    assert code == 0 and out.splitlines() == [
        f"{newsroom.rain.slug}: #2 “River Ouse floods York!” merged into #1 “River Ouse floods "
        "York” (same story)",
        "Merged 1 duplicate(s) in 1 article(s).",
    ]
    assert run(capsys, "--db", newsroom.db, "related", "dedupe")[1] == "No duplicates found.\n"


def test_the_order_reaches_every_export_format(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom, tmp_path: Path
) -> None:
    slug = newsroom.main.slug
    run(capsys, "--db", newsroom.db, "related", "add", slug, newsroom.rain.slug, "--at", "1")
    run(capsys, "--db", newsroom.db, "related", "move", slug, "4", "2")
    run(capsys, "--db", newsroom.db, "related", "add", slug, newsroom.football.slug, "--pin")
    expected = [newsroom.football, newsroom.rain, None, newsroom.ouse, newsroom.barrier]
    out_dir = tmp_path / "handoff"
    code, _, err = run(capsys, "--db", newsroom.db, "export", "--out", str(out_dir))
    assert code == 0, err
    page = (out_dir / "site" / "uk" / slug / "index.html").read_text(encoding="utf-8")
    root = html5lib.parse(page, namespaceHTMLElements=False)
    aside = next(e for e in root.iter("aside") if e.get("id") == "nd-related")
    hrefs = [a.get("href") for a in aside.iter("a")]
    assert hrefs == [f"../../{a.section.lower()}/{a.slug}/" if a else REPORT for a in expected]
    titles = ["".join(a.itertext()).strip() for a in aside.iter("a")]
    assert titles[2] == "Environment report"
    ninjs = json.loads((out_dir / "ninjs" / "uk" / f"{slug}.json").read_text(encoding="utf-8"))
    related = [a for a in ninjs["associations"] if a["name"].startswith("related-")]
    assert [a["name"] for a in related] == [f"related-{n}" for n in range(1, 6)]
    assert [a["uri"] for a in related] == [a.uri if a else REPORT for a in expected]
    assert [a["rel"] for a in related] == ["related", "related", "background", "related", "related"]
    markdown = (out_dir / "markdown" / "uk" / f"{slug}.md").read_text(encoding="utf-8")
    matter = yaml.safe_load(markdown.split("---\n")[1])
    assert [item.get("uri") or item["url"] for item in matter["related"]] == [
        a.uri if a else REPORT for a in expected
    ]
    with zipfile.ZipFile(out_dir / "newsdesk-bundle.zip") as bundle:
        assert bundle.read(f"site/uk/{slug}/index.html").decode("utf-8") == page


def test_check_of_the_whole_archive_goes_in_rounds_and_lists_what_needs_attention(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    link_site: Any,
    refused_url: str,
) -> None:
    from newsdesk.cli import related_upkeep

    monkeypatch.setattr(related_upkeep, "ROUND", 1)  # one address per round
    newsroom = make_newsroom(str(tmp_path / "n.db"))
    store = newsroom.store()
    main_links = tuple(link for link in store.get(newsroom.main.uri).related if link.target_uri)
    for article, links in (
        (newsroom.main, main_links),  # no address on the internet: tests stay offline
        (newsroom.ouse, (RelatedLink("Live", url=link_site.url("/ok")),)),
        (newsroom.rain, (RelatedLink("Dead", url=refused_url),)),
    ):
        stored = store.get(article.uri)
        store.save(stored.edited(related=links))
    store.close()
    code, out, err = run(capsys, "--db", newsroom.db, "related", "check", "--timeout", "3")
    assert code == 1, err
    lines = out.splitlines()
    # The dead site is checked alone in its round, yet the first round showed the network
    # works: it is unreachable, not "not checked".
    assert lines[:2] == [
        f"{newsroom.rain.slug}:",
        f"  #1 “Dead” → {refused_url}  [unreachable: the site refused the connection, checked "
        + lines[1].rsplit("checked ", 1)[-1],
    ]
    assert newsroom.ouse.slug + ":" not in lines
    assert lines[-2] == "4 links (3 ok, 1 unreachable) in 3 article(s)."
    assert lines[-1].startswith("1 needs attention: fix or remove it")
    assert "Offline" not in out
    store = newsroom.store()
    kept = store.link_checks([link_site.url("/ok"), refused_url])
    store.close()
    assert {u: c.state.value for u, c in kept.items()} == {
        link_site.url("/ok"): "ok",
        refused_url: "unreachable",
    }


def test_check_exits_0_when_all_is_well_and_1_for_a_duplicate(
    capsys: pytest.CaptureFixture[str], newsroom: Newsroom
) -> None:
    slug = newsroom.main.slug
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "check", slug, "--no-network")
    assert code == 0 and "need" not in out  # archive links fine, the report not checked
    code, _, _ = run(capsys, "--db", newsroom.db, "related", "check", "--no-network")
    assert code == 0
    store = newsroom.store()
    main = store.get(newsroom.main.uri)
    twin = RelatedLink("York flooded as the River Ouse bursts its banks", url="https://x.example/a")
    store.save(main.edited(related=(*main.related, twin)))
    store.close()
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "check", slug, "--no-network")
    assert code == 1 and "repeats #1 (same story)" in out
    code, out, _ = run(capsys, "--db", newsroom.db, "related", "check", "--no-network")
    assert code == 1
    assert f"  #4 “{twin.title}” repeats #1 (same story)" in out.splitlines()


def test_dedupe_finds_the_issues_same_story_pairs_and_leaves_two_strikes_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "pairs.db")
    store = open_store(db)
    stories = [
        ("UK confirms support for US seizure of Iranian oil tanker",
         "The foreign secretary said Britain backed the operation in the Gulf of Oman."),
        ("Japan seeks South Korea support in talks to safeguard long-term stability",
         "Tokyo wants closer cooperation on security and trade, officials said."),
        ("Russian missile strike on Kharkiv kills nine",
         "A ballistic missile hit a residential block before dawn."),
        ("UK support bolsters U.S. seizure of tanker in Gulf of Oman",
         "London shared intelligence before American forces boarded the vessel."),
        ("Japan seeks South Korea support in talks with China",
         "The foreign ministers will meet in Beijing next week."),
        ("Russian missile strike on Odesa kills nine",
         "Two missiles hit the port's grain terminal overnight."),
    ]  # fmt: skip
    made = [store.create(Article(headline=h, body=b, status=Status.PUBLISHED)) for h, b in stories]
    main = store.create(Article(headline="Week in review", status=Status.PUBLISHED))
    links = tuple(RelatedLink(a.headline, target_uri=a.uri) for a in made)
    main = store.save(main.edited(related=links))
    store.close()
    code, out, _ = run(capsys, "--db", db, "related", "dedupe", main.slug, "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        f"{main.slug}: #4 “{stories[3][0]}” would merge into #1 “{stories[0][0]}” (same story)",
        f"{main.slug}: #5 “{stories[4][0]}” would merge into #2 “{stories[1][0]}” (same story)",
        "2 duplicate(s) in 1 article(s) would be merged (dry run: nothing was changed).",
    ]
    code, _, _ = run(capsys, "--db", db, "related", "check", main.slug, "--no-network")
    assert code == 1  # duplicates need attention
