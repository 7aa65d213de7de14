"""The whole picture for one frame: backdrop, chair or legs, body, head, then the arms.

Layout is fixed in body space (design pixels, x from the centre line, y down); the body below
the chin is drawn 8 % larger than the head (an adult's proportions). The framing scales and
places it as a camera operator would for an explainer: seated presenters large, cut at the
hips (head, crown to chin, 31 % of the frame's height), standing ones from above the knees
(head 22.5 %), the crown 7 % below the top edge whatever the hairstyle. :class:`Scene`
maps body space to any output size; the regions it names (head, shoulders, an arm's reach)
are the only ones that change from frame to frame, and the renderer redraws just those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import skia

from avatarsynth.avatar._arms import draw_arms, within
from avatarsynth.avatar._body import draw_chair, draw_lap, draw_legs, draw_neck, draw_torso
from avatarsynth.avatar._face import HeadShapes, draw_hair_back, draw_head, head_shapes
from avatarsynth.avatar._look import ArmPose, Look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.frame import Box

_HEAD_Y_PX = 392.0
_NOD_DROP_PX = 6.0
_TILT_PIVOT_Y_PX = 150.0
_CHIN_PX = 166.0
_HEAD_MARGIN_PX = 36.0  # room for nodding, turning and tilting
_SHOULDER_REGION = (-520.0, 560.0, 520.0, 880.0)
_MOUTH_REGION = (-70.0, _HEAD_Y_PX + 60.0, 70.0, _HEAD_Y_PX + 150.0)
_HEAD_SHARE = {"sitting": 0.306, "standing": 0.221}
_CROWN_FROM_TOP = 0.077
# The figure's half width with its arms out in a gesture and the share of a narrow frame's width
# it may take; where the drawing ends at the bottom (below it there is nothing to show).
_FIGURE_HALF_WIDTH_PX = 712.0
_WIDTH_SHARE = 0.94
_CUT_Y = {"sitting": 1540.0, "standing": 1880.0}
# The body (everything but the head and hair) is drawn larger than the rig's head, scaled
# about the chin: an adult's proportions, the head smaller beside broad shoulders.
_BODY_SCALE = 1.1
_BODY_PIVOT_Y = _HEAD_Y_PX + _CHIN_PX
# A standing presenter's weight shift: how far the figure sways to either side (seated: none),
# and the half width of what moves with it (torso, legs, arms at rest) below the chin.
_SWAY_PX = {"sitting": 0.0, "standing": 9.0}
_TRUNK_HALF_WIDTH_PX = 640.0
# The room a gesture leaves between a hand and the frame's side, as a share of its width.
_SIDE_MARGIN = 0.02

Region = tuple[float, float, float, float]


def body_region(region: Region) -> Region:
    """A region of the body's own drawing space (torso, arms, legs) in scene space."""
    x0, y0, x1, y1 = region
    k, pivot = _BODY_SCALE, _BODY_PIVOT_Y
    return (x0 * k, pivot + (y0 - pivot) * k, x1 * k, pivot + (y1 - pivot) * k)


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
    """One look drawn at one output size over one backdrop, framed in ``area`` of the frame
    (None: the whole frame) as it would be in a video of the area's size."""

    look: Look
    width: int
    height: int
    backdrop: Backdrop
    shapes: HeadShapes
    area: Box | None = None

    @cached_property
    def _area(self) -> Box:
        return self.area or Box(0, 0, self.width, self.height)

    @cached_property
    def _crown(self) -> float:
        """The body-space row of the top of the head: the hair's highest point."""
        return _HEAD_Y_PX + min(y for _, y in (*self.look.hair.back, *self.look.hair.front))

    @cached_property
    def scale(self) -> float:
        """Output pixels per body-space pixel: the head (crown to chin) takes its share of the
        frame's height, whatever the hairstyle, unless the frame is too narrow for the
        shoulders and arms: then the presenter is drawn smaller (a portrait frame shows more of
        the body rather than cropping it)."""
        head_px = _HEAD_Y_PX + _CHIN_PX - self._crown
        by_height = self._area.height * _HEAD_SHARE[self.look.posture] / head_px
        half_width = _FIGURE_HALF_WIDTH_PX * _BODY_SCALE
        return min(by_height, self._area.width * _WIDTH_SHARE / (2 * half_width))

    @cached_property
    def _offset(self) -> float:
        """Body-space rows added before scaling: puts the crown where the framing wants it, or
        lower, so that the figure still reaches the bottom edge in a tall frame."""
        height = self._area.height
        crown_placed = _CROWN_FROM_TOP * height / self.scale - self._crown
        cut = body_region((0.0, 0.0, 0.0, _CUT_Y[self.look.posture]))[3]
        return max(crown_placed, height / self.scale - cut)

    @property
    def crown_y(self) -> float:
        """The output row of the top of the head (the hair's highest point)."""
        return self._area.top + (self._crown + self._offset) * self.scale

    @property
    def chin_y(self) -> float:
        """The output row of the chin, the head at rest."""
        return self._area.top + (_HEAD_Y_PX + _CHIN_PX + self._offset) * self.scale

    def box(self, region: Region) -> Box:
        """A region of body space as output pixels, with even edges and a pixel of margin."""
        offset, area = self._offset, self._area
        x0, y0, x1, y1 = region
        centre, top, s = area.left + area.width / 2, area.top, self.scale
        return Box(
            _even(centre + x0 * s, self.width),
            _even(top + (y0 + offset) * s, self.height),
            _even(centre + x1 * s + 2, self.width),
            _even(top + (y1 + offset) * s + 2, self.height),
        )

    @property
    def head_region(self) -> Region:
        """Where the head, face and hair can be, whatever the pose (the figure unswayed)."""
        hair = (*self.look.hair.back, *self.look.hair.front)
        half = max(max(abs(x) for x, _ in hair), self.look.face_width_px + 16) + _HEAD_MARGIN_PX
        bottom = max(max(y for _, y in hair), _CHIN_PX) + _HEAD_Y_PX + _HEAD_MARGIN_PX
        return (-half, self._crown - _HEAD_MARGIN_PX, half, bottom)

    @property
    def head_box(self) -> Box:
        """:attr:`head_region` in output pixels."""
        return self.box(self.head_region)

    @property
    def shoulder_region(self) -> Region:
        """Where breathing moves the shoulders (the figure unswayed)."""
        return body_region(_SHOULDER_REGION)

    @property
    def trunk_region(self) -> Region:
        """Everything below the chin that a weight shift moves: torso, legs, arms at rest."""
        half = _TRUNK_HALF_WIDTH_PX
        return body_region((-half, _BODY_PIVOT_Y, half, _CUT_Y[self.look.posture]))

    @cached_property
    def _arm_limit_x(self) -> float:
        """How far from the centre line an arm may reach in its own (body) space: the frame's
        half width less its side margin and the widest weight shift."""
        width = self._area.width
        half = width * (0.5 - _SIDE_MARGIN) / self.scale - _SWAY_PX[self.look.posture]
        return half / _BODY_SCALE

    def arm(self, pose: ArmPose) -> ArmPose:
        """``pose`` as drawn in this frame: a gesture that would take the hand past the frame's
        side (a broad one in a 16:9 frame) with the elbow drawn in until it is inside."""
        return within(pose, self.look.hands[pose.shape], self._arm_limit_x)

    def sway_px(self, shift: float) -> float:
        """The figure's sideways offset in body space for a weight shift in [-1, 1], snapped
        to whole output pixels (so that it is redrawn only when it visibly moves)."""
        pixels = round(shift * _SWAY_PX[self.look.posture] * self.scale)
        return pixels / self.scale

    @property
    def mouth_box(self) -> Box:
        """Where the mouth is drawn when the head is at rest."""
        return self.box(_MOUTH_REGION)

    def draw(self, canvas: skia.Canvas, pose: FramePose, *, chair: bool = True) -> None:
        """Everything (without the seated presenter's chair when not ``chair``: to measure
        the person alone); callers clip the canvas to the box they redraw."""
        r, g, b, a = self.backdrop.rgba
        canvas.clear(skia.Color(r, g, b, a))
        if self.backdrop.image is not None:
            canvas.drawImage(self.backdrop.image, 0, 0)
        area = self._area
        canvas.save()
        canvas.clipRect(skia.Rect(area.left, area.top, area.right, area.bottom))
        canvas.translate(area.left + area.width / 2, area.top)
        canvas.scale(self.scale, self.scale)
        canvas.translate(pose.sway_px, self._offset)
        self._draw_body(canvas, pose, chair)
        canvas.restore()

    def _draw_body(self, canvas: skia.Canvas, pose: FramePose, chair: bool) -> None:
        look = self.look
        with _body_space(canvas):
            if look.standing:
                draw_legs(canvas, look)
            elif chair:
                draw_chair(canvas)
            draw_torso(canvas, look, pose.breath_px)
            if not look.standing:
                draw_lap(canvas, look)
        self._at_head(canvas, pose, lambda: draw_hair_back(canvas, look, self.shapes))
        with _body_space(canvas):
            draw_neck(canvas, look)
        self._at_head(canvas, pose, lambda: draw_head(canvas, look, self.shapes, pose))
        with _body_space(canvas):
            draw_arms(canvas, look, self.arm(pose.left_arm), self.arm(pose.right_arm))

    def _at_head(self, canvas: skia.Canvas, pose: FramePose, draw: Callable[[], None]) -> None:
        """Run ``draw`` in head space: placed, nodded and tilted about the neck."""
        canvas.save()
        canvas.translate(pose.head.turn * 4, _HEAD_Y_PX + pose.head.nod * _NOD_DROP_PX)
        canvas.rotate(pose.head.tilt_deg, 0, _TILT_PIVOT_Y_PX)
        draw()
        canvas.restore()


@contextmanager
def _body_space(canvas: skia.Canvas) -> Iterator[None]:
    """Draw the body at its scale about the chin (see :func:`body_region`)."""
    canvas.save()
    canvas.translate(0, _BODY_PIVOT_Y)
    canvas.scale(_BODY_SCALE, _BODY_SCALE)
    canvas.translate(0, -_BODY_PIVOT_Y)
    try:
        yield
    finally:
        canvas.restore()


def make_scene(
    look: Look, width: int, height: int, backdrop: Backdrop, area: Box | None = None
) -> Scene:
    """Prepare ``look`` for drawing at ``width`` × ``height`` over ``backdrop``, framed in
    ``area`` of the frame (the whole frame when None)."""
    return Scene(look, width, height, backdrop, head_shapes(look), area)


def mouth_box(look: Look, width: int, height: int) -> Box:
    """Where ``look``'s mouth is drawn when the head is at rest: for checks and thumbnails."""
    return make_scene(look, width, height, Backdrop()).mouth_box
