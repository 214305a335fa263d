"""Dates as the publication writes them, without the platform's strftime quirks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from difflib import get_close_matches
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from newsdesk.core.errors import ValidationError

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DIRECTIVE = re.compile(r"%([-_0^#]?)([A-Za-z%])")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The time zone ``name``; a clear error when the profile names one that does not exist."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_zone_problem(name or "UTC")) from None


def _zone_problem(name: str) -> str:
    """Why ``name`` was not found: this machine has no zone data at all, or no such zone."""
    known = available_timezones()
    if not known:
        # Neither the system's zoneinfo folder nor the tzdata package (a dependency of
        # Newsdesk) was found: every name fails, the correct ones too.
        return (
            f"cannot look up the time zone {name!r}: no time zone data is installed (neither "
            "the system's zoneinfo folder nor Python's tzdata package); reinstall Newsdesk "
            "with its dependencies, or install the tzdata package"
        )
    if name in known:
        return (
            f"cannot read the time zone data for {name!r} (the file is damaged); reinstall "
            "the tzdata package or your system's time zone data"
        )
    close = get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as 'Europe/London'"
    return f"unknown time zone {name!r} in the publication profile; {hint}"


@lru_cache(maxsize=8192)
def format_date(moment: datetime, pattern: str, time_zone: str = "UTC") -> str:
    """``moment`` in ``time_zone`` written with a strftime-like ``pattern``.

    Supports ``%a %A %b %B %h %d %e %j %m %y %Y %H %I %M %S %p %Z %z %%``; the ``-`` flag
    drops the padding (``%-d`` gives ``7``, not ``07``) on every platform. Names are
    English; unknown directives are kept as written.
    """
    local = moment.astimezone(zone(time_zone))

    def replace(match: re.Match[str]) -> str:
        flag, code = match.group(1), match.group(2)
        value = _field(local, code)
        if value is None:
            return match.group(0)
        text, padded = value
        if flag == "-" and padded:
            text = text.lstrip("0") or "0"
        elif flag == "_" and padded:
            text = (text.lstrip("0") or "0").rjust(len(text))
        elif flag == "^":
            text = text.upper()
        return text

    return _DIRECTIVE.sub(replace, pattern)


def _field(local: datetime, code: str) -> tuple[str, bool] | None:
    """The text of one directive and whether it is zero-padded (``None``: unknown)."""
    make = _FIELDS.get(code)
    return None if make is None else make(local)


# Each directive computes only its own value: a page's date line asks for three of them.
_FIELDS: dict[str, Callable[[datetime], tuple[str, bool]]] = {
    "a": lambda t: (_DAYS[t.weekday()][:3], False),
    "A": lambda t: (_DAYS[t.weekday()], False),
    "b": lambda t: (_MONTHS[t.month - 1][:3], False),
    "h": lambda t: (_MONTHS[t.month - 1][:3], False),
    "B": lambda t: (_MONTHS[t.month - 1], False),
    "d": lambda t: (f"{t.day:02d}", True),
    "e": lambda t: (f"{t.day:2d}", False),
    "j": lambda t: (f"{t.timetuple().tm_yday:03d}", True),
    "m": lambda t: (f"{t.month:02d}", True),
    "y": lambda t: (f"{t.year % 100:02d}", True),
    "Y": lambda t: (str(t.year), False),
    "H": lambda t: (f"{t.hour:02d}", True),
    "I": lambda t: (f"{(t.hour % 12) or 12:02d}", True),
    "M": lambda t: (f"{t.minute:02d}", True),
    "S": lambda t: (f"{t.second:02d}", True),
    "p": lambda t: ("AM" if t.hour < 12 else "PM", False),
    "Z": lambda t: (t.tzname() or "", False),
    "z": lambda t: (t.strftime("%z"), False),
    "%": lambda t: ("%", False),
}


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC to the second (``2026-01-17T09:30:00Z``): what feeds and JSON expect."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:-6] + "Z"


def local_iso(moment: datetime, time_zone: str) -> str:
    """RFC 3339 in the publication's time zone, to the second, for ``<time datetime>``."""
    return moment.astimezone(zone(time_zone)).replace(microsecond=0).isoformat()


def duration_text(seconds: int) -> str:
    """``4:05`` or ``1:02:03``, as an audio player shows a length."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_iso(seconds: int) -> str:
    """ISO 8601 duration (``PT4M5S``) for ``<time datetime>`` and JSON-LD."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out
