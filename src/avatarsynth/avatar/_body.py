"""Chair, trunk, legs, neck and neckline, in body space: pixels at 1080p, x = 0 at the centre line.

The shoulders rise with breathing (``breath_px``); the neck and the neckline stay put, so
breathing never touches the face.
"""

from __future__ import annotations

import skia

from avatarsynth.avatar._look import Look, Outfit, Rgb
from avatarsynth.avatar._paint import fill, mirrored, stroke, tone

_NECK_TOP_Y, _NECK_BASE_Y = 470.0, 640.0


_SITTING_HEM_Y, _WAIST_Y, _KNEES_Y = 1100.0, 1130.0, 1820.0
_CHAIR: Rgb = (70, 74, 84)


def _torso(breath: float, hem_y: float) -> skia.Path:
    """The trunk from the neckline to ``hem_y``; the arms are drawn over it as limbs."""
    b = breath
    path = skia.Path()
    path.moveTo(-62, 612)
    path.cubicTo(-120, 620 - b * 0.5, -190, 628 - b, -226, 654 - b)
    path.cubicTo(-258, 680 - b, -262, 760 - b * 0.5, -258, 840)
    path.lineTo(-244, hem_y)
    path.lineTo(244, hem_y)
    path.lineTo(258, 840)
    path.cubicTo(262, 760 - b * 0.5, 258, 680 - b, 226, 654 - b)
    path.cubicTo(190, 628 - b, 120, 620 - b * 0.5, 62, 612)
    path.close()
    return path


def _trunk_shade(hem_y: float) -> skia.Path:
    """The trunk's right side, in shade: light falls from the viewer's left."""
    path = skia.Path()
    path.moveTo(150, 700)
    path.cubicTo(200, 760, 214, 900, 210, hem_y)
    path.lineTo(244, hem_y)
    path.lineTo(258, 840)
    path.cubicTo(262, 780, 250, 720, 226, 690)
    path.close()
    return path


def draw_chair(canvas: skia.Canvas) -> None:
    """The back of an office chair behind a seated presenter."""
    back = skia.RRect.MakeRectXY(skia.Rect(-300, 560, 300, 1180), 70, 70)
    canvas.drawRRect(back, fill(_CHAIR))
    inner = skia.RRect.MakeRectXY(skia.Rect(-262, 596, 262, 1180), 50, 50)
    canvas.drawRRect(inner, fill(tone(_CHAIR, 1.12)))


def draw_torso(canvas: skia.Canvas, look: Look, breath_px: float) -> None:
    """Clothes over the trunk: to the bottom of the frame seated, to the waist standing."""
    cloth = look.outfit.jacket or look.outfit.top
    hem_y = _WAIST_Y + 14 if look.standing else _SITTING_HEM_Y
    canvas.drawPath(_torso(breath_px, hem_y), fill(cloth))
    canvas.drawPath(_trunk_shade(hem_y), fill(tone(cloth, 0.88)))


def draw_legs(canvas: skia.Canvas, look: Look) -> None:
    """Hips and legs down to below the knees (out of frame): trousers, or a skirt over legs."""
    outfit = look.outfit
    if outfit.skirt:
        for side in (-1.0, 1.0):
            leg = skia.Rect(side * 62 - 44, 1400, side * 62 + 44, _KNEES_Y)
            canvas.drawRect(leg, fill(tone(look.skin, 0.9)))
        skirt = skia.Path.Polygon(
            [(-236, _WAIST_Y), (236, _WAIST_Y), (280, 1560), (-280, 1560)], True
        )
        canvas.drawPath(skirt, fill(outfit.legs))
        canvas.drawPath(skirt, stroke(tone(outfit.legs, 0.8), 3.0))
        return
    trousers = skia.Path.Polygon(
        [
            (-240, _WAIST_Y),
            (240, _WAIST_Y),
            (232, _KNEES_Y),
            (20, _KNEES_Y),
            (0, 1320),
            (-20, _KNEES_Y),
            (-232, _KNEES_Y),
        ],
        True,
    )
    canvas.drawPath(trousers, fill(outfit.legs))
    crease = skia.Path()
    crease.moveTo(0, 1250)
    crease.lineTo(0, 1320)
    for x in (-120.0, 120.0):
        crease.moveTo(x, 1360)
        crease.lineTo(x * 1.05, _KNEES_Y)
    canvas.drawPath(crease, stroke(tone(outfit.legs, 0.78), 3.0))
    belt = skia.Rect(-242, _WAIST_Y - 6, 242, _WAIST_Y + 18)
    canvas.drawRect(belt, fill(tone(outfit.legs, 0.6)))


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
