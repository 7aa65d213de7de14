"""Reading lip motion back from an encoded video, as a viewer would see it.

The audio says when words are spoken and where the long pause is; the frames say whether the
mouth region moved then. Nothing here asks the renderer what it meant to draw.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from avatarsynth import avatar

SILENT_RMS = 1e-4


def mouth_box(
    width: int, height: int, character: str = "lisa", style: str = "casual-sitting"
) -> tuple[int, int, int, int]:
    """The look's mouth region at rest (each look is framed for its own head), as
    (x0, y0, x1, y1)."""
    box = avatar.mouth_box(avatar.find_look(character, style), width, height)
    return box.left, box.top, box.right, box.bottom


SPEAKING_RMS = 0.02


@dataclass(frozen=True)
class LipMotion:
    """Mean absolute change of the mouth region between consecutive frames, in grey levels."""

    while_speaking: float
    through_pause: float
    pause_s: float


def decoded_audio(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """The video's sound track as mono float samples, and its rate."""
    with av.open(str(path)) as container:
        chunks = [
            f.to_ndarray().astype(np.float64).mean(axis=0)
            for f in container.decode(container.streams.audio[0])
        ]
        rate = container.streams.audio[0].rate
    return np.concatenate(chunks).astype(np.float32), int(rate)


def _audio_rms_per_frame(path: Path, fps: float, frames: int) -> npt.NDArray[np.float64]:
    audio, rate = decoded_audio(path)
    hop = rate / fps
    windows = (audio[int(i * hop) : int((i + 1) * hop)] for i in range(frames))
    return np.array([np.sqrt(np.mean(np.square(w))) if w.size else 0.0 for w in windows])


def _longest_silence(rms: npt.NDArray[np.float64]) -> tuple[int, int]:
    best, start = (0, 0), None
    for index, value in enumerate([*rms, 1.0]):
        if value < SILENT_RMS and start is None:
            start = index
        elif value >= SILENT_RMS and start is not None:
            best = max(best, (start, index), key=lambda run: run[1] - run[0])
            start = None
    return best


_SWAY = 3
"""How far (pixels) a standing presenter's weight shift may carry the face between frames."""


def _lip_change(before: npt.NDArray[np.float64], after: npt.NDArray[np.float64]) -> float:
    """Mean absolute change of the mouth region between two frames, the whole face allowed to
    have moved sideways by a few pixels (a weight shift moves the lips with the face, which a
    viewer does not read as speaking)."""
    width = before.shape[1] - 2 * _SWAY
    still = before[:, _SWAY : _SWAY + width]
    return min(
        float(np.abs(after[:, _SWAY + dx : _SWAY + dx + width] - still).mean())
        for dx in range(-_SWAY, _SWAY + 1)
    )


def lip_motion(path: Path, box: tuple[int, int, int, int]) -> LipMotion:
    """How much the ``box`` (x0, y0, x1, y1) region moves in speech and inside the longest pause."""
    x0, y0, x1, y1 = box
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or 25)
        crops = [
            f.to_ndarray(format="gray")[y0:y1, x0 - _SWAY : x1 + _SWAY].astype(np.float64)
            for f in container.decode(stream)
        ]
    change = np.array([0.0] + [_lip_change(a, b) for a, b in itertools.pairwise(crops)])
    rms = _audio_rms_per_frame(path, fps, len(crops))
    pause_start, pause_end = _longest_silence(rms)
    # Skip the ease into rest at the start of the pause and the ease out at its end.
    inside = slice(pause_start + int(0.25 * fps), pause_end - int(0.1 * fps))
    speaking = rms > SPEAKING_RMS
    return LipMotion(
        while_speaking=float(change[speaking].mean()),
        through_pause=float(change[inside].max()) if inside.stop > inside.start else float("nan"),
        pause_s=(pause_end - pause_start) / fps,
    )
