"""Messages stay readable in the dark palette: their colours follow it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor

from newsdesk.ui.desk.problem import Problem
from newsdesk.ui.palette import TONES, apply_palette, tone


def contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_tone_reads_on_both_palettes(qapp: Any) -> None:
    try:
        for dark in (False, True):
            apply_palette(qapp, dark=dark)
            background = qapp.palette().color(qapp.palette().ColorRole.Base)
            for kind in TONES:
                assert contrast(tone(kind), background) >= 4.5, (kind, dark)
            problem = Problem("caution")
            assert TONES["caution"][int(dark)] in problem.styleSheet()
    finally:
        apply_palette(qapp, dark=False)
