"""Sync of what the newsroom shares besides stories: its dictionary and its publication
profile. Both are small, so each side is read whole and merged three ways against what the
server held at the last sync (kept in the laptop's store): a word added or removed on one
side is added or removed on the other; the profile goes to the side that did not change it,
and when both changed it the newsroom's stays (the report says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsdesk.core.models import PublicationProfile
from newsdesk.store.repository import SqlStore
from newsdesk.store.schema import SettingRow

SEEN_KEY = "sync_shared"  # {"words": [...], "profile": {...}} as the server had them


@dataclass(frozen=True, slots=True)
class SharedReport:
    words_sent: int = 0
    words_received: int = 0
    profile: str = ""  # "", "sent", "received", "newsroom kept" (changed on both sides)


def sync_shared(local: SqlStore, server: SqlStore) -> SharedReport:
    """Merge the dictionary and the profile both ways; idempotent (re-run after a cut)."""
    seen = _read_seen(local)
    words_sent, words_received, words = _words(local, server, seen.get("words"))
    profile_note, profile = _profile(local, server, seen.get("profile"))
    value = {"words": sorted(words), "profile": profile}
    if value == seen:
        return SharedReport(words_sent, words_received, profile_note)  # nothing to write
    with local.transaction(write=True) as session:
        row = session.get(SettingRow, SEEN_KEY)
        if row is None:
            session.add(SettingRow(key=SEEN_KEY, value=value))
        else:
            row.value = value
    return SharedReport(words_sent, words_received, profile_note)


def _read_seen(local: SqlStore) -> dict[str, Any]:
    with local.transaction(write=False) as session:
        row = session.get(SettingRow, SEEN_KEY)
        return dict(row.value) if row else {}


def _words(local: SqlStore, server: SqlStore, seen: list[str] | None) -> tuple[int, int, set[str]]:
    mine, theirs = local.newsroom_words(), server.newsroom_words()
    base = set(seen) if seen is not None else set()
    added_here, removed_here = mine - base, (base - mine) if seen is not None else set()
    for word in sorted(added_here - theirs):
        server.add_newsroom_word(word)
    for word in sorted(removed_here & theirs):
        server.remove_newsroom_word(word)
    merged = (theirs | added_here) - removed_here
    for word in sorted(merged - mine):
        local.add_newsroom_word(word)
    for word in sorted(mine - merged):
        local.remove_newsroom_word(word)
    return len(added_here - theirs) + len(removed_here & theirs), len(merged - mine), merged


def _profile(
    local: SqlStore, server: SqlStore, seen: dict[str, Any] | None
) -> tuple[str, dict[str, Any]]:
    mine, theirs = local.profile().to_dict(), server.profile().to_dict()
    default = PublicationProfile().to_dict()
    if mine == theirs:
        return "", theirs
    if (seen is None and theirs == default) or (seen is not None and seen == theirs):
        server.save_profile(PublicationProfile.from_dict(mine))  # only changed here
        return "sent", mine
    local.save_profile(PublicationProfile.from_dict(theirs))
    changed_here = mine != (default if seen is None else seen)
    return ("newsroom kept" if changed_here else "received"), theirs
