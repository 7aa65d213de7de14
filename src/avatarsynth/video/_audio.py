"""Audio-only results in Azure's output formats (the audio batch API, ``outputFormat``).

Format names say everything: ``riff-24khz-16bit-mono-pcm`` is a WAV file at 24 kHz,
``audio-24khz-160kbitrate-mono-mp3`` an MP3 at 160 kbit/s, ``ogg-24khz-16bit-mono-opus`` Opus in
Ogg. They are parsed, not listed, so every rate Azure documents works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.errors import EncodeError, InvalidRequest, full_disk
from avatarsynth.frame import pyav_errors

DEFAULT_AUDIO_FORMAT = "riff-24khz-16bit-mono-pcm"
_PCM = re.compile(r"^(riff|raw)-(\d+)(khz|hz)-16bit-mono-pcm$")
_MP3 = re.compile(r"^audio-(16|24|48)khz-(\d+)kbitrate-mono-mp3$")
_OPUS = re.compile(r"^(ogg|webm)-(16|24|48)khz-16bit-mono-opus$")
_PCM_RATES = frozenset({8000, 16000, 22050, 24000, 44100, 48000})
_MP3_BITRATES = frozenset({32, 48, 64, 96, 128, 160, 192})


@dataclass(frozen=True)
class AudioFormat:
    """How an Azure ``outputFormat`` is written."""

    name: str
    container: str
    codec: str
    sample_rate: int
    bit_rate: int | None
    extension: str


@dataclass(frozen=True)
class EncodedAudio:
    """What the written file holds."""

    size_bytes: int
    duration_s: float


def _pcm(match: re.Match[str], name: str) -> AudioFormat | None:
    kind, number, unit = match.groups()
    rate = int(number) * (1000 if unit == "khz" else 1)
    rate = 22050 if rate == 22000 else 44100 if rate == 44000 else rate
    if rate not in _PCM_RATES:
        return None
    container = "wav" if kind == "riff" else "s16le"
    return AudioFormat(name, container, "pcm_s16le", rate, None, "wav" if kind == "riff" else "pcm")


def audio_format(name: str) -> AudioFormat:
    """The format for an Azure ``outputFormat`` name (case-insensitive)."""
    key = name.strip().lower()
    found: AudioFormat | None = None
    if match := _PCM.match(key):
        found = _pcm(match, key)
    elif (match := _MP3.match(key)) and int(match[2]) in _MP3_BITRATES:
        found = AudioFormat(
            key, "mp3", "libmp3lame", int(match[1]) * 1000, int(match[2]) * 1000, "mp3"
        )
    elif match := _OPUS.match(key):
        found = AudioFormat(key, match[1], "libopus", int(match[2]) * 1000, None, match[1])
    if found is None:
        raise InvalidRequest(
            f"outputFormat '{name}' is not supported; use e.g. riff-24khz-16bit-mono-pcm, "
            "audio-24khz-160kbitrate-mono-mp3, ogg-24khz-16bit-mono-opus or "
            "webm-24khz-16bit-mono-opus.",
            option="audio_format",
        )
    return found


def _frames(
    samples: npt.NDArray[np.float32], sample_rate: int, target: av.AudioCodecContext
) -> list[av.AudioFrame]:
    pcm = np.clip(samples * 32767.0, -32768, 32767).astype(np.int16).reshape(1, -1)
    source = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    source.sample_rate = sample_rate
    resampler = av.AudioResampler(
        format=target.format,
        layout="mono",
        rate=target.sample_rate,
        frame_size=target.frame_size or None,
    )
    return [*resampler.resample(source), *resampler.resample(None)]


def encode_audio(
    samples: npt.NDArray[np.float32], sample_rate: int, fmt: AudioFormat, out_path: Path
) -> EncodedAudio:
    """Write mono float samples to ``out_path`` in ``fmt``."""
    with (
        pyav_errors(f"write the {fmt.name} audio", EncodeError),
        full_disk(f"write the {fmt.name} audio"),
        av.open(str(out_path), "w", format=fmt.container) as container,
    ):
        stream = container.add_stream(fmt.codec, rate=fmt.sample_rate, layout="mono")
        if not isinstance(stream, av.AudioStream):
            raise EncodeError(f"{fmt.codec} is not an audio codec.")
        if fmt.bit_rate:
            stream.bit_rate = fmt.bit_rate
        for frame in _frames(samples, sample_rate, stream.codec_context):
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return EncodedAudio(out_path.stat().st_size, len(samples) / sample_rate)
