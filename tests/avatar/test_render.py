"""Rendered frames: every avatar draws, the mouth moves with speech and rests in a pause."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from avatarsynth import speech
from avatarsynth.avatar import catalog, find_look, mouth_box, render
from avatarsynth.errors import RenderError
from avatarsynth.frame import Box, Frame
from avatarsynth.performance import perform
from avatarsynth.speech import Speech
from tests.conftest import timeline

FPS = 25
WIDTH, HEIGHT = 640, 360
BACKGROUND = (240, 236, 228, 255)
SpeechOf = Callable[[str], Speech]


def frames_of(
    speech: Speech,
    character: str = "lisa",
    style: str = "casual-sitting",
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> list[Frame]:
    acted = perform(speech, FPS)
    return list(render(acted, find_look(character, style), *size, BACKGROUND))


def luma(frame: Frame, box: Box) -> Frame:
    return frame[box.top : box.bottom, box.left : box.right]


EVERY_AVATAR = [(name, style) for name, styles in catalog().items() for style in styles]


@pytest.mark.parametrize(("character", "style"), EVERY_AVATAR)
def test_every_avatar_renders(character: str, style: str, speech_of: SpeechOf) -> None:
    (first, *_) = frames_of(speech_of("h ə"), character, style)
    assert first.shape == (HEIGHT * 3 // 2, WIDTH)
    assert first.dtype == np.uint8
    assert abs(int(first[2, 2]) - 219) <= 1  # the background's luma, BT.709 limited range


def test_avatars_look_different(speech_of: SpeechOf) -> None:
    speech = speech_of("h ə")
    faces = [frames_of(speech, name, styles[0])[0] for name, styles in catalog().items()]
    for index, face in enumerate(faces):
        for other in faces[index + 1 :]:
            assert np.mean(np.abs(face.astype(int) - other.astype(int))) > 2


def test_the_mouth_moves_while_speaking(speech_of: SpeechOf) -> None:
    frames = frames_of(speech_of("h ɑː m ɑː m ɑː l oʊ"))
    box = mouth_box(find_look("lisa", "casual-sitting"), WIDTH, HEIGHT)
    mouths = {luma(frame, box).tobytes() for frame in frames[8:20]}
    assert len(mouths) >= 6


def test_the_mouth_is_still_through_a_pause(speech_of: SpeechOf) -> None:
    frames = frames_of(speech_of("h ˈɛ l oʊ | w ˈɜː l d"))
    box = mouth_box(find_look("lisa", "casual-sitting"), WIDTH, HEIGHT)
    pause_start = 0.3 + 4 * 0.09
    first, last = int((pause_start + 0.2) * FPS) + 1, int((pause_start + 1.0) * FPS)
    still = luma(frames[first], box)
    assert all(np.array_equal(luma(frame, box), still) for frame in frames[first:last])
    assert not np.array_equal(luma(frames[8], box), still)


def test_the_same_performance_draws_the_same_frames(speech_of: SpeechOf) -> None:
    speech = speech_of("h ə l oʊ w ɜː l d")
    first, second = frames_of(speech), frames_of(speech)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_frames_stay_valid_after_the_next_is_drawn(speech_of: SpeechOf) -> None:
    frames = frames_of(speech_of("h ɑː m ɑː"))
    assert not all(np.array_equal(frames[0], frame) for frame in frames[8:14])


def test_an_odd_frame_size_is_a_render_error(speech_of: SpeechOf) -> None:
    with pytest.raises(RenderError, match="even"):
        frames_of(speech_of("h ə"), size=(641, 360))


def test_eyes_blink_in_silence_while_the_mouth_rests(speech_of: SpeechOf) -> None:
    speech = speech_of("| | | | |")
    lids = perform(speech, FPS).head.eyelids_closed
    shut = int(np.argmax(lids))
    assert lids[shut] > 0.9 and lids[0] == 0.0
    frames = frames_of(speech)
    box = mouth_box(find_look("lisa", "casual-sitting"), WIDTH, HEIGHT)
    assert not np.array_equal(frames[shut], frames[0])
    still = np.abs(luma(frames[shut], box).astype(int) - luma(frames[0], box).astype(int))
    assert still.max() <= 2  # the same mouth (an edge pixel may round differently)


def _lower_figure(frame: Frame, width: int, height: int) -> np.ndarray:
    """Where the figure is in the frame's lower half (hips and legs): a boolean mask."""
    rows = frame[height // 2 : height, :width].astype(int)
    return np.abs(rows - int(rows[0, 0])) > 12


def _middle_column(figure: np.ndarray) -> float:
    cols = np.flatnonzero(figure.any(axis=0))
    return float(cols[0] + cols[-1]) / 2


def test_a_standing_presenter_shifts_weight_in_silence() -> None:
    width, height = 480, 270
    acted = perform(timeline([(speech.SILENCE, 10.0)]), FPS)
    frames = list(render(acted, find_look("rowan", ""), width, height, BACKGROUND))
    figures = [_lower_figure(frame, width, height) for frame in frames]
    middles = [_middle_column(figure) for figure in figures]
    assert max(middles) - min(middles) >= 2  # a viewer sees the hips move
    assert all(abs(middle - width / 2) <= 4 for middle in middles)  # calmly, and in frame
    last = acted.window(acted.n_frames - 1, 1)  # the last frame drawn whole, not part by part
    whole = next(render(last, find_look("rowan", ""), width, height, BACKGROUND))
    assert np.abs(whole.astype(int) - frames[-1]).max() <= 40  # every part moved with the hips
    seated = render(acted, find_look("lisa", "casual-sitting"), width, height, BACKGROUND)
    assert len({_middle_column(_lower_figure(f, width, height)) for f in seated}) == 1
