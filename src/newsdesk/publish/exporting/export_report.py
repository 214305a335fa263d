"""What an export is asked for and what it reports: the public types of :mod:`export`."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from newsdesk.core.media.media import MediaAsset
from newsdesk.core.models import Article, PublicationProfile, Status
from newsdesk.core.ports import ArticleQuery
from newsdesk.publish.errors import ExportError
from newsdesk.publish.formats import FORMATS

GENERATOR = "Newsdesk export 1"


class ExportSource(Protocol):
    """What export needs of the store (``ArticleStore`` provides all of it).

    Export trusts an article's ``(version, updated_at)``: an article with both as at the
    folder's last export is not read again (every save changes them).
    """

    def article_versions(
        self, query: ArticleQuery | None = None
    ) -> list[tuple[str, int, datetime]]: ...

    def listed_versions(
        self, statuses: Collection[Status]
    ) -> list[tuple[str, int, datetime, Status]]: ...

    def read_many(self, uris: Sequence[str]) -> list[Article]: ...

    def profile(self) -> PublicationProfile: ...

    def cached_render(self, key: str) -> str | None: ...

    def store_render(self, key: str, html: str) -> None: ...

    def cached_renders(self, keys: Sequence[str]) -> dict[str, str]: ...

    def store_renders(self, items: Mapping[str, str]) -> None: ...

    def media_many(self, keys: Collection[str]) -> dict[str, MediaAsset]: ...

    def media_data(self, key: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class ExportProblem:
    """An article that was left out, and why, in words for the journalist."""

    uri: str
    headline: str
    message: str


@dataclass(slots=True)
class ExportReport:
    """What an export did. Paths are relative to ``out_dir``."""

    out_dir: Path
    formats: tuple[str, ...]
    articles: int = 0
    rendered: int = 0
    cold_renders: int = 0
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    problems: list[ExportProblem] = field(default_factory=list)
    held: list[ExportProblem] = field(default_factory=list)
    bundle: Path | None = None
    chosen: int | None = None  # a partial export (``only``): how many stories it wrote
    seconds: float = 0.0
    media_encoded: int = 0  # renditions encoded in this run
    media_reused: int = 0  # renditions used as an earlier export made them
    media_warnings: list[str] = field(default_factory=list)  # pictures without alt or credit
    # The stories the hand-off manifest lists as added or updated, in its order: [] when
    # the export changed nothing; None when it wrote no manifest (an error before it).
    handed_off: list[str] | None = None
    # An export that changed no file made the manifest again: it was edited or removed.
    manifest_mended: bool = False

    def summary(self) -> str:
        """One paragraph for the status bar or the terminal."""
        if self.chosen is None:
            what = f"{self.articles} article{'s' if self.articles != 1 else ''}"
        else:  # the folder keeps the other stories' files as they were
            kept = self.articles - self.chosen
            what = (
                f"{self.chosen} chosen article{'s' if self.chosen != 1 else ''}"
                f" (the other {kept} in the folder kept as they were)"
            )
        parts = [
            f"Exported {what} ({', '.join(self.formats)}) to {self.out_dir}",
            f"{len(self.written)} file(s) written, {self.unchanged} unchanged, "
            f"{len(self.deleted)} removed",
        ]
        if self.held:
            parts.append(f"{len(self.held)} held back by embargo")
        if self.media_encoded or self.media_reused:
            parts.append(
                f"{self.media_encoded} picture and audio file(s) made, {self.media_reused} reused"
            )
        if self.media_warnings:
            count = len(self.media_warnings)
            listed = ", ".join(self.media_warnings[:3]) + (" ..." if count > 3 else "")
            parts.append(
                f"{count} picture{'s' if count != 1 else ''} "
                f"lack{'s' if count == 1 else ''} alt text or credit: {listed}"
            )
        if self.problems:
            parts.append(f"{len(self.problems)} left out (see problems)")
            missing = [p for p in self.problems if "missing from the media library" in p.message]
            if missing:
                parts.append(
                    f"{len(missing)} with media missing: "
                    + ", ".join(f"{p.headline!r} ({p.message})" for p in missing[:3])
                )
        if self.kept:
            parts.append(f"{len(self.kept)} edited by someone else and left in place")
        if self.manifest_mended:
            parts.append(
                "handoff.json and HANDOFF.md made again, as they were edited or removed "
                "since the last export"
            )
        return "; ".join(parts) + f" in {self.seconds:.1f} s."


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """``"site,ninjs"`` or a list of names, checked, in the canonical order."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = {n.strip().lower() for n in names if n.strip()}
    if not wanted or wanted == {"all"}:
        return FORMATS
    unknown = sorted(wanted - set(FORMATS))
    if unknown:
        raise ExportError(
            f"unknown export format {', '.join(unknown)}; use any of: {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in wanted)
