"""One frame of a performance, read out of its per-frame arrays for the drawing code."""

from __future__ import annotations

from dataclasses import dataclass

from avatarsynth.avatar._look import ArmPose
from avatarsynth.performance import Performance

_BREATH_RISE_PX = 3.0
_BREATH_STEPS_PER_PX = 4


@dataclass(frozen=True)
class FramePose:
    """Everything that moves, for one frame; equal poses draw identical pixels."""

    jaw_open: float
    lip_spread: float
    lip_round: float
    lips_pressed: float
    teeth_on_lip: float
    tongue_up: float
    nod: float
    turn: float
    tilt_deg: float
    brow_raise: float
    gaze_x: float
    gaze_y: float
    eyelids_closed: float
    breath_px: float
    left_arm: ArmPose
    right_arm: ArmPose

    @classmethod
    def still(cls, left_arm: ArmPose, right_arm: ArmPose, **moves: float) -> FramePose:
        """A pose with everything at rest but ``moves`` (for previews and contact sheets)."""
        names = [name for name in cls.__dataclass_fields__ if not name.endswith("_arm")]
        values = {name: float(moves.get(name, 0.0)) for name in names}
        return cls(**values, left_arm=left_arm, right_arm=right_arm)

    def head(self) -> tuple[float, ...]:
        """The values that change the head region."""
        return (
            *self.mouth(),
            self.nod,
            self.turn,
            self.tilt_deg,
            self.brow_raise,
            self.gaze_x,
            self.gaze_y,
            self.eyelids_closed,
            self.breath_px,
        )

    def mouth(self) -> tuple[float, ...]:
        """The mouth's six parameters."""
        return (
            self.jaw_open,
            self.lip_spread,
            self.lip_round,
            self.lips_pressed,
            self.teeth_on_lip,
            self.tongue_up,
        )


def pose_at(
    performance: Performance, arms: tuple[list[ArmPose], list[ArmPose]], frame: int
) -> FramePose:
    """Frame ``frame`` of ``performance`` with the arms' poses from ``arms`` (see
    ``_gestures.arm_tracks``); breathing is snapped to quarter pixels so that the shoulders are
    redrawn only when they visibly move."""
    mouth, head = performance.mouth, performance.head
    steps = round(float(performance.breath[frame]) * _BREATH_RISE_PX * _BREATH_STEPS_PER_PX)
    return FramePose(
        jaw_open=float(mouth.jaw_open[frame]),
        lip_spread=float(mouth.lip_spread[frame]),
        lip_round=float(mouth.lip_round[frame]),
        lips_pressed=float(mouth.lips_pressed[frame]),
        teeth_on_lip=float(mouth.teeth_on_lip[frame]),
        tongue_up=float(mouth.tongue_up[frame]),
        nod=float(head.nod[frame]),
        turn=float(head.turn[frame]),
        tilt_deg=float(head.tilt_deg[frame]),
        brow_raise=float(head.brow_raise[frame]),
        gaze_x=float(head.gaze_x[frame]),
        gaze_y=float(head.gaze_y[frame]),
        eyelids_closed=float(head.eyelids_closed[frame]),
        breath_px=steps / _BREATH_STEPS_PER_PX,
        left_arm=arms[0][frame],
        right_arm=arms[1][frame],
    )
