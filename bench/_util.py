"""Small helpers shared by the benchmarks: timing summaries and process memory."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def summary(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    return (
        f"median {statistics.median(ordered):7.1f} ms   p95 {p95(ordered):7.1f} ms   "
        f"min {ordered[0]:6.1f}   max {ordered[-1]:7.1f}   (n={len(ordered)})"
    )


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def tree_rss_mb(pid: int | None = None) -> float:
    """Memory of a process and all its descendants (QtWebEngineProcess too), in MB.

    Proportional set size (shared pages split between the processes sharing them), so the
    sum is what the whole application really takes; resident size where PSS is unknown.
    """
    pid = pid or os.getpid()
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        total += _pss_kb(current)
    return total / 1024


def _pss_kb(pid: int) -> int:
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            continue
    return 0


def timed(
    runs: int, case: Callable[[int], object], setup: Callable[[int], object] | None = None
) -> str:
    """``case(run)`` timed ``runs`` times (``setup(run)`` untimed before each): a summary."""
    samples = []
    for run in range(runs):
        if setup is not None:
            setup(run)
        started = time.perf_counter()
        case(run)
        samples.append((time.perf_counter() - started) * 1000)
    return (
        f"median {statistics.median(samples):8.1f} ms  "
        f"(min {min(samples):.1f}, max {max(samples):.1f}, {runs} runs)"
    )
