"""Speech timings → a :class:`Performance`: what the face and body do on every frame."""

from __future__ import annotations

import numpy as np

from avatarsynth.performance import _head, _life
from avatarsynth.performance._mouth import mouth_curves
from avatarsynth.performance._performance import Cue, Curve, Head, Performance
from avatarsynth.performance._timeline import Array, frame_count, frame_times, seed_of
from avatarsynth.speech import Speech


def _f32(curve: Array) -> np.ndarray[tuple[int], np.dtype[np.float32]]:
    return (curve + 0.0).astype(np.float32)  # + 0.0 turns -0.0 into 0.0


def _head_curves(speech: Speech, times: Array, rng: np.random.Generator) -> Head[Curve]:
    """Nods and brows on stress, sway and glances while speaking, blinks throughout."""
    level = _head.envelope(_head.speaking_runs(speech.phones), times)
    nods = _head.nods(speech, times, rng)
    blinks = _life.blink_times(speech.duration_s, rng)
    return Head(
        nod=_f32(level * (nods + _head.sway(times, rng, 0.15))),
        turn=_f32(level * _head.sway(times, rng, 0.5)),
        tilt_deg=_f32(level * _head.sway(times, rng, 2.0)),
        brow_raise=_f32(level * 0.8 * nods),
        gaze_x=_f32(level * _head.glances(times, rng, 0.6)),
        gaze_y=_f32(level * _head.glances(times, rng, 0.25)),
        eyelids_closed=_f32(_life.eyelids(times, blinks)),
    )


def perform(speech: Speech, fps: int) -> Performance:
    """Act out ``speech`` at ``fps``: one value per frame for every channel.

    The same speech always gives the same performance: irregular motion (blink gaps, sway
    phases) is drawn from a generator seeded by the phone timeline.
    """
    n_frames = frame_count(len(speech.samples), speech.sample_rate, fps)
    times = frame_times(n_frames, fps)
    rng = np.random.default_rng(seed_of(speech))
    head = _head_curves(speech, times, rng)
    cues = tuple(
        Cue(mark.name, mark.time_s, min(n_frames - 1, int(mark.time_s * fps)))
        for mark in speech.marks
    )
    return Performance(
        fps=fps,
        n_frames=n_frames,
        mouth=mouth_curves(speech.phones, n_frames, fps),
        head=head,
        breath=_f32(_life.breathing(times, rng)),
        sway=_f32(_life.weight_shift(times, rng)),
        cues=cues,
    )
