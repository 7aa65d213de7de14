"""Where pipeline work runs: worker processes (the default), or threads for tests.

A dispatcher takes one input's render and returns a future. Worker processes load their models
once (``pipeline.warm_up``) and are replaced if one dies, so a crash costs one input, not the
service.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Protocol

from avatarsynth import pipeline
from avatarsynth.pipeline import RenderRequest, RenderResult

RenderFn = Callable[[RenderRequest, Path], RenderResult]


class Dispatcher(Protocol):
    """Runs one input's render somewhere and tells when it is done."""

    def submit(self, request: RenderRequest, out_path: Path) -> Future[RenderResult]:
        """Start rendering one input into ``out_path``; the future holds its result or error."""

    def close(self) -> None:
        """Finish what is running, drop what is queued, stop the workers."""


class ProcessDispatcher:
    """A pool of worker processes, started with ``spawn`` so no server thread state leaks in.

    ``render_fn`` and ``warm_up`` must be importable module-level functions (they are pickled
    by name into the workers); they default to the real pipeline and exist as parameters so a
    test can run the real pool around a fake render.
    """

    def __init__(
        self,
        workers: int,
        *,
        render_fn: RenderFn = pipeline.render,
        warm_up: Callable[[], object] = pipeline.warm_up,
    ) -> None:
        self._workers = workers
        self._render = render_fn
        self._warm_up = warm_up
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=self._warm_up,
        )

    def warm(self) -> None:
        """Start every worker now, so the first job does not wait for model loading."""
        for future in [self._pool.submit(_ready) for _ in range(self._workers)]:
            future.result()

    def submit(self, request: RenderRequest, out_path: Path) -> Future[RenderResult]:
        """Start rendering one input into ``out_path``; the future holds its result or error."""
        with self._lock:
            try:
                return self._pool.submit(self._render, request, out_path)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(self._render, request, out_path)

    def close(self) -> None:
        """Finish what is running, drop what is queued, stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class InlineDispatcher:
    """Threads in this process calling ``render_fn`` (a test seam for a fake pipeline)."""

    def __init__(self, render_fn: RenderFn = pipeline.render, workers: int = 2) -> None:
        self._render = render_fn
        self._pool: Executor = ThreadPoolExecutor(max_workers=workers)

    def submit(self, request: RenderRequest, out_path: Path) -> Future[RenderResult]:
        """Start rendering one input into ``out_path``; the future holds its result or error."""
        return self._pool.submit(self._render, request, out_path)

    def close(self) -> None:
        """Finish what is running, drop what is queued, stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ready() -> bool:
    return True
