"""At start: give the store back the text a process left in the journal when it ended."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field

from newsdesk.core.errors import ConflictError, NewsdeskError, NotFoundError, ValidationError
from newsdesk.core.journal import Entry, Journal, JournalError, left_behind
from newsdesk.core.models import Article
from newsdesk.core.ports import ArticleStore

RECOVERED = "recovered from this computer"
"""The history's reason for text restored from the journal."""
RECOVERED_ASIDE = "recovered, changed elsewhere"  # the column holds 32

# Fields that the store sets itself: they differ whatever the text.
_STAMPS = {"id", "version", "created_at", "updated_at", "first_published_at", "slug",
           "word_count", "char_count"}  # fmt: skip


@dataclass
class Recovery:
    """What recovery did, for the window to say."""

    restored: list[Article] = field(default_factory=list)
    """Stored as the newest text (the store had not moved on)."""
    in_history: list[Article] = field(default_factory=list)
    """Changed elsewhere since: the text is in the article's history."""
    kept: list[Article] = field(default_factory=list)
    """The store could not take it now: still in the journal, tried at the next start."""

    def messages(self) -> list[str]:
        lines = []
        if self.restored:
            lines.append(
                "Restored text you typed before Newsdesk last stopped, which the store did "
                f"not have: {_names(self.restored)}."
            )
        if self.in_history:
            lines.append(
                f"{_names(self.in_history)} changed elsewhere since you last typed in it: "
                "your unsaved text from then is in its history (Article ▸ History)."
            )
        if self.kept:
            lines.append(
                f"Unsaved text of {_names(self.kept)} is kept on this computer: the store "
                "cannot take it now; it is tried again at the next start."
            )
        return lines


def _names(articles: list[Article]) -> str:
    return ", ".join(f"“{a.headline or 'Untitled article'}”" for a in articles)


def same_text(stored: Article, typed: Article) -> bool:
    """Whether the store already has what was typed (the store's own stamps aside)."""
    with contextlib.suppress(ValidationError):
        typed = typed.normalized()
    mine, theirs = typed.to_dict(counts=False), stored.to_dict(counts=False)
    return all(mine[k] == theirs.get(k) for k in mine if k not in _STAMPS)


def recover(store: ArticleStore, journal: Journal) -> Recovery:
    """Restore into ``store`` what journals of ended processes hold that the store lacks.

    Text edited from the version still stored becomes the newest text; when the store moved
    on meanwhile, it goes into the history instead, so no one's later work is replaced.
    What cannot be written now is carried into ``journal`` (this process's own), so it is
    neither lost nor restored twice.
    """
    found = left_behind(journal.folder)
    done = Recovery()
    try:
        for entry in found.entries:
            _restore_one(store, entry, done)
        for article in done.kept:
            entry = next(e for e in found.entries if e.uri == article.uri)
            journal.record(entry.article, entry.base_version)
        journal.settle()
    except JournalError:
        pass
    if journal.problem:
        return done  # not carried over: the files stay, the next start tries again
    found.release()
    return done


def _restore_one(store: ArticleStore, entry: Entry, done: Recovery) -> None:
    typed = entry.article
    try:
        try:
            stored = store.get(entry.uri)
        except NotFoundError:
            # Deleted elsewhere: store the text again as new, as the window does.
            done.restored.append(store.create(dataclasses.replace(typed, id=None, version=0)))
            return
        if same_text(stored, typed):
            return
        if stored.version == entry.base_version:
            mine = dataclasses.replace(typed, id=stored.id, version=stored.version)
            try:
                done.restored.append(store.save(mine, reason=RECOVERED))
                return
            except (ValidationError, ConflictError):
                pass  # not storable as the article (a slug taken since, a race): history
        store.add_revision(entry.uri, RECOVERED_ASIDE, snapshot=typed)
        done.in_history.append(typed)
    except NewsdeskError:
        done.kept.append(typed)
