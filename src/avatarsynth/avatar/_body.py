"""Torso, arms, neck and neckline, in body space: pixels at 1080p, x = 0 at the centre line.

The shoulders rise with breathing (``breath_px``); the neck and the neckline stay put, so
breathing never touches the face.
"""

from __future__ import annotations

import skia

from avatarsynth.avatar._look import Look, Outfit, Rgb
from avatarsynth.avatar._paint import fill, mirrored, stroke, tone

_NECK_TOP_Y, _NECK_BASE_Y = 470.0, 640.0


def _torso(breath: float) -> skia.Path:
    b = breath
    path = skia.Path()
    path.moveTo(-62, 612)
    path.cubicTo(-120, 620 - b * 0.5, -200, 628 - b, -242, 658 - b)
    path.cubicTo(-288, 688 - b, -302, 760 - b * 0.5, -306, 840)
    path.lineTo(-332, 1090)
    path.lineTo(332, 1090)
    path.lineTo(306, 840)
    path.cubicTo(302, 760 - b * 0.5, 288, 688 - b, 242, 658 - b)
    path.cubicTo(200, 628 - b, 120, 620 - b * 0.5, 62, 612)
    path.close()
    return path


def _arm_shade(breath: float) -> skia.Path:
    """The right arm, in shade: light falls from the viewer's left."""
    b = breath
    path = skia.Path()
    path.moveTo(242, 658 - b)
    path.cubicTo(288, 688 - b, 302, 760 - b * 0.5, 306, 840)
    path.lineTo(332, 1090)
    path.lineTo(244, 1090)
    path.cubicTo(238, 960, 236, 860, 224, 790)
    path.cubicTo(232, 740, 238, 700, 242, 658 - b)
    path.close()
    return path


def draw_torso(canvas: skia.Canvas, look: Look, breath_px: float) -> None:
    """Clothes over the torso and arms, with the arms' inner edges as soft lines."""
    cloth = look.outfit.jacket or look.outfit.top
    canvas.drawPath(_torso(breath_px), fill(cloth))
    canvas.drawPath(_arm_shade(breath_px), fill(tone(cloth, 0.86)))
    seam = skia.Path()
    seam.moveTo(-226, 792)
    seam.cubicTo(-236, 860, -238, 960, -244, 1090)
    canvas.drawPath(seam, stroke(tone(cloth, 0.9), 4.0))


def _neck(canvas: skia.Canvas, skin: Rgb) -> None:
    neck = skia.Path()
    neck.moveTo(-38, _NECK_TOP_Y)
    neck.lineTo(38, _NECK_TOP_Y)
    neck.cubicTo(38, 560, 42, 610, 48, _NECK_BASE_Y)
    neck.lineTo(-48, _NECK_BASE_Y)
    neck.cubicTo(-42, 610, -38, 560, -38, _NECK_TOP_Y)
    neck.close()
    canvas.drawPath(neck, fill(tone(skin, 0.93)))
    canvas.drawOval(skia.Rect(-44, 500, 44, 566), fill(tone(skin, 0.82)))


def _open_neckline(canvas: skia.Canvas, look: Look, depth: float) -> None:
    """A crew (shallow curve) or V neckline: the top's fabric up to the edge, a darker trim."""
    top = look.outfit.top
    edge = skia.Path()
    edge.moveTo(-64, 612)
    if look.outfit.neckline == "v":
        edge.lineTo(0, 612 + depth)
        edge.lineTo(64, 612)
        canvas.drawPath(edge, fill(tone(look.skin, 0.93)))
    else:
        edge.quadTo(0, 612 + depth * 2, 64, 612)
    fabric = skia.Path(edge)
    fabric.lineTo(72, 612)
    fabric.lineTo(72, 760)
    fabric.lineTo(-72, 760)
    fabric.lineTo(-72, 612)
    fabric.close()
    canvas.drawPath(fabric, fill(look.outfit.jacket or top))
    canvas.drawPath(edge, stroke(tone(top, 0.78), 9.0))


def _collar(canvas: skia.Canvas, outfit: Outfit) -> None:
    """A shirt between jacket lapels, with collar points and an optional tie."""
    jacket = outfit.jacket or outfit.top
    opening = skia.Path.Polygon([(-80, 612), (0, 900), (80, 612)], True)
    canvas.drawPath(opening, fill(outfit.top))
    if outfit.tie:
        knot = skia.Path.Polygon([(-14, 648), (14, 648), (9, 676), (-9, 676)], True)
        blade = skia.Path.Polygon([(-9, 676), (9, 676), (21, 860), (0, 892), (-21, 860)], True)
        canvas.drawPath(blade, fill(outfit.tie))
        canvas.drawPath(knot, fill(tone(outfit.tie, 0.85)))
    flap = skia.Path.Polygon([(-48, 600), (-4, 652), (-14, 690), (-70, 640)], True)
    for shape in (flap, mirrored(flap)):
        canvas.drawPath(shape, fill(tone(outfit.top, 0.97)))
        canvas.drawPath(shape, stroke(tone(outfit.top, 0.8), 2.5))
    lapel = skia.Path.Polygon([(-80, 612), (-112, 690), (-70, 705), (-4, 900)], True)
    for shape in (lapel, mirrored(lapel)):
        canvas.drawPath(shape, fill(tone(jacket, 0.82)))


def draw_neck(canvas: skia.Canvas, look: Look) -> None:
    """The neck and whatever the outfit shows around it, in front of the torso."""
    _neck(canvas, look.skin)
    if look.outfit.neckline == "shirt":
        _collar(canvas, look.outfit)
    else:
        _open_neckline(canvas, look, 110.0 if look.outfit.neckline == "v" else 22.0)
