"""Where pipeline work runs: worker processes (the default), or threads for tests.

A dispatcher takes one piece of pipeline work (a video or an audio request) and returns a
future. Worker processes load their models once (``pipeline.warm_up``) and are replaced if one
dies, so a crash costs one input, not the service. A long video comes back from its first
step (``pipeline.begin``) as a plan of chunks, which the
:class:`~avatarsynth.dispatch._chunks.Conductor` spreads over the same pool and joins (see
``_chunks`` for the steps, and the seam for Celery).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Protocol

from avatarsynth import pipeline
from avatarsynth.dispatch._chunks import Conductor, FanOut
from avatarsynth.pipeline import AnyRequest, AnyResult, LongRender

RenderFn = Callable[[AnyRequest, Path], "AnyResult | LongRender"]


class Dispatcher(Protocol):
    """Runs one request's pipeline somewhere and tells when it is done."""

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]: ...

    def close(self) -> None: ...


class ProcessDispatcher:
    """A pool of worker processes, started with ``spawn`` so no server thread state leaks in.

    ``render_fn`` and ``warm_up`` must be importable module-level functions (they are pickled
    by name into the workers); they default to the real pipeline and exist as parameters so a
    test can run the real pool around a fake render. ``render_fn`` may return a
    ``LongRender``, whose chunks then run on the pool too.
    """

    def __init__(
        self,
        workers: int,
        *,
        render_fn: RenderFn = pipeline.begin,
        warm_up: Callable[[], object] = pipeline.warm_up,
    ) -> None:
        self._workers = workers
        self._render = render_fn
        self._warm_up = warm_up
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        self._conductor = Conductor(self._run)

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

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]:
        return self._conductor.follow(self._run(self._render, request, out_path))

    def _run(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """``fn(*args)`` in a worker process."""
        with self._lock:
            try:
                return self._pool.submit(fn, *args)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(fn, *args)

    def close(self) -> None:
        self._conductor.close()
        self._pool.shutdown(wait=True, cancel_futures=True)


class InlineDispatcher:
    """Threads in this process calling ``render_fn`` (Celery workers, and a test seam for a
    fake pipeline); long videos are chunked too when ``render_fn`` is ``pipeline.begin``, their
    chunks rendered on these threads or by ``fan_out`` (Celery mode's tasks)."""

    def __init__(
        self,
        render_fn: RenderFn = pipeline.run,
        workers: int = 2,
        *,
        fan_out: FanOut | None = None,
    ) -> None:
        self._render = render_fn
        self._pool: Executor = ThreadPoolExecutor(max_workers=workers)
        self._conductor = Conductor(self._pool.submit, fan_out)

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]:
        return self._conductor.follow(self._pool.submit(self._render, request, out_path))

    def close(self) -> None:
        self._conductor.close()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ready() -> bool:
    return True
