"""A journalist typing into the real Newsdesk window, for tests/e2e/test_crash.py.

Run as a script in a child process: ``python typist.py PHRASE``. It opens the window on the
store named by $NEWSDESK_DB (offscreen), types PHRASE into the body of the article it
shows, a word every 60 ms, then goes on typing numbered words for ever. Each word typed
is reported on stdout as ``TYPED <monotonic time> <word>``; ``PHRASE TYPED <time>`` says
the phrase is complete and 2.5 s have passed since, while typing goes on. The parent
kills the process whenever it likes.
"""

from __future__ import annotations

import itertools
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from newsdesk.ui.preview.preview import register_scheme

register_scheme()
app = QApplication([sys.argv[0]])
phrase = sys.argv[1].split()
more = (f"word{n:04d}" for n in itertools.count(1))
state: dict[str, float] = {}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def tick() -> None:
    from newsdesk.ui.main_window import MainWindow

    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if not windows or windows[0].session.stored is None:
        return  # the window is still opening its article
    body = windows[0].editor.body
    if "started" not in state:
        state["started"] = time.monotonic()
        body.moveCursor(body.textCursor().MoveOperation.End)
        say(f"OPENED {state['started']:.6f}")
    word = phrase.pop(0) if phrase else next(more)
    QTest.keyClicks(body, word + " ")
    now = time.monotonic()
    say(f"TYPED {now:.6f} {word}")
    if not phrase:
        state.setdefault("phrase_done", now)
        if now - state["phrase_done"] > 2.5 and "signalled" not in state:
            state["signalled"] = now
            say(f"PHRASE TYPED {now:.6f}")


timer = QTimer()
timer.setInterval(60)
timer.timeout.connect(tick)
timer.start()

from newsdesk.app import run_window  # noqa: E402  (after the QApplication, as a desktop would)

sys.exit(run_window(None))
