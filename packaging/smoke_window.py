"""Open the real Newsdesk window, wait until it is usable, check what it shows, and quit.

    smoke_window.py [--db PATH] [--timeout SECONDS]

Runs ``newsdesk.app.run_window`` unchanged (the same store, palette, settings and window as
``newsdesk``) and watches it from a timer. It prints one JSON line: when the window was
shown with its library filled (``usable``, seconds since the epoch, the figure
bench/window_bench.py ``startup`` reports) and when the live preview showed the open
article's headline (``rendered``), plus the checks below. Exit code 0 only if all passed.

The bundle carries it as a second executable, ``newsdesk-smoke``, so the build script can
check the frozen QtWebEngine; the venv runs it as a plain script for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


class Watcher:
    """Polls the application until its main window is usable and its preview rendered."""

    def __init__(self, qapp: Any, timeout: float) -> None:
        self.qapp = qapp
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.report: dict[str, Any] = {"ok": False}

    def main_window(self) -> Any:
        for widget in self.qapp.topLevelWidgets():
            if type(widget).__name__ == "MainWindow" and widget.isVisible():
                return widget
        return None

    def later(self, ms: int) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(ms, self.poll)

    def finish(self, ok: bool, problem: str = "") -> None:
        self.report["ok"] = ok
        if problem:
            self.report["problem"] = problem
        window = self.main_window()
        if window is not None:
            window.close()
        self.qapp.exit(0 if ok else 3)

    def poll(self) -> None:
        if time.monotonic() > self.deadline:
            self.finish(False, f"no usable window with a rendered preview in {self.timeout} s")
            return
        window = self.main_window()
        if window is None:
            self.later(10)
            return
        if "usable" not in self.report:
            rows = window.library.model.rowCount()
            if rows == 0:
                self.later(10)
                return
            self.report.update(usable=time.time(), rows=rows, title=window.windowTitle())
        window.preview.run_js(
            "(document.querySelector('h1.headline') || {}).textContent || null", self.shown
        )

    def shown(self, value: object) -> None:
        window = self.main_window()
        article = window.current_article() if window is not None else None
        if article is None or value != article.headline:
            self.later(20)
            return
        self.report.update(rendered=time.time(), headline=value)
        self.check_assets()
        self.finish(self.report["icon_renders"], self.report.get("problem", ""))

    def check_assets(self) -> None:
        from PySide6.QtGui import QIcon

        from newsdesk.resources import resource

        icon = QIcon(str(resource("icons", "newsdesk.svg")))
        self.report["icon_renders"] = not icon.pixmap(64, 64).isNull()
        if not self.report["icon_renders"]:
            self.report["problem"] = "the application icon does not render (no SVG engine?)"
        self.report["window_icon_set"] = not self.qapp.windowIcon().isNull()
        # In the bundle, every module must come from the bundle, not from a Python on the
        # machine (PyInstaller sets sys.frozen and sys._MEIPASS).
        self.report["frozen"] = bool(getattr(sys, "frozen", False))
        if self.report["frozen"]:
            inside = str(Path(sys._MEIPASS).resolve())  # type: ignore[attr-defined]
            files = {
                name: getattr(module, "__file__", None) for name, module in sys.modules.items()
            }
            # (Bootstrap and shiboken support modules name files that exist nowhere.)
            self.report["outside"] = sorted(
                name
                for name, file in files.items()
                if file and Path(file).exists() and not str(Path(file).resolve()).startswith(inside)
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the store (default: the user's default store)")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from newsdesk import app as newsdesk_app
    from newsdesk.ui.preview.preview import register_scheme

    register_scheme()
    qapp = QApplication([sys.argv[0]])
    watcher = Watcher(qapp, args.timeout)
    watcher.later(0)
    code = newsdesk_app.run_window(args.db)
    print(json.dumps(watcher.report), flush=True)
    return 0 if watcher.report["ok"] and code == 0 else code or 3


if __name__ == "__main__":
    sys.exit(main())
