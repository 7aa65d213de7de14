"""Azure's whole gesture table: every name plays for its style, moves the arms on its word,
settles back to rest, and no two names of a style look the same at their peaks."""

from __future__ import annotations

import itertools
from functools import cache
from importlib import resources

import numpy as np
import pytest
import skia

from avatarsynth.avatar import ArmPose, Look, catalog, check_gestures, find_look
from avatarsynth.avatar._gestures import arm_tracks
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene
from avatarsynth.frame import Frame
from avatarsynth.performance import Cue

FPS = 25
WIDTH, HEIGHT = 320, 180
TABLE = resources.files("avatarsynth.avatar") / "data" / "azure-gestures.tsv"
ROWS = [tuple(line.split("\t")) for line in TABLE.read_text().splitlines()[1:]]


def draw(look: Look, pose: FramePose) -> Frame:
    """The look in ``pose`` as RGB pixels, drawn directly (no video)."""
    surface = skia.Surface(WIDTH, HEIGHT)
    make_scene(look, WIDTH, HEIGHT, Backdrop((240, 236, 228, 255))).draw(surface.getCanvas(), pose)
    return surface.toarray()[..., :3].astype(np.int16)


@cache
def _peak(character: str, style: str, name: str) -> Frame:
    look = find_look(character, style)
    left, right = look.gestures[name].peak
    return draw(look, FramePose.still(left or look.rest[0], right or look.rest[1]))


def test_the_table_is_azures_295_gestures() -> None:
    assert len(ROWS) == 295 and len({name for _, _, name in ROWS}) == 117


@pytest.mark.parametrize(("character", "style"), sorted({(c, s) for c, s, _ in ROWS}))
def test_every_gesture_of_the_table_plays_for_its_style(character: str, style: str) -> None:
    look = find_look(character, style)
    names = [name for c, s, name in ROWS if (c, s) == (character, style)]
    check_gestures(look, tuple(f"gesture.{name}" for name in names))
    assert list(look.gestures)[: len(names)] == names


def _one_style_per_name() -> list[tuple[str, str, str]]:
    chosen: dict[str, tuple[str, str, str]] = {}
    for character, styles in catalog().items():
        for style in styles:
            for name in find_look(character, style).gestures:
                chosen.setdefault(name, (character, style, name))
    return sorted(chosen.values(), key=lambda row: row[2])


@pytest.mark.parametrize(("character", "style", "name"), _one_style_per_name())
def test_a_gesture_moves_the_arms_on_its_word_and_settles(
    character: str, style: str, name: str
) -> None:
    look = find_look(character, style)
    start, n_frames = 10, 10 + 150
    left, right = arm_tracks((Cue(f"gesture.{name}", start / FPS, start),), look, n_frames, FPS)

    def frame(index: int) -> Frame:
        return draw(look, FramePose.still(left[index], right[index]))

    rest = frame(start - 1)
    assert np.array_equal(rest, draw(look, FramePose.still(*look.rest)))
    moved = int((np.abs(frame(start + 1) - rest).max(axis=2) > 40).sum())
    assert moved > 10, f"{name}: the arms barely moved on the word ({moved} pixels)"
    end = start + int(np.ceil(look.gestures[name].duration_s * FPS)) + 1
    assert end < n_frames and np.array_equal(frame(end), rest), f"{name} did not settle"


EVERY_STYLE = [(name, style) for name, styles in catalog().items() for style in styles]


@pytest.mark.parametrize(("character", "style"), EVERY_STYLE)
def test_no_two_gestures_of_a_style_look_the_same_at_their_peaks(
    character: str, style: str
) -> None:
    names = list(find_look(character, style).gestures)
    for a, b in itertools.combinations(names, 2):
        differ = np.abs(_peak(character, style, a) - _peak(character, style, b)).max(axis=2) > 40
        assert int(differ.sum()) > 16, f"{character} {style}: {a} and {b} look the same"


def _largest_step(track: list[ArmPose]) -> float:
    """The most any angle of the arm turns from one frame to the next, in degrees."""

    def turn(a: float, b: float) -> float:
        return abs((b - a + 180.0) % 360.0 - 180.0)

    return max(
        max(turn(a.upper, b.upper), turn(a.fore, b.fore), turn(a.hand, b.hand))
        for a, b in itertools.pairwise(track)
    )


def test_a_gesture_too_long_for_the_audio_ends_at_rest_without_a_jump() -> None:
    look = find_look("meg", "casual")
    n_frames = 40
    left, right = arm_tracks((Cue("gesture.hands-open", 1.0, 25),), look, n_frames, FPS)
    assert look.gestures["hands-open"].duration_s * FPS > n_frames - 25  # it cannot fit
    assert (left[-1], right[-1]) == look.rest
    assert left[30] != look.rest[0]  # it did play, faster
    assert _largest_step(left) < 25


def test_a_later_gesture_takes_the_arm_over_from_where_it_is() -> None:
    look = find_look("meg", "casual")
    cues = (Cue("gesture.wave-left-1", 0.4, 10), Cue("gesture.show-left-3", 1.0, 25))
    left, _ = arm_tracks(cues, look, 150, FPS)
    alone, _ = arm_tracks(cues[:1], look, 150, FPS)
    assert left[:25] == alone[:25]  # the first plays untouched until the second is asked for
    assert _largest_step(left) < 25  # no jump where the second takes over
    assert left[-1] == look.rest[0]
