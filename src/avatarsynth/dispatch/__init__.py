"""Running pipeline work: worker processes by default, threads as a test seam.

Long videos are split into chunks that run on the same pool and are joined afterwards; the
three pipeline steps involved, and how a Celery deployment runs them as a chord, are described
in ``_chunks`` (``Conductor``).
"""

from avatarsynth.dispatch._dispatcher import (
    Dispatcher,
    InlineDispatcher,
    ProcessDispatcher,
    RenderFn,
)

__all__ = ["Dispatcher", "InlineDispatcher", "ProcessDispatcher", "RenderFn"]
