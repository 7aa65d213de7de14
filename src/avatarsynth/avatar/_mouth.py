"""The mouth: a dark opening with teeth and tongue inside, framed by lips.

Its shape comes from six parameters (see ``avatarsynth.performance.Mouth``): the jaw opens
the gap, spread widens it, rounding narrows it towards an O, pressed lips close it into a firm
line, teeth on the lip show the upper teeth over the lower lip (f, v) and the tongue rises to
the teeth (th, l). Drawn in mouth space: origin at the centre of the closed lip line.
"""

from __future__ import annotations

import skia

from avatarsynth.avatar._look import Rgb
from avatarsynth.avatar._paint import fill, stroke, tone
from avatarsynth.avatar._pose import FramePose

_HALF_WIDTH_PX = 36.0
_MAX_OPEN_PX = 60.0
_CAVITY: Rgb = (92, 30, 40)
_TEETH: Rgb = (250, 248, 242)
_TONGUE: Rgb = (214, 98, 104)


def _size(pose: FramePose) -> tuple[float, float]:
    """Half-width and opening height of the mouth."""
    half = _HALF_WIDTH_PX * (1.0 + 0.22 * pose.mouth.lip_spread - 0.38 * pose.mouth.lip_round)
    half *= 1.0 - 0.08 * pose.mouth.lips_pressed
    opening = _MAX_OPEN_PX * pose.mouth.jaw_open * (1.0 - 0.25 * pose.mouth.lip_spread)
    opening *= 1.0 - pose.mouth.teeth_on_lip * 0.7
    opening += 10.0 * pose.mouth.lip_round * pose.mouth.jaw_open
    return half, opening + 9.0 * pose.mouth.lip_spread * min(1.0, 4.0 * pose.mouth.jaw_open)


def _cavity(half: float, opening: float, roundness: float) -> skia.Path:
    """The opening: a flatter top lip line and a deeper lower curve; rounding makes it an O."""
    top, bottom = opening * (0.3 + 0.15 * roundness), opening * (0.7 - 0.15 * roundness)
    side = half * (0.25 + 0.25 * roundness)
    path = skia.Path()
    path.moveTo(-half, 0)
    path.cubicTo(-half + side, -top * 1.3, half - side, -top * 1.3, half, 0)
    path.cubicTo(half - side * 0.6, bottom * 1.35, -half + side * 0.6, bottom * 1.35, -half, 0)
    path.close()
    return path


def _inside(
    canvas: skia.Canvas, cavity: skia.Path, half: float, opening: float, pose: FramePose
) -> None:
    """Teeth along the top of the opening and the tongue at its floor, clipped to it."""
    roundness = pose.mouth.lip_round
    top = -0.975 * opening * (0.3 + 0.15 * roundness)
    bottom = 1.0125 * opening * (0.7 - 0.15 * roundness)
    canvas.save()
    canvas.clipPath(cavity, doAntiAlias=True)
    teeth = opening * 0.6 if opening < 20 else min(12.0, opening * 0.32)
    canvas.drawRect(skia.Rect(-half, top - 10, half, top + teeth), fill(_TEETH))
    tongue_y = bottom - opening * (0.25 + 0.45 * pose.mouth.tongue_up)
    canvas.drawOval(skia.Rect(-half * 0.65, tongue_y, half * 0.65, tongue_y + 40), fill(_TONGUE))
    canvas.restore()


def _tongue_tip(canvas: skia.Canvas, half: float, opening: float, pose: FramePose) -> None:
    """The tongue tip between the teeth, as for th."""
    alpha = round(255 * min(1.0, max(0.0, (pose.mouth.tongue_up - 0.6) / 0.3)))
    if alpha:
        tip = skia.Rect(-half * 0.4, opening * 0.15 - 3, half * 0.4, opening * 0.15 + 9)
        canvas.drawOval(tip, fill(_TONGUE, alpha))


def _closed(canvas: skia.Canvas, half: float, lips: Rgb, pose: FramePose) -> None:
    """Closed lips: a line with a soft lower lip; pressed lips give a firmer, flatter line."""
    line = skia.Path()
    line.moveTo(-half, -1)
    line.quadTo(0, 3 - 3 * pose.mouth.lips_pressed, half, -1)
    canvas.drawOval(skia.Rect(-half * 0.55, 2, half * 0.55, 13), fill(tone(lips, 1.0)))
    canvas.drawPath(line, stroke(tone(lips, 0.55), 4.0 + 1.5 * pose.mouth.lips_pressed))


def _teeth_on_lip(canvas: skia.Canvas, half: float, pose: FramePose) -> None:
    """Upper teeth resting on the lower lip, as for f and v."""
    alpha = round(255 * min(1.0, pose.mouth.teeth_on_lip * 1.5))
    rect = skia.RRect.MakeRectXY(skia.Rect(-half * 0.55, -3, half * 0.55, 6), 3, 3)
    canvas.drawRRect(rect, fill(_TEETH, alpha))


def draw_mouth(canvas: skia.Canvas, lips: Rgb, pose: FramePose) -> None:
    """The mouth for one frame, at the canvas origin."""
    half, opening = _size(pose)
    opening *= 1.0 - pose.mouth.lips_pressed
    if opening < 3.0:
        _closed(canvas, half, lips, pose)
    else:
        cavity = _cavity(half, opening, pose.mouth.lip_round)
        canvas.drawPath(cavity, fill(_CAVITY))
        _inside(canvas, cavity, half, opening, pose)
        canvas.drawPath(cavity, stroke(lips, 6.0 + 3.0 * pose.mouth.lip_round))
        lower = skia.Rect(-half * 0.45, opening * 0.55, half * 0.45, opening * 0.55 + 9)
        canvas.drawOval(lower, fill(tone(lips, 1.15), 160))
        _tongue_tip(canvas, half, opening, pose)
    if pose.mouth.teeth_on_lip > 0.05:
        _teeth_on_lip(canvas, half, pose)
