"""The web adapter: urllib's requests and failures in core's words, against a local site."""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
from typing import Any

import pytest

from newsdesk import __version__
from newsdesk.core.ports import Answer, FetchError, FetchFailure
from newsdesk.web.http import classify, http_opener


def failure(url: str, method: str = "HEAD", timeout: float = 5.0) -> FetchError:
    with pytest.raises(FetchError) as caught:
        http_opener(method, url, timeout)
    return caught.value


def test_every_status_is_an_answer_and_redirects_are_left_to_core(link_site: Any) -> None:
    asked = {
        ("HEAD", "/ok"): Answer(200),
        ("GET", "/gone"): Answer(404),
        ("GET", "/error"): Answer(500),
        ("HEAD", "/no-head"): Answer(405),
        ("HEAD", "/moved"): Answer(301, "/ok"),
        ("HEAD", "/relative"): Answer(302, "ok"),
        ("HEAD", "/nowhere"): Answer(301, None),
    }
    got = {(m, p): http_opener(m, link_site.url(p), 5) for m, p in asked}
    assert got == asked
    # One request each (no redirect followed), as a polite, named client.
    assert sorted((m, p) for m, p, _agent in link_site.requests) == sorted(asked)
    assert {agent for _m, _p, agent in link_site.requests} == {f"Newsdesk/{__version__} link check"}


def test_what_went_wrong_on_the_way_is_told_in_cores_words(
    link_site: Any, refused_url: str
) -> None:
    assert failure(refused_url).failure == FetchFailure.REFUSED
    assert failure(link_site.url("/slow"), timeout=0.2).failure == FetchFailure.TIMED_OUT
    assert failure(link_site.url("/hangup-head")).failure == FetchFailure.HUNG_UP
    # TLS spoken to a plain web server: no secure connection.
    plain = link_site.url("/ok").replace("http://", "https://")
    assert failure(plain).failure == FetchFailure.NOT_SECURE
    no_scheme = failure("example.org/a")
    assert no_scheme.failure == FetchFailure.BAD_ADDRESS
    gopher = failure("gopher://example.org/a")
    assert (gopher.failure, gopher.detail) == (FetchFailure.UNSUPPORTED, "unknown url type: gopher")
    assert failure("http:///story").failure == FetchFailure.UNSUPPORTED  # no host given


def test_failures_from_the_resolver_and_tls_are_classified() -> None:
    expired = ssl.SSLCertVerificationError(1, "certificate verify failed")
    expired.verify_message = "certificate has expired"
    unnamed = ssl.SSLCertVerificationError(1, "certificate verify failed")
    unnamed.verify_message = ""
    cases = {
        urllib.error.URLError(expired): (FetchFailure.BAD_CERTIFICATE, "certificate has expired"),
        urllib.error.URLError(unnamed): (FetchFailure.BAD_CERTIFICATE, ""),
        urllib.error.URLError(ssl.SSLError(1, "handshake failure")): (
            FetchFailure.NOT_SECURE, "handshake failure"),
        urllib.error.URLError(socket.gaierror(-2, "Name or service not known")): (
            FetchFailure.NO_SUCH_HOST, "[Errno -2] Name or service not known"),
        TimeoutError("timed out"): (FetchFailure.TIMED_OUT, ""),
        urllib.error.URLError(ConnectionRefusedError(111, "refused")): (FetchFailure.REFUSED, ""),
        http.client.RemoteDisconnected("closed"): (FetchFailure.HUNG_UP, "closed"),
        ConnectionResetError(104, "reset"): (FetchFailure.HUNG_UP, "[Errno 104] reset"),
        ValueError("unknown url type: 'x'"): (FetchFailure.BAD_ADDRESS, "unknown url type: 'x'"),
        urllib.error.URLError(OSError(101, "Network is unreachable")): (
            FetchFailure.NO_CONNECTION, "[Errno 101] Network is unreachable"),
    }  # fmt: skip
    got = {error: (classify(error).failure, classify(error).detail) for error in cases}
    assert got == cases
