"""One sentence moved to another sample rate, its timings with it.

Only an input that mixes engines needs this (Kokoro at 24 kHz beside espeak-ng or Piper at
22.05 kHz, e.g. a multilingual voice switching to German): its audio is made at the highest
rate, and the other sentences are band-limited resampled by FFT (exact output length, no extra
dependency). Phone boundaries are scaled and rounded from their running totals, so the phones
still tile the new audio exactly.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from avatarsynth.speech._phones import RawPhone

if TYPE_CHECKING:
    from avatarsynth.speech._engines import SpokenSentence


def _fft_resample(samples: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.float32]:
    if len(samples) == 0 or count == 0:
        return np.zeros(count, np.float32)
    spectrum = np.fft.rfft(samples.astype(np.float64))
    kept = np.zeros(count // 2 + 1, dtype=np.complex128)
    width = min(len(kept), len(spectrum))
    kept[:width] = spectrum[:width]
    audio = np.fft.irfft(kept, n=count) * (count / len(samples))
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


def resampled(spoken: SpokenSentence, rate: int) -> SpokenSentence:
    """``spoken`` at ``rate`` Hz (itself when it is already there)."""
    if spoken.sample_rate == rate:
        return spoken
    total = len(spoken.samples)
    count = round(total * rate / spoken.sample_rate)

    def scale(sample: int) -> int:
        return round(sample * count / total) if total else 0

    bounds = [scale(b) for b in itertools.accumulate(p.num_samples for p in spoken.phones)]
    starts = [0, *bounds[:-1]]
    phones = [
        RawPhone(p.symbol, end - start, p.stressed)
        for p, start, end in zip(spoken.phones, starts, bounds, strict=True)
    ]
    words = [(text, scale(start), scale(end)) for text, start, end in spoken.words]
    return dataclasses.replace(
        spoken,
        samples=_fft_resample(spoken.samples, count),
        sample_rate=rate,
        phones=phones,
        words=words,
    )
