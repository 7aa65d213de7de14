"""Phones → mouth curves, with coarticulation.

Each phone pulls the mouth towards its pose over its own interval and, fading with a raised
cosine, a little beyond it (``_REACH_S``); where phones overlap, the mouth takes their average
weighted by dominance, so /h/ borrows the vowel after it while /p/ still closes the lips.
Rounding reaches further ahead than the rest (lips round before an /u/ or /w/ is heard).

Silences are phones with the rest pose, and their own reach is short: a few frames into a pause
only the silence pulls, so the curves are exactly zero there and the mouth stays still. Speech
reaches ``_INTO_SILENCE_S`` into the silence after it and not at all into the silence before
it: a face in a pause holds still until the first sound, which videos of a pause are checked for.
"""

from __future__ import annotations

import numpy as np

from avatarsynth.performance._performance import Curve, Mouth
from avatarsynth.performance._timeline import Array, frame_times
from avatarsynth.performance._visemes import CHANNELS, pose_for
from avatarsynth.speech import SILENCE, Phone

_OVERSAMPLE = 4
_REACH_S = 0.07
_ROUND_AHEAD_S = 0.15
_SILENCE_REACH_S = 0.03
_INTO_SILENCE_S = 0.04
_CLOSURE_GAIN = 1.6


def _ramp_weight(times: Array, start_s: float, end_s: float, before: float, after: float) -> Array:
    """1 over [start, end], easing to exactly 0 over ``before`` / ``after`` seconds outside."""
    weight = ((times >= start_s) & (times <= end_s)).astype(np.float64)
    if before > 0:
        lead = (times < start_s) & (times > start_s - before)
        weight[lead] = 0.5 * (1 + np.cos(np.pi * (start_s - times[lead]) / before))
    if after > 0:
        tail = (times > end_s) & (times < end_s + after)
        weight[tail] = 0.5 * (1 + np.cos(np.pi * (times[tail] - end_s) / after))
    return weight


def _reaches(phones: tuple[Phone, ...], index: int, ahead_s: float) -> tuple[float, float]:
    """How far a phone reaches before and after itself, shortened next to a silence."""
    phone = phones[index]
    if phone.symbol == SILENCE:
        return _SILENCE_REACH_S, _SILENCE_REACH_S
    prev_silent = index == 0 or phones[index - 1].symbol == SILENCE
    next_silent = index == len(phones) - 1 or phones[index + 1].symbol == SILENCE
    before = 0.0 if prev_silent else ahead_s
    after = min(_REACH_S, _INTO_SILENCE_S) if next_silent else _REACH_S
    return before, after


def _blend(phones: tuple[Phone, ...], times: Array) -> dict[str, Array]:
    """Dominance-weighted average of the phones' poses at each time, per channel."""
    sums = {name: np.zeros_like(times) for name in CHANNELS}
    weights = {name: np.full_like(times, 1e-9) for name in CHANNELS}
    for index, phone in enumerate(phones):
        pose = pose_for(phone.symbol)
        for name, target in zip(CHANNELS, pose.values(), strict=True):
            ahead = _ROUND_AHEAD_S if name == "lip_round" else _REACH_S
            before, after = _reaches(phones, index, ahead)
            # Only the times a phone reaches: elsewhere its weight is exactly 0 (the sums are
            # the same as over every time, at a cost per phone that no longer grows with the
            # input's length).
            lo = int(np.searchsorted(times, phone.start_s - before, side="left"))
            hi = int(np.searchsorted(times, phone.end_s + after, side="right"))
            near = times[lo:hi]
            w = pose.dominance * _ramp_weight(near, phone.start_s, phone.end_s, before, after)
            sums[name][lo:hi] += w * target
            weights[name][lo:hi] += w
    return {name: sums[name] / weights[name] for name in CHANNELS}


def mouth_curves(phones: tuple[Phone, ...], n_frames: int, fps: int) -> Mouth[Curve]:
    """Per-frame mouth channels: each frame averages ``_OVERSAMPLE`` slices of its interval."""
    times = frame_times(n_frames, fps, _OVERSAMPLE)
    blended = _blend(phones, times)
    frames = {
        name: curve.reshape(n_frames, _OVERSAMPLE).mean(axis=1) for name, curve in blended.items()
    }
    pressed = np.clip(frames["lips_pressed"] * _CLOSURE_GAIN, 0.0, 1.0)
    frames["lips_pressed"] = pressed
    frames["teeth_on_lip"] = np.clip(frames["teeth_on_lip"] * _CLOSURE_GAIN, 0.0, 1.0)
    frames["jaw_open"] = frames["jaw_open"] * (1.0 - 0.8 * pressed)
    return Mouth(**{name: curve.astype(np.float32) for name, curve in frames.items()})
