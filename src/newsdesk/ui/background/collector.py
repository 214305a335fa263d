"""Python's cycle collector, run on the GUI thread only while Qt runs.

Python runs its cycle collector in whichever thread allocates when a generation's count
passes its threshold: often a store lane (SQLAlchemy allocates a lot) or the preview's
render thread. Whatever the collector frees is freed on that thread, Qt objects included:
a closed window or dialog leaves cycles holding Python-owned Qt objects (a widget never
laid out, a QSettings, a helper QObject), and a QObject destroyed off the thread it lives in
leaves its running timers registered with that thread's event loop, which then fires them
at freed memory (a segmentation fault later, in the GUI thread's event loop; a widget may
not be touched off the GUI thread at all). Reference counting is not the matter here: what
is not in a cycle is freed as its last reference goes (the store lanes hand theirs to the
GUI thread, see ``store_worker``).

So while the window runs, automatic collection is off and a timer on the GUI thread runs
the collector instead, as often as Python would: a generation is collected when its count
passed the collector's own threshold (:func:`gc.get_threshold`), checked every
:attr:`GuiThreadCollector.INTERVAL_MS`.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer


class GuiThreadCollector(QObject):
    """Turns Python's automatic cycle collection off and collects on its own thread (the
    GUI thread) from a timer instead; :meth:`stop` gives collection back to Python."""

    INTERVAL_MS = 250
    """How often the counts are looked at: allocation between two looks is not collected
    sooner than this (it is freed all the same, a little later)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() is not app.thread():
            raise RuntimeError("the cycle collector must run on the GUI thread")
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self, interval=self.INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        gc.disable()
        self._timer.start()

    def collect(self) -> int:
        """Collect the oldest generation whose count passed its threshold, as Python's
        automatic collection would (its younger ones with it); how many objects were
        found unreachable."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for number, (count, threshold) in enumerate(zip(counts, thresholds, strict=True)):
            if threshold > 0 and count > threshold:
                generation = number
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        """Collect once more here, then let Python collect on its own again (if it did
        before); the application has no collector of its own from then on."""
        self._timer.stop()
        self.setParent(None)
        gc.collect()
        if self._was_enabled:
            gc.enable()


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadCollector:
    """Run the cycle collector on ``app``'s thread (the GUI thread) for as long as ``app``
    lives (see the module's docstring)."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        return existing
    return GuiThreadCollector(app)
