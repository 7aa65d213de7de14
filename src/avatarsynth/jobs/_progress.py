"""How far a running job has come: ``properties.progress`` on the wire.

The renders of a job's inputs tell the runner their stage and frames (``pipeline.Progress``);
a :class:`ProgressTally` turns them into one percentage of the whole job, each input weighted
by its length in characters (a cheap stand-in for its duration), and the runner writes it to
the job's row at most twice a second (:meth:`JobClaims.report_progress`), only ever forwards.

One input's share of its weight, by stage::

    speech 0–10 %  ·  video 10–95 % (frames encoded of all)  ·  joining 95 %  ·  uploading 97 %

A running job never shows 100: that is written with ``Succeeded`` alone.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from avatarsynth import pipeline

RUNNING_MAX = 99.0
"""The most a running job shows: 100 is ``Succeeded``'s."""
UPLOADING = "uploading"
"""An input's file is rendered and being stored (and its side files written)."""
DONE = "done"
"""The stage of a job that succeeded."""
_SPEECH_SHARE, _VIDEO_END = 0.10, 0.95
_AT = {pipeline.SPEECH: 0.0, pipeline.JOINING: 0.95, UPLOADING: 0.97}


@dataclass(frozen=True)
class JobProgress:
    """What ``properties.progress`` shows."""

    percent: float
    stage: str
    frames_done: int = 0
    frames_total: int = 0
    """Frames encoded and to encode over the inputs that reached their video stage."""


class ProgressTally:
    """The progress of one job's inputs, as their renders tell it (thread-safe)."""

    def __init__(self, contents: Sequence[str]) -> None:
        self._weights = [max(1, len(content)) for content in contents]
        self._fractions = [0.0] * len(contents)
        self._frames = [(0, 0)] * len(contents)
        self._stage = ""
        self._lock = threading.Lock()

    def render(self, inputs: tuple[int, ...]) -> pipeline.Progress:
        """The ``progress`` callback of the render that makes these inputs' file."""

        def told(stage: str, done: int, total: int) -> None:
            fraction = _AT.get(stage, 0.0)
            if stage == pipeline.VIDEO:
                fraction = _SPEECH_SHARE + (_VIDEO_END - _SPEECH_SHARE) * done / max(total, 1)
            self._set(inputs, stage, fraction, (done, total) if stage == pipeline.VIDEO else None)

        return told

    def stage(self, inputs: tuple[int, ...], stage: str) -> None:
        """These inputs reached a stage of the runner's own (``UPLOADING``)."""
        self._set(inputs, stage, _AT[stage], None)

    def finished(self, inputs: tuple[int, ...]) -> None:
        """These inputs are over (made or failed): their whole weight is done."""
        self._set(inputs, self._stage, 1.0, None)

    def _set(
        self, inputs: tuple[int, ...], stage: str, fraction: float, frames: tuple[int, int] | None
    ) -> None:
        with self._lock:
            self._stage = stage
            for index in inputs:
                self._fractions[index] = max(self._fractions[index], fraction)
            if frames is not None:  # a file's frames, counted once (on its first input)
                self._frames[inputs[0]] = frames

    def snapshot(self) -> JobProgress:
        """The job's progress now, at most :data:`RUNNING_MAX`."""
        with self._lock:
            done = sum(w * f for w, f in zip(self._weights, self._fractions, strict=True))
            percent = min(RUNNING_MAX, 100.0 * done / sum(self._weights))
            frames_done = sum(frames[0] for frames in self._frames)
            frames_total = sum(frames[1] for frames in self._frames)
            return JobProgress(percent, self._stage, frames_done, frames_total)
