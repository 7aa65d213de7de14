"""Running pipeline work: worker processes by default, threads as a test seam."""

from avatarsynth.dispatch._dispatcher import (
    Dispatcher,
    InlineDispatcher,
    ProcessDispatcher,
    RenderFn,
)

__all__ = ["Dispatcher", "InlineDispatcher", "ProcessDispatcher", "RenderFn"]
