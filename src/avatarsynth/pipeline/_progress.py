"""How far a render has come, told to whoever runs it: ``progress(stage, done, total)``.

The pipeline calls it when a stage starts and, in the video stage, once per frame the encoder
takes (``done`` of ``total`` frames); what to do with it (a bar, a job's ``progress``) and how
often is the caller's business. It may be called from the encoder's threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from avatarsynth.frame import Frame

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``: ``done`` and ``total`` count frames in the video stage, else 0."""

SPEECH = "speech"
"""The input is parsed, spoken and acted (everything before the first frame; audio: all)."""
VIDEO = "video"
"""Frames are drawn and encoded."""
JOINING = "joining"
"""A long video's chunks are joined with its audio."""


def report(progress: Progress | None, stage: str, done: int = 0, total: int = 0) -> None:
    """Tell ``progress`` (if any) where the render is."""
    if progress is not None:
        progress(stage, done, total)


Total = int | Callable[[], int]
"""The frame count, or how to learn it as it becomes known (a video drawn while it is spoken
has an estimate until its speech is whole)."""


def counted(frames: Iterator[Frame], total: Total, progress: Progress | None) -> Iterator[Frame]:
    """``frames`` as they were, each one taken counted as done in the video stage."""
    if progress is None:
        return frames
    return _counting(frames, total if callable(total) else lambda: total, progress)


def _counting(
    frames: Iterator[Frame], total: Callable[[], int], progress: Progress
) -> Iterator[Frame]:
    progress(VIDEO, 0, total())
    for done, frame in enumerate(frames, 1):
        yield frame
        known = max(total(), done)
        progress(VIDEO, done, known)
