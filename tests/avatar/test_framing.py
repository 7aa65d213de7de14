"""Framing, measured in each style's first frame as a camera operator would: the head's
share of the frame's height, the headroom above the crown, and how much of the frame the
presenter fills."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import skia

from avatarsynth import speech
from avatarsynth.avatar import Look, catalog, find_look, mouth_box, render
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene
from avatarsynth.frame import Box, Frame, planes
from avatarsynth.performance import perform
from avatarsynth.speech import Speech
from tests.conftest import timeline

SpeechOf = Callable[[str], Speech]

WIDTH, HEIGHT = 960, 540
GREEN = (0, 255, 0, 255)  # a colour no presenter wears
EVERY_STYLE = [(name, style) for name, styles in catalog().items() for style in styles]
# The head (crown to chin) as a share of the frame's height, and the least share of its pixels
# the presenter covers, the chair not counted.
HEAD = {"sitting": (0.25, 0.32), "standing": (0.17, 0.23)}
COVER = {"sitting": 0.30, "standing": 0.25}


def figure(frame: Frame, width: int = WIDTH, height: int = HEIGHT) -> Frame:
    """Where the frame is not the green backdrop: a boolean mask, full size."""
    y, u, v = (plane.astype(int) for plane in planes(frame, width, height, alpha=False))
    u, v = (np.repeat(np.repeat(c, 2, axis=0), 2, axis=1) for c in (u, v))
    return (abs(y - 173) + abs(u - 42) + abs(v - 26)) > 30


def person(look: Look, width: int = WIDTH, height: int = HEIGHT) -> Frame:
    """Where the presenter at rest is, the chair left out: a boolean mask, full size."""
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    surface = skia.Surface(rgba, colorType=skia.kRGBA_8888_ColorType)
    scene = make_scene(look, width, height, Backdrop((0, 0, 0, 0), transparent=True))
    scene.draw(surface.getCanvas(), FramePose.still(*look.rest), chair=False)
    return rgba[..., 3] > 127


@pytest.mark.parametrize(("character", "style"), EVERY_STYLE)
def test_the_presenter_is_framed_for_an_explainer(character: str, style: str) -> None:
    look = find_look(character, style)
    acted = perform(timeline([(speech.SILENCE, 0.2)]), 25)
    first = next(render(acted, look, WIDTH, HEIGHT, GREEN))
    mask = figure(first)
    crown = int(np.argmax(mask.any(axis=1)))
    chin = make_scene(look, WIDTH, HEIGHT, Backdrop(GREEN)).chin_y
    low, high = HEAD[look.posture]
    assert low <= (chin - crown) / HEIGHT <= high, (chin - crown) / HEIGHT
    assert 0.06 <= crown / HEIGHT <= 0.12, crown / HEIGHT
    assert person(look).mean() >= COVER[look.posture], person(look).mean()
    assert mask[-1].any()  # cut by the bottom edge, never floating above it


@pytest.mark.parametrize("size", [(1080, 1920), (1280, 720)])
@pytest.mark.parametrize(
    ("character", "style"), [("lisa", "casual-sitting"), ("harry", "business")]
)
def test_other_frame_sizes_reframe_the_presenter_whole(
    character: str, style: str, size: tuple[int, int], speech_of: SpeechOf
) -> None:
    width, height = size
    look = find_look(character, style)
    frames = list(render(perform(speech_of("h ɑː m ɑː l oʊ"), 25), look, width, height, GREEN))
    assert frames[0].shape == (height * 3 // 2, width)
    mask = figure(frames[0], width, height)
    columns = np.flatnonzero(mask.any(axis=0))
    assert columns[0] > 0 and columns[-1] < width - 1  # nothing cut at the sides
    assert not mask[0].any() and mask[-1].any()  # headroom above, cut by the bottom edge
    mouth = mouth_box(look, width, height)
    shapes = {f[mouth.top : mouth.bottom, mouth.left : mouth.right].tobytes() for f in frames[8:20]}
    assert len(shapes) >= 6  # the lips move at this size too


def test_an_area_of_the_frame_frames_the_presenter_as_a_smaller_video() -> None:
    look = find_look("lisa", "casual-sitting")
    acted = perform(timeline([(speech.SILENCE, 0.2)]), 25)
    whole = figure(next(render(acted, look, WIDTH, HEIGHT, GREEN)))
    area = Box(WIDTH // 2, HEIGHT // 2, WIDTH, HEIGHT)  # the bottom-right quarter
    placed = figure(next(render(acted, look, WIDTH, HEIGHT, GREEN, area)))
    assert not placed[: area.top].any() and not placed[:, : area.left].any()
    assert placed.mean() == pytest.approx(whole.mean() / 4, rel=0.05)  # half as large
    rows, cols = (np.flatnonzero(placed.any(axis=axis)) for axis in (1, 0))
    assert rows[-1] == HEIGHT - 1 and abs((cols[0] + cols[-1]) / 2 - area.left - WIDTH / 4) <= 2
