"""Head and face motion that follows speaking: nods, brows, sway and glances.

Everything here is scaled by a speaking envelope that rises after a run of speech starts and
falls to exactly zero ``_RELEASE_S`` after it ends, so in a pause the head settles and then
holds perfectly still (the renderer draws identical pixels, and the encoder spends no bits).
Runs closer together than ``_BRIDGE_S`` count as one, so the head does not dip between words.
"""

from __future__ import annotations

import bisect

import numpy as np

from avatarsynth.performance._timeline import Array, bump, smoothstep
from avatarsynth.performance._visemes import is_vowel
from avatarsynth.speech import SILENCE, Phone, Speech

_ATTACK_S = 0.3
_RELEASE_S = 0.15
_BRIDGE_S = 0.3
_NOD_WIDTH_S = 0.45
_NOD_GAP_S = 0.6


def speaking_runs(phones: tuple[Phone, ...]) -> list[tuple[float, float]]:
    """(start, end) of each stretch of speech, bridging short pauses."""
    runs: list[tuple[float, float]] = []
    for phone in phones:
        if phone.symbol == SILENCE:
            continue
        if runs and phone.start_s - runs[-1][1] < _BRIDGE_S:
            runs[-1] = (runs[-1][0], phone.end_s)
        else:
            runs.append((phone.start_s, phone.end_s))
    return runs


def envelope(runs: list[tuple[float, float]], times: Array) -> Array:
    """1 while speaking, 0 from ``_RELEASE_S`` after each run and before it begins."""
    level = np.zeros_like(times)
    for start, end in runs:
        attack = smoothstep((times - start) / _ATTACK_S)
        release = smoothstep(1.0 - (times - end) / _RELEASE_S)
        level = np.maximum(level, attack * release)
    return level


def _loudness(phone: Phone, samples: Array, sample_rate: int) -> float:
    chunk = samples[int(phone.start_s * sample_rate) : int(phone.end_s * sample_rate)]
    return float(np.sqrt(np.mean(np.square(chunk)))) if len(chunk) else 0.0


def _typical(speech: Speech, stressed: list[Phone], loud: list[float]) -> list[float]:
    """For each stressed vowel, the median loudness of the stressed vowels up to the end of
    its sentence: never later sentences, so a nod is the same whether or not the rest of the
    input has been spoken yet (speech comes a sentence at a time)."""
    ends = [sentence.end_s for sentence in speech.sentences]
    typical = []
    for phone in stressed:
        at = bisect.bisect_right(ends, phone.start_s)
        end = ends[at] if at < len(ends) else np.inf
        known = [level for other, level in zip(stressed, loud, strict=True) if other.start_s < end]
        typical.append(float(np.median(known)) or 1.0)
    return typical


def nods(speech: Speech, times: Array, rng: np.random.Generator) -> Array:
    """A small downward nod on stressed vowels, at most one per ``_NOD_GAP_S``, deeper on
    louder ones than usual so far (see ``_typical``): an emphasised word (SSML ``emphasis``
    speaks it louder) gets a firmer nod."""
    stressed = [p for p in speech.phones if p.stressed and is_vowel(p.symbol)]
    samples = speech.samples.astype(np.float64)
    loud = [_loudness(p, samples, speech.sample_rate) for p in stressed]
    level = np.zeros_like(times)
    last = -np.inf
    typicals = _typical(speech, stressed, loud)
    for phone, loudness, typical in zip(stressed, loud, typicals, strict=True):
        if phone.start_s - last < _NOD_GAP_S:
            continue
        last = phone.start_s
        emphasis = float(np.clip(loudness / typical, 0.6, 1.6)) if loudness else 1.0
        strength = rng.uniform(0.55, 1.0) * emphasis
        level += strength * bump(times, phone.start_s + 0.1, _NOD_WIDTH_S)
    return np.clip(level, 0.0, 1.5)


def sway(times: Array, rng: np.random.Generator, scale: float) -> Array:
    """Two slow sines at unrelated rates with seeded phases: motion that never loops visibly."""
    fast, slow = rng.uniform(0.35, 0.6), rng.uniform(0.12, 0.25)
    phases = rng.uniform(0, 2 * np.pi, size=2)
    wave: Array = 0.65 * np.sin(2 * np.pi * slow * times + phases[0])
    wave += 0.35 * np.sin(2 * np.pi * fast * times + phases[1])
    scaled: Array = scale * wave
    return scaled


def glances(times: Array, rng: np.random.Generator, scale: float) -> Array:
    """Gaze held for 1–3 s at a time, jumping between nearby targets (saccades)."""
    gaze = np.zeros_like(times)
    at = 0.0
    end = float(times[-1]) if len(times) else 0.0
    while at <= end:
        hold = rng.uniform(1.0, 3.0)
        gaze[(times >= at) & (times < at + hold)] = rng.uniform(-scale, scale)
        at += hold
    return gaze
