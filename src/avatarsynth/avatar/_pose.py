"""One frame of a performance, read out of its per-frame arrays for the drawing code."""

from __future__ import annotations

from dataclasses import dataclass, fields

from avatarsynth.avatar._look import ArmPose
from avatarsynth.performance import Head, Mouth, Performance

_BREATH_RISE_PX = 3.0
_BREATH_STEPS_PER_PX = 4


@dataclass(frozen=True)
class FramePose:
    """Everything that moves, for one frame; equal poses draw identical pixels."""

    mouth: Mouth[float]
    head: Head[float]
    breath_px: float
    left_arm: ArmPose
    right_arm: ArmPose
    sway_px: float = 0.0
    """The whole figure's sideways offset (weight shift), in body-space pixels."""

    @classmethod
    def still(cls, left_arm: ArmPose, right_arm: ArmPose) -> FramePose:
        """A pose with everything at rest (for previews)."""
        mouth: Mouth[float] = Mouth(**{channel.name: 0.0 for channel in fields(Mouth)})
        head: Head[float] = Head(**{channel.name: 0.0 for channel in fields(Head)})
        return cls(mouth, head, 0.0, left_arm, right_arm)

    def head_region(self) -> tuple[object, ...]:
        """The values that change the head region."""
        return (self.mouth, self.head, self.breath_px, self.sway_px)


def pose_at(
    performance: Performance,
    arms: tuple[list[ArmPose], list[ArmPose]],
    frame: int,
    sway_px: float = 0.0,
) -> FramePose:
    """Frame ``frame`` of ``performance`` with the arms' poses from ``arms`` (see
    ``_gestures.arm_tracks``) and the figure moved ``sway_px`` sideways; breathing is snapped
    to quarter pixels so that the shoulders are redrawn only when they visibly move."""
    steps = round(float(performance.breath[frame]) * _BREATH_RISE_PX * _BREATH_STEPS_PER_PX)
    return FramePose(
        mouth=performance.mouth.at(frame),
        head=performance.head.at(frame),
        breath_px=steps / _BREATH_STEPS_PER_PX,
        left_arm=arms[0][frame],
        right_arm=arms[1][frame],
        sway_px=sway_px,
    )
