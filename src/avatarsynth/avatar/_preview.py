"""A still of each look, for ``GET /avatar/characters`` and the docs: PNG bytes."""

from __future__ import annotations

from functools import cache

import skia

from avatarsynth.avatar._catalog import find_look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene

PREVIEW_BACKGROUND = (232, 236, 242, 255)


@cache
def preview_png(character: str, style: str, width: int = 960, height: int = 540) -> bytes:
    """The look at rest on a calm background, as PNG (cached: a handful of looks exist)."""
    look = find_look(character, style)
    scene = make_scene(look, width, height, Backdrop(PREVIEW_BACKGROUND))
    surface = skia.Surface(width, height)
    scene.draw(surface.getCanvas(), FramePose.still(*look.rest))
    data = surface.makeImageSnapshot().encodeToData(skia.EncodedImageFormat.kPNG, 100)
    return bytes(data)
