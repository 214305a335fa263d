"""Qt objects in reference cycles are freed on the GUI thread, never on a store lane's.

Python's cycle collector runs in whichever thread allocates when its threshold is passed. A
closed window leaves cycles holding Python-owned Qt objects (its message bar's details box,
a media field, the preview's render worker); freed by a store lane, they were destroyed off
the GUI thread, and the event loop then crashed on them (a segmentation fault in a full
run, in test_opening_thread, while a store lane read from PostgreSQL).
"""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPlainTextEdit

from newsdesk.ui.background.collector import GuiThreadCollector
from newsdesk.ui.background.store_worker import StoreLane


def freed_where(obj: object) -> list[str]:
    """Where ``obj`` is freed (the thread's name), once it is."""
    where: list[str] = []
    weakref.finalize(obj, lambda: where.append(threading.current_thread().name))
    return where


def test_a_widget_in_a_cycle_is_freed_on_the_gui_thread_not_the_lane_that_allocates(
    qtbot: Any,
) -> None:
    gc.collect()  # what the collector would find young is the widget, nothing older
    widget = QPlainTextEdit()  # as a closed window's details box: never laid out
    widget.cycle = widget  # type: ignore[attr-defined]
    where = freed_where(widget)
    del widget
    lane = StoreLane("test")
    try:
        # A listing's worth of objects: far past the collector's first threshold.
        many = 20 * gc.get_threshold()[0]
        lane.submit(lambda: len([[n] for n in range(many)]), lambda v, e: None)
        assert lane.wait(10)
    finally:
        # Deleted here, on the GUI thread: its idle thread would drop the last reference
        # to it, and a lane owned by Python would be deleted on that thread.
        shiboken6.delete(lane)
    assert where == []  # not on the lane
    kept: list[object] = []

    def freed_while_the_window_works() -> bool:
        # Objects made and kept, as the window's own work does: the counts pass the
        # collector's threshold whatever an earlier test's window frees meanwhile.
        kept.append([[n] for n in range(gc.get_threshold()[0])])
        return where != []

    qtbot.waitUntil(freed_while_the_window_works, timeout=10_000)
    assert where == [threading.main_thread().name]


def test_the_collector_collects_as_often_as_python_would(qapp: Any) -> None:
    assert not gc.isenabled()  # the window's collector, not Python's, collects
    (collector,) = qapp.findChildren(GuiThreadCollector)
    gc.collect()
    assert collector.collect() == 0  # nothing past a threshold: nothing done
    for _ in range(gc.get_threshold()[0] + 1):
        cycle: list[object] = []
        cycle.append(cycle)
    del cycle
    assert collector.collect() >= gc.get_threshold()[0]


def test_the_window_collects_cycles_on_its_own_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    from PySide6.QtWidgets import QApplication

    from newsdesk import app
    from newsdesk.ui.background import collector
    from newsdesk.ui.main_window import MainWindow

    installed: list[QObject] = []
    install = collector.collect_on_gui_thread
    monkeypatch.setattr(
        collector, "collect_on_gui_thread", lambda a: (installed.append(a), install(a))[1]
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    shown: list[MainWindow] = []
    show = MainWindow.show
    monkeypatch.setattr(MainWindow, "show", lambda self: (shown.append(self), show(self))[1])
    frozen = gc.get_freeze_count()
    try:
        assert app.run_window(str(tmp_path / "newsroom.db")) == 0
        frozen_by_the_window = gc.get_freeze_count() - frozen
    finally:
        gc.unfreeze()
    for window in shown:
        window.session.journal = None
        window.preview.shutdown()
        window.deleteLater()
    assert installed == [qapp]
    assert not gc.isenabled()
    assert frozen_by_the_window > 0  # what the start made is out of the collector's walks
