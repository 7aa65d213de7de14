"""Arms and hands, in body space: two segments from the shoulder and a hand shape at the wrist.

Drawn for the presenter's left arm (the viewer's right, x > 0); the right arm is the same
drawing mirrored about the centre line, which is why poses use angles "away from the body".
Arms are drawn last, in front of everything, so a waving hand passes in front of the hair.
"""

from __future__ import annotations

import math
from functools import cache

import skia

from avatarsynth.avatar._look import ArmPose, Look, Points
from avatarsynth.avatar._paint import fill, smooth_outline, stroke, tone

SHOULDER = (222.0, 702.0)
_UPPER_PX, _FORE_PX, _HAND_PX = 250.0, 225.0, 140.0
_UPPER_W, _FORE_W = 84.0, 70.0
_OUTLINE_PX = 3.0


def _along(deg: float, length: float) -> tuple[float, float]:
    rad = math.radians(deg)
    return length * math.sin(rad), length * math.cos(rad)


def joints(pose: ArmPose) -> tuple[tuple[float, float], ...]:
    """Shoulder, elbow, wrist and fingertip positions of a left arm."""
    sx, sy = SHOULDER
    ex, ey = _along(pose.upper, _UPPER_PX)
    wx, wy = _along(pose.fore, _FORE_PX)
    tx, ty = _along(pose.fore + pose.hand, _HAND_PX)
    elbow = (sx + ex, sy + ey)
    wrist = (elbow[0] + wx, elbow[1] + wy)
    return (SHOULDER, elbow, wrist, (wrist[0] + tx, wrist[1] + ty))


def reach(pose: ArmPose, side: float) -> tuple[float, float, float, float]:
    """The region (x0, y0, x1, y1) the arm covers, with room for its width; side −1 mirrors."""
    xs = [side * x for x, _ in joints(pose)]
    ys = [y for _, y in joints(pose)]
    pad = _UPPER_W / 2 + 40
    return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def _segment(
    canvas: skia.Canvas,
    a: tuple[float, float],
    b: tuple[float, float],
    width: float,
    colour: tuple[int, int, int],
) -> None:
    path = skia.Path()
    path.moveTo(*a)
    path.lineTo(*b)
    canvas.drawPath(path, stroke(tone(colour, 0.78), width + 2 * _OUTLINE_PX))
    canvas.drawPath(path, stroke(colour, width))


@cache
def _hand_path(points: Points) -> skia.Path:
    return smooth_outline(points)


def _hand(canvas: skia.Canvas, look: Look, pose: ArmPose, wrist: tuple[float, float]) -> None:
    """The hand's outline, turned so its fingers continue the forearm, bent by ``pose.hand``."""
    canvas.save()
    canvas.translate(*wrist)
    canvas.rotate(-(pose.fore + pose.hand))
    path = _hand_path(look.hands[pose.shape])
    canvas.drawPath(path, fill(look.skin))
    canvas.drawPath(path, stroke(tone(look.skin, 0.75), 2.5))
    canvas.restore()


def _arm(canvas: skia.Canvas, look: Look, pose: ArmPose) -> None:
    shoulder, elbow, wrist, _ = joints(pose)
    sleeve, skin = look.outfit.sleeve, tone(look.skin, 0.96)
    if look.outfit.sleeves == "short":
        _segment(canvas, elbow, wrist, _FORE_W, skin)
        _segment(canvas, shoulder, elbow, _UPPER_W * 0.86, skin)
        cuff = ((shoulder[0] + elbow[0]) / 2, (shoulder[1] + elbow[1]) / 2)
        _segment(canvas, shoulder, cuff, _UPPER_W, sleeve)
    else:
        _segment(canvas, elbow, wrist, _FORE_W, sleeve)
        _segment(canvas, shoulder, elbow, _UPPER_W, sleeve)
    _hand(canvas, look, pose, wrist)


def draw_arms(canvas: skia.Canvas, look: Look, left: ArmPose, right: ArmPose) -> None:
    """Both arms: the left as drawn, the right mirrored about the centre line."""
    _arm(canvas, look, left)
    canvas.save()
    canvas.scale(-1, 1)
    _arm(canvas, look, right)
    canvas.restore()
