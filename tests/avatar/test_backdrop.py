"""Backdrops: an image covers the frame behind the presenter; a transparent colour gives frames
an alpha plane that is clear around the presenter and opaque over them."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
import skia

from avatarsynth import pipeline
from avatarsynth.avatar import find_look, image_backdrop, render
from avatarsynth.errors import FetchError, RenderError
from avatarsynth.fetch import FetchPolicy
from avatarsynth.frame import planes
from avatarsynth.performance import perform
from avatarsynth.script import InputKind
from avatarsynth.video import EncodeOptions

WIDTH, HEIGHT = 320, 180


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    surface = skia.Surface(width, height)
    surface.getCanvas().clear(skia.Color(*rgb))
    return bytes(surface.makeImageSnapshot().encodeToData())


def test_an_image_covers_the_frame_behind_the_presenter(speech_of: object) -> None:
    backdrop = image_backdrop(_png(400, 100, (20, 40, 200)), WIDTH, HEIGHT)  # wider: cropped
    acted = perform(speech_of("h ə"), 25)  # type: ignore[operator]
    frame = next(render(acted, find_look("max", "business"), WIDTH, HEIGHT, backdrop))
    y, u, _v = planes(frame, WIDTH, HEIGHT, alpha=False)
    assert y[0, 0] < 60 and u[0, 0] > 180  # blue in every corner
    assert y[-1, -1] < 60 and u[-1, -1] > 180


def test_a_transparent_backdrop_gives_an_alpha_plane(speech_of: object) -> None:
    acted = perform(speech_of("h ə"), 25)  # type: ignore[operator]
    frame = next(render(acted, find_look("lisa", "casual-sitting"), WIDTH, HEIGHT, (0, 0, 0, 0)))
    assert frame.shape == (HEIGHT * 5 // 2, WIDTH)
    alpha = planes(frame, WIDTH, HEIGHT, alpha=True)[3]
    assert alpha[0, 0] == 0 and alpha[HEIGHT // 2, WIDTH // 2] == 255


def test_an_image_behind_a_transparent_video_is_the_same_picture_fully_opaque(
    speech_of: object,
) -> None:
    """A transparent colour with a background image (webm/vp9): the encoder writes an alpha
    plane, so the frames carry one, opaque everywhere, over the same picture."""
    acted = perform(speech_of("h ə"), 25)  # type: ignore[operator]
    look, png = find_look("max", "business"), _png(400, 100, (20, 40, 200))
    plain = next(render(acted, look, WIDTH, HEIGHT, image_backdrop(png, WIDTH, HEIGHT)))
    clear = image_backdrop(png, WIDTH, HEIGHT, transparent=True)
    frame = next(render(acted, look, WIDTH, HEIGHT, clear))
    assert frame.shape == (HEIGHT * 5 // 2, WIDTH)
    assert (frame[: HEIGHT * 3 // 2] == plain).all()
    assert (planes(frame, WIDTH, HEIGHT, alpha=True)[3] == 255).all()


def test_a_file_that_is_not_an_image_is_refused_and_a_small_image_is_scaled_up() -> None:
    with pytest.raises(RenderError, match="not a PNG"):
        image_backdrop(b"<svg/>", WIDTH, HEIGHT)
    image = image_backdrop(_png(64, 32, (1, 2, 3)), WIDTH, HEIGHT).image
    assert image is not None and (image.width(), image.height()) == (WIDTH, HEIGHT)


def test_the_pipeline_reads_a_background_from_the_folder(tmp_path: Path) -> None:
    (tmp_path / "office.png").write_bytes(_png(64, 36, (200, 30, 30)))
    request = pipeline.RenderRequest(
        "Hi.",
        InputKind.PLAIN_TEXT,
        "en-US-JennyNeural",
        "lisa",
        "casual-sitting",
        background_image="office.png",
        fetch_policy=FetchPolicy(local_dir=tmp_path),
        video=EncodeOptions(width=WIDTH, height=HEIGHT),
    )
    result = pipeline.run(request, tmp_path / "office.mp4")
    with av.open(str(result.path)) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24")
    red, green, blue = (int(c) for c in first[4, 4])
    assert red > 150 and green < 80 and blue < 80  # the image's red, not the default white
    missing = pipeline.RenderRequest(**{**request.__dict__, "background_image": "gone.png"})
    with pytest.raises(FetchError):
        pipeline.run(missing, tmp_path / "gone.mp4")
