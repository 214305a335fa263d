"""Render the application icon from its one source, ``resources/icons/newsdesk.svg``.

    python resources/render_icons.py

Writes the SVG and PNG sizes the running app and the Linux menu use (package data in
``src/newsdesk/resources/icons/``), and the Windows ``.ico`` and macOS ``.icns`` files the
PyInstaller spec uses (``packaging/icons/``). Run it again after changing the SVG and commit
what it writes; ``tests/packaging/test_icons.py`` checks the copies are current.
Needs only PySide6 (QtSvg), which Newsdesk already depends on.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "newsdesk.svg"
PACKAGE_ICONS = ROOT / "src" / "newsdesk" / "resources" / "icons"
PACKAGING_ICONS = ROOT / "packaging" / "icons"

# The hicolor theme sizes a Linux desktop asks for (the .desktop entry's Icon=newsdesk).
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, and the pixel size of each.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(renderer: object, size: int) -> bytes:
    """The icon drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)  # type: ignore[attr-defined]
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding PNG images (Windows Vista and later read them)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        edge = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon family holding PNG images."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _kind, size in ICNS_TYPES)})
    pngs = {size: render_png(renderer, size) for size in sizes}
    PACKAGE_ICONS.mkdir(parents=True, exist_ok=True)
    PACKAGING_ICONS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, PACKAGE_ICONS / "newsdesk.svg")
    for size in PNG_SIZES:
        (PACKAGE_ICONS / f"newsdesk-{size}.png").write_bytes(pngs[size])
    (PACKAGING_ICONS / "newsdesk.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (PACKAGING_ICONS / "newsdesk.icns").write_bytes(icns(pngs))
    del app
    print(f"Wrote {len(PNG_SIZES)} PNG sizes, newsdesk.svg, newsdesk.ico and newsdesk.icns")


if __name__ == "__main__":
    main()
