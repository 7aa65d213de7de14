"""Module-level fakes a spawned worker process can import by name."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from avatarsynth.errors import RenderError
from avatarsynth.pipeline import RenderRequest, RenderResult


def warm_up() -> None:
    """Nothing to load."""


def render(
    request: RenderRequest, out_path: Path, progress: Callable[[str, int, int], None] | None = None
) -> RenderResult:
    """Writes which process rendered the input; 'fail' fails, 'die' kills the worker; tells
    ``progress`` of a speech stage and 10 frames over half a second."""
    if progress is not None:
        progress("speech", 0, 0)
        for done in range(11):
            progress("video", done, 10)
            time.sleep(0.05)
        time.sleep(0.2)  # the last message arrives before the result
    if request.content == "die":
        os._exit(1)
    if request.content == "fail":
        raise RenderError("The avatar could not be drawn.")
    out_path.write_text(str(os.getpid()))
    return RenderResult(out_path, out_path.stat().st_size, 1.0, len(request.content))
