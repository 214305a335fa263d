"""The export's worker processes: started early, fed a few chunks of articles at a time."""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsdesk.publish.exporting.outputs import (
    ArticleJob,
    JobResult,
    MediaJob,
    MediaResult,
    init_worker,
    run_chunk,
    run_media,
)

if TYPE_CHECKING:  # the pool's modules are loaded only when an export starts one
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_THRESHOLD = 48  # below this many articles to render, worker start-up costs more
MEDIA_THRESHOLD = 3  # files to encode: a photo's renditions take longer than a start-up
MAX_WORKERS = 8
CHUNKS_PER_WORKER = 3  # in flight at once: bodies of a few chunks in memory, not all
FILES_PER_WORKER = 2  # media files in flight per process: originals held, a few at a time


def worker_count(requested: int | None, jobs: int, threshold: int = PARALLEL_THRESHOLD) -> int:
    """How many processes render ``jobs`` articles (1: this process alone)."""
    if requested is not None:
        return max(1, min(requested, jobs))
    if jobs < threshold:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def chunk_size(workers: int, jobs: int) -> int:
    return 25 if workers <= 1 else max(1, min(64, jobs // (workers * 6)))


def pool_context() -> multiprocessing.context.BaseContext:
    """Workers that start clean: safe from a GUI process with threads (no plain fork)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class Workers:
    """A pool of renderer processes writing into the staging folder.

    :meth:`start` may be called as soon as the export knows it will render many articles,
    so that the processes load while this one still reads the store; :meth:`close` stops
    them (queued chunks are dropped) and is safe to call more than once.
    """

    def __init__(self, requested: int | None, profile: dict[str, Any], staging: Path) -> None:
        self.requested = requested
        self.profile = profile
        self.staging = staging
        self.count = 1
        self._pool: ProcessPoolExecutor | None = None

    def start(self, jobs: int, threshold: int = PARALLEL_THRESHOLD) -> bool:
        """Start the processes if ``jobs`` articles (or media files, with the media
        ``threshold``) are worth them; True when running."""
        if self._pool is None:
            count = worker_count(self.requested, jobs, threshold)
            if count <= 1:
                return False
            self.count = count
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=count,
                mp_context=pool_context(),
                initializer=init_worker,
                initargs=(self.profile, str(self.staging)),
            )
            for _ in range(count):  # each submit starts one process, now
                self._pool.submit(run_chunk, [])
        return True

    def run(
        self,
        chunks: Iterator[list[ArticleJob]],
        collect: Callable[[list[JobResult]], None],
        meanwhile: Callable[[], None],
    ) -> None:
        """Render every chunk, a few in flight at a time, handing each chunk's results to
        ``collect`` in order; ``meanwhile`` runs here once the last chunk is sent, while
        the processes finish theirs."""
        pool = self._pool
        assert pool is not None, "start() first"
        in_flight: deque[Future[list[JobResult]]] = deque()
        pending = True

        def top_up() -> None:
            nonlocal pending
            while pending and len(in_flight) < self.count * CHUNKS_PER_WORKER:
                chunk = next(chunks, None)
                if chunk is None:
                    pending = False
                    meanwhile()
                else:
                    in_flight.append(pool.submit(run_chunk, chunk))

        top_up()
        while in_flight:
            part = in_flight.popleft().result()
            top_up()
            collect(part)

    def encode(self, jobs: Iterator[MediaJob], collect: Callable[[MediaResult], None]) -> None:
        """Encode each media file in the processes, a few in flight: ``jobs`` reads each
        file's bytes only when it is sent, so memory holds a few originals, not all."""
        pool = self._pool
        assert pool is not None, "start() first"
        in_flight: deque[Future[MediaResult]] = deque()
        for job in jobs:
            in_flight.append(pool.submit(run_media, job))
            del job  # the original's bytes go with the future, once sent
            while len(in_flight) >= self.count * FILES_PER_WORKER:
                collect(in_flight.popleft().result())
        while in_flight:
            collect(in_flight.popleft().result())

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
