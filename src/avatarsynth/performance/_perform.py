"""Speech timings → a :class:`Performance`: what the face and body do on every frame."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np

from avatarsynth.performance import _head, _life
from avatarsynth.performance._mouth import mouth_curves
from avatarsynth.performance._performance import Cue, Curve, Head, Performance
from avatarsynth.performance._timeline import Array, frame_count, frame_times, seed_of
from avatarsynth.speech import Speech

LOOKAHEAD_S = 0.5
"""How far a frame looks ahead into the speech: coarticulation reaches 0.15 s before a sound,
a nod 0.13 s before its vowel, and pauses under 0.3 s are bridged by the speaking envelope."""


def settled_frames(speech: Speech, fps: int) -> int:
    """How many first frames of ``perform(speech, fps)`` no speech that follows can change:
    none before the first sentence is known (the seed), those ending ``LOOKAHEAD_S`` before
    the end of the speech, and none from a bookmark with no word after it yet (it moves to
    the next word's start)."""
    if not speech.sentences:
        return 0
    until = speech.duration_s - LOOKAHEAD_S
    last_word = speech.words[-1].start_s if speech.words else -math.inf
    for mark in speech.marks:
        if mark.time_s > last_word:
            until = min(until, mark.time_s - LOOKAHEAD_S)
    return max(0, math.floor(until * fps))


def _f32(curve: Array) -> np.ndarray[tuple[int], np.dtype[np.float32]]:
    return (curve + 0.0).astype(np.float32)  # + 0.0 turns -0.0 into 0.0


def _generators(seed: int) -> Iterator[np.random.Generator]:
    """One generator per motion, so the draws of one (a nod more or less) never shift
    another's, and each motion's draws run in time order: a performance of the first part of
    an input is the first part of the whole's performance."""
    return (np.random.default_rng([seed, motion]) for motion in itertools.count())


def _head_curves(speech: Speech, times: Array, rngs: Iterator[np.random.Generator]) -> Head[Curve]:
    """Nods and brows on stress, sway and glances while speaking, blinks throughout."""
    level = _head.envelope(_head.speaking_runs(speech.phones), times)
    nods = _head.nods(speech, times, next(rngs))
    blinks = _life.blink_times(speech.duration_s, next(rngs))
    return Head(
        nod=_f32(level * (nods + _head.sway(times, next(rngs), 0.15))),
        turn=_f32(level * _head.sway(times, next(rngs), 0.5)),
        tilt_deg=_f32(level * _head.sway(times, next(rngs), 2.0)),
        brow_raise=_f32(level * 0.8 * nods),
        gaze_x=_f32(level * _head.glances(times, next(rngs), 0.6)),
        gaze_y=_f32(level * _head.glances(times, next(rngs), 0.25)),
        eyelids_closed=_f32(_life.eyelids(times, blinks)),
    )


def perform(speech: Speech, fps: int) -> Performance:
    """Act out ``speech`` at ``fps``: one value per frame for every channel.

    The same speech always gives the same performance: irregular motion (blink gaps, sway
    phases) is drawn from generators seeded by the first sentence's phones. It is also
    *prefix-stable*: frames up to :data:`LOOKAHEAD_S` before the end of the speech are those
    of any longer speech that begins with it (bookmarks after its last word aside, see
    :func:`settled_frames`), so an input can be drawn while the rest is spoken.
    """
    n_frames = frame_count(len(speech.samples), speech.sample_rate, fps)
    times = frame_times(n_frames, fps)
    rngs = _generators(seed_of(speech))
    head = _head_curves(speech, times, rngs)
    cues = tuple(
        Cue(mark.name, mark.time_s, min(n_frames - 1, int(mark.time_s * fps)))
        for mark in speech.marks
    )
    return Performance(
        fps=fps,
        n_frames=n_frames,
        mouth=mouth_curves(speech.phones, n_frames, fps),
        head=head,
        breath=_f32(_life.breathing(times, next(rngs))),
        sway=_f32(_life.weight_shift(times, next(rngs))),
        cues=cues,
    )
