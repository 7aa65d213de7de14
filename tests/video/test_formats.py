"""Every videoFormat/videoCodec pair: the right streams and pixel format, the asked bitrate
held on a 30 s clip of the real avatar talking (mostly still, the case where encoders left to
themselves undershoot), and VP9 with an alpha channel that a libvpx decoder gives back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.avatar import find_look, render
from avatarsynth.errors import EncodeError, InvalidRequest
from avatarsynth.frame import Frame
from avatarsynth.performance import perform
from avatarsynth.speech import SILENCE
from avatarsynth.video import EncodeOptions, encode
from tests.conftest import timeline, words
from tests.fixtures import SAMPLE_RATE, tone

PAIRS = [  # (container, codec, the decoder PyAV picks, audio)
    ("mp4", "h264", "h264", "aac"),
    ("mp4", "hevc", "hevc", "aac"),
    ("mp4", "av1", "libdav1d", "aac"),
    ("webm", "vp9", "vp9", "opus"),
    ("webm", "av1", "libdav1d", "opus"),
]
WIDTH, HEIGHT = 480, 272


def talking_picture(count: int, width: int, height: int) -> Iterator[Frame]:
    """A still backdrop with a small patch that changes now and then, like a mouth."""
    rows = np.linspace(40, 200, height, dtype=np.float32)[:, None]
    backdrop = np.empty((height * 3 // 2, width), dtype=np.uint8)
    backdrop[:height] = (rows + np.zeros((1, width), np.float32)).astype(np.uint8)
    backdrop[height:] = 128
    for index in range(count):
        frame = backdrop.copy()
        top, left = height // 2, width // 2 - 20
        frame[top : top + 16, left : left + 40] = 60 + (index // 3) % 8 * 20
        yield frame


@pytest.fixture(scope="module")
def avatar_clip() -> list[Frame]:
    """30 s of lisa speaking sentences with short pauses, drawn once for every pair."""
    sentence = words("h ə ˈl oʊ w ɜː l d m aɪ ˈn eɪ m ɪ z θ iː f uː s ʃ ɑː p", 0.08)
    parts = [(SILENCE, 0.5)]
    while sum(seconds for _, seconds in parts) < 31.0:
        parts += [*sentence, (SILENCE, 0.6)]
    acted = perform(timeline(parts), 25)
    look = find_look("lisa", "casual-sitting")
    return list(render(acted, look, WIDTH, HEIGHT, (255, 255, 255, 255)))[:750]


def video_kbps(path: Path) -> float:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        packets = [p for p in container.demux(video) if p.size]
        seconds = len(packets) / float(video.average_rate or 25)
        return sum(p.size for p in packets) * 8 / 1000 / seconds


@pytest.mark.parametrize(("container", "codec", "video_name", "audio_name"), PAIRS)
def test_every_pair_holds_its_bitrate_on_a_30_s_clip(
    tmp_path: Path,
    avatar_clip: list[Frame],
    container: str,
    codec: str,
    video_name: str,
    audio_name: str,
) -> None:
    out = tmp_path / f"out.{container}"
    options = EncodeOptions(
        container=container, codec=codec, bitrate_kbps=600, width=WIDTH, height=HEIGHT
    )
    result = encode(avatar_clip, tone(30.0), SAMPLE_RATE, options, out)
    with av.open(str(out)) as decoded:
        video, audio = decoded.streams.video[0], decoded.streams.audio[0]
        assert (video.codec_context.name, audio.codec_context.name) == (video_name, audio_name)
        assert video.codec_context.pix_fmt == "yuv420p"
        assert (video.codec_context.width, video.codec_context.height) == (WIDTH, HEIGHT)
        assert sum(1 for _ in decoded.decode(video)) == 750
    assert result.duration_s == 30.0
    assert 0.8 * 600 <= video_kbps(out) <= 1.2 * 600


def transparent_frames(count: int) -> Iterator[Frame]:
    """I420 plus an alpha plane: the left half transparent, the right half opaque."""
    alpha = np.zeros((HEIGHT, WIDTH), dtype=np.uint8)
    alpha[:, WIDTH // 2 :] = 255
    for frame in talking_picture(count, WIDTH, HEIGHT):
        yield np.concatenate([frame, alpha])


def test_a_transparent_background_is_vp9_with_alpha_in_webm(tmp_path: Path) -> None:
    out = tmp_path / "out.webm"
    options = EncodeOptions(container="webm", codec="vp9", width=WIDTH, height=HEIGHT, alpha=True)
    encode(transparent_frames(25), tone(1.0), SAMPLE_RATE, options, out)
    with av.open(str(out)) as container:
        video = container.streams.video[0]
        assert video.metadata.get("ALPHA_MODE") == "1"
        decoder = av.CodecContext.create("libvpx-vp9", "r")
        pictures = [f for p in container.demux(video) for f in decoder.decode(p)]
    assert len(pictures) == 25
    last = pictures[-1]
    assert last.format.name == "yuva420p"
    plane = last.planes[3]
    alpha = np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, :WIDTH]
    assert alpha[:, : WIDTH // 2 - 8].max() <= 8
    assert alpha[:, WIDTH // 2 + 8 :].min() >= 247


def test_frames_without_the_files_alpha_plane_are_refused(tmp_path: Path) -> None:
    """Transparency is decided once, for the backdrop and the encoder alike: opaque frames
    sent to a transparent video are a caller's mistake, not something to paper over."""
    options = EncodeOptions(container="webm", codec="vp9", width=WIDTH, height=HEIGHT, alpha=True)
    with pytest.raises(EncodeError, match="not I420 with an alpha plane"):
        encode(
            talking_picture(5, WIDTH, HEIGHT), tone(0.2), SAMPLE_RATE, options, tmp_path / "o.webm"
        )


@pytest.mark.parametrize(
    ("container", "codec"), [("mp4", "h264"), ("mp4", "hevc"), ("webm", "av1")]
)
def test_transparency_outside_vp9_in_webm_is_a_bad_request(container: str, codec: str) -> None:
    with pytest.raises(InvalidRequest, match="webm with videoCodec vp9") as caught:
        EncodeOptions(container=container, codec=codec, alpha=True)
    assert caught.value.option == "alpha"


def test_h264_is_padded_with_whole_filler_nal_units(tmp_path: Path) -> None:
    """Every access unit parses as length-prefixed NAL units, the padding as type 12."""
    out = tmp_path / "out.mp4"
    options = EncodeOptions(width=WIDTH, height=HEIGHT, bitrate_kbps=800)
    encode(talking_picture(25, WIDTH, HEIGHT), tone(1.0), SAMPLE_RATE, options, out)
    kinds = set()
    with av.open(str(out)) as container:
        for packet in container.demux(container.streams.video[0]):
            data, at = bytes(packet), 0
            while at < len(data):
                length = int.from_bytes(data[at : at + 4], "big")
                kinds.add(data[at + 4] & 0x1F)
                at += 4 + length
            assert at == len(data)
    assert 12 in kinds and kinds <= {1, 5, 6, 7, 8, 12}
