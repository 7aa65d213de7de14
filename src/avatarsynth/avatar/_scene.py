"""The whole picture for one frame: backdrop, chair or legs, body, head, then the arms.

Layout is fixed in body space (pixels at 1080p, x from the centre line, y down). The framing
scales and places it for the look's posture: seated presenters fill the frame from the waist
up, standing ones are drawn smaller, from the knees up. :class:`Scene` maps body space to any
output size; the regions it names (head, shoulders, an arm's reach) are the only ones that
change from frame to frame, and the renderer redraws just those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import skia

from avatarsynth.avatar._arms import draw_arms
from avatarsynth.avatar._body import draw_chair, draw_legs, draw_neck, draw_torso
from avatarsynth.avatar._face import HeadShapes, draw_hair_back, draw_head, head_shapes
from avatarsynth.avatar._look import Look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.frame import Box

DESIGN_HEIGHT_PX = 1080.0
_HEAD_Y_PX = 392.0
_NOD_DROP_PX = 6.0
_TILT_PIVOT_Y_PX = 150.0
_HEAD_REGION = (-200.0, 120.0, 200.0, 720.0)
_SHOULDER_REGION = (-320.0, 560.0, 320.0, 800.0)
_MOUTH_REGION = (-70.0, _HEAD_Y_PX + 60.0, 70.0, _HEAD_Y_PX + 150.0)
# (scale, vertical offset in body pixels): standing shows head to knees in the same height.
_FRAMING = {"sitting": (1.0, 0.0), "standing": (0.74, -132.0)}

Region = tuple[float, float, float, float]


def _even(value: float, limit: int) -> int:
    return max(0, min(limit, int(value) // 2 * 2))


@dataclass(frozen=True)
class Backdrop:
    """What is behind the presenter: a colour or an image already scaled to the output size.

    ``transparent`` is the caller's decision (the encoder's, which must agree): frames then
    carry an alpha plane, where the colour's alpha shows through."""

    rgba: tuple[int, int, int, int] = (255, 255, 255, 255)
    image: skia.Image | None = None
    transparent: bool = False


@dataclass(frozen=True, eq=False)
class Scene:
    """One look drawn at one output size over one backdrop."""

    look: Look
    width: int
    height: int
    backdrop: Backdrop
    shapes: HeadShapes

    @property
    def scale(self) -> float:
        """Output pixels per body-space pixel."""
        return self.height / DESIGN_HEIGHT_PX * _FRAMING[self.look.posture][0]

    def box(self, region: Region) -> Box:
        """A region of body space as output pixels, with even edges and a pixel of margin."""
        offset = _FRAMING[self.look.posture][1]
        x0, y0, x1, y1 = region
        centre, s = self.width / 2, self.scale
        return Box(
            _even(centre + x0 * s, self.width),
            _even((y0 + offset) * s, self.height),
            _even(centre + x1 * s + 2, self.width),
            _even((y1 + offset) * s + 2, self.height),
        )

    @property
    def head_box(self) -> Box:
        """Where the head, face and hair can be, whatever the pose."""
        return self.box(_HEAD_REGION)

    @property
    def shoulder_box(self) -> Box:
        """Where breathing moves the shoulders."""
        return self.box(_SHOULDER_REGION)

    @property
    def mouth_box(self) -> Box:
        """Where the mouth is drawn when the head is at rest."""
        return self.box(_MOUTH_REGION)

    def draw(self, canvas: skia.Canvas, pose: FramePose) -> None:
        """Everything; callers clip the canvas to the box they redraw."""
        r, g, b, a = self.backdrop.rgba
        canvas.clear(skia.Color(r, g, b, a))
        if self.backdrop.image is not None:
            canvas.drawImage(self.backdrop.image, 0, 0)
        canvas.save()
        canvas.translate(self.width / 2, 0)
        canvas.scale(self.scale, self.scale)
        canvas.translate(0, _FRAMING[self.look.posture][1])
        self._draw_body(canvas, pose)
        canvas.restore()

    def _draw_body(self, canvas: skia.Canvas, pose: FramePose) -> None:
        look = self.look
        if look.standing:
            draw_legs(canvas, look)
        else:
            draw_chair(canvas)
        draw_torso(canvas, look, pose.breath_px)
        self._at_head(canvas, pose, lambda: draw_hair_back(canvas, look, self.shapes))
        draw_neck(canvas, look)
        self._at_head(canvas, pose, lambda: draw_head(canvas, look, self.shapes, pose))
        draw_arms(canvas, look, pose.left_arm, pose.right_arm)

    def _at_head(self, canvas: skia.Canvas, pose: FramePose, draw: Callable[[], None]) -> None:
        """Run ``draw`` in head space: placed, nodded and tilted about the neck."""
        canvas.save()
        canvas.translate(pose.head.turn * 4, _HEAD_Y_PX + pose.head.nod * _NOD_DROP_PX)
        canvas.rotate(pose.head.tilt_deg, 0, _TILT_PIVOT_Y_PX)
        draw()
        canvas.restore()


def make_scene(look: Look, width: int, height: int, backdrop: Backdrop) -> Scene:
    """Prepare ``look`` for drawing at ``width`` × ``height`` over ``backdrop``."""
    return Scene(look, width, height, backdrop, head_shapes(look))


def mouth_box(look: Look, width: int, height: int) -> Box:
    """Where ``look``'s mouth is drawn when the head is at rest: for checks and thumbnails."""
    return make_scene(look, width, height, Backdrop()).mouth_box
