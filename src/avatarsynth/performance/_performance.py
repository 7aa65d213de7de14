"""What the avatar does, frame by frame: the output of the performance stage.

Every channel is a float32 array with one value per video frame, so the renderer reads a frame
as one index into each array and never needs the speech timeline again. Channels are unitless
in [0, 1] unless their name carries a unit; 0 is the rest pose, so a silent stretch is all
zeros and renders identically frame after frame.
"""

from __future__ import annotations

from dataclasses import dataclass

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
