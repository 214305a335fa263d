"""The user's preferences survive a restart; a damaged value falls back to its default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from newsdesk.ui.settings import AppSettings, SettingsStore


def test_settings_round_trip(tmp_path: Path, qapp: Any) -> None:
    path = str(tmp_path / "s.ini")
    store = SettingsStore(QSettings(path, QSettings.Format.IniFormat))
    settings = AppSettings(
        editor_font_size=15,
        autosave_delay_ms=1500,
        preview_phone=True,
        window_geometry=b"\x01\x02geometry",
        pane_widths=[250, 330, 600],
        pane_priority="library,preview,inspector",
        inspector_visible=False,
        typewriter=True,
        my_byline="Ana Lima",
        my_section="Politics",
        library_hidden_columns=[],
    )
    store.save(settings)
    again = SettingsStore(QSettings(path, QSettings.Format.IniFormat)).load()
    assert again == settings


def test_damaged_values_fall_back_and_the_autosave_promise_holds(tmp_path: Path, qapp: Any) -> None:
    path = tmp_path / "s.ini"
    path.write_text("[General]\neditor_font_size=huge\nautosave_delay_ms=60000\n")
    loaded = SettingsStore(QSettings(str(path), QSettings.Format.IniFormat)).load()
    assert loaded.editor_font_size == AppSettings().editor_font_size
    assert loaded.autosave_delay_ms == 2000  # never more than 2 s of typing at risk


def test_window_remembers_layout(
    qtbot: Any, make_window: Any, sample_store: Any, settings_store: Any
) -> None:
    window = make_window(sample_store)
    window.commands.library.trigger()  # hidden by the user
    window.splitter.setSizes([0, 500, 420, 580])  # the details dragged wider
    window.splitter.splitterMoved.emit(920, 3)
    window.library.set_hidden_columns([])
    window.commands.phone.setChecked(True)
    window.close()
    saved = settings_store.load()
    assert saved.library_hidden_columns == []
    assert saved.preview_phone is True
    assert saved.library_visible is False
    assert saved.pane_widths[1] == 420

    again = make_window(sample_store)
    assert not again.library.isVisible()
    assert again.editor.inspector.width() == 420
