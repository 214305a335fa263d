"""The application icon: one SVG source, and every rendered size the app and menus use."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "resources" / "icons" / "newsdesk.svg"
PACKAGE_ICONS = ROOT / "src" / "newsdesk" / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_package_svg_is_the_source() -> None:
    assert (PACKAGE_ICONS / "newsdesk.svg").read_bytes() == SOURCE.read_bytes(), (
        "run python resources/render_icons.py after changing resources/icons/newsdesk.svg"
    )


@pytest.mark.parametrize("size", SIZES)
def test_png_sizes(size: int) -> None:
    assert png_size((PACKAGE_ICONS / f"newsdesk-{size}.png").read_bytes()) == (size, size)


def test_windows_and_macos_icons_hold_png_images() -> None:
    ico = (ROOT / "packaging" / "icons" / "newsdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    for index in range(count):
        edge, _h, _c, _r, _p, _b, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * index : 22 + 16 * index]
        )
        assert png_size(ico[offset : offset + length]) == (edge or 256, edge or 256)
    icns = (ROOT / "packaging" / "icons" / "newsdesk.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)


@pytest.mark.gui
def test_the_svg_renders(qapp: object) -> None:
    # pytest-qt's QApplication: a bare QGuiApplication here would make every later
    # widget test abort ("Cannot create a QWidget without QApplication").
    from PySide6.QtGui import QIcon

    from newsdesk.resources import resource

    pixmap = QIcon(str(resource("icons", "newsdesk.svg"))).pixmap(64, 64)
    assert not pixmap.isNull()
    # The page in the middle of the icon is near-white: the drawing really happened.
    assert pixmap.toImage().pixelColor(32, 32).lightness() > 200
