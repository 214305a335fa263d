"""Word and character counts as core defines them, computed once per rendered body."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.core import text


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A body as HTML with the counts the page and the hand-off formats show."""

    html: str
    words: int
    chars: int

    @property
    def reading_minutes(self) -> int:
        return text.reading_minutes(self.words)

    def to_cache(self) -> str:
        return f"{_MAGIC} {self.words} {self.chars}\n{self.html}"

    @classmethod
    def from_cache(cls, value: str | None) -> RenderedBody | None:
        """Parse a cache entry; ``None`` for an entry this version did not write."""
        if not value or not value.startswith(_MAGIC + " "):
            return None
        head, _, html = value.partition("\n")
        parts = head.split(" ")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(html=html, words=int(parts[1]), chars=int(parts[2]))


_MAGIC = "newsdesk-body"


def rendered(markdown_text: str, html: str) -> RenderedBody:
    return RenderedBody(html, text.word_count(markdown_text), text.char_count(markdown_text))
