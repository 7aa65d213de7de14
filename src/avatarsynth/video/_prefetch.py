"""Frames drawn in a second thread while the encoder works on the ones before.

skia, swscale and x264 all release the GIL for their heavy work, so on two cores drawing the
next frames overlaps with encoding (bench/render.py: whole pipeline 0.88 of the encoder alone
in one thread, 0.98 in two). An error in the drawing thread is raised in the caller's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DEPTH = 6
_POLL_S = 0.1


class _End:
    """Marks the end of the frames, or carries the error that ended them."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def prefetched(items: Iterable[T], depth: int = _DEPTH) -> Iterator[T]:
    """``items`` in order, produced up to ``depth`` ahead by a worker thread."""
    ready: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: T | _End) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_End())
        except BaseException as exc:  # handed to the consumer, raised there
            put(_End(exc))

    worker = threading.Thread(target=produce, name="avatarsynth-frames", daemon=True)
    worker.start()
    try:
        while not isinstance(item := ready.get(), _End):
            yield item
        if item.error is not None:
            raise item.error
    finally:
        stop.set()
        worker.join()
