"""Azure's audio output formats, written and read back with PyAV."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.errors import InvalidRequest
from avatarsynth.video._audio import audio_format, encode_audio

RATE = 22050
TONE = (0.3 * np.sin(2 * np.pi * 220 * np.arange(RATE * 2) / RATE)).astype(np.float32)


@pytest.mark.parametrize(
    ("name", "codec", "rate"),
    [
        ("riff-16khz-16bit-mono-pcm", "pcm_s16le", 16000),
        ("riff-24khz-16bit-mono-pcm", "pcm_s16le", 24000),
        ("riff-48khz-16bit-mono-pcm", "pcm_s16le", 48000),
        ("audio-24khz-48kbitrate-mono-mp3", "mp3", 24000),
        ("audio-24khz-96kbitrate-mono-mp3", "mp3", 24000),
        ("audio-24khz-160kbitrate-mono-mp3", "mp3", 24000),
        # Opus is always decoded at 48 kHz; the stream header keeps the 24 kHz input rate.
        ("ogg-24khz-16bit-mono-opus", "opus", 48000),
        ("webm-24khz-16bit-mono-opus", "opus", 48000),
    ],
)
def test_each_format_decodes_at_its_rate_with_its_codec(
    name: str, codec: str, rate: int, tmp_path: Path
) -> None:
    fmt = audio_format(name.upper())
    path = tmp_path / f"0001.{fmt.extension}"
    written = encode_audio(TONE, RATE, fmt, path)
    assert written.size_bytes == path.stat().st_size
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name.startswith(codec)
        decoded = sum(frame.samples for frame in container.decode(stream))
        assert stream.rate == rate
    assert decoded / rate == pytest.approx(2.0, abs=0.08)


def test_mp3_bitrate_is_honoured(tmp_path: Path) -> None:
    low, high = (
        encode_audio(
            TONE, RATE, audio_format(f"audio-24khz-{k}kbitrate-mono-mp3"), tmp_path / f"{k}.mp3"
        )
        for k in (48, 160)
    )
    assert high.size_bytes > 2.5 * low.size_bytes


@pytest.mark.parametrize(
    "name", ["riff-7khz-16bit-mono-pcm", "mp3", "audio-24khz-999kbitrate-mono-mp3", ""]
)
def test_unknown_formats_are_refused_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        audio_format(name)
    assert caught.value.option == "audio_format"
