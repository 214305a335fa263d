"""Web requests with urllib behind core's :class:`~newsdesk.core.ports.Opener` port: what a
server said, or what went wrong, in core's words (``core.linkcheck`` decides the rest)."""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any

from newsdesk import __version__
from newsdesk.core.ports import Answer, FetchError, FetchFailure

USER_AGENT = f"Newsdesk/{__version__} link check"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx then surfaces as an HTTPError we read the Location from


_URLLIB = urllib.request.build_opener(_NoRedirects)


def http_opener(method: str, url: str, timeout: float) -> Answer:
    """One request with urllib (system proxies honoured), headers only, redirects not
    followed; :class:`FetchError` when no answer came."""
    try:
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        with _URLLIB.open(request, timeout=timeout) as response:
            return Answer(int(response.status))
    except urllib.error.HTTPError as error:  # an answer all the same: 3xx, 4xx, 5xx
        try:
            return Answer(error.code, error.headers.get("Location") if error.headers else None)
        finally:
            error.close()
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise classify(error) from error


def classify(error: BaseException) -> FetchError:
    """What urllib, the socket or TLS raised, as the failure core knows."""
    reason: object = error
    if isinstance(error, urllib.error.URLError) and not isinstance(error.reason, str):
        reason = error.reason  # urllib wraps what went wrong while sending the request
    if isinstance(reason, ssl.SSLCertVerificationError):
        return FetchError(FetchFailure.BAD_CERTIFICATE, reason.verify_message or "")
    if isinstance(reason, ssl.SSLError):
        return FetchError(FetchFailure.NOT_SECURE, str(reason))
    if isinstance(reason, socket.gaierror):
        return FetchError(FetchFailure.NO_SUCH_HOST, str(reason))
    if isinstance(reason, TimeoutError):
        return FetchError(FetchFailure.TIMED_OUT)
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(FetchFailure.REFUSED)
    if isinstance(reason, (http.client.HTTPException, ConnectionResetError)):
        return FetchError(FetchFailure.HUNG_UP, str(reason))
    if isinstance(reason, ValueError):
        return FetchError(FetchFailure.BAD_ADDRESS, str(reason))
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, str):
        return FetchError(FetchFailure.UNSUPPORTED, error.reason)
    return FetchError(FetchFailure.NO_CONNECTION, str(reason))
