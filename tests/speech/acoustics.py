"""Measurements of real audio for the speech tests: pitch from the waveform, and words heard by
an offline recogniser (pocketsphinx's en-US model, shipped in its wheel)."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

Audio = npt.NDArray[np.float32]
_F0_RANGE_HZ = (60.0, 400.0)


def resample(samples: Audio, rate: int, target: int) -> Audio:
    """Band-limited resampling by FFT (exact length), enough for measuring."""
    count = round(len(samples) * target / rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))[: count // 2 + 1]
    out = np.fft.irfft(spectrum, n=count) * (count / len(samples))
    return out.astype(np.float32)


def _frame_f0(frame: npt.NDArray[np.float64], rate: int) -> float | None:
    """Normalised autocorrelation peak in the voice range; ``None`` when unvoiced."""
    frame = frame - frame.mean()
    energy = float(np.dot(frame, frame))
    if energy <= 1e-6:
        return None
    corr = np.correlate(frame, frame, mode="full")[len(frame) - 1 :] / energy
    low, high = int(rate / _F0_RANGE_HZ[1]), int(rate / _F0_RANGE_HZ[0])
    lag = low + int(np.argmax(corr[low:high]))
    return rate / lag if corr[lag] > 0.6 else None


def median_f0(samples: Audio, rate: int) -> float:
    """Median fundamental frequency (Hz) over voiced 40 ms frames, 10 ms apart, of loud parts."""
    audio = resample(samples, rate, 16000).astype(np.float64)
    size, hop = 640, 160
    frames = [audio[i : i + size] for i in range(0, len(audio) - size, hop)]
    loudness = np.array([np.sqrt(np.mean(f * f)) for f in frames])
    loud = [f for f, level in zip(frames, loudness, strict=True) if level > 0.25 * loudness.max()]
    pitches = [p for f in loud if (p := _frame_f0(f, 16000)) is not None]
    assert len(pitches) >= 10, "too little voiced audio to measure pitch"
    return float(np.median(pitches))


def transcribe(samples: Audio, rate: int) -> str:
    """What pocketsphinx's default en-US model hears, lower-case words."""
    from pocketsphinx import Decoder

    pcm = (np.clip(resample(samples, rate, 16000), -1, 1) * 32767).astype("<i2").tobytes()
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() is not None else ""


def word_error_rate(reference: str, heard: str) -> float:
    """Levenshtein distance over words, divided by the reference's word count."""
    ref = re.findall(r"[a-z']+", reference.lower())
    hyp = re.findall(r"[a-z']+", heard.lower())
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1] / len(ref)
