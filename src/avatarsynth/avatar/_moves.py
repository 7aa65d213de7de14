"""Gestures built from data: a motion (a few poses, a beat, timings) and a gesture's parameters.

A motion in ``data/gestures.toml`` says how one kind of gesture goes: the poses the moving arm
passes through, an optional beat (a small move repeated: a wave's swing, a press's push), how
long each part takes. A gesture names a motion and varies it: which side, how high (``raise``
the upper arm, ``bend`` the forearm, ``tilt`` the hand), which hand shape, how many beats. So
``show-left-3`` and ``upper-left`` share the presenting motion and differ in height, and a
new Azure name is one line of data.
"""

from __future__ import annotations

from typing import Any

from avatarsynth.avatar._look import ArmPose, Gesture, Keys

_DEFAULTS: dict[str, Any] = {
    "side": "left",
    "approach_s": 0.4,
    "step_s": 0.4,
    "beat": [0.0, 0.0, 0.0],
    "count": 0,
    "beat_s": 0.22,
    "hold_s": 0.6,
    "back_s": 0.5,
    "raise": 0.0,
    "bend": 0.0,
    "tilt": 0.0,
}


def _pose(row: list[Any], spec: dict[str, Any], varied: bool) -> ArmPose:
    upper, fore, hand, shape = row
    if not varied:
        return ArmPose(float(upper), float(fore), float(hand), str(shape))
    return ArmPose(
        float(upper) + float(spec["raise"]),
        float(fore) + float(spec["bend"]),
        float(hand) + float(spec["tilt"]),
        str(spec.get("shape", shape)),
    )


def _beaten(pose: ArmPose, beat: list[float]) -> ArmPose:
    du, df, dh = (float(value) for value in beat)
    return ArmPose(pose.upper + du, pose.fore + df, pose.hand + dh, pose.shape)


def _keys(poses: list[ArmPose], spec: dict[str, Any]) -> Keys:
    """Reach the first pose, pass through the others, beat, hold the last: (seconds, pose)."""
    t = float(spec["approach_s"])
    keys = [(t, poses[0])]
    for pose in poses[1:]:
        t += float(spec["step_s"])
        keys.append((t, pose))
    count = int(spec["count"])
    for beat in range(count + count % 2):
        t += float(spec["beat_s"])
        keys.append((t, _beaten(poses[-1], spec["beat"]) if beat % 2 == 0 else poses[-1]))
    keys.append((t + float(spec["hold_s"]), poses[-1]))
    return tuple((round(time, 3), pose) for time, pose in keys)


def build_gesture(name: str, entry: dict[str, Any], motions: dict[str, Any]) -> Gesture:
    """The gesture ``name`` from its entry (a motion and its parameters)."""
    spec = {**_DEFAULTS, **motions[entry["motion"]], **entry}
    own = [_pose(row, spec, varied=True) for row in spec["poses"]]
    own_keys = _keys(own, spec)
    other = [_pose(row, spec, varied=False) for row in spec.get("other", [])]
    other_keys = _keys(other, spec) if other else None
    other_peak = other[-1] if other else None
    side = spec["side"]
    if side == "both":
        return Gesture(name, own_keys, own_keys, float(spec["back_s"]), (own[-1], own[-1]))
    if side == "left":
        return Gesture(name, own_keys, other_keys, float(spec["back_s"]), (own[-1], other_peak))
    return Gesture(name, other_keys, own_keys, float(spec["back_s"]), (other_peak, own[-1]))
