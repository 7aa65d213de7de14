"""Where pipeline work runs: worker processes (the default), or threads for tests.

A dispatcher takes one piece of pipeline work (a video or an audio request) and returns a
future. Worker processes load their models once (``pipeline.warm_up``) and are replaced if one
dies, so a crash costs one input, not the service. A long video comes back from its first
step (``pipeline.begin``) as a plan of chunks, which the
:class:`~avatarsynth.dispatch._chunks.Conductor` spreads over the same pool and joins (see
``_chunks`` for the steps, and the seam for Celery).

Worker processes ignore SIGTERM and SIGINT: a stop sent to the whole process group (systemd,
container runtimes, Ctrl-C) is the parent's to handle. It lets renders finish for a grace
period, then ``close(wait=False)`` ends the processes itself; a render is never cut short by
the signal and taken for a failure of its input.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import (
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from avatarsynth import pipeline
from avatarsynth.dispatch._chunks import Conductor, FanOut
from avatarsynth.pipeline import AnyRequest, AnyResult, LongRender
from avatarsynth.telemetry import rendering

RenderFn = Callable[[AnyRequest, Path], "AnyResult | LongRender"]


class Dispatcher(Protocol):
    """Runs one request's pipeline somewhere and tells when it is done."""

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]: ...

    def close(self, *, wait: bool = True) -> None:
        """Stop; with ``wait=False`` renders still running are cut short (shutdown)."""


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
            initializer=_start_worker,
            initargs=(self._warm_up,),
        )

    def warm(self) -> None:
        """Start every worker now, so the first job does not wait for model loading."""
        with _stop_signals_blocked():
            futures = [self._pool.submit(_ready) for _ in range(self._workers)]
        with suppress(BrokenProcessPool, CancelledError):  # closed before they were up
            for future in futures:
                future.result()

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]:
        return self._conductor.follow(self._run(self._render, request, out_path))

    def _run(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """``fn(*args)`` in a worker process."""
        with self._lock, _stop_signals_blocked():  # a submit may start a worker process
            try:
                return self._pool.submit(_timed, fn, *args)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(_timed, fn, *args)

    def close(self, *, wait: bool = True) -> None:
        if not wait:  # the processes ignore SIGTERM (see above): end them here, and the
            # conductor's threads waiting on their chunks then see them fail and return
            processes = getattr(self._pool, "_processes", None) or {}  # no public way in 3.11
            for process in list(processes.values()):
                process.kill()
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
        self._conductor = Conductor(self._run, fan_out)

    def submit(self, request: AnyRequest, out_path: Path) -> Future[AnyResult]:
        return self._conductor.follow(self._run(self._render, request, out_path))

    def _run(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._pool.submit(_timed, fn, *args)

    def close(self, *, wait: bool = True) -> None:
        """Threads cannot be cut short: ``wait=False`` only stops waiting for them."""
        self._conductor.close(wait=wait)
        self._pool.shutdown(wait=wait, cancel_futures=True)


def _ready() -> bool:
    return True


_STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


@contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Block stop signals in this thread while it may start worker processes: a process
    inherits the mask, so a stop sent while it boots waits, and is then ignored (below)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _start_worker(warm_up: Callable[[], object]) -> None:
    """A worker process's first step: leave stop signals to the parent, load the models."""
    for stop in _STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # one pending is dropped
    warm_up()


def _timed(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, its time counted as render seconds (where the work runs)."""
    with rendering():
        return fn(*args)
