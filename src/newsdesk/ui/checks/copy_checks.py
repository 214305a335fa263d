"""Spelling and house style for the window: one checker per story, its answers cached.

Every field's text is checked paragraph by paragraph; a paragraph's problems are kept by
its text, so typing re-checks only the paragraph being typed in. Dictionaries (the
newsroom's, in the store; the journalist's own, in the settings) and the ignore list of
the open story change what is known; ``changed`` then asks every underline to redraw.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from newsdesk.core.checks.checker import ArticleChecker, names_of
from newsdesk.core.checks.checks import CheckKind, Problem
from newsdesk.core.checks.house_style import Style, default_style, load_style
from newsdesk.core.errors import NewsdeskError
from newsdesk.core.models import Article

CACHE_SIZE = 20_000
"""Paragraphs whose problems are kept (a long story has a few hundred)."""


def load_house_style(folder: str) -> tuple[Style | None, str]:
    """The style in ``folder`` (Newsdesk's British news style when empty), and a note for
    Settings when it cannot be used (style checks are then off, nothing else)."""
    try:
        return (load_style(Path(folder)) if folder else default_style()), ""
    except (NewsdeskError, OSError) as exc:
        return None, f"House style is off: {exc}"


class CopyChecks(QObject):
    """The window's spelling and style checker, for the story that is open."""

    changed = Signal()
    """What counts as a problem changed (a word added or ignored, another story or style):
    every underline redraws."""

    def __init__(
        self,
        language: str,
        style: Style | None,
        *,
        newsroom_words: Callable[[], set[str]] = set,
        add_newsroom_word: Callable[[str], None] | None = None,
        my_words: set[str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.enabled = True
        self.style = style
        self.my_words: set[str] = set(my_words or ())
        self._newsroom_words = newsroom_words
        self._add_newsroom_word = add_newsroom_word
        self._newsroom: set[str] = set()
        self._names: set[str] = set()
        self._ignored: set[str] = set()
        self._checkers: dict[str, ArticleChecker] = {}
        self._cache: OrderedDict[tuple[str, str], list[Problem]] = OrderedDict()
        self.language = language
        self.reload_words()

    # -- which checker ----------------------------------------------------------------

    @property
    def checker(self) -> ArticleChecker:
        """The checker for the current language (made once per language)."""
        checker = self._checkers.get(self.language)
        if checker is None:
            checker = ArticleChecker(self.language, self.style)
            self._checkers[self.language] = checker
        checker.known = self._newsroom | self.my_words | self._names
        checker.ignored = set(self._ignored)
        return checker

    @property
    def missing_dictionary(self) -> str:
        """Why spelling is off (no dictionary for the language), or ``""``."""
        missing = self.checker.missing
        return str(missing) if missing is not None else ""

    def set_article(self, article: Article, default_language: str) -> None:
        """Check ``article`` from now on: its language, the names it uses, no ignores."""
        language = article.language or default_language
        names = names_of(article)
        if language == self.language and names == self._names and not self._ignored:
            return
        self.language, self._names, self._ignored = language, names, set()
        self._reset()

    def set_style(self, style: Style | None) -> None:
        self.style = style
        self._checkers.clear()
        self._reset()

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self._reset()

    def reload_words(self) -> None:
        """Read the newsroom's dictionary again (another desk may have added to it)."""
        try:
            self._newsroom = set(self._newsroom_words())
        except NewsdeskError:
            self._newsroom = set()  # the store is away: the words come back with it
        self._reset()

    # -- what the context menu offers -------------------------------------------------

    def add_to_newsroom(self, word: str) -> None:
        if self._add_newsroom_word is None:
            return
        self._add_newsroom_word(word)
        self._newsroom.add(word)
        self._reset()

    def add_to_mine(self, word: str) -> None:
        self.my_words.add(word)
        self._reset()

    def ignore(self, word: str) -> None:
        """Accept ``word`` in this story until another one is opened."""
        self._ignored.add(word)
        self._reset()

    def suggestions(self, problem: Problem, word: str, limit: int = 6) -> list[str]:
        """What to offer instead of ``word``: the rule's fixes, or the dictionary's."""
        if problem.suggestions:
            return list(problem.suggestions[:limit])
        if problem.kind == CheckKind.SPELLING:
            return self.checker.suggestions(word)[:limit]
        return []

    # -- checking ---------------------------------------------------------------------

    def problems(self, field: str, text: str) -> list[Problem]:
        """The spelling and style problems of one paragraph of ``field`` (offsets in it)."""
        if not self.enabled or not text.strip():
            return []
        key = (field, text)
        found = self._cache.get(key)
        if found is None:
            found = self.checker.check_field(field, text)
            self._cache[key] = found
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return found

    def cached(self, field: str, text: str) -> list[Problem] | None:
        """The problems if this paragraph was checked already, else ``None``."""
        if not self.enabled or not text.strip():
            return []
        return self._cache.get((field, text))

    def _reset(self) -> None:
        self._cache.clear()
        self.changed.emit()
