"""The whole picture for one frame: background, body, then the head placed by the pose.

Layout is fixed in design space (1920 × 1080); :class:`Scene` scales and centres it for any
output size. :attr:`Scene.head_box` and :attr:`Scene.shoulder_box` are the only regions that
ever change from frame to frame: the renderer redraws just those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import skia

from avatarsynth.avatar._body import draw_neck, draw_torso
from avatarsynth.avatar._face import HeadShapes, draw_hair_back, draw_head, head_shapes
from avatarsynth.avatar._look import Look
from avatarsynth.avatar._pose import FramePose

DESIGN_WIDTH_PX, DESIGN_HEIGHT_PX = 1920.0, 1080.0
_HEAD_Y_PX = 392.0
_NOD_DROP_PX = 6.0
_TILT_PIVOT_Y_PX = 150.0
# Regions in body space (x from the centre line) that contain everything that moves.
_HEAD_REGION = (-200.0, 120.0, 200.0, 720.0)
_SHOULDER_REGION = (-320.0, 560.0, 320.0, 800.0)
_MOUTH_REGION = (-70.0, _HEAD_Y_PX + 60.0, 70.0, _HEAD_Y_PX + 150.0)


@dataclass(frozen=True)
class Box:
    """A pixel rectangle of the output frame, with even edges (4:2:0 chroma needs them)."""

    left: int
    top: int
    right: int
    bottom: int


def _even(value: float, limit: int) -> int:
    return max(0, min(limit, int(value) // 2 * 2))


def box_of(region: tuple[float, float, float, float], width: int, height: int) -> Box:
    """A region of body space as output pixels: scaled to the height, centred, even edges."""
    scale = height / DESIGN_HEIGHT_PX
    x0, y0, x1, y1 = (v * scale for v in region)
    centre = width / 2
    return Box(
        _even(centre + x0, width),
        _even(y0, height),
        _even(centre + x1 + 2, width),
        _even(y1 + 2, height),
    )


@dataclass(frozen=True, eq=False)
class Scene:
    """One look drawn at one output size."""

    look: Look
    width: int
    height: int
    background: skia.Color
    shapes: HeadShapes

    @property
    def scale(self) -> float:
        """Output pixels per design pixel."""
        return self.height / DESIGN_HEIGHT_PX

    @property
    def head_box(self) -> Box:
        """Where the head, face and hair can be, whatever the pose."""
        return box_of(_HEAD_REGION, self.width, self.height)

    @property
    def shoulder_box(self) -> Box:
        """Where breathing moves the shoulders."""
        return box_of(_SHOULDER_REGION, self.width, self.height)

    def draw(self, canvas: skia.Canvas, pose: FramePose) -> None:
        """Everything, in design space; callers clip and offset the canvas to a box."""
        canvas.clear(self.background)
        canvas.save()
        canvas.translate(self.width / 2, 0)
        canvas.scale(self.scale, self.scale)
        draw_torso(canvas, self.look, pose.breath_px)
        self._at_head(canvas, pose, lambda: draw_hair_back(canvas, self.look, self.shapes))
        draw_neck(canvas, self.look)
        self._at_head(canvas, pose, lambda: draw_head(canvas, self.look, self.shapes, pose))
        canvas.restore()

    def _at_head(self, canvas: skia.Canvas, pose: FramePose, draw: Callable[[], None]) -> None:
        """Run ``draw`` in head space: placed, nodded and tilted about the neck."""
        canvas.save()
        canvas.translate(pose.turn * 4, _HEAD_Y_PX + pose.nod * _NOD_DROP_PX)
        canvas.rotate(pose.tilt_deg, 0, _TILT_PIVOT_Y_PX)
        draw()
        canvas.restore()


def mouth_box(width: int, height: int) -> Box:
    """Where the mouth is drawn when the head is at rest: for checks and thumbnails."""
    return box_of(_MOUTH_REGION, width, height)


def make_scene(look: Look, width: int, height: int, background_rgba: tuple[int, ...]) -> Scene:
    """Prepare ``look`` for drawing at ``width`` × ``height``; the background is drawn opaque."""
    red, green, blue = background_rgba[:3]
    return Scene(look, width, height, skia.Color(red, green, blue, 255), head_shapes(look))
