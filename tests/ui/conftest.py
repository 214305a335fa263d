"""Fixtures for driving the real window offscreen, QtWebEngine included."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import StoreTemplates, no_fill

from newsdesk.core.models import Article
from newsdesk.store import open_store
from newsdesk.ui.background.collector import collect_on_gui_thread
from newsdesk.ui.preview.preview import register_scheme

from .lanes import settle_store_lanes

# The preview's URL scheme must be known before pytest-qt creates the QApplication.
register_scheme()


@pytest.fixture(autouse=True, scope="session")
def _cycles_collected_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """Python's cycle collector runs on the GUI thread only, as in the application (see
    newsdesk.ui.background.collector): run wherever it pleased, it freed a closed window's
    widgets on a store lane's thread, and the next test's event loop crashed on them."""
    collector = collect_on_gui_thread(qapp)
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _store_lanes_settled_after(qapp: Any) -> Iterator[None]:
    """The next test starts with the shared store lanes idle (see tests/ui/lanes.py). First
    of the autouse fixtures: its check runs last, after the test's windows were closed."""
    yield
    settle_store_lanes()


@pytest.fixture(autouse=True)
def _clipboard_emptied_after(qapp: Any) -> Iterator[None]:
    """A test that puts data on the clipboard hands it to Qt; left there until the
    application ends, it is freed twice and the test run dies of a segmentation fault."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()


@pytest.fixture(autouse=True)
def _no_modal_waits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal dialog nobody answers would hang the run (a failed test's window, closed at
    teardown with unstored text, asks what to do): unanswered, each is cancelled and noted.
    Tests about a dialog patch it themselves."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    asked: list[str] = []
    if request.node.get_closest_marker("real_dialogs"):
        return asked

    def cancel(dialog: QDialog) -> int:
        asked.append(dialog.windowTitle())
        return 0

    def cancel_message(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QDialog, "exec", cancel)
    monkeypatch.setattr(QMessageBox, "exec", cancel)
    for name in ("warning", "critical", "question", "information"):
        monkeypatch.setattr(QMessageBox, name, cancel_message)
    return asked


@pytest.fixture(autouse=True)
def _readiness_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing Ready or Published shows the readiness checklist, a modal dialog; in tests
    that are not about it, the journalist goes ahead (tests of it patch it again)."""
    from newsdesk.ui.checks.readiness_dialog import ReadinessDialog

    def go_ahead(dialog: ReadinessDialog) -> int:
        dialog.reason.setText("(a test that is not about the checklist)")
        return 1

    monkeypatch.setattr(ReadinessDialog, "exec", go_ahead)


@pytest.fixture
def settings_store(tmp_path: Path) -> Any:
    from PySide6.QtCore import QSettings

    from newsdesk.ui.settings import SettingsStore

    return SettingsStore(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def sample_store(tmp_path: Path, store_templates: StoreTemplates) -> Iterator[Any]:
    """The sample archive in a store of the test's own (a copy of one loaded once)."""
    from newsdesk.core.sample import load_sample
    from newsdesk.store import open_store

    store_templates.sqlite("sample", load_sample, tmp_path / "newsroom.db")
    store = open_store(str(tmp_path / "newsroom.db"))
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path, store_templates: StoreTemplates) -> Iterator[Any]:
    from newsdesk.store import open_store

    store_templates.sqlite("migrated", no_fill, tmp_path / "empty.db")
    store = open_store(str(tmp_path / "empty.db"))
    yield store
    store.close()


@pytest.fixture
def make_window(qtbot: Any, settings_store: Any) -> Iterator[Callable[[Any], Any]]:
    from newsdesk.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(store: Any) -> Any:
        window = MainWindow(store, settings_store)
        qtbot.addWidget(window)
        window.resize(1500, 950)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.session.flush()
        window.preview.shutdown()


def run_js(qtbot: Any, preview: Any, script: str, timeout: int = 10_000) -> Any:
    """Evaluate the expression ``script`` in the preview page and return its value.

    The value travels as JSON: Qt hands back objects and arrays as empty strings.
    """
    box: dict[str, Any] = {}
    wrapped = (
        f"(() => {{ const v = ({script}); "
        "return v === undefined ? 'null' : JSON.stringify(v); })()"
    )
    preview.run_js(wrapped, lambda value: box.setdefault("value", value))
    qtbot.waitUntil(lambda: "value" in box, timeout=timeout)
    raw = box["value"]
    return None if raw in (None, "") else json.loads(raw)


def wait_for_dom(
    qtbot: Any, preview: Any, script: str, expected: Callable[[Any], bool], timeout: int = 15_000
) -> Any:
    """Poll the DOM until ``expected(value of script)`` holds; return that value."""
    seen: dict[str, Any] = {}

    def check() -> bool:
        seen["value"] = run_js(qtbot, preview, script)
        return bool(expected(seen["value"]))

    qtbot.waitUntil(check, timeout=timeout)
    return seen["value"]


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Files and folders nobody may write, root included (the immutable attribute)."""
    as_root = os.geteuid() == 0
    for path in paths:
        if as_root:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        else:
            path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path in reversed(paths):
            if as_root:
                subprocess.run(["chattr", "-i", str(path)], check=True)
            else:
                path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    store = open_store(str(folder / "newsroom.db"))
    store.create(Article(headline="Ferry strike ends", body="First paragraph."))
    store.close()
    return folder / "newsroom.db"


@pytest.fixture
def journal_folder(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal" / "store"


@pytest.fixture
def open_window(
    qtbot: Any, settings_store: Any, journal_folder: Path
) -> Iterator[Callable[[Any], Any]]:
    """Windows on a store, each with its journal and showing its first article; closed at
    the end without questions (the text they hold is discarded, not kept or saved)."""
    from newsdesk.core.journal import Journal
    from newsdesk.ui.main_window import MainWindow

    windows: list[Any] = []

    def make(store: Any) -> Any:
        window = MainWindow(store, settings_store, journal=Journal(journal_folder))
        window.resize(1200, 800)
        window.show()
        window.session.RETRY_MS = 150  # retry soon: the tests wait for it
        qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
        windows.append(window)
        return window

    yield make
    for window in windows:  # closed here, before pytest-qt would, and without questions
        window.session.journal = None
        window.session.discard()
        window.session.WAIT_S = 0.1
        window.close()
        window.preview.shutdown()
        window.deleteLater()
