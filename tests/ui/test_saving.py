"""Saving from the window: failures keep the text, conflicts lose nothing, export runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article
from newsdesk.ui.saving.session import SaveState


class FlakyStore:
    """A real store whose writes can be made to fail, as when a disk goes read-only."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.broken = False

    def save(self, article: Article, *, reason: str | None = None) -> Article:
        if self.broken:
            raise StoreError("The store /tmp/x.db is read-only, so nothing can be saved to it.")
        return self._store.save(article, reason=reason)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_store_that_goes_read_only_keeps_the_text_and_retries(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    flaky = FlakyStore(empty_store)
    window = make_window(flaky)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    uri = window.session.stored.uri
    flaky.broken = True
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, "Words typed while the disk was read-only.")
    qtbot.waitUntil(lambda: window.session.state == SaveState.FAILED, timeout=5000)
    assert "read-only" in window.statusBar().currentMessage()
    assert window.editor.body.toPlainText() == "Words typed while the disk was read-only."
    assert window.isWindowModified()
    flaky.broken = False
    window.session.RETRY_MS = 100
    window.session.flush()
    assert empty_store.get(uri).body == "Words typed while the disk was read-only."
    assert window.session.state == SaveState.SAVED


def test_a_conflicting_save_keeps_both_versions(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    mine = window.session.stored
    # Another machine saves a newer version of the same article.
    theirs = empty_store.save(mine.edited(body="Their paragraph."))
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, "My paragraph.")
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert empty_store.get(mine.uri).body == "Their paragraph."  # until the choice
    window.conflict_bar.keep.click()
    stored = empty_store.get(mine.uri)
    assert stored.body == "My paragraph."
    assert stored.version > theirs.version
    history = empty_store.revisions(mine.uri)
    assert any(r.snapshot["body"] == "Their paragraph." for r in history)


def test_taking_their_version_keeps_mine_in_the_history(
    qtbot: Any, make_window: Any, empty_store: Any
) -> None:
    window = make_window(empty_store)
    window.welcome.blank.click()
    window.calls.writes.wait(10)  # stored off the GUI thread: its answer
    mine = window.session.stored
    empty_store.save(mine.edited(body="Their paragraph."))
    window.editor.body.setFocus()
    qtbot.keyClicks(window.editor.body, "My paragraph.")
    window.save_now()
    window.session.flush()  # Ctrl+S waits only a moment: its answer
    assert window.editor.body.toPlainText() == "My paragraph."  # until the choice
    window.conflict_bar.take.click()
    assert window.editor.body.toPlainText() == "Their paragraph."
    assert empty_store.get(mine.uri).body == "Their paragraph."
    history = empty_store.revisions(mine.uri)
    assert any(r.snapshot["body"] == "My paragraph." for r in history)


def test_export_from_the_dialog_writes_the_files(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Path
) -> None:
    from newsdesk.ui.dialogs.export_dialog import ExportDialog

    window = make_window(sample_store)
    dialog = ExportDialog(sample_store, window.tasks, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "handoff"
    dialog.folder.setText(str(out))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as finished:
        dialog.start.click()
    report = finished.args[0]
    assert report.articles == 32  # ready, scheduled and published in the sample archive
    page = out / "site" / "uk" / "severn-barrier-delay-leaves-homes-exposed" / "index.html"
    assert page.is_file()
    assert "Severn Barrier Delay" in page.read_text(encoding="utf-8")
    assert (out / "newsdesk-bundle.zip").is_file()
    assert not dialog.open_folder.isHidden()
    assert "Exported 32 articles" in dialog.message.text()


def test_export_to_a_file_says_what_is_wrong(
    qtbot: Any, make_window: Any, sample_store: Any, tmp_path: Path
) -> None:
    from newsdesk.ui.dialogs.export_dialog import ExportDialog

    window = make_window(sample_store)
    dialog = ExportDialog(sample_store, window.tasks, window)
    qtbot.addWidget(dialog)
    target = tmp_path / "not-a-folder.txt"
    target.write_text("keep me")
    dialog.folder.setText(str(target))
    task = dialog.run_export()
    assert task is not None
    with qtbot.waitSignal(task.failed, timeout=30_000):
        pass
    assert "Nothing was changed" in dialog.message.text()
    assert target.read_text() == "keep me"
