"""Bad input reaching the window: a message in the window, which stays open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsdesk import app
from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.store.engine import DamagedStoreError
from newsdesk.ui.saving.recovery import DamagedStoreDialog


def test_open_of_a_file_with_an_impossible_date_says_so_in_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    """``newsdesk open bad.md``, as the desktop's "Open with" runs it."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from newsdesk.ui.main_window import MainWindow

    db = tmp_path / "newsroom.db"
    store = open_store(str(db))
    store.create(Article(headline="Already here"))
    store.close()
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Council vote\ndate: 2026-02-30\n---\nThe vote is at six.\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    shown: list[MainWindow] = []
    show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (shown.append(self), show(self))[1])
    assert app.run_window(str(db), open_paths=[bad]) == 0
    (window,) = shown
    try:
        assert window.isVisible()
        (message,) = warned
        assert message.startswith("Nothing was imported.")
        assert f"{bad}:3: date: '2026-02-30' is not a date that exists" in message
        assert window.library.model.rowCount() == 1
    finally:
        window.session.journal = None
        window.preview.shutdown()
        window.deleteLater()


def test_the_damaged_store_dialog_shows_the_stores_message_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    shown: list[str] = []

    def quit_(dialog: DamagedStoreDialog) -> int:
        shown.append(dialog.details.toPlainText())
        return DamagedStoreDialog.QUIT

    monkeypatch.setattr(DamagedStoreDialog, "exec_choice", quit_)
    # What PySide6 makes of the store's error raised in the library's sort(), called by Qt.
    raised = DamagedStoreError(
        "Error calling Python override of QAbstractTableModel::sort(): The store "
        f"{tmp_path}/newsroom.db is damaged (database disk image is malformed)."
    )
    assert app.recover_damaged_store(str(tmp_path / "newsroom.db"), raised) == (None, "")
    assert shown == [
        f"The store {tmp_path}/newsroom.db is damaged (database disk image is malformed)."
    ]
