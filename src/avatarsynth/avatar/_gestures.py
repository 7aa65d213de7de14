"""Bookmarks → arm poses: each ``gesture.NAME`` cue plays the look's gesture from its frame.

A gesture starts on the frame its bookmark is reached (the first frame already moves) and
eases from wherever the arm is through its keys, then back to rest. A later gesture on the same
arm takes over from the pose the arm is in, so nothing jumps. Bookmarks that are not gestures,
or name a gesture this look lacks (refused at create time), leave the arms alone.
"""

from __future__ import annotations

import itertools
import math

from avatarsynth.avatar._look import ArmPose, Gesture, Look
from avatarsynth.errors import UnknownAvatar
from avatarsynth.performance import Cue

PREFIX = "gesture."
Track = list[ArmPose]


def gesture_name(bookmark: str) -> str | None:
    """``gesture.wave-left-1`` → ``wave-left-1``; other bookmarks → None."""
    if bookmark.lower().startswith(PREFIX):
        return bookmark[len(PREFIX) :].strip().lower()
    return None


def _ease(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


def _turn(a: float, b: float, p: float) -> float:
    """From angle ``a`` towards ``b`` the short way round: a forearm going from the lap to a
    wave rises in front of the chest instead of swinging down out of the frame."""
    delta = (b - a + 180.0) % 360.0 - 180.0
    return round(a + delta * p, 2)


def _between(a: ArmPose, b: ArmPose, x: float) -> ArmPose:
    p = _ease(x)
    return ArmPose(
        _turn(a.upper, b.upper, p),
        _turn(a.fore, b.fore, p),
        _turn(a.hand, b.hand, p),
        a.shape if p < 0.5 else b.shape,
    )


def _pose_at(keys: list[tuple[float, ArmPose]], t: float) -> ArmPose:
    """The pose ``t`` seconds into a gesture whose keys start at (0, the arm's pose)."""
    for (t0, a), (t1, b) in itertools.pairwise(keys):
        if t <= t1:
            return _between(a, b, (t - t0) / (t1 - t0))
    return keys[-1][1]


def _play(track: Track, gesture: Gesture, start: int, fps: int, rest: ArmPose) -> None:
    keys = [(0.0, track[start]), *gesture.keys, (gesture.duration_s, rest)]
    end = min(len(track), start + math.ceil(gesture.duration_s * fps) + 1)
    track[start:] = [rest] * (len(track) - start)
    for frame in range(start, end):
        track[frame] = _pose_at(keys, (frame - start + 1) / fps)


def arm_tracks(cues: tuple[Cue, ...], look: Look, n_frames: int, fps: int) -> tuple[Track, Track]:
    """Per-frame poses of the (left, right) arms: the presenter's own left and right."""
    left, right = [look.rest[0]] * n_frames, [look.rest[1]] * n_frames
    for cue in sorted(cues, key=lambda c: c.frame):
        name = gesture_name(cue.name)
        gesture = look.gestures.get(name) if name else None
        if gesture is None:
            continue
        if gesture.side in ("left", "both"):
            _play(left, gesture, cue.frame, fps, look.rest[0])
        if gesture.side in ("right", "both"):
            _play(right, gesture, cue.frame, fps, look.rest[1])
    return left, right


def check_gestures(look: Look, bookmarks: tuple[str, ...]) -> None:
    """Refuse a ``gesture.NAME`` bookmark the look cannot play, naming the ones it can."""
    for bookmark in bookmarks:
        name = gesture_name(bookmark)
        if name is not None and name not in look.gestures:
            raise UnknownAvatar(
                f"Unknown gesture '{name}' for avatar '{look.character}' in style "
                f"'{look.style}'; use one of: {', '.join(sorted(look.gestures))}."
            )
