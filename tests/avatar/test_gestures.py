"""Gestures from bookmarks: the arm moves on the bookmarked word, and only a known gesture is
accepted; blinks come at a natural rate; a gesture renders the same every time."""

from __future__ import annotations

import numpy as np
import pytest

from avatarsynth import script, speech
from avatarsynth.avatar import catalog, check_gestures, find_look, render
from avatarsynth.avatar._scene import Backdrop, make_scene
from avatarsynth.errors import UnknownAvatar
from avatarsynth.frame import Frame
from avatarsynth.performance import perform
from avatarsynth.speech import Mark, Speech

FPS = 25
WIDTH, HEIGHT = 640, 360
BACKGROUND = (240, 236, 228, 255)
AZURE_GRACEFUL = {
    "wave-left-1",
    "wave-left-2",
    "thumbsup-left",
    *(f"show-left-{n}" for n in range(1, 6)),
    *(f"show-right-{n}" for n in range(1, 6)),
}


def frames_of(
    spoken: Speech, character: str = "lisa", style: str = "graceful-sitting"
) -> list[Frame]:
    acted = perform(spoken, FPS)
    return list(render(acted, find_look(character, style), WIDTH, HEIGHT, BACKGROUND))


def _region(style: str, region: tuple[float, float, float, float]) -> tuple[slice, slice]:
    box = make_scene(find_look("lisa", style), WIDTH, HEIGHT, Backdrop()).box(region)
    return slice(box.top, box.bottom), slice(box.left, box.right)


def test_lisa_graceful_has_azures_gestures_and_every_style_has_a_set() -> None:
    assert set(find_look("lisa", "graceful-sitting").gestures) >= AZURE_GRACEFUL
    for name, styles in catalog().items():
        for style in styles:
            assert len(find_look(name, style).gestures) >= 8, (name, style)


def test_an_unknown_gesture_is_refused_naming_the_valid_ones() -> None:
    look = find_look("lisa", "graceful-sitting")
    check_gestures(look, ("chapter-2", "gesture.Wave-Left-1"))
    with pytest.raises(UnknownAvatar, match="wave-left-2") as caught:
        check_gestures(look, ("gesture.moonwalk",))
    assert "moonwalk" in caught.value.message


def test_a_gesture_moves_the_arm_on_its_word() -> None:
    ssml = (
        '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">'
        'Good morning, everyone. <bookmark mark="gesture.wave-left-1"/>Welcome to the '
        "quarterly review.</voice></speak>"
    )
    utterance = script.parse(ssml, script.InputKind.SSML, "en-US-JennyNeural")
    spoken = speech.synthesize(utterance)
    welcome = next(w for w in spoken.words if w.text.lower().startswith("welcome"))
    (mark,) = spoken.marks
    assert abs(mark.time_s - welcome.start_s) < 0.02
    frames = frames_of(spoken)
    rows, cols = _region("graceful-sitting", (40.0, 960.0, 300.0, 1250.0))  # her left hand at rest
    rest = frames[0][rows, cols].astype(int)
    moved = [int(np.abs(f[rows, cols].astype(int) - rest).max()) > 40 for f in frames]
    first = moved.index(True)
    assert abs(first - welcome.start_s * FPS) <= 1
    assert any(moved[first + 10 : first + 30])
    assert not any(moved[first + 80 :])  # back at rest after the gesture


def test_the_same_gesture_draws_the_same_frames(speech_of: object) -> None:
    spoken = _with_marks(3.0, [Mark("gesture.show-right-2", 0.5), Mark("gesture.hands-open", 1.5)])
    first, second = frames_of(spoken), frames_of(spoken)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not np.array_equal(first[0], first[30])


def _with_marks(seconds: float, marks: list[Mark]) -> Speech:
    from tests.conftest import timeline

    return timeline([(speech.SILENCE, seconds)], marks)


def _eye_whites(frame: Frame, rows: slice, cols: slice) -> int:
    return int((frame[rows, cols] > 215).sum())


@pytest.mark.slow
def test_a_minute_blinks_between_8_and_30_times(minute_of_speech: Speech) -> None:
    frames = frames_of(minute_of_speech, style="casual-sitting")
    rows, cols = _region("casual-sitting", (-84.0, 364.0, -8.0, 408.0))  # her right eye
    whites = np.array([_eye_whites(f, rows, cols) for f in frames])
    shut = whites < 0.4 * np.median(whites)
    blinks = int(np.count_nonzero(shut[1:] & ~shut[:-1]) + shut[0])
    assert 8 <= blinks <= 30, blinks
