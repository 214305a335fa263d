"""The check that starts every window test clean (tests/ui/lanes.py), on a planted race: a
store call a test leaves running on a shared lane as it ends."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import shiboken6

from newsdesk.ui.background.store_worker import StoreLane, reads_lane, writes_lane

from .lanes import settle_store_lanes


def test_a_call_left_running_is_waited_for_and_its_answer_handed_over() -> None:
    answers: list[object] = []
    lane = writes_lane()
    lane.submit(lambda: time.sleep(0.5) or "late save", lambda v, e: answers.append(e or v))
    lane.submit(lambda: "after it", lambda v, e: answers.append(e or v))
    assert lane.busy  # what a test ending now would leave to the next one
    settle_store_lanes(10)
    assert answers == ["late save", "after it"]
    assert not lane.busy and lane.outstanding() == ""


def test_an_answer_that_asks_for_more_is_waited_for_too() -> None:
    answers: list[object] = []

    def then_read(value: object, error: BaseException | None) -> None:
        answers.append(value)
        reads_lane().submit(lambda: time.sleep(0.3) or "read after", lambda v, e: answers.append(v))

    writes_lane().submit(lambda: "saved", then_read)
    settle_store_lanes(10)
    assert answers == ["saved", "read after"]
    assert not writes_lane().busy and not reads_lane().busy


def test_a_call_that_does_not_finish_in_time_fails_naming_its_lane() -> None:
    gate = threading.Event()
    reads_lane().submit(lambda: gate.wait(30), lambda v, e: None)
    reads_lane().submit(lambda: None, lambda v, e: None)
    try:
        with pytest.raises(pytest.fail.Exception) as failed:
            settle_store_lanes(0.3)
        message = str(failed.value)
        assert "'reads' lane is not idle 0.3 s after the test (1 running, 1 queued)" in message
        assert "'writes'" not in message
    finally:
        gate.set()
    settle_store_lanes(10)
    assert not reads_lane().busy


def test_a_lane_says_what_it_still_has_to_do(qtbot: Any) -> None:
    lane = StoreLane("test")
    assert lane.outstanding() == ""
    gate = threading.Event()
    lane.submit(lambda: gate.wait(10), lambda v, e: None)
    lane.submit(lambda: None, lambda v, e: None)
    qtbot.waitUntil(lambda: lane.outstanding() == "1 running, 1 queued", timeout=3000)
    gate.set()
    # Both answered on the lane's thread; handed over only when the GUI thread takes them.
    deadline = time.monotonic() + 3
    while lane.outstanding() != "2 answered" and time.monotonic() < deadline:
        time.sleep(0.01)  # no event loop here: the answers wait
    assert lane.outstanding() == "2 answered" and lane.busy
    lane.drain()
    assert lane.outstanding() == "" and not lane.busy
    # Deleted here, on the GUI thread: its idle thread would drop the last reference to it,
    # and a lane owned by Python would be deleted on that thread.
    shiboken6.delete(lane)
