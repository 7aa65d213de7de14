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
    """A seed from the timeline, so the same input always moves the same way."""
    digest = hashlib.sha256()
    for phone in speech.phones:
        digest.update(f"{phone.symbol}|{phone.start_s:.4f}|{phone.end_s:.4f};".encode())
    return int.from_bytes(digest.digest()[:8], "little")
