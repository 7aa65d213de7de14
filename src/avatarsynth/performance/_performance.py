"""What the avatar does, frame by frame: the output of the performance stage.

Every channel is a float32 array with one value per video frame, so the renderer reads a frame
as one index into each array and never needs the speech timeline again. Channels are unitless
in [0, 1] unless their name carries a unit; 0 is the rest pose, so a silent stretch is all
zeros and renders identically frame after frame.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

Curve = npt.NDArray[np.float32]
Value = TypeVar("Value")
"""What a channel holds: a :data:`Curve` in a performance, a float in one frame's pose."""


@dataclass(frozen=True)
class Cue:
    """A bookmark from the input, placed on the frame where it is reached."""

    name: str
    time_s: float
    frame: int


@dataclass(frozen=True)
class Mouth(Generic[Value]):
    """The mouth's shape per frame (or at one frame); all zeros is closed and relaxed."""

    jaw_open: Value
    lip_spread: Value
    lip_round: Value
    lips_pressed: Value
    teeth_on_lip: Value
    tongue_up: Value

    def at(self: Mouth[Curve], frame: int) -> Mouth[float]:
        """The mouth at frame ``frame``."""
        return Mouth(**_values_at(self, frame))


@dataclass(frozen=True)
class Head(Generic[Value]):
    """Head and face motion per frame (or at one frame); all zeros is the still,
    front-facing rest pose."""

    nod: Value
    turn: Value
    tilt_deg: Value
    brow_raise: Value
    gaze_x: Value
    gaze_y: Value
    eyelids_closed: Value

    def at(self: Head[Curve], frame: int) -> Head[float]:
        """The head at frame ``frame``."""
        return Head(**_values_at(self, frame))


def _values_at(channels: Any, frame: int) -> dict[str, float]:
    """Each channel's value at ``frame``, by name."""
    return {
        channel.name: float(getattr(channels, channel.name)[frame]) for channel in fields(channels)
    }


@dataclass(frozen=True, eq=False)
class Performance:
    """Per-frame channels for ``n_frames`` frames at ``fps``, plus the input's bookmarks."""

    fps: int
    n_frames: int
    mouth: Mouth[Curve]
    head: Head[Curve]
    breath: Curve
    sway: Curve
    """Weight shift, hips to the presenter's left (+1) or right (−1); standing avatars sway."""
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


@dataclass(frozen=True, eq=False)
class Acting:
    """A performance while its speech may still be growing: its first ``settled`` frames are
    final (no later speech changes them); the rest may still change. ``settled ==
    performance.n_frames`` when the speech is whole."""

    performance: Performance
    settled: int

    @property
    def whole(self) -> bool:
        """Whether this is the whole performance (nothing more will be spoken)."""
        return self.settled >= self.performance.n_frames
