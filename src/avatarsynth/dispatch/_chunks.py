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
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from avatarsynth import pipeline
from avatarsynth.pipeline import AnyResult, LongRender

Submit = Callable[..., "Future[Any]"]
FanOut = Callable[[LongRender], None]
"""Renders every chunk of a long video into its ``out_path``, somewhere; raises if one fails."""
_CONDUCTORS = 32
"""Threads that wait on long renders' chunks (they only wait; the work is in the pool)."""


class Conductor:
    """Turns the future of a ``begin`` call into the future of the finished result."""

    def __init__(self, submit: Submit, fan_out: FanOut | None = None) -> None:
        self._submit = submit
        self._fan_out = fan_out or self._on_pool
        self._threads = ThreadPoolExecutor(_CONDUCTORS, thread_name_prefix="avatarsynth-long")

    def follow(self, first: Future[Any]) -> Future[AnyResult]:
        """A future of the finished result; cancelling it before work starts cancels it."""
        outer: Future[AnyResult] = Future()
        outer.add_done_callback(lambda done: first.cancel() if done.cancelled() else None)
        first.add_done_callback(lambda done: self._hand_over(done, outer))
        return outer

    def _hand_over(self, first: Future[Any], outer: Future[AnyResult]) -> None:
        """Finish on a conductor thread; once closed (shutdown), here and now."""
        try:
            self._threads.submit(self._finish, first, outer)
        except RuntimeError:
            self._finish(first, outer)

    def _finish(self, first: Future[Any], outer: Future[AnyResult]) -> None:
        if not outer.set_running_or_notify_cancel():
            done = not first.cancelled() and first.exception() is None
            if done and isinstance(plan := first.result(), LongRender):
                plan.discard()
            return
        try:
            result = first.result()
            if isinstance(result, LongRender):
                result = self._long(result)
            outer.set_result(result)
        except BaseException as exc:  # handed to whoever waits on the result
            outer.set_exception(exc)

    def _long(self, plan: LongRender) -> AnyResult:
        """Every chunk rendered, then the join on the pool; on a failure, nothing is left."""
        try:
            self._fan_out(plan)
            result: AnyResult = self._submit(plan.join).result()
            return result
        finally:
            plan.discard()

    def _on_pool(self, plan: LongRender) -> None:
        """Every chunk on the pool at once; the first failure cancels the rest."""
        chunks = [self._submit(pipeline.render_chunk, chunk) for chunk in plan.chunks]
        done, _ = concurrent.futures.wait(chunks, return_when=concurrent.futures.FIRST_EXCEPTION)
        failed = next((f for f in done if f.exception() is not None), None)
        if failed is not None:
            for future in chunks:
                future.cancel()
            concurrent.futures.wait(chunks)
            raise failed.exception()  # type: ignore[misc]

    def close(self, *, wait: bool = True) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=True)
