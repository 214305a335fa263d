"""Guards on the Qt binding itself: failures here mean a PySide6 upgrade broke us."""

from __future__ import annotations

import sys
from typing import Any


def test_process_events_keeps_references_to_none(qapp: Any) -> None:
    """PySide6 6.12.0 drops a reference to None per processEvents() on Python 3.11; the
    window then dies with "Fatal Python error: none_dealloc" after a few thousand events."""
    before = sys.getrefcount(None)
    for _ in range(500):
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 50
