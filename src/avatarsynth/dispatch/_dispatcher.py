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

A render's ``progress`` (``pipeline.Progress``) is called where the render runs; from worker
processes it travels back over one queue per pool (a few messages a second per render) to a
thread of the parent that calls the submitter's callback.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
import uuid
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
from typing import Any, Protocol, TypeAlias

from avatarsynth import pipeline
from avatarsynth.dispatch._chunks import Conductor, FanOut
from avatarsynth.pipeline import AnyRequest, AnyResult, LongRender, Progress
from avatarsynth.telemetry import rendering

_LOG = logging.getLogger(__name__)
RenderFn = Callable[..., "AnyResult | LongRender"]
"""``render(request, out_path)``, or with ``progress=`` when the submitter wants progress
(``pipeline.begin`` and ``pipeline.run`` take both)."""
_RELAY_S = 0.25
"""A worker process sends a render's frame counts at most this often (stage changes at once)."""


class Dispatcher(Protocol):
    """Runs one request's pipeline somewhere and tells when it is done (and, when asked, how
    far it has come: ``progress`` is then called from another thread)."""

    def submit(
        self, request: AnyRequest, out_path: Path, progress: Progress | None = None
    ) -> Future[AnyResult]: ...

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
        self._context = multiprocessing.get_context("spawn")
        self._listeners: dict[str, Progress] = {}
        self._told: _Channel | None = None
        self._listener: threading.Thread | None = None
        self._pool = self._new_pool()
        self._conductor = Conductor(self._run)

    def _new_pool(self) -> ProcessPoolExecutor:
        """A pool, with a new progress channel: a worker that died (killed, out of memory)
        may have left the old one's lock held or half a message in it."""
        self._close_channel()
        told: _Channel = self._context.Queue()
        told.cancel_join_thread()  # progress still unsent at exit is dropped, never waited for
        self._listener = threading.Thread(
            target=self._listen, args=(told,), daemon=True, name="progress"
        )
        self._listener.start()
        self._told = told
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(self._warm_up, told),
        )

    def _close_channel(self) -> None:
        if self._told is not None:
            self._told.put(None)  # through the queue's own thread: never blocks here

    def _listen(self, channel: _Channel) -> None:
        """Hand what worker processes tell of their renders to the submitters' callbacks."""
        while True:
            try:
                told = channel.get()
            except Exception:  # a message cut short by a dying worker: this channel is over
                _LOG.warning("A worker's progress channel broke; a new pool gets a new one")
                return
            if told is None:
                return
            token, stage, done, total = told
            callback = self._listeners.get(token)
            if callback is None:  # the render is over: a late message
                continue
            try:
                callback(stage, done, total)
            except Exception:  # a broken callback costs its progress, never the listener
                _LOG.exception("A progress callback failed")

    def warm(self) -> None:
        """Start every worker now, so the first job does not wait for model loading."""
        with _stop_signals_blocked():
            futures = [self._pool.submit(_ready) for _ in range(self._workers)]
        with suppress(BrokenProcessPool, CancelledError):  # closed before they were up
            for future in futures:
                future.result()

    def submit(
        self, request: AnyRequest, out_path: Path, progress: Progress | None = None
    ) -> Future[AnyResult]:
        first = self._run(self._render, request, out_path, progress=progress)
        return self._conductor.follow(first, progress)

    def _run(
        self, fn: Callable[..., Any], *args: Any, progress: Progress | None = None
    ) -> Future[Any]:
        """``fn(*args)`` in a worker process; with ``progress``, ``fn`` gets a relay of it."""
        token = None
        if progress is not None:
            token = uuid.uuid4().hex
            self._listeners[token] = progress
        with self._lock, _stop_signals_blocked():  # a submit may start a worker process
            try:
                future = self._pool.submit(_timed, fn, *args, relay=token)
            except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                future = self._pool.submit(_timed, fn, *args, relay=token)
        if token is not None:
            future.add_done_callback(lambda _: self._listeners.pop(token, None))
        return future

    def close(self, *, wait: bool = True) -> None:
        if not wait:  # the processes ignore SIGTERM (see above): end them here, and the
            # conductor's threads waiting on their chunks then see them fail and return
            processes = getattr(self._pool, "_processes", None) or {}  # no public way in 3.11
            for process in list(processes.values()):
                process.kill()
        self._conductor.close()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._close_channel()
        self._let_channel_go()

    def _let_channel_go(self) -> None:
        """Wait (briefly) for the listener to end, then drop every reference to the channel,
        so its semaphores are unlinked as it is collected: one still alive when the process
        exits is reported by multiprocessing's resource tracker as leaked."""
        if self._listener is not None:
            self._listener.join(timeout=2)
        if self._told is not None:
            self._told.close()
        self._told = self._listener = None
        self._pool._initargs = ()  # it holds the channel too


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

    def submit(
        self, request: AnyRequest, out_path: Path, progress: Progress | None = None
    ) -> Future[AnyResult]:
        first = self._run(self._render, request, out_path, progress=progress)
        return self._conductor.follow(first, progress)

    def _run(
        self, fn: Callable[..., Any], *args: Any, progress: Progress | None = None
    ) -> Future[Any]:
        kwargs = {} if progress is None else {"progress": progress}
        return self._pool.submit(_call_timed, fn, args, kwargs)

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


_Told = tuple[str, str, int, int]
"""What a worker process tells its parent of a render: its token, stage, done, total."""
_Channel: TypeAlias = "multiprocessing.Queue[_Told | None]"
"""A pool's queue of ``_Told`` (and ``None``, which ends its listener)."""
_told: _Channel | None = None
"""In a worker process: where its renders' progress goes (the pool's queue)."""


class _Relay:
    """A render's ``progress`` in a worker process: sent to the parent, a few times a second
    (every stage change at once, and the last frame)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self._stage = ""
        self._sent = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._sent < _RELAY_S:
            return
        self._stage, self._sent = stage, now
        if _told is not None:  # buffered, sent by the queue's thread: a render never waits
            _told.put((self.token, stage, done, total))


def _start_worker(warm_up: Callable[[], object], told: _Channel | None = None) -> None:
    """A worker process's first step: leave stop signals to the parent, keep where progress
    goes, load the models."""
    global _told
    _told = told
    if told is not None:
        told.cancel_join_thread()  # a worker ended at shutdown never waits to send progress
    for stop in _STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # one pending is dropped
    warm_up()


def _timed(fn: Callable[..., Any], *args: Any, relay: str | None = None) -> Any:
    """``fn(*args)`` in a worker process, its time counted as render seconds; with a
    ``relay`` token, ``fn`` is given a ``progress`` that tells the parent."""
    kwargs = {} if relay is None else {"progress": _Relay(relay)}
    return _call_timed(fn, args, kwargs)


def _call_timed(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``fn(*args, **kwargs)``, its time counted as render seconds (where the work runs)."""
    with rendering():
        return fn(*args, **kwargs)
