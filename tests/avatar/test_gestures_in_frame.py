"""Every gesture of every style keeps both hands inside a 16:9 frame: at its peak, no part of
the presenter comes within a small margin of the frame's left or right edge (a hand cut off
mid-gesture is what a viewer would notice first)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import skia

from avatarsynth.avatar import Look, catalog, find_look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene

# 1920×1080 drawn at a quarter of its size; the margin is 1.5 % of the width either side.
WIDTH, HEIGHT = 480, 270
MARGIN = round(0.015 * WIDTH)
GREEN = (0, 255, 0, 255)  # a colour no presenter wears
STANDING_SWAY_PX = 9.0  # a standing presenter's weight shift, at its widest either way


def _poses(look: Look, name: str) -> list[FramePose]:
    """``look`` holding gesture ``name`` at its peak (a standing one swayed both ways)."""
    left, right = look.gestures[name].peak
    still = FramePose.still(left or look.rest[0], right or look.rest[1])
    if not look.standing:
        return [still]
    return [replace(still, sway_px=shift) for shift in (-STANDING_SWAY_PX, STANDING_SWAY_PX)]


def _touches_the_sides(look: Look, pose: FramePose) -> bool:
    surface = skia.Surface(WIDTH, HEIGHT)
    make_scene(look, WIDTH, HEIGHT, Backdrop(GREEN)).draw(surface.getCanvas(), pose)
    rgb = surface.toarray()[..., :3].astype(np.int16)
    sides = np.concatenate([rgb[:, :MARGIN], rgb[:, WIDTH - MARGIN :]], axis=1)
    return bool((np.abs(sides - np.array(GREEN[:3])).max(axis=2) > 24).any())


def test_every_gesture_at_its_peak_keeps_the_hands_inside_a_16_9_frame() -> None:
    cut: list[str] = []
    drawn = 0
    for character, styles in catalog().items():
        for style in styles:
            look = find_look(character, style)
            for name in look.gestures:
                poses = _poses(look, name)
                drawn += len(poses)
                if any(_touches_the_sides(look, pose) for pose in poses):
                    cut.append(f"{character} {style} {name}")
    assert drawn > 295
    assert not cut, f"{len(cut)} gestures reach the frame's side margin: " + ", ".join(cut)
