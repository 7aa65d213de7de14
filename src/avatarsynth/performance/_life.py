"""Motion that goes on whether or not the avatar speaks: blinks, breathing, weight shift."""

from __future__ import annotations

import numpy as np

from avatarsynth.performance._timeline import Array

_MEAN_BLINK_GAP_S = 3.6
_MIN_BLINK_GAP_S = 1.2
_MAX_BLINK_GAP_S = 8.0
_CLOSE_S = 0.08
_HOLD_S = 0.05
_OPEN_S = 0.15
_BREATH_PERIOD_S = 4.2
_SWAY_PERIODS_S = (9.3, 4.1)  # a slow shift of weight from foot to foot, and a small drift
_SWAY_MIX = (0.8, 0.2)


def blink_times(duration_s: float, rng: np.random.Generator) -> list[float]:
    """Start times of blinks: gamma-distributed gaps (irregular, ~16 a minute on average)."""
    times: list[float] = []
    at = rng.uniform(0.4, 2.5)
    while at < duration_s:
        times.append(at)
        gap = rng.gamma(shape=3.0, scale=_MEAN_BLINK_GAP_S / 3.0)
        at += float(np.clip(gap, _MIN_BLINK_GAP_S, _MAX_BLINK_GAP_S))
    return times


def eyelids(times: Array, starts: list[float]) -> Array:
    """How closed the eyelids are: a fast close, a short hold and a slower opening."""
    closed = np.zeros_like(times)
    for start in starts:
        t = times - start
        closing = np.clip(t / _CLOSE_S, 0.0, 1.0)
        opening = np.clip(1.0 - (t - _CLOSE_S - _HOLD_S) / _OPEN_S, 0.0, 1.0)
        closed = np.maximum(closed, np.where(t < 0, 0.0, np.minimum(closing, opening)))
    return closed


def breathing(times: Array, rng: np.random.Generator) -> Array:
    """Chest rise in [0, 1]: a slow, steady cycle that continues through pauses."""
    phase = rng.uniform(0, 2 * np.pi)
    return 0.5 - 0.5 * np.cos(2 * np.pi * times / _BREATH_PERIOD_S + phase)


def weight_shift(times: Array, rng: np.random.Generator) -> Array:
    """The hips' sideways sway in [-1, 1]: slow (about 9 s from one foot to the other and
    back) with a little irregular drift, continuing through pauses."""
    phases = rng.uniform(0, 2 * np.pi, size=2)
    waves = (
        mix * np.sin(2 * np.pi * times / period + phase)
        for mix, period, phase in zip(_SWAY_MIX, _SWAY_PERIODS_S, phases, strict=True)
    )
    return np.asarray(sum(waves))
