"""Bookmarks → arm poses: each ``gesture.NAME`` cue plays the look's gesture from its frame.

A gesture starts on the frame its bookmark is reached (the first frame already moves) and
eases from wherever the arm is through its keys, then back to rest. It plays to its end: only a
later bookmark takes an arm over, from the pose the arm is in, so nothing jumps. A gesture too
long for the frames left plays faster, so that the arm is back at rest on the last frame
rather than cut off mid-stroke. Bookmarks that are not gestures, or name a gesture this look
lacks (refused at create time), leave the arms alone.
"""

from __future__ import annotations

import itertools
import math

from avatarsynth.avatar._look import ArmPose, Gesture, Keys, Look
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


_FASTEST = 0.6
"""A gesture may play this much faster to fit the audio left; beyond that it is shortened."""


def _fitted(timed: list[tuple[float, ArmPose]], back_s: float, left_s: float) -> Keys:
    """``timed`` (from 0 s, the arm's pose, to the end, at rest) made to end by ``left_s``:
    played faster if that is enough, else played up to a point and taken back to rest in
    the time its return takes, so the arm never jumps and never stops mid-stroke."""
    duration = timed[-1][0]
    if duration <= left_s:
        return tuple(timed)
    if duration * _FASTEST <= left_s:
        pace = left_s / duration
        return tuple((t * pace, pose) for t, pose in timed)
    cut = left_s - min(back_s, left_s / 2)
    kept = [(t, pose) for t, pose in timed if t < cut]
    return (*kept, (cut, _pose_at(timed, cut)), (left_s, timed[-1][1]))


def _play(track: Track, keys: Keys, gesture: Gesture, start: int, fps: int, rest: ArmPose) -> None:
    left_s = (len(track) - 1 - start) / fps
    track[start:] = [rest] * (len(track) - start)
    if left_s <= 0:
        return
    arm_now = track[start - 1] if start else rest
    timed = list(
        _fitted([(0.0, arm_now), *keys, (gesture.duration_s, rest)], gesture.back_s, left_s)
    )
    end = min(len(track), start + math.ceil(timed[-1][0] * fps) + 1)
    for frame in range(start, end):
        track[frame] = _pose_at(timed, (frame - start + 1) / fps)


def arm_tracks(cues: tuple[Cue, ...], look: Look, n_frames: int, fps: int) -> tuple[Track, Track]:
    """Per-frame poses of the (left, right) arms: the presenter's own left and right."""
    tracks = ([look.rest[0]] * n_frames, [look.rest[1]] * n_frames)
    for cue in sorted(cues, key=lambda c: c.frame):
        name = gesture_name(cue.name)
        gesture = look.gestures.get(name) if name else None
        if gesture is None or cue.frame >= n_frames:
            continue
        for track, keys, rest in zip(tracks, (gesture.left, gesture.right), look.rest, strict=True):
            if keys:
                _play(track, keys, gesture, cue.frame, fps, rest)
    return tracks


def cut_short_from(cues: tuple[Cue, ...], look: Look, n_frames: int, fps: int) -> int:
    """The first frame of a gesture that a video of ``n_frames`` frames would cut short (see
    ``_fitted``), or ``n_frames``: the arms' frames before it are the same in any longer video
    with these cues, so a video whose end is not known yet can be drawn up to there."""
    first = n_frames
    for cue in cues:
        name = gesture_name(cue.name)
        gesture = look.gestures.get(name) if name else None
        if gesture is not None and gesture.duration_s > (n_frames - 1 - cue.frame) / fps:
            first = min(first, cue.frame)
    return first


def check_gestures(look: Look, bookmarks: tuple[str, ...]) -> None:
    """Refuse a ``gesture.NAME`` bookmark the look cannot play, naming the ones it can."""
    for bookmark in bookmarks:
        name = gesture_name(bookmark)
        if name is not None and name not in look.gestures:
            raise UnknownAvatar(
                f"Unknown gesture '{name}' for avatar '{look.character}'"
                + (f" in style '{look.style}'" if look.style else "")
                + f"; use one of: {', '.join(sorted(look.gestures))}."
            )
