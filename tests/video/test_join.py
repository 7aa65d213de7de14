"""Segments encoded apart and joined by remuxing: every frame once, in order, on one clock,
for every codec; the audio encoded once for the whole video and ending with it."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.errors import EncodeError
from avatarsynth.frame import Frame
from avatarsynth.video import (
    Caption,
    EncodeOptions,
    Thumbnail,
    encode_audio_track,
    encode_segment,
    join,
)
from tests.fixtures import SAMPLE_RATE, tone

WIDTH, HEIGHT, BITS = 320, 240, 8


def numbered(index: int) -> Frame:
    """A grey frame showing ``index`` in binary as black and white 32-pixel blocks."""
    frame = np.full((HEIGHT * 3 // 2, WIDTH), 128, dtype=np.uint8)
    for bit in range(BITS):
        frame[96:128, bit * 40 : bit * 40 + 32] = 235 if index >> bit & 1 else 16
    return frame


def read_number(luma: np.ndarray) -> int:
    levels = [luma[104:120, bit * 40 + 8 : bit * 40 + 24].mean() for bit in range(BITS)]
    return sum(1 << bit for bit, level in enumerate(levels) if level > 128)


def audio_end_s(path: Path) -> float:
    """Where the last audio packet ends (WebM keeps no stream durations)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        ends = [p.pts + p.duration for p in container.demux(stream) if p.pts is not None]
        return float(max(ends) * stream.time_base)


def make_video(tmp_path: Path, options: EncodeOptions, cuts: list[int], total: int) -> Path:
    segments = []
    for index, (first, end) in enumerate(zip([0, *cuts], [*cuts, total], strict=True)):
        path = tmp_path / f"part{index}.{options.container}"
        frames = (numbered(i) for i in range(first, end))
        encode_segment(frames, options, path, first, end - first)
        segments.append(path)
    audio = tmp_path / f"audio.{options.container}"
    encode_audio_track(tone(total / 25), SAMPLE_RATE, total, options, audio)
    out = tmp_path / f"out.{options.container}"
    result = join(segments, audio, options, out, [Caption("Hello", 0.1, 0.5)])
    assert result.duration_s == total / 25
    return out


@pytest.mark.parametrize(
    ("container", "codec"), [("mp4", "h264"), ("mp4", "hevc"), ("webm", "vp9"), ("webm", "av1")]
)
def test_every_frame_once_in_order_with_continuous_timestamps(
    tmp_path: Path, container: str, codec: str
) -> None:
    options = EncodeOptions(container=container, codec=codec, width=WIDTH, height=HEIGHT)
    out = make_video(tmp_path, options, [23, 50], 77)
    with av.open(str(out)) as joined:
        video = joined.streams.video[0]
        assert len(joined.streams.subtitles) == 1
        frames = list(joined.decode(video))
        assert [read_number(f.to_ndarray(format="gray")) for f in frames] == list(range(77))
        times = [float(f.pts * f.time_base) for f in frames]
        assert np.allclose(np.diff(times), 0.04, atol=0.002) and times[0] == 0.0
    assert abs(audio_end_s(out) - 77 / 25) <= 0.040


def test_a_segment_starts_on_a_keyframe_and_the_thumbnail_comes_from_its_range(
    tmp_path: Path,
) -> None:
    options = EncodeOptions(width=WIDTH, height=HEIGHT)
    thumb = Thumbnail(tmp_path / "0001.jpg", 30)
    first = tmp_path / "a.mp4"
    encode_segment((numbered(i) for i in range(25)), options, first, 0, 25, thumbnail=thumb)
    assert not thumb.path.exists()
    second = tmp_path / "b.mp4"
    encode_segment((numbered(i) for i in range(25, 50)), options, second, 25, 25, thumbnail=thumb)
    assert thumb.path.read_bytes()[:2] == b"\xff\xd8"
    with av.open(str(second)) as segment:
        assert next(segment.demux(segment.streams.video[0])).is_keyframe


def test_segments_made_with_other_settings_are_refused(tmp_path: Path) -> None:
    a = tmp_path / "a.mp4"
    b = tmp_path / "b.mp4"
    encode_segment(
        (numbered(i) for i in range(5)), EncodeOptions(width=WIDTH, height=HEIGHT), a, 0, 5
    )
    other = EncodeOptions(width=WIDTH, height=HEIGHT, bitrate_kbps=900)
    encode_segment((numbered(i) for i in range(5, 10)), other, b, 5, 5)
    audio = tmp_path / "audio.mp4"
    encode_audio_track(tone(0.4), SAMPLE_RATE, 10, other, audio)
    with pytest.raises(EncodeError, match="other settings"):
        join([a, b], audio, other, tmp_path / "out.mp4")


def test_a_transparent_video_keeps_its_alpha_through_the_join(tmp_path: Path) -> None:
    options = EncodeOptions(container="webm", codec="vp9", width=WIDTH, height=HEIGHT, alpha=True)
    alpha = np.zeros((HEIGHT, WIDTH), dtype=np.uint8)
    alpha[:, WIDTH // 2 :] = 255
    parts = []
    for index, first in enumerate((0, 10)):
        path = tmp_path / f"part{index}.webm"
        frames = (np.concatenate([numbered(i), alpha]) for i in range(first, first + 10))
        encode_segment(frames, options, path, first, 10)
        parts.append(path)
    audio = tmp_path / "audio.webm"
    encode_audio_track(tone(0.8), SAMPLE_RATE, 20, options, audio)
    out = tmp_path / "out.webm"
    join(parts, audio, options, out)
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        assert video.metadata.get("ALPHA_MODE") == "1"
        decoder = av.CodecContext.create("libvpx-vp9", "r")
        pictures = [f for p in container.demux(video) for f in decoder.decode(p)]
    assert len(pictures) == 20 and all(p.format.name == "yuva420p" for p in pictures)
    plane = pictures[15].planes[3]
    decoded = np.frombuffer(memoryview(plane), np.uint8).reshape(plane.height, -1)[:, :WIDTH]
    assert decoded[:, : WIDTH // 2 - 8].max() <= 8 and decoded[:, WIDTH // 2 + 8 :].min() >= 247
