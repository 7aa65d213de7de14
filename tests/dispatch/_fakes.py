"""Module-level fakes a spawned worker process can import by name."""

from __future__ import annotations

import os
from pathlib import Path

from avatarsynth.errors import RenderError
from avatarsynth.pipeline import RenderRequest, RenderResult


def warm_up() -> None:
    """Nothing to load."""


def render(request: RenderRequest, out_path: Path, progress: object = None) -> RenderResult:
    """Writes which process rendered the input; 'fail' fails, 'die' kills the worker."""
    if request.content == "die":
        os._exit(1)
    if request.content == "fail":
        raise RenderError("The avatar could not be drawn.")
    out_path.write_text(str(os.getpid()))
    return RenderResult(out_path, out_path.stat().st_size, 1.0, len(request.content))
