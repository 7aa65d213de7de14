"""Shared clock helpers: frame times, smooth ramps and the seed drawn from what is said."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from avatarsynth.speech import Speech

Array = npt.NDArray[np.float64]


def frame_count(num_samples: int, sample_rate: int, fps: int) -> int:
    """Frames that cover the audio: ceil(duration × fps), computed exactly in integers."""
    return max(1, -(-num_samples * fps // sample_rate))


def frame_times(n_frames: int, fps: int, oversample: int = 1) -> Array:
    """Times in seconds at the centre of each frame (or of each of its ``oversample`` slices)."""
    slices = np.arange(n_frames * oversample, dtype=np.float64)
    return (slices + 0.5) / (fps * oversample)


def smoothstep(x: Array) -> Array:
    """0 → 1 with zero slope at both ends; exactly 0 below 0 and exactly 1 above 1."""
    clipped = np.clip(x, 0.0, 1.0)
    return clipped * clipped * (3.0 - 2.0 * clipped)


def bump(times: Array, centre_s: float, width_s: float) -> Array:
    """A raised-cosine bump of height 1 and finite support: exactly 0 beyond ``width_s / 2``."""
    x = np.clip((times - centre_s) / (width_s / 2.0), -1.0, 1.0)
    return 0.5 * (1.0 + np.cos(np.pi * x))


def seed_of(speech: Speech) -> int:
    """A seed from the timeline, so the same input always moves the same way.

    Only the phones that start within the first sentence count, by symbol and start (a
    trailing pause may still grow when more speech follows): the seed is known as soon as the
    first sentence is spoken, so a video can be drawn while the rest is still being spoken.
    """
    cut = speech.sentences[0].end_s if speech.sentences else np.inf
    digest = hashlib.sha256()
    for phone in speech.phones:
        if phone.start_s < cut:
            digest.update(f"{phone.symbol}|{phone.start_s:.4f};".encode())
    return int.from_bytes(digest.digest()[:8], "little")
