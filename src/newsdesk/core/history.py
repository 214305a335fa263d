"""Revision history: how autosave revisions are coalesced and thinned, diffs and restore.

An article's history is a list of numbered revisions, each a snapshot of the whole article
(metadata, body, related links). Revisions made on purpose (Ctrl+S, a status change, an
export, a conflict, a restore) are kept for ever. Autosave revisions are coalesced while
typing goes on and thinned as they age, so a day of typing leaves dozens, not thousands:

- a new autosave revision is started only when the newest revision is not an autosave
  revision started less than :data:`COALESCE` (5 minutes) ago; otherwise that revision is
  updated in place with the newest text;
- of the autosave revisions, all those of the last hour are kept, then the newest of each
  10-minute slot within a day, of each hour within a week, and of each day beyond.

Numbers are never reused, so thinned revisions leave gaps in the numbering.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from newsdesk.core.errors import NotFoundError
from newsdesk.core.models import Article, Revision, Status
from newsdesk.core.ports import ArticleQuery, ArticleStore

AUTOSAVE = "autosave"
MANUAL = "manual"
STATUS = "status"
EXPORT = "export"
BEFORE_RESTORE = "before restore"
MAX_REASON_LENGTH = 300
"""The longest reason a revision keeps (an editor's "go ahead anyway" is a sentence)."""

COALESCE = timedelta(minutes=5)
"""An autosave revision younger than this takes the newest text in place."""

THINNING: tuple[tuple[timedelta | None, timedelta | None], ...] = (
    (timedelta(hours=1), None),  # the last hour: every autosave revision
    (timedelta(days=1), timedelta(minutes=10)),  # the last day: one per 10 minutes
    (timedelta(days=7), timedelta(hours=1)),  # the last week: one per hour
    (None, timedelta(days=1)),  # beyond: one per day
)
"""(up to this age, keep the newest autosave revision of each slot this long)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def restored_reason(number: int) -> str:
    return f"restored revision {number}"


def coalesces(newest_reason: str | None, newest_created: datetime | None, now: datetime) -> bool:
    """Whether an autosave at ``now`` updates the newest revision in place."""
    if newest_reason != AUTOSAVE or newest_created is None:
        return False
    # A revision from the future (a clock set back, another machine's clock) is left be.
    return timedelta(0) <= now - newest_created < COALESCE


def autosaves_to_drop(autosaves: Iterable[tuple[int, datetime]], now: datetime) -> set[int]:
    """The keys of the autosave revisions ``(key, created_at)`` that thinning removes.

    Slots are fixed on the calendar (UTC), so a revision kept today is still the newest
    of its slot tomorrow: thinning never has to be undone.
    """
    newest: dict[tuple[int, int], tuple[datetime, int]] = {}
    dropped: set[int] = set()
    for key, created in autosaves:
        age = now - created
        tier = next(i for i, (limit, _) in enumerate(THINNING) if limit is None or age < limit)
        slot = THINNING[tier][1]
        if slot is None:
            continue
        bucket = (tier, int((created - _EPOCH) // slot))
        held = newest.get(bucket)
        if held is None:
            newest[bucket] = (created, key)
        elif (created, key) > held:
            dropped.add(held[1])
            newest[bucket] = (created, key)
        else:
            dropped.add(key)
    return dropped


def revision_time(revision: Revision) -> datetime:
    """When the text of ``revision`` was written: an autosave revision takes the newest
    text in place while typing goes on, so its text is newer than when it was started."""
    if revision.reason == AUTOSAVE:
        stamp = revision.snapshot.get("updated_at")
        if isinstance(stamp, str):
            try:
                return datetime.fromisoformat(stamp)
            except ValueError:
                pass
    return revision.created_at


def find_revision(revisions: Sequence[Revision], number: int, headline: str = "") -> Revision:
    for revision in revisions:
        if revision.number == number:
            return revision
    numbers = ", ".join(str(r.number) for r in revisions) or "none"
    what = f"{headline!r}" if headline else "this article"
    raise NotFoundError(
        f"{what} has no revision {number}; its revisions are: {numbers} "
        "(see 'newsdesk history SLUG')"
    )


# -- what a revision holds, as text a journalist can compare ------------------------------


def metadata_fields(article: Article) -> list[tuple[str, str]]:
    """Every field of ``article`` but the body, as (label, text) in the editor's order."""

    def when(value: datetime | None) -> str:
        return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""

    def media(kind: str, value: object) -> list[tuple[str, str]]:
        if value is None:
            return [(kind, "")]
        fields = dataclasses.asdict(value)  # type: ignore[call-overload]
        return [(f"{kind} {name}" if name != "src" else kind, str(v)) for name, v in fields.items()]

    related = [
        f"{link.title} <{link.url or link.target_uri or ''}> ({link.relation.value}"
        + (", pinned)" if link.pinned else ")")
        for link in article.related
    ]
    corrections = [f"{c.when.astimezone():%Y-%m-%d}: {c.text}" for c in article.corrections]
    return [
        ("Headline", article.headline),
        ("Kicker", article.kicker),
        ("Standfirst", article.standfirst),
        ("Byline", article.byline),
        ("Dateline", article.dateline),
        ("Section", article.section),
        ("Tags", ", ".join(article.tags)),
        ("Status", article.status.label),
        ("Slug", article.slug),
        ("Display date", when(article.display_date)),
        ("Embargo until", when(article.embargo_until)),
        ("SEO title", article.seo_title),
        ("SEO description", article.seo_description),
        ("Canonical URL", article.canonical_url),
        *media("Image", article.image),
        *media("Audio", article.audio),
        ("Related links", "; ".join(related)),
        ("Corrections", "; ".join(corrections)),
        ("Editor's note", article.editor_note),
    ]


def article_text(article: Article) -> str:
    """The whole article as lines to diff: the filled-in fields, a blank line, the body."""
    head = "\n".join(f"{name}: {value}" for name, value in metadata_fields(article) if value)
    return f"{head}\n\n{article.body}"


def field_changes(old: Article, new: Article) -> list[tuple[str, str, str]]:
    """(label, before, after) of each field but the body that differs."""
    before = dict(metadata_fields(old))
    return [(name, before.get(name, ""), value) for name, value in metadata_fields(new)
            if before.get(name, "") != value]  # fmt: skip


def diff_lines(old: str, new: str, old_label: str, new_label: str, context: int = 2) -> list[str]:
    """A unified line diff (without line ends)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=context
        )
    )


def change_summary(old: Article, new: Article) -> str:
    """One line saying what changed from ``old`` to ``new``, e.g. for the command line."""
    parts = [name.lower() for name, _, _ in field_changes(old, new)]
    if old.body != new.body:
        delta = new.word_count - old.word_count
        parts.append(f"body ({delta:+,} words)" if delta else "body")
    return "changed: " + ", ".join(parts) if parts else "no change"


# -- restore and export revisions ---------------------------------------------------------


def restored(current: Article, revision: Revision) -> Article:
    """``current`` with the text, metadata and related links of ``revision``.

    The identity, the workflow status and, once published, the public address stay as
    they are: restoring an old text never unpublishes an article nor moves its URL.
    """
    article = dataclasses.replace(
        revision.article(),
        id=current.id,
        uri=current.uri,
        version=current.version,
        created_at=current.created_at,
        updated_at=current.updated_at,
        status=current.status,
        first_published_at=current.first_published_at,
    )
    if current.slug_frozen:
        article = dataclasses.replace(article, slug=current.slug, slug_locked=current.slug_locked)
    return article


def restore(store: ArticleStore, uri: str, number: int) -> tuple[Article, Article]:
    """Make revision ``number`` the article's newest text, as a new revision.

    Returns (the article before, the article after). Nothing is deleted: the text replaced
    is in the history already or is recorded first. Raises ``ConflictError`` if the
    article is saved elsewhere meanwhile.
    """
    current = store.get(uri)
    revisions = store.revisions(uri)
    revision = find_revision(revisions, number, current.headline)
    if revisions[-1].snapshot.get("version") != current.version:
        # The text being replaced was stored without a revision (an import, a script).
        store.add_revision(uri, BEFORE_RESTORE, snapshot=current)
    saved = store.save(restored(current, revision), reason=restored_reason(number))
    return current, saved


def record_exports(
    store: ArticleStore,
    *,
    statuses: Iterable[Status],
    since: datetime | None = None,
    left_out: Iterable[str] = (),
) -> int:
    """After an export: an "export" revision of each article it exported, unless the
    newest revision already holds that version. Returns how many were recorded.

    The exported articles are found with the export's own query (``statuses``), less
    those saved before ``since`` and those ``left_out`` (its problems).
    """
    query = ArticleQuery(statuses=frozenset(statuses), limit=1_000_000_000)
    skipped = set(left_out)
    versions = [
        (uri, version)
        for uri, version, updated_at in store.article_versions(query)
        if uri not in skipped and (since is None or updated_at >= since)
    ]
    return store.record_exports(versions)
