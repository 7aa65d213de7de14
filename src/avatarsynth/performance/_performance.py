"""What the avatar does, frame by frame: the output of the performance stage.

Every channel is a float32 array with one value per video frame, so the renderer reads a frame
as one index into each array and never needs the speech timeline again. Channels are unitless
in [0, 1] unless their name carries a unit; 0 is the rest pose, so a silent stretch is all
zeros and renders identically frame after frame.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Curve = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Cue:
    """A bookmark from the input, placed on the frame where it is reached."""

    name: str
    time_s: float
    frame: int


@dataclass(frozen=True)
class Mouth:
    """The mouth's shape per frame; all zeros is closed and relaxed."""

    jaw_open: Curve
    lip_spread: Curve
    lip_round: Curve
    lips_pressed: Curve
    teeth_on_lip: Curve
    tongue_up: Curve


@dataclass(frozen=True)
class Head:
    """Head and face motion per frame; all zeros is the still, front-facing rest pose."""

    nod: Curve
    turn: Curve
    tilt_deg: Curve
    brow_raise: Curve
    gaze_x: Curve
    gaze_y: Curve
    eyelids_closed: Curve


@dataclass(frozen=True, eq=False)
class Performance:
    """Per-frame channels for ``n_frames`` frames at ``fps``, plus the input's bookmarks."""

    fps: int
    n_frames: int
    mouth: Mouth
    head: Head
    breath: Curve
    cues: tuple[Cue, ...] = ()

    @property
    def duration_s(self) -> float:
        """Length of the video these frames make."""
        return self.n_frames / self.fps

    def window(self, first: int, count: int) -> Performance:
        """Frames ``first`` … ``first + count - 1`` as a performance of their own (one chunk of
        a long video).

        Generic over the fields, so new channels need no change here: every array with one
        value per frame is sliced, nested groups of them too, and cues (anything with a
        ``frame``) are shifted; those before the window are dropped, which is exact when the
        window never begins while a gesture plays (long videos are cut so), as its arms then
        start at rest.
        """

        def cut(value: Any) -> Any:
            if isinstance(value, np.ndarray) and value.shape[:1] == (self.n_frames,):
                return value[first : first + count]
            if dataclasses.is_dataclass(value) and not isinstance(value, type):
                if hasattr(value, "frame") and hasattr(value, "time_s"):
                    return dataclasses.replace(
                        value, frame=value.frame - first, time_s=value.time_s - first / self.fps
                    )
                changes = {f.name: cut(getattr(value, f.name)) for f in dataclasses.fields(value)}
                return dataclasses.replace(value, **changes)
            if isinstance(value, tuple):
                kept = (v for v in value if getattr(v, "frame", first) >= first)
                return tuple(cut(item) for item in kept)
            return value

        sliced: Performance = dataclasses.replace(cut(self), n_frames=count)
        return sliced
