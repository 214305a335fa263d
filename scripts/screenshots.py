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
HISTORY_SLUG = "tewkesbury-residents-evacuated-as-river-breaches-barriers"


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
    apply_palette(app, dark=False)
    print(related_panel(app, store, uri, folder, args.out))
    print(history_dialog(app, store, store.get_by_slug(HISTORY_SLUG).uri, args.out))
    store.close()
    return 0


def _wait(app: object, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def related_panel(app: object, store: object, uri: str, folder: Path, out: Path) -> Path:
    """The related-links panel with a refused address, a near-duplicate and suggestions."""
    from PySide6.QtCore import QSettings

    from newsdesk.core.links import external_link
    from newsdesk.core.models import RelatedLink
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    article = store.get(uri)  # type: ignore[attr-defined]
    store.save(article.edited(related=article.related[:3]))  # type: ignore[attr-defined]
    settings = SettingsStore(QSettings(str(folder / "related.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings)  # type: ignore[arg-type]
    window.resize(1500, 950)
    window.show()
    window.open_article(uri)
    window.related_action.trigger()
    window.editor.splitter.setSizes([700, 200])
    panel = window.related
    deadline = time.monotonic() + 30
    while not panel.suggestions.rowCount() and time.monotonic() < deadline:
        _wait(app, 0.1)
    best = panel.suggestions.suggestions[:1]
    panel.add([RelatedLink(title=s.headline, target_uri=s.uri) for s in best])
    panel.add_block(
        "https://www.metoffice.gov.uk/weather/warnings-and-advice?utm_source=newsletter\n"
        "[Environment Agency: check for flooding](https://check-for-flooding.service.gov.uk/)\n"
    )
    # A wire copy of a story already in the list, under another headline: flagged.
    repeat = external_link(
        "https://www.example-wire.com/uk/severn-barrier",
        "Upper Severn towns on alert as rain gauges near Llanidloes hit record",
    )
    panel.change([*panel.links(), repeat], "Add a wire copy")
    panel.view.setCurrentIndex(panel.model.index(len(panel.links()) - 1))
    panel.view.scrollToTop()
    panel.add_field.setText("javascript:alert('hi')")
    panel.add_from_field()
    _wait(app, 3.0)  # suggestions follow the new list
    target = out / "related-panel.png"
    panel.grab().save(str(target))
    window.session.flush()
    window.close()
    return target


def history_dialog(app: object, store: object, uri: str, out: Path) -> Path:
    """The history of a story after a morning's work: autosaves, Ctrl+S, status changes."""
    from datetime import UTC, datetime, timedelta

    from newsdesk.core.history import AUTOSAVE
    from newsdesk.core.models import Status
    from newsdesk.ui.history import HistoryDialog

    article = store.get(uri)  # type: ignore[attr-defined]
    body, paras = article.body, article.body.split("\n\n")
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=7)
    moment = [start]
    store.clock = lambda: moment[0]  # type: ignore[attr-defined]
    for minutes, reason, change in (
        (0, AUTOSAVE, {"body": "\n\n".join(paras[:2])}),
        (25, AUTOSAVE, {"body": "\n\n".join(paras[:3])}),
        (50, "manual", {"body": "\n\n".join(paras[:4])}),
        (95, AUTOSAVE, {"body": body}),
        (140, "status", {"status": Status.IN_REVIEW}),
        (200, AUTOSAVE, {"headline": "Tewkesbury evacuated as the Severn breaches barriers"}),
        (230, "manual", {"standfirst": article.standfirst + " More rain is forecast."}),
        (260, "status", {"status": Status.READY}),
        (400, AUTOSAVE, {"body": body.replace("residents", "families", 1)}),
    ):
        moment[0] = start + timedelta(minutes=minutes)
        article = store.save(article.edited(**change), reason=reason)  # type: ignore[attr-defined]
    dialog = HistoryDialog(store, article)  # type: ignore[arg-type]
    dialog.resize(1240, 760)
    dialog.show()
    dialog.select_number(3)
    _wait(app, 0.5)
    target = out / "history.png"
    dialog.grab().save(str(target))
    dialog.close()
    return target


if __name__ == "__main__":
    raise SystemExit(main())
