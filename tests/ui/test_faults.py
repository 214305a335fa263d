"""Faults: a read-only store, a full disk, the PostgreSQL server going away. Nothing is lost.

A full disk is a real 2 MB tmpfs when this process may mount one (root); otherwise the
writes are refused with ENOSPC where they happen (``NEWSDESK_TEST_NO_MOUNT=1`` forces that
path). The server going away is a TCP proxy between the store and the server, cut and put
back: the shared server itself is never stopped.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from tests.tcp_proxy import TcpProxy

from newsdesk.core.errors import StoreError
from newsdesk.core.models import Article, Status
from newsdesk.publish.errors import ExportError
from newsdesk.publish.exporting import outputs
from newsdesk.publish.exporting.export import export
from newsdesk.store import backup, open_store
from newsdesk.ui.saving.session import SaveState

from .conftest import read_only, wait_for_dom


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, hidden ones included, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def type_at_end(qtbot: Any, window: Any, text: str) -> None:
    from PySide6.QtGui import QTextCursor

    body = window.editor.body
    body.setFocus()
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    body.setTextCursor(cursor)
    qtbot.keyClicks(body, text)


def open_on(qtbot: Any, make_window: Any, store: Any) -> Any:
    window = make_window(store)
    window.session.RETRY_MS = 150  # retry soon: the test waits for it
    qtbot.waitUntil(lambda: window.session.stored is not None, timeout=5000)
    return window


# -- a read-only store ----------------------------------------------------------------


def test_a_read_only_store_opens_read_only_and_says_so_before_anyone_types(
    qtbot: Any, make_window: Any, desk: Path
) -> None:
    before = digest(desk)
    with read_only(desk, desk.parent):  # a store on a read-only medium: no -wal beside it
        store = open_store(str(desk))
        window = open_on(qtbot, make_window, store)
        bar = window.read_only_bar
        assert bar is not None and bar.isVisible()
        assert "read-only" in bar.message.text() and "export" in bar.message.text()
        assert window.editor.body.isReadOnly() and window.editor.form.headline.isReadOnly()
        assert not window.commands.new.isEnabled() and not window.commands.paste.isEnabled()
        assert not window.commands.import_site.isEnabled() and not window.commands.sync.isEnabled()
        assert not window.acceptDrops()
        assert not window.library.new_button.isEnabled()
        assert window.save_label.text() == "Read-only: nothing can be saved"
        type_at_end(qtbot, window, " Typed into a store that cannot keep it.")
        assert window.editor.body.toPlainText() == "First paragraph."
        assert window.session.pending is None
        # Reading, searching and the preview go on.
        window.library.search.setText("ferry")
        qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=5000)
        wait_for_dom(
            qtbot, window.preview, "document.querySelector('h1').textContent",
            lambda headline: headline == "Ferry strike ends",
        )  # fmt: skip
        window.preview.shutdown()
        store.close()
    assert digest(desk) == before
    assert sorted(p.name for p in desk.parent.iterdir()) == ["newsroom.db"]


def test_a_read_only_store_exports_and_backs_up_and_refuses_writes_clearly(
    desk: Path, tmp_path: Path
) -> None:
    store = open_store(str(desk))
    (first,) = store.iter_articles()
    store.save(first.edited(status=Status.PUBLISHED), reason="manual")
    store.close()
    before = digest(desk)
    with read_only(desk, desk.parent):
        store = open_store(str(desk))
        try:
            assert "read-only" in store.info().read_only
            with pytest.raises(StoreError, match=r"read-only.*you can read, search, export"):
                store.create(Article(headline="Cannot land"))
            report = export(store, tmp_path / "out")
            assert report.problems == []
            page = tmp_path / "out" / "site" / "news" / "ferry-strike-ends" / "index.html"
            assert page.exists()
            copied = backup.copy_store(desk, tmp_path / "copy.db")  # what `backup` runs
            assert copied.article_count == 1
        finally:
            store.close()
    assert digest(desk) == before


def test_a_store_turned_read_only_keeps_the_text_and_saves_once_writable(
    qtbot: Any, make_window: Any, desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    store = open_store(str(desk))
    window = open_on(qtbot, make_window, store)
    uri = window.session.stored.uri
    store.close()  # the pool lets its connections go, as after a long idle spell
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda *args, **kwargs: asked.append(args[2]) or QMessageBox.StandardButton.Cancel,
    )
    with read_only(desk, desk.parent):
        before = digest(desk)
        type_at_end(qtbot, window, " Second paragraph.")
        qtbot.waitUntil(lambda: window.session.state == SaveState.FAILED, timeout=5000)
        assert "is read-only" in window.statusBar().currentMessage()
        assert window.editor.body.toPlainText() == "First paragraph. Second paragraph."
        assert not window.close()  # closing asks first; the answer here is Cancel
        assert "could not be stored" in asked[0]
        assert digest(desk) == before
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=5000)
    check = open_store(str(desk))
    assert check.get(uri).body == "First paragraph. Second paragraph."
    check.close()


# -- a full disk ----------------------------------------------------------------------


class SmallDisk:
    """A folder on a tiny filesystem that a test fills up and frees again."""

    def __init__(self, folder: Path, real: bool, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = folder
        self.real = real
        self.full = False
        self.room = 0
        self._undo: list[Callable[[], None]] = []
        if not real:
            self._inject(monkeypatch)

    def close(self) -> None:
        if self.real:
            subprocess.run(["umount", "-l", str(self.folder)], check=False)
        for undo in self._undo:
            undo()

    def fill(self, leave: int = 0) -> None:
        """Fill the disk, leaving about ``leave`` bytes free."""
        self.full = True
        self.room = leave
        if self.real:
            with (self.folder / "filler").open("wb", buffering=0) as handle:
                for size in (1 << 16, 512):
                    with contextlib.suppress(OSError):
                        while True:
                            handle.write(b"\0" * size)
            if leave:
                os.truncate(self.folder / "filler", (self.folder / "filler").stat().st_size - leave)

    def free(self) -> None:
        self.full = False
        if self.real:
            (self.folder / "filler").unlink()

    def _inject(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """No mount here: refuse the writes that would land on the disk, at the write call."""

        def refuse_sql(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            on_disk = str(conn.engine.url.database or "").startswith(str(self.folder))
            verb = statement.lstrip().split(" ", 1)[0].upper()
            if self.full and on_disk and verb in {"INSERT", "UPDATE", "DELETE"}:
                raise sqlite3.OperationalError("database or disk is full")

        event.listen(Engine, "before_cursor_execute", refuse_sql)
        self._undo.append(lambda: event.remove(Engine, "before_cursor_execute", refuse_sql))
        real_write = outputs.write_staged

        def refuse_file(folder: Path, relpath: str, data: bytes) -> tuple[str, int]:
            if self.full and str(folder).startswith(str(self.folder)):
                if len(data) > self.room:
                    raise OSError(errno.ENOSPC, "No space left on device")
                self.room -= len(data)
            return real_write(folder, relpath, data)

        monkeypatch.setattr(outputs, "write_staged", refuse_file)
        real_copy = backup.sqlite_copy

        def refuse_copy(source: Path, target: Path, name: str) -> None:
            if self.full and str(target).startswith(str(self.folder)):
                target.write_bytes(b"")  # SQLite has begun the file when the disk fills
                raise OSError(errno.ENOSPC, "database or disk is full")
            real_copy(source, target, name)

        monkeypatch.setattr(backup, "sqlite_copy", refuse_copy)


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallDisk]:
    folder = tmp_path / "disk"
    folder.mkdir()
    real = (
        os.geteuid() == 0
        and not os.environ.get("NEWSDESK_TEST_NO_MOUNT")
        and shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
            capture_output=True, check=False,
        ).returncode == 0
    )  # fmt: skip
    disk = SmallDisk(folder, real, monkeypatch)
    try:
        yield disk
    finally:
        disk.close()


def test_a_full_disk_during_save_keeps_the_text_and_saves_once_there_is_room(
    qtbot: Any, make_window: Any, small_disk: SmallDisk
) -> None:
    path = small_disk.folder / "newsroom.db"
    store = open_store(str(path))
    store.create(Article(headline="Budget leak", body="Lede."))
    window = open_on(qtbot, make_window, store)
    uri = window.session.stored.uri
    small_disk.fill()
    # A long paste: more than the WAL file already holds, so SQLite must grow it.
    pasted = "".join(f"Paragraph {n}: {'detail ' * 60}\n\n" for n in range(700))
    window.editor.body.setFocus()
    window.editor.body.insertPlainText(pasted)
    type_at_end(qtbot, window, "Last line.")
    qtbot.waitUntil(lambda: window.session.state == SaveState.FAILED, timeout=5000)
    assert "is full: free some space" in window.statusBar().currentMessage()
    assert window.editor.body.toPlainText() == pasted + "Lede.Last line."
    assert store.get(uri).body == "Lede."  # the failed save left the stored article whole
    small_disk.free()
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=5000)
    window.session.flush()
    store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (body,) = check.execute("SELECT body FROM article WHERE uri = ?", (uri,)).fetchone()
    check.close()
    assert body == pasted + "Lede.Last line."


@pytest.mark.parametrize("room", [0, 96_000], ids=["no room at all", "full midway"])
def test_a_full_disk_during_export_leaves_the_previous_export_whole(
    tmp_path: Path, small_disk: SmallDisk, room: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(str(tmp_path / "newsroom.db"))
    articles = store.create_many(
        [Article(headline=f"Story {n}", body="word " * 400, status=Status.PUBLISHED)
         for n in range(6)]
    )  # fmt: skip
    assert articles == 6
    out = small_disk.folder / "site"
    export(store, out, formats="site,markdown", workers=1)
    before = snapshot(out)
    for article in list(store.iter_articles()):
        store.save(article.edited(body="changed " * 3000))
    small_disk.fill(leave=room)
    staged: list[str] = []
    write = outputs.write_staged

    def counted(folder: Path, relpath: str, data: bytes) -> tuple[str, int]:
        result = write(folder, relpath, data)
        staged.append(relpath)
        return result

    monkeypatch.setattr(outputs, "write_staged", counted)
    with pytest.raises(ExportError, match="full"):
        export(store, out, formats="site,markdown", workers=1)
    assert bool(room) == bool(staged)  # with some room, the disk filled up halfway through
    monkeypatch.setattr(outputs, "write_staged", write)
    assert snapshot(out) == before  # no partial file, no staging folder left behind
    small_disk.free()
    export(store, out, formats="site,markdown", workers=1)
    assert snapshot(out) != before
    store.close()


def test_a_full_disk_makes_no_backup_and_no_partial_file(qapp: Any, small_disk: SmallDisk) -> None:
    from newsdesk import app

    path = small_disk.folder / "newsroom.db"
    store = open_store(str(path))
    store.create_many([Article(headline=f"Story {n}", body="word " * 300) for n in range(60)])
    try:
        small_disk.fill()  # while the store is open, as when the disk fills during the day
        message = app.start_backup_message(path)
        assert message.startswith("No backup was made at start: Could not write the backup")
        assert "disk is full" in message and "The store itself was not changed" in message
        assert store.info().article_count == 60
    finally:
        store.close()
    assert list((small_disk.folder / "backups").iterdir()) == []
    # Closing could not fold the WAL into the file (no room; the file is now shorter than
    # its header says): the store opens whole all the same, and is not called damaged.
    reopened = open_store(str(path))
    assert reopened.info().article_count == 60
    reopened.close()
    small_disk.free()
    assert app.start_backup_message(path).startswith("Backed up at start")
    (made,) = (small_disk.folder / "backups").iterdir()
    assert sqlite3.connect(made).execute("SELECT count(*) FROM article").fetchone() == (60,)


def test_a_store_that_cannot_make_its_shm_file_on_a_full_disk_says_so(
    small_disk: SmallDisk,
) -> None:
    path = small_disk.folder / "newsroom.db"
    store = open_store(str(path))
    store.create(Article(headline="Budget leak"))
    store.close()  # a clean close: no -wal, no -shm
    assert sorted(p.name for p in small_disk.folder.iterdir()) == ["newsroom.db"]
    small_disk.fill()
    if small_disk.real:
        with pytest.raises(StoreError, match=r"The disk holding .* is full: free some space"):
            open_store(str(path)).info()
    else:  # what SQLite says then, fed to the message rule
        from newsdesk.store.engine import describe_sqlite_error

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(1, 1, 0))  # type: ignore[attr-defined]
            message = describe_sqlite_error(path, sqlite3.OperationalError("disk I/O error"))
        assert message == f"The disk holding {path} is full: free some space, then try again."
    small_disk.free()
    store = open_store(str(path))
    assert store.get_by_slug("budget-leak").headline == "Budget leak"
    store.close()


# -- the PostgreSQL server going away -------------------------------------------------


@pytest.fixture
def proxied_url(store_url: str) -> Iterator[tuple[str, TcpProxy]]:
    """A PostgreSQL store URL that goes through a proxy the test can cut."""
    url = make_url(store_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    finally:
        proxy.close()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_the_server_going_away_mid_write_is_explained_and_nothing_half_written(
    proxied_url: tuple[str, TcpProxy],
) -> None:
    url, proxy = proxied_url
    store = open_store(url)
    article = store.create(Article(headline="Council vote", body="Before."))

    def cut_at_update(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE ARTICLE") and proxy.up:
            proxy.cut()

    event.listen(Engine, "before_cursor_execute", cut_at_update)
    try:
        with pytest.raises(StoreError, match=r"Cannot reach the PostgreSQL server.*running"):
            store.save(article.edited(body="During."))
        with pytest.raises(StoreError, match="Cannot reach the PostgreSQL server"):
            store.get(article.uri)
    finally:
        event.remove(Engine, "before_cursor_execute", cut_at_update)
    proxy.restore()
    stored = store.get(article.uri)
    assert (stored.body, stored.version) == ("Before.", article.version)
    assert store.save(stored.edited(body="After.")).body == "After."
    store.close()


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_the_window_keeps_the_text_while_the_server_is_away_and_saves_it_back(
    qtbot: Any, make_window: Any, proxied_url: tuple[str, TcpProxy]
) -> None:
    url, proxy = proxied_url
    store = open_store(url)
    store.create(Article(headline="Harbour fire", body="Crews arrived at noon."))
    window = open_on(qtbot, make_window, store)
    uri = window.session.stored.uri
    proxy.cut()
    type_at_end(qtbot, window, " The fire is out.")
    qtbot.waitUntil(lambda: window.session.state == SaveState.FAILED, timeout=10_000)
    message = window.statusBar().currentMessage()
    assert "Cannot reach the PostgreSQL server" in message and "Not saved, will retry" in message
    assert window.editor.body.toPlainText() == "Crews arrived at noon. The fire is out."
    qtbot.wait(500)  # retries meanwhile fail, and keep the text
    assert window.session.state == SaveState.FAILED
    assert window.editor.body.toPlainText() == "Crews arrived at noon. The fire is out."
    proxy.restore()  # the next retry saves it: nobody has to do anything
    qtbot.waitUntil(lambda: window.session.state == SaveState.SAVED, timeout=10_000)
    check = open_store(url)
    assert check.get(uri).body == "Crews arrived at noon. The fire is out."
    check.close()
