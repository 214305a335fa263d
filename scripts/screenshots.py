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
    from newsdesk.ui.preview.preview import register_scheme
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
    for target in checks_shots(app, store, uri, folder, args.out):
        print(target)
    for target in desk_shots(app, store, uri, folder, args.out):
        print(target)
    for target in media_shots(app, store, folder, args.out):
        print(target)
    for target in export_pages(store, folder, args.out):
        print(target)
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

    from newsdesk.core.models import RelatedLink
    from newsdesk.core.related.links import external_link
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    article = store.get(uri)  # type: ignore[attr-defined]
    store.save(article.edited(related=article.related[:3]))  # type: ignore[attr-defined]
    settings = SettingsStore(QSettings(str(folder / "related.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings)  # type: ignore[arg-type]
    window.resize(1500, 950)
    window.show()
    window.open_article(uri)
    from newsdesk.ui.desk.desk_layout import Pane

    window.desk.widths[Pane.INSPECTOR] = 560  # the details dragged wider, for the picture
    window.desk.apply()
    window.commands.related.trigger()
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
    from newsdesk.ui.dialogs.history import HistoryDialog

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


def _settle(app: object, ready: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:  # type: ignore[operator]
        _wait(app, 0.05)


def _js(app: object, window: object, script: str) -> object:
    import json

    box: dict[str, object] = {}
    window.preview.run_js(f"JSON.stringify({script})", lambda v: box.setdefault("v", v))  # type: ignore[attr-defined]
    _settle(app, lambda: "v" in box, 10)
    return json.loads(box["v"]) if box.get("v") else None  # type: ignore[arg-type]


def _images_loaded(app: object, window: object) -> int:
    """How many of the preview's pictures have loaded."""
    script = "[...document.images].filter(i => i.complete && i.naturalWidth > 0).length"
    return int(_js(app, window, script) or 0)  # type: ignore[call-overload]


def _two_picture_story(store: object) -> tuple[object, object]:
    """The sample story with a second body picture, reused from another story."""
    from newsdesk.core.media.media import image_markdown

    article = store.get_by_slug(SLUG)  # type: ignore[attr-defined]
    # A second picture in the body, reused from another story through the library.
    other = store.get_by_slug(HISTORY_SLUG)  # type: ignore[attr-defined]
    lead_of_other = other.image.src.split(":", 1)[1]
    asset = store.get_media(lead_of_other)  # type: ignore[attr-defined]
    paras = article.body.split("\n\n")
    body = "\n\n".join(
        [*paras[:6], image_markdown(asset.key, asset.alt, asset.caption), *paras[6:]]
    )
    article = store.save(article.edited(body=body))  # type: ignore[attr-defined]
    return article, asset


def checks_shots(app: object, store: object, uri: str, folder: Path, out: Path) -> list[Path]:
    """Spelling and house style: underlines in the page, the fixing menu, the checklist."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMenu

    from newsdesk.core.models import Status
    from newsdesk.ui.checks.check_marks import fill_menu, problem_at
    from newsdesk.ui.checks.readiness_dialog import ReadinessDialog
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    ini = folder / "checks.ini"
    window = MainWindow(store, SettingsStore(QSettings(str(ini), QSettings.Format.IniFormat)))  # type: ignore[arg-type]
    window.resize(1366, 768)
    window.show()
    window.open_article(uri)
    body = window.editor.body
    original = body.toPlainText()
    cursor = body.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    typo = "The goverment said the barrier was about 70% complete and would be finished in spring."
    cursor.insertText(typo + "\n\n")
    _wait(app, 1.0)
    shots = [out / "checks.png"]
    window.grab().save(str(shots[-1]))
    checks = window.checking.checks
    text = body.document().firstBlock().text()
    found = problem_at(checks.problems("body", text), text.index("goverment"))
    menu = QMenu()
    if found is not None:
        fill_menu(menu, found, "goverment", checks, lambda _fix: None)
        for act in body.createStandardContextMenu().actions():
            menu.addAction(act)
    menu.adjustSize()
    shots.append(out / "checks-menu.png")
    menu.grab().save(str(shots[-1]))
    article = window.current_article()
    problems = window.checking.problems_of(article)
    dialog = ReadinessDialog(problems, Status.READY.label, window)
    dialog.reason.setText("The desk needs it for the 6pm bulletin")
    dialog.show()
    _wait(app, 0.5)
    shots.append(out / "readiness.png")
    dialog.grab().save(str(shots[-1]))
    dialog.close()
    window.session.flush()
    window.close()
    # Leave the sample story as it was: the exported pages are pictured from it later.
    story = store.get(uri)  # type: ignore[attr-defined]
    store.save(story.edited(body=original))  # type: ignore[attr-defined]
    return shots


DESK_SIZES = ((1024, 700), (1280, 800), (1366, 768), (1920, 1080))


def desk_shots(app: object, store: object, uri: str, folder: Path, out: Path) -> list[Path]:
    """The window as a new user meets it at four screen sizes, and focus mode at 1366 x 768
    (each size with fresh settings: what the window chooses on its own)."""
    from PySide6.QtCore import QSettings

    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    shots = []
    for width, height in DESK_SIZES:
        ini = folder / f"desk-{width}.ini"
        window = MainWindow(store, SettingsStore(QSettings(str(ini), QSettings.Format.IniFormat)))  # type: ignore[arg-type]
        window.resize(width, height)
        window.show()
        window.open_article(uri)
        window.library.select(uri, emit=False)
        _settle(app, lambda w=window: w.preview._page_ready)
        _wait(app, 1.5)
        shots.append(out / f"desk-{width}x{height}.png")
        window.grab().save(str(shots[-1]))
        if (width, height) == (1366, 768):
            window.toggle_focus(True)
            window.setGeometry(0, 0, width, height)  # the offscreen "screen" is 800 x 800
            _wait(app, 1.0)
            shots.append(out / "desk-focus.png")
            window.grab().save(str(shots[-1]))
            window.toggle_focus(False)
        window.close()
    return shots


def media_shots(app: object, store: object, folder: Path, out: Path) -> list[Path]:
    """At 1366 x 768: the Media tab, the body with its pictures beside the preview, and
    the media library, on the sample story that has a lead picture, audio and a body
    picture."""
    from PySide6.QtCore import QSettings

    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.settings import SettingsStore

    article, asset = _two_picture_story(store)
    settings = SettingsStore(QSettings(str(folder / "media.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings)  # type: ignore[arg-type]
    window.resize(1366, 768)
    window.show()
    _wait(app, 0.3)
    window.open_article(article.uri)
    window.library.select(article.uri, emit=False)
    _settle(app, lambda: window.preview._page_ready)
    _settle(app, lambda: _images_loaded(app, window) >= 1)
    shots = []
    form = window.editor.form
    form.show_page(form._media_page)
    _settle(
        app,
        lambda: form.image.thumb.pixmap() is not None and form.image.thumb.pixmap().width() > 60,
        10,
    )
    _wait(app, 0.5)
    shots.append(out / "media-tab.png")
    window.grab().save(str(shots[-1]))
    form.setCurrentIndex(0)
    text = window.editor.body.toPlainText()
    at = text.index("![")
    cursor = window.editor.body.textCursor()
    cursor.setPosition(at)
    window.editor.body.setTextCursor(cursor)
    window.editor.body.centerCursor()
    window.preview.follow(text[:at].count("\n") + 1)
    _settle(app, lambda: _images_loaded(app, window) >= 2, 20)
    _wait(app, 1.5)
    shots.append(out / "media-body.png")
    window.grab().save(str(shots[-1]))
    window.media_view.open_library()
    library = window.media_view.library
    library.resize(1366, 768)
    _settle(app, lambda: not window.media.thumbnails._making, 15)
    library.view.setCurrentIndex(library.model.index(library.model.row_of(asset.key), 0))
    _wait(app, 0.5)
    shots.append(out / "media-library.png")
    library.grab().save(str(shots[-1]))
    library.close()
    window.session.flush()
    window.close()
    return shots


def export_pages(store: object, folder: Path, out: Path) -> list[Path]:
    """The exported story at 1280 px and on a 360 px phone, drawn by Debian's Chromium."""
    import shutil
    import subprocess

    from PIL import Image

    from newsdesk.publish.exporting.export import export

    chromium = shutil.which("chromium")
    if chromium is None:
        print(
            "chromium is not installed: the exported pages are not drawn (apt-get install chromium)"
        )
        return []
    export(store, folder / "export", formats="site")  # type: ignore[arg-type]
    page = folder / "export" / "site" / "uk" / SLUG / "index.html"
    shots = []
    for name, width, height, keep in (
        ("export-desktop", 1280, 3200, 2750),
        ("export-phone", 360, 4000, 3400),
    ):
        target = out / f"{name}.png"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--virtual-time-budget=5000", f"--screenshot={target}",
             f"--window-size={width},{height}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        with Image.open(target) as image:
            image.crop((0, 0, width, keep)).save(target)
        shots.append(target)
    return shots


if __name__ == "__main__":
    raise SystemExit(main())
