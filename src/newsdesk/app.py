"""Entry point: wires the store, the services and the window or the command line.

The only module that knows every layer: ``cli`` and ``ui`` never meet, and the window
gets the store as the protocol of ``core.ports``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    """``newsdesk [--db URL] [COMMAND ...]``: a command runs headless; none opens the window."""
    from newsdesk import cli

    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    args = parser.parse_args(arguments)
    if args.command == "open":
        return run_window(args.db, open_paths=args.paths)
    if args.command is not None:
        return cli.run(args)
    return run_window(args.db)


def run_window(db: str | None, *, open_paths: Sequence[Path] = ()) -> int:
    """Open the main window on the store ``db`` (the default store when ``None``).

    ``open_paths`` are Markdown files to import and show, as when the desktop opens a file
    with Newsdesk.
    """
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-dev-shm-usage")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox (see ../shared/ci/HEADLESS-QT.md).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from newsdesk import __version__
    from newsdesk.core.errors import NewsdeskError
    from newsdesk.resources import resource
    from newsdesk.store import open_store
    from newsdesk.ui.palette import apply_palette
    from newsdesk.ui.preview import register_scheme

    register_scheme()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Newsdesk")
    app.setOrganizationName("Newsdesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("newsdesk")
    app.setWindowIcon(QIcon(str(resource("icons", "newsdesk.svg"))))
    apply_palette(app)
    try:
        store = open_store(db)
    except NewsdeskError as exc:
        QMessageBox.critical(None, "Newsdesk cannot open the store", str(exc))
        return 1
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    window = MainWindow(store, SettingsStore())
    window.show()
    if open_paths:
        window.import_files(list(open_paths))
    code = app.exec()
    store.close()
    return int(code)


if __name__ == "__main__":
    raise SystemExit(main())
