"""Window tests start clean: no store call left over from an earlier test.

Every window in the process shares the store's two lanes (``writes`` and ``reads``, see
``newsdesk.ui.background.store_worker``). A call a test left running (a save, a listing, an
answer not handed over yet) would still be running, or holding SQLite's write lock, while the next
test saves: that test's waits would then measure the last test's work.
"""

from __future__ import annotations

import time

import pytest

from newsdesk.ui.background.store_worker import StoreLane, reads_lane, writes_lane

SETTLE_S = 30.0
"""How long the lanes may take to finish what a test left them: above the store's own limits
that a test meets (a held fake's 8 s, a hung server's 30 s answer limit reached through a
proxy that the test's fixtures release first), far below anything that hangs."""


def settle_store_lanes(seconds: float = SETTLE_S) -> None:
    """Wait until the shared lanes have run every call submitted to them and handed every
    answer over (an answer may ask for more: waited for too), or fail naming the lane."""
    lanes: tuple[StoreLane, ...] = (writes_lane(), reads_lane())
    deadline = time.monotonic() + seconds
    while True:
        for lane in lanes:
            lane.wait(max(0.0, deadline - time.monotonic()))
        busy = [lane for lane in lanes if lane.busy]
        if not busy:
            return
        if time.monotonic() >= deadline:
            pytest.fail(
                "; ".join(
                    f"the store's {lane.name!r} lane is not idle {seconds:g} s after the "
                    f"test ({lane.outstanding()})"
                    for lane in busy
                )
                + ": a store call the test started is still waiting; let it finish (release "
                "its gate, stop its proxy) before the test ends",
                pytrace=False,
            )
