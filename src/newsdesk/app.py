"""Entry point: wires the store, the services and the window or the command line.

The only module that knows every layer: ``cli`` and ``ui`` never meet, and the window
gets the store as the protocol of ``core.ports``.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from newsdesk.core.journal import Journal
    from newsdesk.core.ports import ArticleStore, SyncService
    from newsdesk.ui.main_window import MainWindow


def main(argv: Sequence[str] | None = None) -> int:
    """``newsdesk [--db URL] [COMMAND ...]``: a command runs headless; none opens the window."""
    return _main(argv)[0]


def console() -> NoReturn:
    """The ``newsdesk`` executable (and ``python -m newsdesk``): :func:`main`, then the
    process ends. After a command it ends as Python's own exit would, less the teardown of
    the interpreter: the threads still running are waited for, the exit handlers run and
    the output is flushed, but the objects the command made are not freed one by one
    (a tenth of a second of a one-story export, with nothing outside the process to show
    for it). After the window, the usual exit (Qt tears its objects down)."""
    # What a command keeps instead of freeing: never freed, as the process ends first.
    code, command = _main(None, keep=[])
    if command:
        _end_now(code)
    sys.exit(code)


def _main(argv: Sequence[str] | None, *, keep: list[object] | None = None) -> tuple[int, bool]:
    """:func:`main`'s exit code, and whether a command ran (not the window); ``keep``
    is handed to the command (see ``cli.run``)."""
    # What the command line loads (SQLAlchemy, the store, the commands) is no garbage: the
    # cycle collector waits instead of walking it again and again as it grows (a tenth of
    # a command's start). cli.run freezes it and starts the collector again at once.
    gc.disable()
    try:
        from newsdesk import cli

        arguments = list(sys.argv[1:] if argv is None else argv)
        parser = cli.build_parser()
        args = parser.parse_args(arguments)
        if args.command not in (None, "open"):
            return cli.run(args, keep=keep), True
    finally:
        gc.enable()
    if args.command == "open":
        return run_window(args.db, open_paths=args.paths), False
    return run_window(args.db), False


def _end_now(code: int) -> NoReturn:
    """End the process with ``code`` after what Python's exit does first, in its order:
    the threads not marked daemon finish (``threading``'s own shutdown, which also stops
    idle worker pools), the ``atexit`` handlers run (logging flushed, worker processes
    ended), then standard output and error are flushed. What is skipped is freeing every
    object: the system takes the memory back at once. Where this Python lacks those
    steps, the usual exit."""
    shutdown = getattr(threading, "_shutdown", None)
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if shutdown is None or run_handlers is None:
        sys.exit(code)
    shutdown()
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # closed, or a pipe gone
            stream.flush()
    os._exit(code)


def run_window(db: str | None, *, open_paths: Sequence[Path] = ()) -> int:
    """Open the main window on the store ``db`` (the default store when ``None``).

    ``open_paths`` are Markdown files to import and show, as when the desktop opens a file
    with Newsdesk.
    """
    from newsdesk.ui.display import display_problem

    problem = display_problem(os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-dev-shm-usage")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox (see docs/headless-qt.md).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from newsdesk import __version__
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.resources import resource
    from newsdesk.ui.background.collector import collect_on_gui_thread
    from newsdesk.ui.palette import apply_palette
    from newsdesk.ui.preview.preview import register_scheme

    register_scheme()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Newsdesk")
    app.setOrganizationName("Newsdesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("newsdesk")
    app.setWindowIcon(QIcon(str(resource("icons", "newsdesk.svg"))))
    apply_palette(app)
    # Cycles holding Qt objects are freed on this thread, never on a store lane's.
    collect_on_gui_thread(app)
    try:
        window, started = build_window(db)
    except NewsdeskError as exc:
        QMessageBox.critical(None, "Newsdesk cannot open the store", plain_message(exc))
        return 1
    if window is None:
        return 1
    schedule_daily_backups(window, db)
    window.show()
    # What the start made (Qt's, SQLAlchemy's and the window's objects) lasts as long as
    # the window: out of the collector's walks, each full collection walks only what came
    # since (on a store of 10,000 stories, 144,000 objects: 90 ms a full pass, a pause in
    # typing, against none).
    gc.freeze()
    if started:
        window.statusBar().showMessage(started, 10_000)
    if open_paths:
        window.imports.files(list(open_paths))
    code = app.exec()
    window.store.close()
    return int(code)


def build_window(db: str | None) -> tuple[MainWindow | None, str]:
    """The main window on the store ``db``, and a message for its status bar.

    The start backup runs while the window is built (it is mostly file copying, outside
    the GIL); its check reads every page, so a damaged store is found before anyone types
    into it. A damaged store is offered its newest good backup; ``None`` means quit.
    """
    from newsdesk.store.engine import DamagedStoreError
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    window = None
    try:
        store, backup = open_for_window(db)
        try:
            window = MainWindow(
                store, SettingsStore(), journal=journal_for(db), sync=sync_for(store)
            )
            return window, backup.result()
        except BaseException:
            with contextlib.suppress(Exception):
                backup.result()  # let it finish before the file is touched
            if window is not None:
                window.preview.shutdown()
                window.deleteLater()
            store.close()
            raise
    except DamagedStoreError as exc:
        restored, message = recover_damaged_store(db, exc)
        window = (
            None
            if restored is None
            else MainWindow(
                restored, SettingsStore(), journal=journal_for(db), sync=sync_for(restored)
            )
        )
        return window, message


def sync_for(store: ArticleStore) -> SyncService | None:
    """Sync with the newsroom server, for a laptop's own store (a SQLite file); a window
    on the server itself has nothing to sync."""
    from newsdesk.store import SqlStore
    from newsdesk.store.sync.sync_service import StoreSync

    if isinstance(store, SqlStore) and store.dialect == "sqlite":
        return StoreSync(store)
    return None


def journal_for(db: str | None) -> Journal:
    """The journal of the store ``db``: in the user data folder, beside the default store."""
    from newsdesk.core.journal import Journal
    from newsdesk.store.engine import default_store_path, redact, resolve_url

    return Journal.for_store(default_store_path().parent / "journal", redact(resolve_url(db)))


def open_for_window(db: str | None) -> tuple[ArticleStore, Future[str]]:
    """Open the store and start its start backup (a SQLite file) on a thread of its own.

    The future gives a message for the status bar, or raises ``DamagedStoreError``.
    """
    from newsdesk.store import open_store
    from newsdesk.store.engine import resolve_url, sqlite_path

    # The window waits on the store: never long. Another writer's SQLite lock is waited
    # for 1 s (not 5); a PostgreSQL server that stops answering fails the call after 10 s.
    # Either way the autosave tries again, and the text is in the journal meanwhile.
    store = open_store(db, busy_timeout=1.0, answer_timeout=10.0)
    path = sqlite_path(resolve_url(db))
    if path is None:
        done: Future[str] = Future()
        done.set_result("")
        return store, done
    pool = ThreadPoolExecutor(1, thread_name_prefix="start-backup")
    backup = pool.submit(start_backup_message, path)
    pool.shutdown(wait=False)  # the thread ends with the backup
    return store, backup


def start_backup_message(path: Path) -> str:
    """Back the store up as the window opens; a failure (but damage) is only reported."""
    from newsdesk.core.errors import StoreError
    from newsdesk.store.backup import start_backup
    from newsdesk.store.engine import DamagedStoreError

    try:
        made = start_backup(path)
    except DamagedStoreError:
        raise
    except StoreError as exc:
        return f"No backup was made at start: {exc}"
    return f"Backed up at start: {made.path}" if made else ""


def recover_damaged_store(db: str | None, error: Exception) -> tuple[ArticleStore | None, str]:
    """Offer the newest good backup of a damaged store; restore it if the user agrees.

    The damaged file is renamed aside, never deleted. ``(None, "")`` means quit.
    """
    from newsdesk.store import open_store
    from newsdesk.store.backup import newest_good_backup
    from newsdesk.store.engine import resolve_url, sqlite_path
    from newsdesk.store.restore import restore
    from newsdesk.ui.saving.recovery import BackupOffer, DamagedStoreDialog

    path = sqlite_path(resolve_url(db))
    found = newest_good_backup(path) if path is not None else None
    offer = None
    if found is not None:
        offer = BackupOffer(str(found[0].path), found[0].taken_at, found[1].article_count)
    if DamagedStoreDialog(plain_message(error), offer).exec_choice() != DamagedStoreDialog.RESTORE:
        return None, ""
    assert path is not None and found is not None
    done = restore(path, found[0].path, force=True)
    kept = done.set_aside or (done.kept.path if done.kept else None)
    message = f"Restored the backup {found[0].path.name}; the damaged store is kept as {kept}"
    return open_store(db), message


def plain_message(error: BaseException) -> str:
    """The error's own message: PySide6 prefixes one raised in a Python override that Qt
    called (the library's sort() meeting a damaged store) with "Error calling Python
    override of QAbstractTableModel::sort(): ", which tells a journalist nothing."""
    import re

    return re.sub(r"^(Error calling Python override of [\w:]+\(\): )+", "", str(error))


def schedule_daily_backups(window: MainWindow, db: str | None) -> None:
    """A daily backup of a SQLite store while the window stays open."""
    from newsdesk.store.backup import backup_if_due
    from newsdesk.store.engine import resolve_url, sqlite_path
    from newsdesk.ui.saving.recovery import BackupTimer

    path = sqlite_path(resolve_url(db))
    if path is None:
        return

    def job() -> str:
        made = backup_if_due(path)
        return f"Daily backup made: {made.path}" if made else ""

    timer = BackupTimer(job, window.tasks, parent=window)
    timer.reported.connect(lambda message: window.statusBar().showMessage(message, 10_000))
    timer.start()


if __name__ == "__main__":
    raise SystemExit(main())
