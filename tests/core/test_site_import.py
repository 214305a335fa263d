"""Importing whole Hugo and Jekyll sites (tests/data/sites, built after the generators'
documented conventions): what becomes an article and how, what is skipped and why, and a
second import that updates instead of duplicating."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsdesk.core.errors import ConflictError, ImportFileError
from newsdesk.core.models import Article, Status
from newsdesk.core.sites.site_import import (
    LISTED,
    NEW,
    PROBLEM,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    SitePlan,
    import_site,
    plan_site,
)
from newsdesk.core.sites.site_links import address_of
from newsdesk.publish.paths import article_path

SITES = Path(__file__).parents[1] / "data" / "sites"
PARIS = timezone(timedelta(hours=1))


def copy_site(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(SITES / name, tmp_path / name))


def outcomes(plan: SitePlan) -> dict[str, str]:
    return {f.path: f.outcome for f in plan.files}


def by_slug(plan: SitePlan) -> dict[str, Article]:
    return {a.slug: a for a in [*plan.new, *plan.updates]}


def report(plan: SitePlan, path: str) -> Any:
    return next(f for f in plan.files if f.path == path)


def test_hugo_site_reads_as_hugo_publishes_it(store: Any) -> None:
    plan = plan_site(SITES / "hugo-news", store)
    assert outcomes(plan) == {
        "content/_index.md": LISTED,
        "content/posts/_index.md": LISTED,
        "content/posts/draft-budget.md": NEW,
        "content/posts/festival-preview.md": NEW,
        "content/posts/flood-barrier.md": NEW,
        "content/posts/market-moves.md": NEW,
        "content/posts/road-closure.md": NEW,
        "content/posts/council-vote/index.md": NEW,
        "content/posts/council-vote/notes.md": SKIPPED,
        "content/snippets/index.md": SKIPPED,
        "content/sport/_index.md": LISTED,
        "content/sport/regatta.md": NEW,
    }
    assert "headless" in report(plan, "content/snippets/index.md").reason
    assert (
        "page bundle posts/council-vote/"
        in report(plan, "content/posts/council-vote/notes.md").reason
    )
    stories = by_slug(plan)
    flood = stories["flood-barrier"]
    assert flood.status is Status.PUBLISHED  # no draft key: published in a site
    assert flood.section == "Latest news"  # posts/_index.md names the section
    assert flood.standfirst == "The new gates kept the old town dry."
    assert flood.byline == "Ada Brook and Tom Vale"
    assert flood.display_date == datetime(2024, 3, 2, 7, 30, tzinfo=PARIS)
    assert flood.aliases == (
        "/2024/03/flood-barrier-holds-as-the-river-peaks/",
        "/old/flood-barrier/",
    )
    assert "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in flood.body
    # ref to a page bundle: the imported article's new address (its own slug and section)
    assert "[the vote](/politics/council-vote-barrier/)" in flood.body
    assert stories["draft-budget"].status is Status.DRAFT  # JSON front matter, draft: true
    festival = stories["festival-preview"]
    assert festival.status is Status.SCHEDULED
    assert festival.embargo_until == datetime(2099, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    assert stories["road-closure"].status is Status.WITHDRAWN  # expiryDate passed
    assert stories["regatta"].section == "Sport" and stories["regatta"].aliases == ()
    assert stories["market-moves"].aliases == ("/2022/legacy-market-address/",)  # url kept


def test_hugo_shortcodes_converted_and_flagged_with_file_lines(store: Any) -> None:
    plan = plan_site(SITES / "hugo-news", store)
    market = report(plan, "content/posts/market-moves.md")
    assert "line 6: vimeo shortcode → link to the video" in market.converted
    assert any(f.startswith("line 6:") and "gallery" in f for f in market.flagged)
    assert any(f.startswith("line 12:") and "no closing" in f for f in market.flagged)
    body = by_slug(plan)["market-moves"].body
    assert '{{< gallery album="quay" >}}' in body  # kept visible, never dropped
    assert "```go\n" in body


def test_page_bundle_and_static_pictures_come_into_the_media_library(store: Any) -> None:
    plan = plan_site(SITES / "hugo-news", store)
    vote = by_slug(plan)["council-vote-barrier"]
    assert vote.section == "Politics"  # categories before the content folder
    assert vote.image is not None and vote.image.src.startswith("media:")  # images: [cover.png]
    assert vote.body.count("](media:") == 3  # figure shortcode, bundle picture, /images/logo.png
    assert len(plan.media) == 4
    import_site(plan, store)
    keys = {asset.key for asset in store.list_media()}
    assert vote.image.src.removeprefix("media:") in keys
    assert {a.filename for a in store.list_media()} == {"cover.png", "chart.png", "chamber.png",
                                                        "logo.png"}  # fmt: skip


def test_jekyll_site_reads_as_jekyll_publishes_it(store: Any) -> None:
    plan = plan_site(SITES / "jekyll-blog", store)
    assert outcomes(plan) == {
        "about.md": SKIPPED,
        "index.md": LISTED,
        "news/index.md": LISTED,
        "_drafts/ferry-timetable.md": NEW,
        "_posts/2016-05-20-welcome-to-jekyll.md": NEW,
        "_posts/2016-06-01-harbour-dredging.md": NEW,
        "_posts/2016-06-10-not-yet.md": NEW,
        "_posts/notes.md": SKIPPED,
        "news/_posts/2016-07-01-market-day.md": NEW,
    }
    assert "YYYY-MM-DD-title.md" in report(plan, "_posts/notes.md").reason
    stories = by_slug(plan)
    london = timezone(timedelta(hours=1))  # the config's Europe/London, in summer
    welcome = stories["welcome-to-jekyll"]
    assert welcome.headline == "Welcome To Jekyll"  # from the file name, as Jekyll does
    assert welcome.display_date == datetime(2016, 5, 20, tzinfo=london)  # from the file name
    assert welcome.status is Status.PUBLISHED  # in _posts
    assert welcome.aliases == ("/jekyll/update/2016/05/20/welcome-to-jekyll.html",)
    assert "```ruby\ndef print_hi(name)" in welcome.body
    assert "[dredging](/news/harbour-dredging/)" in welcome.body  # post_url resolved
    dredging = stories["harbour-dredging"]
    assert dredging.display_date == datetime(2016, 6, 1, 9, 30, tzinfo=london)
    assert dredging.tags == ("port", "dredging") and dredging.byline == "Mira Quay"
    assert dredging.standfirst == "Boats will be moved for a week."
    assert dredging.aliases == ("/2016/06/01/harbour-dredging.html", "/dredging/")
    assert "![The harbour](media:" in dredging.body  # {{ site.baseurl }}/assets/harbour.png
    assert stories["not-yet"].status is Status.DRAFT  # published: false
    assert stories["ferry-timetable"].status is Status.DRAFT  # in _drafts
    assert stories["market-day"].section == "Harbour news"  # news/index.md names news/_posts
    nested = report(plan, "news/_posts/2016-07-01-market-day.md").flagged
    assert nested[0].startswith("line 6: Liquid tag has another one nested inside it")
    assert "The map: {% link " in stories["market-day"].body  # kept visible, never dropped
    assert plan.profile.name == "Harbour Weekly"


def test_importing_the_same_site_again_updates_instead_of_duplicating(
    store: Any, tmp_path: Path
) -> None:
    site = copy_site("jekyll-blog", tmp_path)
    import_site(plan_site(site, store), store)
    assert store.info().article_count == 5
    again = plan_site(site, store)
    assert set(outcomes(again).values()) == {UNCHANGED, SKIPPED, LISTED}
    assert import_site(again, store) == 0
    post = site / "_posts/2016-06-01-harbour-dredging.md"
    post.write_text(post.read_text().replace("on Monday", "on Tuesday"), encoding="utf-8")
    changed = plan_site(site, store)
    assert report(changed, "_posts/2016-06-01-harbour-dredging.md").outcome == UPDATED
    assert import_site(changed, store) == 1
    assert store.info().article_count == 5
    stored = store.get_by_slug("harbour-dredging")
    assert "on Tuesday" in stored.body and stored.version == 2
    assert [r.reason for r in store.revisions(stored.uri)][-1] == "import"


def test_a_draft_moved_into_posts_stays_the_same_story(store: Any, tmp_path: Path) -> None:
    site = copy_site("jekyll-blog", tmp_path)
    import_site(plan_site(site, store), store)
    draft = store.get_by_slug("ferry-timetable")
    (site / "_drafts/ferry-timetable.md").rename(site / "_posts/2016-08-01-ferry-timetable.md")
    plan = plan_site(site, store)
    assert report(plan, "_posts/2016-08-01-ferry-timetable.md").outcome == UPDATED
    import_site(plan, store)
    published = store.get(draft.uri)
    assert published.status is Status.PUBLISHED and published.slug == "ferry-timetable"
    assert store.info().article_count == 5


def test_two_posts_with_one_address_are_both_named_and_nothing_is_stored(
    store: Any, tmp_path: Path
) -> None:
    site = copy_site("hugo-news", tmp_path)
    (site / "content/sport/rowing.md").write_text(
        '+++\ntitle = "Rowing"\nurl = "/sport/regatta/"\n+++\nText.\n', encoding="utf-8"
    )
    plan = plan_site(site, store)
    problems = {p.path: p.reason for p in plan.problems}
    assert set(problems) == {"content/sport/regatta.md", "content/sport/rowing.md"}
    assert (
        "content/sport/rowing.md has the same address (/sport/regatta/)"
        in (problems["content/sport/regatta.md"])
    )
    with pytest.raises(ImportFileError, match="2 file\\(s\\) cannot be imported"):
        import_site(plan, store)
    assert store.info().article_count == 0


def test_a_file_that_mixes_forms_is_a_problem_naming_the_line(store: Any, tmp_path: Path) -> None:
    site = copy_site("hugo-news", tmp_path)
    (site / "content/sport/mixed.md").write_text(
        '+++\ntitle = "Mixed"\ndate: 2024-01-01\n+++\n', encoding="utf-8"
    )
    plan = plan_site(site, store)
    problem = report(plan, "content/sport/mixed.md")
    assert problem.outcome == PROBLEM
    assert problem.reason.startswith("content/sport/mixed.md:3: the front matter mixes forms")
    assert plan.count(NEW) == 7  # every other file still read, for one report


def test_a_site_with_no_content_says_so(store: Any, tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('title = "Empty"\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    with pytest.raises(ImportFileError, match="the site has no content"):
        plan_site(tmp_path, store)


def test_links_out_of_the_site_are_not_followed(store: Any, tmp_path: Path) -> None:
    site = copy_site("hugo-news", tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nPrivate.\n", encoding="utf-8")
    (site / "content/posts/secret.md").symlink_to(outside / "secret.md")
    (site / "content/leak").symlink_to(outside, target_is_directory=True)
    plan = plan_site(site, store)
    for path in ("content/posts/secret.md", "content/leak"):
        skipped = report(plan, path)
        assert skipped.outcome == SKIPPED
        assert "outside the site folder" in skipped.reason and "not followed" in skipped.reason
    assert "Secret" not in {a.headline for a in plan.new}


def test_a_missing_picture_is_flagged_and_left_as_written(store: Any, tmp_path: Path) -> None:
    site = copy_site("hugo-news", tmp_path)
    (site / "content/sport/photo.md").write_text(
        "---\ntitle: Photo\n---\nSee ![the finish](finish.jpg).\n", encoding="utf-8"
    )
    plan = plan_site(site, store)
    flagged = report(plan, "content/sport/photo.md").flagged
    assert flagged and flagged[0].startswith("line 4:") and "finish.jpg" in flagged[0]
    assert "![the finish](finish.jpg)" in by_slug(plan)["photo"].body


def test_the_new_address_is_the_exported_page_address(store: Any) -> None:
    for article in plan_site(SITES / "hugo-news", store).new:
        assert address_of(article) == "/" + article_path(article)


def test_a_future_post_is_scheduled_not_published(store: Any, tmp_path: Path) -> None:
    site = copy_site("jekyll-blog", tmp_path)
    soon = datetime.now(UTC) + timedelta(days=30)
    (site / f"_posts/{soon:%Y-%m-%d}-coming.md").write_text(
        "---\ntitle: Coming\n---\nSoon.\n", encoding="utf-8"
    )
    coming = by_slug(plan_site(site, store))["coming"]
    assert coming.status is Status.SCHEDULED and coming.embargo_until is not None


def test_a_former_address_claimed_twice_names_both(store: Any, tmp_path: Path) -> None:
    site = copy_site("hugo-news", tmp_path)
    (site / "content/sport/barrier-again.md").write_text(
        '+++\ntitle = "Barrier again"\naliases = ["/old/flood-barrier/", "/odd?page=2"]\n+++\n',
        encoding="utf-8",
    )
    plan = plan_site(site, store)
    problems = {p.path: p.reason for p in plan.problems}
    assert set(problems) == {"content/posts/flood-barrier.md", "content/sport/barrier-again.md"}
    assert "same former address (/old/flood-barrier/)" in problems["content/sport/barrier-again.md"]


def test_a_former_address_that_is_no_path_is_flagged_not_kept(store: Any, tmp_path: Path) -> None:
    site = copy_site("hugo-news", tmp_path)
    (site / "content/sport/odd.md").write_text(
        '+++\ntitle = "Odd"\naliases = ["/odd?page=2", "/Odd/Old"]\n+++\n', encoding="utf-8"
    )
    plan = plan_site(site, store)
    assert by_slug(plan)["odd"].aliases == (
        "/Odd/Old/",
    )  # its old /sport/odd/ is its new address too
    flagged = report(plan, "content/sport/odd.md").flagged
    assert len(flagged) == 1 and "'/odd?page=2'" in flagged[0] and "(not kept)" in flagged[0]
    import_site(plan, store)
    assert store.get_by_slug("odd").aliases == (
        "/Odd/Old/",
    )  # its old /sport/odd/ is its new address too
    assert report(plan_site(site, store), "content/sport/odd.md").outcome == UNCHANGED


def test_a_story_edited_meanwhile_stops_the_import_whole(store: Any, tmp_path: Path) -> None:
    site = copy_site("jekyll-blog", tmp_path)
    import_site(plan_site(site, store), store)
    post = site / "_posts/2016-06-01-harbour-dredging.md"
    post.write_text(post.read_text().replace("on Monday", "on Tuesday"), encoding="utf-8")
    (site / "_posts/2016-09-01-new-pier.md").write_text("---\ntitle: New pier\n---\nOpen.\n")
    plan = plan_site(site, store)
    assert plan.count(NEW) == 1 and plan.count(UPDATED) == 1
    edited = store.get_by_slug("harbour-dredging")
    store.save(edited.edited(kicker="Edited at the desk"))  # after the report was read
    with pytest.raises(ConflictError):
        import_site(plan, store)
    assert store.info().article_count == 5  # the new pier is not stored either
    assert store.get_by_slug("harbour-dredging").kicker == "Edited at the desk"


def test_progress_is_reported_while_reading_and_storing(store: Any) -> None:
    reading: list[tuple[int, int]] = []
    plan = plan_site(SITES / "hugo-news", store, progress=lambda d, t: reading.append((d, t)))
    assert reading[-1] == (12, 12)  # every Markdown file of the site
    storing: list[tuple[int, int]] = []
    import_site(plan, store, lambda d, t: storing.append((d, t)))
    assert storing[-1] == (7, 7)


def test_jekyll_permalink_styles_and_patterns_give_the_former_address(
    store: Any, tmp_path: Path
) -> None:
    site = copy_site("jekyll-blog", tmp_path)
    with (site / "_config.yml").open("a", encoding="utf-8") as config:
        config.write("permalink: pretty\n")
    (site / "_posts/2017-01-02-custom-one.md").write_text(
        "---\ntitle: Custom\npermalink: /custom/:title/\n---\nx\n", encoding="utf-8"
    )
    stories = by_slug(plan_site(site, store))
    assert stories["harbour-dredging"].aliases == ("/2016/06/01/harbour-dredging/", "/dredging/")
    assert stories["custom-one"].aliases == ("/custom/custom-one/",)
