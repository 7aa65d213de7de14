"""Every output option with a photo avatar, through the pipeline: transparency with a crop,
a background image with burnt captions, and a long input rendered in chunks and joined."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from avatarsynth import pipeline
from avatarsynth.fetch import FetchPolicy
from avatarsynth.frame import Box
from avatarsynth.photo import Portrait
from avatarsynth.script import InputKind
from avatarsynth.video import EncodeOptions

pytestmark = pytest.mark.slow
VOICE = "en-US-AvaMultilingualNeural"


def request(
    portrait: Portrait, folder: Path, text: str, **options: object
) -> pipeline.RenderRequest:
    path = folder / "portrait.npz"
    path.write_bytes(portrait.to_bytes())
    return pipeline.RenderRequest(
        text,
        InputKind.PLAIN_TEXT,
        VOICE,
        "eileen",
        "",
        photo=pipeline.PhotoAvatar(str(path)),
        **options,  # type: ignore[arg-type]
    )


def test_transparent_and_cropped(portrait: Portrait, tmp_path: Path) -> None:
    options = EncodeOptions(
        container="webm", codec="vp9", width=512, height=512, alpha=True,
        crop=Box(56, 0, 456, 512),
    )  # fmt: skip
    asked = request(portrait, tmp_path, "Hello.", background_rgba=(0, 0, 0, 0), video=options)
    result = pipeline.run(asked, tmp_path / "clear.webm")
    with av.open(str(result.path)) as container:
        decoder = av.CodecContext.create("libvpx-vp9", "r")
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (400, 512)
        last = [f for p in container.demux(stream) for f in decoder.decode(p)][-1]
    plane = last.planes[3]
    alpha = np.frombuffer(memoryview(plane), np.uint8).reshape(plane.height, plane.line_size)
    assert alpha[:20, :20].max() <= 8  # the studio backdrop is cut away
    assert alpha[230:260, 185:215].min() >= 247  # her face


def test_background_image_and_burnt_captions(portrait: Portrait, tmp_path: Path) -> None:
    green = np.zeros((300, 300, 3), np.uint8)
    green[...] = (40, 160, 40)  # BGR: green
    cv2.imwrite(str(tmp_path / "green.png"), green)
    asked = request(
        portrait, tmp_path, "Good morning everyone.",
        background_image="green.png", fetch_policy=FetchPolicy(local_dir=tmp_path),
        burnt_subtitles=True, video=EncodeOptions(width=512, height=512, codec="h264"),
    )  # fmt: skip
    result = pipeline.run(asked, tmp_path / "green.mp4")
    with av.open(str(result.path)) as container:
        frame = next(container.decode(container.streams.video[0])).to_ndarray(format="rgb24")
    r, g, b = (int(v) for v in frame[10, 10])
    assert g > 120 and r < 80 and b < 80  # the image shows where the studio was
    assert frame[230:260, 185:215].mean() > 100  # and she is in front of it


def test_a_long_input_renders_in_chunks(portrait: Portrait, tmp_path: Path) -> None:
    text = " ".join(["The launch is on schedule and the crew is ready to fly."] * 5)
    options = EncodeOptions(width=512, height=512, codec="h264")
    plan = pipeline.begin(
        request(portrait, tmp_path, text, video=options), tmp_path / "long.mp4", 4.0
    )
    assert isinstance(plan, pipeline.LongRender) and len(plan.chunks) >= 2
    for chunk in plan.chunks:
        pipeline.render_chunk(chunk)
    result = plan.join()
    with av.open(str(result.path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
    assert frames == pytest.approx(result.duration_s * 25, abs=1)
    assert result.duration_s > 10
