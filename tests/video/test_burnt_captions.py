"""Burnt-in captions: visible in the decoded picture while their phrase is spoken, gone
otherwise, at the bottom centre, line-broken to fit, at 1080p and at 360p."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from avatarsynth.video import Caption, EncodeOptions, encode
from avatarsynth.video._burn import CaptionBurner
from tests.fixtures import SAMPLE_RATE, grey_frames, tone

LONG = "Every word of this phrase is written into the picture itself, for everyone"


def decoded_luma(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(video=0)]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (640, 360)])
def test_a_phrase_is_visible_while_it_is_spoken(tmp_path: Path, width: int, height: int) -> None:
    out = tmp_path / "out.mp4"
    captions = [Caption("Hello there, world", 0.4, 0.8)]
    options = EncodeOptions(width=width, height=height)
    encode(grey_frames(25, width, height), tone(1.0), SAMPLE_RATE, options, out, burnt=captions)
    frames = decoded_luma(out)
    bottom = slice(int(height * 0.75), height)
    during, before, after = frames[15][bottom], frames[5][bottom], frames[22][bottom]
    assert before.min() >= 120 and after.min() >= 120  # untouched grey
    assert during.max() >= 220  # white letters
    assert during.min() <= 60  # on a dark box
    bright = np.argwhere(during >= 220)
    centre = bright[:, 1].mean()
    assert abs(centre - width / 2) < width * 0.05
    assert frames[15][: height // 2].min() >= 120  # nothing drawn in the upper half


def _rows_of_text(width: int, height: int, text: str) -> int:
    burner = CaptionBurner([Caption(text, 0.0, 1.0)], width, height, 25)
    frame = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
    burner.burn(frame, 0, alpha=False)
    luma = frame[:height]
    text_rows = np.flatnonzero((luma >= 220).any(axis=1))
    gaps = np.flatnonzero(np.diff(text_rows) > 3)
    return len(gaps) + 1


def test_a_long_phrase_is_broken_into_lines_that_fit_a_narrow_picture() -> None:
    assert _rows_of_text(1920, 1080, "Hello there") == 1
    assert _rows_of_text(640, 360, LONG) >= 2
    burner = CaptionBurner([Caption(LONG, 0.0, 1.0)], 320, 360, 25)
    frame = np.full((360 * 3 // 2, 320), 128, dtype=np.uint8)
    burner.burn(frame, 0, alpha=False)
    assert (frame[:360, :4] == 128).all() and (frame[:360, -4:] == 128).all()  # within the width


def test_a_caption_on_a_transparent_video_is_opaque() -> None:
    width, height = 320, 240
    frame = np.zeros((height * 5 // 2, width), dtype=np.uint8)
    CaptionBurner([Caption("See me", 0.0, 1.0)], width, height, 25).burn(frame, 0, alpha=True)
    alpha = frame[height * 3 // 2 :]
    assert alpha.max() == 255 and alpha[: height // 2].max() == 0


def test_captions_follow_the_clock_of_the_whole_video_in_a_chunk() -> None:
    burner = CaptionBurner([Caption("Later", 10.0, 11.0)], 320, 240, 25, first_frame=250)
    frame = np.full((240 * 3 // 2, 320), 128, dtype=np.uint8)
    burner.burn(frame, 1, alpha=False)  # frame 251 of the video: 10.04 s
    assert frame[:240].max() >= 220
