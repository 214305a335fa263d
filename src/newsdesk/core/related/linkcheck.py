"""Checking external addresses on demand: a few at a time, each time-limited, never
mistaking "offline" for "broken".

How a check goes: ``HEAD`` first (cheap); when the server answers ``HEAD`` with an error
or hangs up, ``GET`` (some servers refuse ``HEAD``; the body is never read). Redirects
are followed, up to :data:`MAX_REDIRECTS`, and the final address is reported ("moved to
..."). Each address has ``timeout`` seconds in all; the whole run has ``overall_timeout``,
after which addresses not yet started come back "not checked". The requests themselves go
through an :class:`~newsdesk.core.ports.Opener` the caller hands in (``newsdesk.web.http``
over the network): every decision about what an answer or a failure means is made here.

Telling offline from a dead site: a site that does not answer (no such host, connection
refused, no answer in time) is *unreachable* only when some other site in the same run did
answer. When no site answered at all, nothing can be concluded about any of them (the
network, not the sites, is the likelier culprit), so they are all "not checked". Hence
one address alone to a dead host reports "not checked": check it along with others, or
open it in a browser.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from newsdesk.core.errors import ValidationError
from newsdesk.core.models import utcnow
from newsdesk.core.ports import (
    Answer,
    FetchError,
    FetchFailure,
    Opener,
    Progress,
    no_progress,
)
from newsdesk.core.related.health import HealthState, LinkCheck
from newsdesk.core.related.links import normalize_url

MAX_REDIRECTS = 10
OFFLINE_MESSAGE = "no site answered, so this computer seems to be offline: check again online"


@dataclass(frozen=True, slots=True)
class _Outcome:
    check: LinkCheck
    answered: bool  # some server answered (the network works), whatever it said


def check_urls(
    urls: Iterable[str],
    *,
    opener: Opener,
    timeout: float = 5.0,
    workers: int = 4,
    overall_timeout: float = 120.0,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    known_online: bool = False,
) -> list[LinkCheck]:
    """Check each distinct address once, ``workers`` at a time; results in the given order.

    ``opener`` makes the requests (``newsdesk.web.http.http_opener`` over the network).
    ``progress(done, total)`` is called from the calling thread. ``cancelled()`` is asked
    before each address starts; addresses not started come back "not checked".
    ``known_online``: an earlier round in the same session had answers (see
    :func:`any_answered`), so sites that do not answer now are unreachable, not offline.
    """
    wanted = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    report = progress or no_progress
    if not wanted:
        return []
    stop = threading.Event()
    deadline = time.monotonic() + overall_timeout

    def one(url: str) -> _Outcome:
        if stop.is_set() or (cancelled is not None and cancelled()):
            return _skipped(url, "the check was stopped")
        if time.monotonic() > deadline:
            return _skipped(url, f"the check ran out of time ({overall_timeout:g} s in all)")
        return _check_one(url, timeout=timeout, opener=opener)

    outcomes: dict[str, _Outcome] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(wanted))))
    try:
        futures = {pool.submit(one, url): url for url in wanted}
        for done, future in enumerate(as_completed(futures), start=1):
            outcomes[futures[future]] = future.result()
            report(done, len(wanted))
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
    results = [outcomes[url] for url in wanted]
    if not known_online and not any(o.answered for o in results):
        return [_offline(o.check) for o in results]
    return [o.check for o in results]


def any_answered(checks: Iterable[LinkCheck]) -> bool:
    """Whether some site answered in these checks: the network was working."""
    return any(c.status_code is not None for c in checks)


def _offline(check: LinkCheck) -> LinkCheck:
    if check.state != HealthState.UNREACHABLE:
        return check
    return LinkCheck(check.url, HealthState.NOT_CHECKED, check.checked_at, message=OFFLINE_MESSAGE)


def _skipped(url: str, message: str) -> _Outcome:
    return _Outcome(LinkCheck(url, HealthState.NOT_CHECKED, utcnow(), message=message), False)


def _check_one(url: str, *, timeout: float, opener: Opener) -> _Outcome:
    """Check one address within ``timeout`` seconds in all (redirects and retries included)."""
    start = time.monotonic()
    current = url
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return _result(url, HealthState.BROKEN, "not a web address (http or https)", False)
    for _hop in range(MAX_REDIRECTS + 1):
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            return _result(url, HealthState.UNREACHABLE, f"no answer within {timeout:g} s", False)
        try:
            answer = _head_then_get(opener, current, remaining)
        except FetchError as error:
            state, message, answered = _failure(error, timeout)
            return _result(url, state, message, answered, final_url=_moved(url, current))
        if 300 <= answer.status < 400 and answer.status != 304:
            if not answer.location:
                return _result(
                    url,
                    HealthState.BROKEN,
                    "a redirect that points nowhere",
                    True,
                    status=answer.status,
                )
            target = urljoin(current, answer.location.strip())
            if urlsplit(target).scheme.lower() not in {"http", "https"}:
                return _result(
                    url,
                    HealthState.BROKEN,
                    f"redirects to something that is not a web page ({target[:80]})",
                    True,
                    status=answer.status,
                )
            current = target
            continue
        return _from_status(url, current, answer.status)
    return _result(url, HealthState.BROKEN, f"more than {MAX_REDIRECTS} redirects (a loop?)", True)


def _head_then_get(opener: Opener, url: str, timeout: float) -> Answer:
    try:
        answer = opener("HEAD", url, timeout)
    except FetchError as error:
        if error.failure is not FetchFailure.HUNG_UP:
            raise
        return opener("GET", url, timeout)  # hung up on HEAD: some servers do
    if answer.status >= 400:
        # Some servers refuse HEAD (405, 501) or answer it wrongly (403, 404): GET decides.
        return opener("GET", url, timeout)
    return answer


def _from_status(url: str, final: str, status: int) -> _Outcome:
    moved = _moved(url, final)
    if 200 <= status < 300 or status == 304:
        if moved:
            return _result(
                url,
                HealthState.REDIRECTED,
                f"moved to {moved}",
                True,
                status=status,
                final_url=moved,
            )
        return _result(url, HealthState.OK, "", True, status=status)
    phrase = _phrase(status)
    if status == 429:
        return _result(
            url,
            HealthState.UNREACHABLE,
            f"{phrase}: the site turned the check away for now; try again later",
            True,
            status=status,
            final_url=moved,
        )
    if status in {401, 403}:
        phrase += " (the site refuses automatic checks or needs a login: open it in a browser)"
    elif status < 400:
        phrase = f"an unexpected answer ({phrase})"
    return _result(url, HealthState.BROKEN, phrase, True, status=status, final_url=moved)


def _phrase(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _moved(url: str, final: str) -> str:
    """``final`` when it is another page than ``url`` (not merely spelt differently)."""
    if final == url:
        return ""
    try:
        return "" if normalize_url(final) == normalize_url(url) else final
    except ValidationError:
        return final


def _failure(error: FetchError, timeout: float) -> tuple[HealthState, str, bool]:
    """The state, the message, and whether a server answered at all (a certificate or a
    hang-up comes from a server, so the network works; a timeout or a refusal may not)."""
    detail = error.detail
    match error.failure:
        case FetchFailure.BAD_CERTIFICATE:
            return (
                HealthState.BROKEN,
                f"the site's security certificate is {detail or 'not valid'}",
                True,
            )
        case FetchFailure.NOT_SECURE:
            return HealthState.BROKEN, "a secure connection could not be made", True
        case FetchFailure.NO_SUCH_HOST:
            return HealthState.UNREACHABLE, "no such site (its name does not resolve)", False
        case FetchFailure.TIMED_OUT:
            return HealthState.UNREACHABLE, f"no answer within {timeout:g} s", False
        case FetchFailure.REFUSED:
            return HealthState.UNREACHABLE, "the site refused the connection", False
        case FetchFailure.HUNG_UP:
            return HealthState.BROKEN, "the site hung up without a proper answer", True
        case FetchFailure.BAD_ADDRESS:
            return HealthState.BROKEN, "not a usable address", True
        case FetchFailure.UNSUPPORTED:
            return HealthState.BROKEN, f"not checkable: {detail}", True
        case FetchFailure.NO_CONNECTION:
            return HealthState.UNREACHABLE, f"no connection ({detail})", False


def _result(
    url: str,
    state: HealthState,
    message: str,
    answered: bool,
    *,
    status: int | None = None,
    final_url: str = "",
) -> _Outcome:
    check = LinkCheck(url, state, utcnow(), status, final_url, message)
    return _Outcome(check, answered)
