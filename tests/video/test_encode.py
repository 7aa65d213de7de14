"""Encoded files play anywhere: the right streams, size, rate, frame count and matching ends."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.errors import EncodeError, InvalidRequest, RenderError
from avatarsynth.frame import Frame
from avatarsynth.video import EncodedVideo, EncodeOptions, encode
from tests.fixtures import SAMPLE_RATE, grey_frames, tone


def noise_frames(count: int, width: int, height: int, seed: int = 1) -> list[Frame]:
    rng = np.random.default_rng(seed)
    return [rng.integers(16, 235, (height * 3 // 2, width), dtype=np.uint8) for _ in range(count)]


def probe(path: Path) -> dict[str, object]:
    with av.open(str(path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        decoded = sum(1 for _ in container.decode(video))
        return {
            "video": (
                video.codec_context.name,
                video.codec_context.width,
                video.codec_context.height,
                video.average_rate,
                video.codec_context.pix_fmt,
            ),
            "audio": audio.codec_context.name,
            "frames": decoded,
            "video_s": float(video.duration * video.time_base) if video.duration else None,
            "audio_s": float(audio.duration * audio.time_base) if audio.duration else None,
        }


@pytest.mark.slow
def test_h264_aac_mp4_at_1080p25(tmp_path: Path) -> None:
    seconds = 2.21
    out = tmp_path / "out.mp4"
    result = encode(grey_frames(60, 1920, 1080), tone(seconds), SAMPLE_RATE, EncodeOptions(), out)
    facts = probe(out)
    n_frames = math.ceil(seconds * 25)
    assert facts["video"] == ("h264", 1920, 1080, 25, "yuv420p")
    assert facts["audio"] == "aac"
    assert facts["frames"] == n_frames
    assert result == EncodedVideo(out.stat().st_size, n_frames / 25)
    assert isinstance(facts["video_s"], float) and isinstance(facts["audio_s"], float)
    assert abs(facts["video_s"] - facts["audio_s"]) <= 0.040


def test_the_moov_atom_comes_first_so_playback_starts_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    encode(
        grey_frames(5, 320, 240), tone(0.2), SAMPLE_RATE, EncodeOptions(width=320, height=240), out
    )
    head = out.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


def test_busy_pictures_hold_the_bitrate_too(tmp_path: Path) -> None:
    """Noise needs more bits than asked; the stream stays at the bitrate, plus at most the
    one-second buffer the encoder may fill at the start."""
    out = tmp_path / "out.mp4"
    options = EncodeOptions(width=320, height=240, bitrate_kbps=400)
    encode(noise_frames(100, 320, 240), tone(4.0), SAMPLE_RATE, options, out)
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        video_kbit = sum(packet.size for packet in container.demux(video)) * 8 / 1000
    assert 0.8 * 400 * 4.0 <= video_kbit <= 400 * (4.0 + 1.0)


def test_a_still_region_beside_a_moving_box_stays_bit_identical(tmp_path: Path) -> None:
    """Textured, still pixels next to a box sliding by never shimmer in the decoded video
    (a 180-row picture ends in a partial row of blocks)."""
    width, height, count = 320, 180, 50
    still = noise_frames(1, width, height, seed=3)[0]

    def frames() -> Iterator[Frame]:
        for index in range(count):
            frame = still.copy()
            left = 200 + 8 * (index % 10)
            frame[100:140, left : left + 40] = 230
            yield frame

    out = tmp_path / "out.mp4"
    options = EncodeOptions(width=width, height=height, bitrate_kbps=600)
    encode(frames(), tone(count / 25), SAMPLE_RATE, options, out)
    with av.open(str(out)) as container:
        regions = [f.to_ndarray(format="gray")[:80, :180] for f in container.decode(video=0)]
    assert len(regions) == count
    assert all(np.array_equal(regions[0], region) for region in regions)


def test_the_audio_decides_the_length(tmp_path: Path) -> None:
    too_few, too_many = grey_frames(3, 320, 240), grey_frames(40, 320, 240)
    for frames in (too_few, too_many):
        out = tmp_path / "out.mp4"
        encode(frames, tone(1.01), SAMPLE_RATE, EncodeOptions(width=320, height=240), out)
        assert probe(out)["frames"] == 26


@pytest.mark.parametrize(
    ("container", "codec", "audio"), [("webm", "vp9", "opus"), ("mp4", "hevc", "aac")]
)
def test_other_codecs(tmp_path: Path, container: str, codec: str, audio: str) -> None:
    out = tmp_path / f"out.{container}"
    options = EncodeOptions(container=container, codec=codec, width=320, height=240)
    encode(grey_frames(10, 320, 240), tone(0.4), SAMPLE_RATE, options, out)
    facts = probe(out)
    assert facts["video"][0] == codec  # type: ignore[index]
    assert (facts["audio"], facts["frames"]) == (audio, 10)


def test_a_codec_the_container_cannot_hold_is_a_bad_request() -> None:
    with pytest.raises(InvalidRequest, match="vp9 in webm"):
        EncodeOptions(container="mp4", codec="vp9")


def test_a_failed_write_is_an_encode_error(tmp_path: Path) -> None:
    with pytest.raises(EncodeError) as caught:
        encode(
            grey_frames(2, 320, 240),
            tone(0.1),
            SAMPLE_RATE,
            EncodeOptions(width=320, height=240),
            tmp_path / "missing" / "out.mp4",
        )
    assert caught.value.__cause__ is not None


def test_an_error_while_drawing_reaches_the_caller(tmp_path: Path) -> None:
    def failing() -> Iterator[Frame]:
        yield from grey_frames(3, 320, 240)
        raise RenderError("the pen broke")

    with pytest.raises(RenderError, match="the pen broke"):
        encode(
            failing(),
            tone(1.0),
            SAMPLE_RATE,
            EncodeOptions(width=320, height=240),
            tmp_path / "out.mp4",
        )
