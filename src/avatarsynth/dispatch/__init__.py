"""Running pipeline work: worker processes by default, threads as a test seam.

Long videos are split into chunks that run on the same pool and are joined afterwards; the
three pipeline steps involved are described in ``_chunks`` (``Conductor``), where Celery mode
plugs in its own way of spreading them (``FanOut``).
"""

from avatarsynth.dispatch._chunks import ChunkTally, FanOut
from avatarsynth.dispatch._dispatcher import (
    Dispatcher,
    InlineDispatcher,
    ProcessDispatcher,
    RenderFn,
)

__all__ = [
    "ChunkTally",
    "Dispatcher",
    "FanOut",
    "InlineDispatcher",
    "ProcessDispatcher",
    "RenderFn",
]
