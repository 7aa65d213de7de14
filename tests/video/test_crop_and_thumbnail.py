"""videoCrop: the file has the cropped size and shows that part of the frame; a thumbnail of
the middle frame is written beside the video as a JPEG."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import skia

from avatarsynth.errors import InvalidRequest
from avatarsynth.frame import Box, Frame
from avatarsynth.video import EncodeOptions, _thumbnail, encode
from tests.fixtures import SAMPLE_RATE, tone

WIDTH, HEIGHT = 320, 240


def quadrant_frames(count: int) -> list[Frame]:
    """Left half dark, right half bright; the frame index shows as a bar's height."""
    frames = []
    for index in range(count):
        frame = np.full((HEIGHT * 3 // 2, WIDTH), 128, dtype=np.uint8)
        frame[:HEIGHT, : WIDTH // 2] = 40
        frame[:HEIGHT, WIDTH // 2 :] = 220
        frame[: index * 4, :8] = 128
        frames.append(frame)
    return frames


def test_the_video_has_the_cropped_size_and_content(tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    crop = Box(161, 11, 300, 200)  # odd corner and sides: rounded to even
    options = EncodeOptions(width=WIDTH, height=HEIGHT, crop=crop)
    assert options.output_size == (140, 190)
    encode(quadrant_frames(10), tone(0.4), SAMPLE_RATE, options, out)
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (140, 190)
        luma = next(container.decode(stream)).to_ndarray(format="gray")
    assert luma.shape == (190, 140)
    assert luma.min() > 200  # only the bright half was kept (no dark pixel)


@pytest.mark.parametrize(
    "crop",
    [
        Box(0, 0, 1921, 1080),
        Box(100, 100, 100, 500),
        Box(500, 500, 100, 900),
        Box(0, 0, 63, 64),
    ],
)
def test_a_crop_outside_the_frame_or_too_small_is_a_bad_request(crop: Box) -> None:
    with pytest.raises(InvalidRequest, match="videoCrop") as caught:
        EncodeOptions(crop=crop)
    assert caught.value.option == "crop"


def test_the_thumbnail_is_the_middle_frame_as_a_jpeg(tmp_path: Path) -> None:
    out, thumb = tmp_path / "0001.mp4", tmp_path / "0001.jpg"
    options = EncodeOptions(width=WIDTH, height=HEIGHT)
    encode(quadrant_frames(40), tone(1.6), SAMPLE_RATE, options, out, thumbnail=thumb)
    data = thumb.read_bytes()
    assert data[:3] == b"\xff\xd8\xff"  # a JPEG
    image = skia.Image.MakeFromEncoded(skia.Data.MakeWithCopy(data))
    assert (image.width(), image.height()) == (WIDTH, HEIGHT)
    pixels = image.toarray()
    bar_rows = int((pixels[:, 2, :3].astype(int).mean(axis=1) > 100).sum())
    assert abs(bar_rows - 20 * 4) <= 4  # frame 20 of 40 drew a bar 80 rows high


@pytest.mark.parametrize("width", [568, 600, 1080])
def test_a_thumbnail_is_the_same_every_time_at_any_width(tmp_path: Path, width: int) -> None:
    """swscale once gave different left-edge pixels from one call to the next at widths that
    are not a multiple of 64 (green marks on some thumbnails)."""
    height = 320
    rng = np.random.default_rng(7)
    frame = rng.integers(16, 235, (height * 3 // 2, width), dtype=np.uint8)
    made = set()
    for n in range(30):
        path = tmp_path / f"{n}.jpg"
        _thumbnail.write_thumbnail(frame, width, height, path)
        made.add(path.read_bytes())
    assert len(made) == 1
    image = skia.Image.MakeFromEncoded(skia.Data.MakeWithCopy(made.pop()))
    assert (image.width(), image.height()) == (width, height)
