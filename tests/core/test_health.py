"""Link health: stored targets judged as they are now; addresses checked against a local site."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from newsdesk import __version__
from newsdesk.core.models import Article, RelatedLink, Status
from newsdesk.core.ports import Answer, FetchError, FetchFailure, Opener
from newsdesk.core.related.health import (
    HealthState,
    LinkCheck,
    internal_health,
    link_health,
    problems_by_url,
)
from newsdesk.core.related.linkcheck import OFFLINE_MESSAGE, any_answered
from newsdesk.core.related.linkcheck import check_urls as check_with
from newsdesk.web.http import http_opener

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def article(headline: str, status: Status) -> Article:
    return Article(headline=headline, status=status).normalized()


def test_links_to_withdrawn_archived_deleted_and_unpublished_articles_are_flagged() -> None:
    live = article("River Ouse floods York", Status.PUBLISHED)
    ready = article("Flood barrier opens", Status.READY)
    withdrawn = article("Council denies flood claims", Status.WITHDRAWN)
    archived = article("Floods of 2000 remembered", Status.ARCHIVED)
    draft = article("Insurers count the cost", Status.DRAFT)
    own = article("This story", Status.PUBLISHED)
    links = [
        RelatedLink(live.headline, target_uri=live.uri),
        RelatedLink("Outside", url="https://example.org/a"),
        RelatedLink(ready.headline, target_uri=ready.uri),
        RelatedLink(withdrawn.headline, target_uri=withdrawn.uri),
        RelatedLink(archived.headline, target_uri=archived.uri),
        RelatedLink("Gone", target_uri="urn:newsdesk:article:deleted"),
        RelatedLink(draft.headline, target_uri=draft.uri),
        RelatedLink(own.headline, target_uri=own.uri),
    ]
    targets = {a.uri: a for a in (live, ready, withdrawn, archived, draft, own)}
    health = internal_health(links, targets, own_uri=own.uri)
    assert [(h.index, h.state) for h in health] == [
        (0, HealthState.OK),
        (2, HealthState.OK),
        (3, HealthState.WITHDRAWN),
        (4, HealthState.ARCHIVED),
        (5, HealthState.DELETED),
        (6, HealthState.UNPUBLISHED),
        (7, HealthState.SELF),
    ]
    assert [h.is_problem for h in health] == [False, False, True, True, True, False, True]
    assert health[4].message.startswith("deleted from the archive")
    assert health[5].message == "draft: shown once it is published"
    # Summaries (what the library lists) serve as well as whole articles.
    summaries = {a.uri: a.summary() for a in targets.values()}
    assert internal_health(links, summaries, own_uri=own.uri) == health


def test_external_links_take_their_last_check_or_are_not_checked() -> None:
    links = [
        RelatedLink("A", url="https://example.org/a"),
        RelatedLink("B", url="https://example.org/b"),
        RelatedLink("C", target_uri="urn:c"),
    ]
    broken = LinkCheck("https://www.example.org/b/", HealthState.BROKEN, WHEN, 404, "", "HTTP 404")
    health = link_health(links, {}, {broken.key: broken})
    assert [h.state for h in health] == [
        HealthState.NOT_CHECKED,
        HealthState.BROKEN,
        HealthState.DELETED,
    ]
    assert health[1].checked_at == WHEN and health[1].status_code == 404
    assert problems_by_url(health) == {"https://example.org/b": "HTTP 404"}


def test_a_check_must_carry_an_address_state_and_a_time_zone() -> None:
    with pytest.raises(ValueError, match="not a state"):
        LinkCheck("https://example.org/", HealthState.WITHDRAWN, WHEN)
    with pytest.raises(ValueError, match="time zone"):
        LinkCheck("https://example.org/", HealthState.OK, datetime(2026, 1, 1))


# -- checking addresses against the local site ---------------------------------------


def check_urls(
    urls: Iterable[str], *, opener: Opener = http_opener, **options: Any
) -> list[LinkCheck]:
    """Checks over the network (the adapter the window and the command line hand in)."""
    return check_with(urls, opener=opener, **options)


def by_url(checks: list[LinkCheck]) -> dict[str, LinkCheck]:
    return {c.url: c for c in checks}


def test_every_answer_becomes_the_right_state(link_site: Any) -> None:
    paths = [
        "/ok", "/gone", "/error", "/forbidden", "/busy", "/moved", "/relative", "/slash",
        "/moved-to-gone", "/loop", "/to-ftp", "/nowhere", "/no-head", "/hangup-head",
    ]  # fmt: skip
    urls = [link_site.url(p) for p in paths]
    checks = by_url(check_urls(urls, timeout=5))
    got = {p: (checks[link_site.url(p)].state, checks[link_site.url(p)].status_code) for p in paths}
    assert got == {
        "/ok": (HealthState.OK, 200),
        "/gone": (HealthState.BROKEN, 404),
        "/error": (HealthState.BROKEN, 500),
        "/forbidden": (HealthState.BROKEN, 403),
        "/busy": (HealthState.UNREACHABLE, 429),
        "/moved": (HealthState.REDIRECTED, 200),
        "/relative": (HealthState.REDIRECTED, 200),
        "/slash": (HealthState.OK, 200),  # only the trailing slash changed: the same page
        "/moved-to-gone": (HealthState.BROKEN, 404),
        "/loop": (HealthState.BROKEN, None),
        "/to-ftp": (HealthState.BROKEN, 301),
        "/nowhere": (HealthState.BROKEN, 301),
        "/no-head": (HealthState.OK, 200),
        "/hangup-head": (HealthState.OK, 200),
    }
    moved = checks[link_site.url("/moved")]
    assert moved.final_url == link_site.url("/ok")
    assert moved.message == f"moved to {link_site.url('/ok')}"
    assert checks[link_site.url("/relative")].final_url == link_site.url("/ok")
    assert checks[link_site.url("/moved-to-gone")].final_url == link_site.url("/gone")
    assert checks[link_site.url("/gone")].message == "HTTP 404 Not Found"
    assert checks[link_site.url("/error")].message == "HTTP 500 Internal Server Error"
    assert "refuses automatic checks" in checks[link_site.url("/forbidden")].message
    assert "redirects (a loop?)" in checks[link_site.url("/loop")].message
    assert all(c.checked_at.tzinfo is not None for c in checks.values())


def test_head_first_then_get_and_a_polite_user_agent(link_site: Any) -> None:
    check_urls([link_site.url("/ok"), link_site.url("/no-head")])
    seen = sorted((method, path) for method, path, _agent in link_site.requests)
    assert seen == [("GET", "/no-head"), ("HEAD", "/no-head"), ("HEAD", "/ok")]
    assert {agent for _m, _p, agent in link_site.requests} == {f"Newsdesk/{__version__} link check"}


def test_a_slow_site_times_out_as_unreachable(link_site: Any) -> None:
    checks = by_url(check_urls([link_site.url("/slow"), link_site.url("/ok")], timeout=0.3))
    slow = checks[link_site.url("/slow")]
    assert slow.state == HealthState.UNREACHABLE
    assert slow.message == "no answer within 0.3 s"
    assert checks[link_site.url("/ok")].state == HealthState.OK


def test_a_refused_connection_is_unreachable_while_other_sites_answer(
    link_site: Any, refused_url: str
) -> None:
    checks = by_url(check_urls([refused_url, link_site.url("/ok")]))
    assert checks[refused_url].state == HealthState.UNREACHABLE
    assert checks[refused_url].message == "the site refused the connection"


def test_offline_every_address_is_not_checked_rather_than_broken(refused_url: str) -> None:
    def no_network(method: str, url: str, timeout: float) -> Answer:
        raise FetchError(FetchFailure.NO_SUCH_HOST, "Temporary failure in name resolution")

    urls = ["https://example.org/a", "https://example.net/b", "https://example.com/c"]
    checks = check_urls(urls, opener=no_network)
    assert [c.url for c in checks] == urls
    assert {c.state for c in checks} == {HealthState.NOT_CHECKED}
    assert {c.message for c in checks} == {OFFLINE_MESSAGE}
    # A dead local port alone cannot be told from no network either.
    (alone,) = check_urls([refused_url])
    assert alone.state == HealthState.NOT_CHECKED
    assert not any_answered([*checks, alone])
    # Unless an earlier round of the same check had answers: then the site is the problem.
    (later,) = check_urls([refused_url], known_online=True)
    assert later.state == HealthState.UNREACHABLE


def test_a_name_that_does_not_resolve_is_unreachable_when_others_answer(link_site: Any) -> None:
    def resolver(method: str, url: str, timeout: float) -> Answer:
        if "no-such-site.invalid" in url:
            raise FetchError(FetchFailure.NO_SUCH_HOST, "Name or service not known")
        return http_opener(method, url, timeout)

    checks = by_url(
        check_urls(["https://no-such-site.invalid/a", link_site.url("/ok")], opener=resolver)
    )
    dead = checks["https://no-such-site.invalid/a"]
    assert dead.state == HealthState.UNREACHABLE
    assert dead.message == "no such site (its name does not resolve)"


def test_a_few_at_a_time_with_progress_on_the_calling_thread(link_site: Any) -> None:
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total, threading.current_thread().name))

    urls = [link_site.url(f"/hold?n={n}") for n in range(8)] + [link_site.url("/hold?n=0")]
    checks = check_urls(urls, workers=3, progress=progress)
    assert len(checks) == 8  # each distinct address once
    assert {c.state for c in checks} == {HealthState.OK}
    assert 2 <= link_site.max_in_flight <= 3
    assert [(d, t) for d, t, _ in calls] == [(n, 8) for n in range(1, 9)]
    assert {name for _d, _t, name in calls} == {threading.current_thread().name}


def test_out_of_time_or_stopped_means_not_checked(link_site: Any) -> None:
    urls = [link_site.url("/ok"), link_site.url("/gone")]
    late = check_urls(urls, overall_timeout=0)
    assert {c.state for c in late} == {HealthState.NOT_CHECKED}
    assert "ran out of time" in late[0].message
    stopped = check_urls(urls, cancelled=lambda: True)
    assert {c.state for c in stopped} == {HealthState.NOT_CHECKED}
    assert "stopped" in stopped[0].message
    assert link_site.requests == []
    assert check_urls([]) == []


# -- what core decides, whatever the opener (no network) -----------------------------


class ScriptedWeb:
    """An opener that answers from a script: ``url -> Answer or FetchError`` (per method
    when a ``(method, url)`` key is given); it records every request."""

    def __init__(self, script: dict[object, Answer | FetchError]) -> None:
        self.script = script
        self.requests: list[tuple[str, str]] = []

    def __call__(self, method: str, url: str, timeout: float) -> Answer:
        self.requests.append((method, url))
        outcome = self.script.get((method, url), self.script.get(url, Answer(200)))
        if isinstance(outcome, FetchError):
            raise outcome
        return outcome


def test_what_each_failure_means_is_decided_in_core() -> None:
    failures = {
        FetchError(FetchFailure.BAD_CERTIFICATE, "certificate has expired"): (
            HealthState.BROKEN, "the site's security certificate is certificate has expired"),
        FetchError(FetchFailure.BAD_CERTIFICATE): (
            HealthState.BROKEN, "the site's security certificate is not valid"),
        FetchError(FetchFailure.NOT_SECURE, "wrong version number"): (
            HealthState.BROKEN, "a secure connection could not be made"),
        FetchError(FetchFailure.NO_SUCH_HOST): (
            HealthState.UNREACHABLE, "no such site (its name does not resolve)"),
        FetchError(FetchFailure.TIMED_OUT): (HealthState.UNREACHABLE, "no answer within 2.5 s"),
        FetchError(FetchFailure.REFUSED): (
            HealthState.UNREACHABLE, "the site refused the connection"),
        FetchError(FetchFailure.HUNG_UP): (
            HealthState.BROKEN, "the site hung up without a proper answer"),
        FetchError(FetchFailure.BAD_ADDRESS, "no host given"): (
            HealthState.BROKEN, "not a usable address"),
        FetchError(FetchFailure.UNSUPPORTED, "unknown url type: gopher"): (
            HealthState.BROKEN, "not checkable: unknown url type: gopher"),
        FetchError(FetchFailure.NO_CONNECTION, "Network is unreachable"): (
            HealthState.UNREACHABLE, "no connection (Network is unreachable)"),
    }  # fmt: skip
    urls = {f"https://site{n}.example/": error for n, error in enumerate(failures)}
    web = ScriptedWeb({**urls, "https://up.example/": Answer(200)})
    checks = by_url(check_with([*urls, "https://up.example/"], opener=web, timeout=2.5))
    got = {error: (checks[url].state, checks[url].message) for url, error in urls.items()}
    assert got == failures
    assert checks["https://up.example/"].state == HealthState.OK


def test_only_a_hang_up_on_head_is_tried_again_with_get() -> None:
    hung, refused = "https://hung.example/", "https://refused.example/"
    web = ScriptedWeb(
        {
            ("HEAD", hung): FetchError(FetchFailure.HUNG_UP),
            ("HEAD", refused): FetchError(FetchFailure.REFUSED),
            ("GET", refused): Answer(200),
        }
    )
    checks = by_url(check_with([hung, refused], opener=web, workers=1))
    assert checks[hung].state == HealthState.OK
    assert checks[refused].state == HealthState.UNREACHABLE
    assert sorted(web.requests) == [("GET", hung), ("HEAD", hung), ("HEAD", refused)]


def test_a_failing_server_still_proves_the_network_works() -> None:
    # A certificate or a hang-up is a server's doing: the computer is online, so a site
    # refusing the connection beside it is at fault. No answer at all may be the
    # network's: then nothing is concluded about either.
    the_site = {
        FetchFailure.BAD_CERTIFICATE,
        FetchFailure.NOT_SECURE,
        FetchFailure.HUNG_UP,
        FetchFailure.BAD_ADDRESS,
        FetchFailure.UNSUPPORTED,
    }
    failing, refused = "https://failing.example/", "https://refused.example/"
    for failure in FetchFailure:
        web = ScriptedWeb(
            {failing: FetchError(failure, "why"), refused: FetchError(FetchFailure.REFUSED)}
        )
        checks = by_url(check_with([failing, refused], opener=web))
        if failure in the_site:
            assert checks[failing].state == HealthState.BROKEN, failure
            assert checks[refused].state == HealthState.UNREACHABLE, failure
        else:
            assert {c.message for c in checks.values()} == {OFFLINE_MESSAGE}, failure
