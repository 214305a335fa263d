"""Screenshots of the window for the README, light and dark, on the sample archive.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen: no display needed. The pictures show the real window, preview included.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-dev-shm-usage")

SLUG = "severn-barrier-delay-leaves-homes-exposed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from newsdesk.core.sample import load_sample
    from newsdesk.store import open_store
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.palette import apply_palette
    from newsdesk.ui.preview import register_scheme
    from newsdesk.ui.settings import SettingsStore

    register_scheme()
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp())
    store = open_store(str(folder / "newsroom.db"))
    load_sample(store)
    uri = store.get_by_slug(SLUG).uri
    for scheme in ("light", "dark"):
        apply_palette(app, dark=scheme == "dark")
        settings = SettingsStore(
            QSettings(str(folder / f"{scheme}.ini"), QSettings.Format.IniFormat)
        )
        window = MainWindow(store, settings)
        window.resize(1600, 1000)
        window.splitter.setSizes([420, 620, 560])
        window.show()
        loaded: list[bool] = []
        window.preview.load_finished.connect(loaded.append)
        window.open_article(uri)
        window.library.select(uri, emit=False)
        deadline = time.monotonic() + 30
        while not loaded and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        end = time.monotonic() + 1.0  # let the page paint
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
        target = args.out / f"window-{scheme}.png"
        window.grab().save(str(target))
        print(target)
        window.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
