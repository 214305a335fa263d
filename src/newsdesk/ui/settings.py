"""The window's own settings: one typed object, every default in one place."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from newsdesk.core.media.media import MediaLimits
from newsdesk.ui.desk.desk_layout import DEFAULT_PRIORITY, Pane

ORGANISATION = "Newsdesk"
APPLICATION = "Newsdesk"
MB = 1024 * 1024
MAX_MEDIA_MB = 1000  # PostgreSQL keeps at most 1 GB in one value
_DEFAULT_LIMITS = MediaLimits()
_SIDE_PANES = (Pane.LIBRARY, Pane.INSPECTOR, Pane.PREVIEW)


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog was last set to for one publication."""

    folder: str = ""
    formats: tuple[str, ...] = ()
    articles: str = ""  # the label of the "Articles" choice (which statuses)

    def to_json(self) -> dict[str, object]:
        return {"folder": self.folder, "formats": list(self.formats), "articles": self.articles}

    @classmethod
    def from_json(cls, data: object) -> ExportChoice:
        if not isinstance(data, dict):
            raise ValueError("not an export choice")
        formats = data.get("formats", [])
        if not isinstance(formats, list):
            raise ValueError("formats is not a list")
        return cls(str(data.get("folder", "")), tuple(map(str, formats)),
                   str(data.get("articles", "")))  # fmt: skip


@dataclass
class AppSettings:
    """Preferences of this user on this machine (the publication's live in the store)."""

    editor_font_family: str = "DejaVu Sans"
    editor_font_size: int = 12
    autosave_delay_ms: int = 800
    preview_phone: bool = False
    preview_visible: bool = True
    library_visible: bool = True
    inspector_visible: bool = True
    pane_priority: str = ",".join(DEFAULT_PRIORITY)
    """Who gets the room first when the window is narrow (the last pane asked for)."""
    pane_widths: list[int] = field(default_factory=lambda: [0, 0, 0])
    """How wide the user made the library, details and preview (0: never resized)."""
    typewriter: bool = False
    window_geometry: bytes = b""
    window_state: bytes = b""
    check_spelling: bool = True
    """Underline spelling and house-style problems while typing."""
    style_folder: str = ""
    """A Vale style folder for the house style (Newsdesk's British news style if empty)."""
    word_target: int = 0
    """Words a story should have, shown as progress (0: no target)."""
    my_words: str = ""
    """My dictionary: words spelt right for this journalist, one per line."""
    my_byline: str = ""
    """My details: the journalist's own byline, given to every new article."""
    my_section: str = ""
    my_dateline: str = ""
    library_hidden_columns: list[int] = field(default_factory=lambda: [2, 3])
    media_image_limit_mb: int = _DEFAULT_LIMITS.max_image_bytes // MB
    media_audio_limit_mb: int = _DEFAULT_LIMITS.max_audio_bytes // MB
    export_choices: dict[str, ExportChoice] = field(default_factory=dict)
    """The export dialog's folder and formats, by publication name."""

    def __post_init__(self) -> None:
        # The brief promises at most 2 s of typing at risk.
        self.autosave_delay_ms = max(200, min(2000, int(self.autosave_delay_ms)))
        self.media_image_limit_mb = max(1, min(MAX_MEDIA_MB, int(self.media_image_limit_mb)))
        self.media_audio_limit_mb = max(1, min(MAX_MEDIA_MB, int(self.media_audio_limit_mb)))

    def media_limits(self) -> MediaLimits:
        """What a picture or audio file may weigh when added from this window."""
        return MediaLimits(
            max_image_bytes=self.media_image_limit_mb * MB,
            max_audio_bytes=self.media_audio_limit_mb * MB,
        )

    def wanted_panes(self) -> set[Pane]:
        """The panes switched on (each shows when the window has room for it)."""
        flags = {Pane.LIBRARY: self.library_visible, Pane.INSPECTOR: self.inspector_visible,
                 Pane.PREVIEW: self.preview_visible}  # fmt: skip
        return {pane for pane, on in flags.items() if on}

    def priority(self) -> tuple[Pane, ...]:
        known = {pane.value: pane for pane in Pane}
        named = [known[name] for name in self.pane_priority.split(",") if name in known]
        return tuple(dict.fromkeys([*named, *DEFAULT_PRIORITY]))

    def widths(self) -> dict[Pane, int]:
        return {pane: w for pane, w in zip(_SIDE_PANES, self.pane_widths, strict=False) if w > 0}

    def with_desk(
        self, wanted: set[Pane], priority: tuple[Pane, ...], widths: dict[Pane, int]
    ) -> AppSettings:
        """These settings, remembering the window's panes as the user left them."""
        return dataclasses.replace(
            self,
            library_visible=Pane.LIBRARY in wanted,
            inspector_visible=Pane.INSPECTOR in wanted,
            preview_visible=Pane.PREVIEW in wanted,
            pane_priority=",".join(priority),
            pane_widths=[widths.get(pane, 0) for pane in _SIDE_PANES],
        )

    def export_choice(self, publication: str) -> ExportChoice | None:
        """The export dialog's last choices for ``publication``, if it was ever used."""
        return self.export_choices.get(publication)

    def with_export_choice(self, publication: str, choice: ExportChoice) -> AppSettings:
        """These settings, remembering ``choice`` for ``publication``."""
        return dataclasses.replace(
            self, export_choices={**self.export_choices, publication: choice}
        )


class SettingsStore:
    """Reads and writes :class:`AppSettings` through QSettings, and nowhere else."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings or QSettings(ORGANISATION, APPLICATION)

    def load(self) -> AppSettings:
        defaults = AppSettings()
        values: dict[str, Any] = {}
        for f in dataclasses.fields(AppSettings):
            default = getattr(defaults, f.name)
            raw = self.qsettings.value(f.name)
            if raw is None:
                continue
            try:
                values[f.name] = _convert(raw, default)
            except (TypeError, ValueError):
                continue  # a damaged value falls back to its default
        return AppSettings(**values)

    def save(self, settings: AppSettings) -> None:
        for f in dataclasses.fields(AppSettings):
            value = getattr(settings, f.name)
            if isinstance(value, bytes):
                value = QByteArray(value)
            elif isinstance(value, dict):
                # QSettings' INI nesting would mangle names with spaces and slashes.
                value = json.dumps({k: v.to_json() for k, v in value.items()}, sort_keys=True)
            self.qsettings.setValue(f.name, value)
        self.qsettings.sync()


def _convert(raw: object, default: object) -> object:
    if isinstance(default, bool):
        return raw in (True, "true", "1", 1)
    if isinstance(default, int):
        return int(str(raw))
    if isinstance(default, bytes):
        if isinstance(raw, QByteArray):
            return raw.data()
        return raw if isinstance(raw, bytes) else b""
    if isinstance(default, dict):
        loaded = json.loads(str(raw))
        if not isinstance(loaded, dict):
            raise ValueError("not a table of export choices")
        return {str(k): ExportChoice.from_json(v) for k, v in loaded.items()}
    if isinstance(default, list):
        items = raw if isinstance(raw, list) else ([] if raw in ("", None) else [raw])
        return [int(str(x)) for x in items]
    return str(raw)
