"""Long videos on a worker pool: plan once, spread the chunks, join.

A 20-minute video drawn by one process would take many times longer than the same video cut
into chunks drawn by every worker. The pipeline's steps are plain functions over picklable
data, so any pool can run them:

    pipeline.begin(request, out_path) -> a finished result, or a LongRender plan:
                                         speech, performance and the whole audio, done once
    pipeline.render_chunk(chunk)      -> one chunk's video segment (any worker, in any order)
    plan.join()                       -> the joined video (packets remuxed, nothing re-encoded)

:class:`Conductor` follows the first step's future; for a plan it spreads the chunks, then
joins them on the pool, and deletes the pieces whatever happens. The chunks go to the same
``concurrent.futures`` pool by default; another way of spreading them plugs in as
``fan_out``: Celery mode's (``tasks.ChunkShare``) sends them to every worker as a group of
tasks and renders the ones nobody took itself.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from avatarsynth import pipeline
from avatarsynth.pipeline import AnyResult, LongRender, Progress

Submit = Callable[..., "Future[Any]"]
"""``submit(fn, *args, progress=None)``: ``fn(*args)`` on the pool, told ``progress`` if any."""
FanOut = Callable[[LongRender, "ChunkTally | None"], None]
"""Renders every chunk of a long video into its ``out_path``, somewhere, telling the tally (if
any) of the frames done; raises if one fails."""


class ChunkTally:
    """The frames done over all of a long video's chunks, wherever they render, told to one
    ``progress`` as the video stage of the whole input (thread-safe)."""

    def __init__(self, plan: LongRender, progress: Progress) -> None:
        self._sizes = [chunk.n_frames for chunk in plan.chunks]
        self._done = [0] * len(self._sizes)
        self._total = sum(self._sizes)
        self._progress = progress
        self._lock = threading.Lock()

    def chunk(self, index: int) -> Progress:
        """The ``progress`` of one chunk's render (its own frames)."""

        def told(stage: str, done: int, total: int) -> None:
            if stage == pipeline.VIDEO:
                self.frames(index, done)

        return told

    def frames(self, index: int, done: int) -> None:
        """Chunk ``index`` has ``done`` frames (never fewer than it had)."""
        with self._lock:
            self._done[index] = max(self._done[index], min(done, self._sizes[index]))
            done_all = sum(self._done)
        self._progress(pipeline.VIDEO, done_all, self._total)

    def finished(self, index: int) -> None:
        """Chunk ``index`` is rendered (by whoever)."""
        self.frames(index, self._sizes[index])


_CONDUCTORS = 32
"""Threads that wait on long renders' chunks (they only wait; the work is in the pool)."""


class Conductor:
    """Turns the future of a ``begin`` call into the future of the finished result."""

    def __init__(self, submit: Submit, fan_out: FanOut | None = None) -> None:
        self._submit = submit
        self._fan_out = fan_out or self._on_pool
        self._threads = ThreadPoolExecutor(_CONDUCTORS, thread_name_prefix="avatarsynth-long")

    def follow(self, first: Future[Any], progress: Progress | None = None) -> Future[AnyResult]:
        """A future of the finished result; cancelling it before work starts cancels it. A long
        video's chunks and join are told to ``progress``."""
        outer: Future[AnyResult] = Future()
        outer.add_done_callback(lambda done: first.cancel() if done.cancelled() else None)
        first.add_done_callback(lambda done: self._hand_over(done, outer, progress))
        return outer

    def _hand_over(
        self, first: Future[Any], outer: Future[AnyResult], progress: Progress | None
    ) -> None:
        """Finish on a conductor thread; once closed (shutdown), here and now."""
        try:
            self._threads.submit(self._finish, first, outer, progress)
        except RuntimeError:
            self._finish(first, outer, progress)

    def _finish(
        self, first: Future[Any], outer: Future[AnyResult], progress: Progress | None
    ) -> None:
        if not outer.set_running_or_notify_cancel():
            done = not first.cancelled() and first.exception() is None
            if done and isinstance(plan := first.result(), LongRender):
                plan.discard()
            return
        try:
            result = first.result()
            if isinstance(result, LongRender):
                result = self._long(result, progress)
            outer.set_result(result)
        except BaseException as exc:  # handed to whoever waits on the result
            outer.set_exception(exc)

    def _long(self, plan: LongRender, progress: Progress | None) -> AnyResult:
        """Every chunk rendered, then the join on the pool; on a failure, nothing is left."""
        try:
            self._fan_out(plan, ChunkTally(plan, progress) if progress else None)
            if progress is not None:
                progress(pipeline.JOINING, 0, 0)
            result: AnyResult = self._submit(plan.join).result()
            return result
        finally:
            plan.discard()

    def _on_pool(self, plan: LongRender, tally: ChunkTally | None) -> None:
        """Every chunk on the pool at once; the first failure cancels the rest."""
        chunks = [
            self._submit(
                pipeline.render_chunk, chunk, progress=tally.chunk(index) if tally else None
            )
            for index, chunk in enumerate(plan.chunks)
        ]
        done, _ = concurrent.futures.wait(chunks, return_when=concurrent.futures.FIRST_EXCEPTION)
        failed = next((f for f in done if f.exception() is not None), None)
        if failed is not None:
            for future in chunks:
                future.cancel()
            concurrent.futures.wait(chunks)
            raise failed.exception()  # type: ignore[misc]

    def close(self, *, wait: bool = True) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=True)
