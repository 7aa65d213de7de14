"""Chair, trunk, lap or legs, neck and neckline, in body space: pixels at the design scale,
x = 0 at the centre line, y down.

Light falls from the viewer's upper left: every cloth surface is filled with a soft gradient
from a lit tone to a shaded one, with a few darker creases where cloth folds (under the arms,
at the waist, across the lap). The shoulders rise with breathing (``breath_px``); the neck and
the neckline stay put, so breathing never touches the face.
"""

from __future__ import annotations

import skia

from avatarsynth.avatar._look import Look, Outfit, Rgb
from avatarsynth.avatar._paint import fill, mirrored, shade, stroke, tone

_NECK_TOP_Y, _NECK_BASE_Y = 470.0, 650.0
_WAIST_Y, _HIP_Y, _KNEES_Y = 1110.0, 1180.0, 1900.0
_JACKET_HEM_Y = 1300.0  # a standing presenter's jacket covers the hips
_SHOULDER_X, _WAIST_X = 456.0, 404.0
_CHAIR: Rgb = (64, 68, 78)


def _torso(breath: float, hem_y: float) -> skia.Path:
    """The trunk from the neckline to ``hem_y``: sloping shoulders, a chest that narrows to
    the waist and widens a little to the hips; the arms are drawn over it as limbs."""
    b, sx, wx = breath, _SHOULDER_X, _WAIST_X
    right = [
        (64, 614, 0.5),
        (sx - 90, 640, 1.0),
        (sx - 8, 700, 1.0),
        (sx, 800, 0.5),
        (sx - 22, 920, 0.0),
        (wx, _WAIST_Y, 0.0),
        (wx + 24, hem_y, 0.0),
    ]
    points = [(x, y - b * lift) for x, y, lift in right]
    pairs = list(zip(points[1::2], points[2::2], strict=True))  # (control, end) curves
    path = skia.Path()
    path.moveTo(-points[0][0], points[0][1])
    for (cx, cy), (x, y) in pairs:
        path.quadTo(-cx, cy, -x, y)
    path.lineTo(points[-1][0], points[-1][1])
    starts = [points[0], *(end for _, end in pairs[:-1])]
    for ((cx, cy), _), (x, y) in reversed(list(zip(pairs, starts, strict=True))):
        path.quadTo(cx, cy, x, y)
    path.close()
    return path


def _folds(canvas: skia.Canvas, cloth: Rgb) -> None:
    """Creases: from the armpits towards the chest, and cloth gathered above the waist."""
    crease = stroke(tone(cloth, 0.8), 3.5, 180)
    for side in (-1.0, 1.0):
        path = skia.Path()
        path.moveTo(side * 330, 800)
        path.quadTo(side * 274, 846, side * 214, 860)
        path.moveTo(side * 310, _WAIST_Y - 40)
        path.quadTo(side * 252, _WAIST_Y - 18, side * 166, _WAIST_Y - 26)
        canvas.drawPath(path, crease)


def draw_chair(canvas: skia.Canvas) -> None:
    """The back of an office chair behind a seated presenter, lit from the left."""
    back = skia.RRect.MakeRectXY(skia.Rect(-520, 540, 520, 1600), 110, 110)
    shade(canvas, skia.Path().addRRect(back), _CHAIR, -520, 520)
    inner = skia.RRect.MakeRectXY(skia.Rect(-476, 584, 476, 1600), 80, 80)
    shade(canvas, skia.Path().addRRect(inner), tone(_CHAIR, 1.1), -476, 476)


def draw_torso(canvas: skia.Canvas, look: Look, breath_px: float) -> None:
    """Clothes over the trunk: to the hips, where the lap or the legs take over (a standing
    presenter's jacket a little lower)."""
    cloth = look.outfit.jacket or look.outfit.top
    long_jacket = look.standing and look.outfit.jacket is not None
    torso = _torso(breath_px, _JACKET_HEM_Y if long_jacket else _HIP_Y)
    canvas.drawPath(torso, stroke(tone(cloth, 0.62), 7.0))
    shade(canvas, torso, cloth, -_SHOULDER_X, _SHOULDER_X)
    _folds(canvas, cloth)
    if look.outfit.jacket:
        canvas.drawCircle(0, 980, 9, fill(tone(cloth, 0.7)))
        canvas.drawCircle(0, 1070, 9, fill(tone(cloth, 0.7)))


def draw_lap(canvas: skia.Canvas, look: Look) -> None:
    """A seated presenter's waistband and thighs, coming towards the viewer out of the frame,
    in front of the trunk's lower edge."""
    legs = look.outfit.legs
    lap = skia.Path()
    lap.moveTo(-_WAIST_X - 10, _WAIST_Y + 20)
    lap.quadTo(0, _WAIST_Y - 6, _WAIST_X + 10, _WAIST_Y + 20)
    lap.cubicTo(_WAIST_X + 80, 1200, 500, 1320, 490, 1560)
    lap.lineTo(-490, 1560)
    lap.cubicTo(-500, 1320, -_WAIST_X - 80, 1200, -_WAIST_X - 10, _WAIST_Y + 20)
    lap.close()
    canvas.drawPath(lap, stroke(tone(legs, 0.62), 7.0))
    shade(canvas, lap, legs, -490, 490)
    crease = skia.Path()
    crease.moveTo(0, 1200)
    crease.lineTo(0, 1560)
    for side in (-1.0, 1.0):
        crease.moveTo(side * 40, 1190)
        crease.quadTo(side * 140, 1230, side * 250, 1200)
        crease.moveTo(side * 90, 1300)
        crease.quadTo(side * 180, 1330, side * 300, 1320)
    canvas.drawPath(crease, stroke(tone(legs, 0.72), 4.0))


def draw_legs(canvas: skia.Canvas, look: Look) -> None:
    """Hips and legs down to below the knees (out of frame): trousers, or a skirt over legs."""
    outfit = look.outfit
    if outfit.skirt:
        for side in (-1.0, 1.0):
            leg = skia.Rect(side * 130 - 90, 1500, side * 130 + 90, _KNEES_Y)
            shade(
                canvas,
                skia.Path().addRect(leg),
                tone(look.skin, 0.92),
                side * 130 - 90,
                side * 130 + 90,
            )
        skirt = skia.Path()  # an A-line from the waist, its hem curving with the body
        skirt.moveTo(-_WAIST_X - 4, _WAIST_Y)
        skirt.lineTo(_WAIST_X + 4, _WAIST_Y)
        skirt.cubicTo(_WAIST_X + 80, 1300, 540, 1600, 560, _KNEES_Y)
        skirt.quadTo(0, _KNEES_Y + 50, -560, _KNEES_Y)
        skirt.cubicTo(-540, 1600, -_WAIST_X - 80, 1300, -_WAIST_X - 4, _WAIST_Y)
        skirt.close()
        canvas.drawPath(skirt, stroke(tone(outfit.legs, 0.62), 7.0))
        shade(canvas, skirt, outfit.legs, -560, 560)
        pleats = skia.Path()
        for x in (-170.0, -60.0, 60.0, 170.0):
            pleats.moveTo(x * 0.8, 1250)
            pleats.lineTo(x * 1.5, _KNEES_Y)
        canvas.drawPath(pleats, stroke(tone(outfit.legs, 0.78), 3.0))
        return
    trousers = skia.Path()
    trousers.moveTo(-_WAIST_X - 4, _WAIST_Y)
    trousers.lineTo(_WAIST_X + 4, _WAIST_Y)
    trousers.cubicTo(_WAIST_X + 50, 1260, 466, 1500, 450, _KNEES_Y)
    trousers.lineTo(30, _KNEES_Y)
    trousers.lineTo(8, 1420)
    trousers.lineTo(-8, 1420)
    trousers.lineTo(-30, _KNEES_Y)
    trousers.lineTo(-450, _KNEES_Y)
    trousers.cubicTo(-466, 1500, -_WAIST_X - 50, 1260, -_WAIST_X - 4, _WAIST_Y)
    trousers.close()
    canvas.drawPath(trousers, stroke(tone(outfit.legs, 0.62), 7.0))
    shade(canvas, trousers, outfit.legs, -_WAIST_X, _WAIST_X)
    crease = skia.Path()
    for x in (-190.0, 190.0):
        crease.moveTo(x, 1460)
        crease.lineTo(x * 0.98, _KNEES_Y)
        crease.moveTo(x * 0.5, 1340)
        crease.quadTo(x * 0.25, 1380, x * 0.08, 1400)
    canvas.drawPath(crease, stroke(tone(outfit.legs, 0.74), 3.5))
    belt = skia.Rect(-_WAIST_X - 4, _WAIST_Y - 8, _WAIST_X + 4, _WAIST_Y + 20)
    canvas.drawRect(belt, fill(tone(outfit.legs, 0.6)))


def _neck(canvas: skia.Canvas, skin: Rgb) -> None:
    neck = skia.Path()
    neck.moveTo(-44, _NECK_TOP_Y)
    neck.lineTo(44, _NECK_TOP_Y)
    neck.cubicTo(44, 560, 50, 616, 60, _NECK_BASE_Y)
    neck.lineTo(-60, _NECK_BASE_Y)
    neck.cubicTo(-50, 616, -44, 560, -44, _NECK_TOP_Y)
    neck.close()
    shade(canvas, neck, tone(skin, 0.95), -60, 60)
    canvas.drawOval(skia.Rect(-50, 500, 50, 572), fill(tone(skin, 0.8), 200))


def _open_neckline(canvas: skia.Canvas, look: Look, depth: float) -> None:
    """A crew (shallow curve) or V neckline: the top's fabric up to the edge, a darker trim."""
    top = look.outfit.top
    edge = skia.Path()
    edge.moveTo(-72, 614)
    if look.outfit.neckline == "v":
        edge.lineTo(0, 614 + depth)
        edge.lineTo(72, 614)
        canvas.drawPath(edge, fill(tone(look.skin, 0.93)))
    else:
        edge.quadTo(0, 614 + depth * 2, 72, 614)
    fabric = skia.Path(edge)
    fabric.lineTo(80, 614)
    fabric.lineTo(80, 770)
    fabric.lineTo(-80, 770)
    fabric.lineTo(-80, 614)
    fabric.close()
    canvas.drawPath(fabric, fill(look.outfit.jacket or top))
    canvas.drawPath(edge, stroke(tone(top, 0.74), 10.0))


def _collar(canvas: skia.Canvas, outfit: Outfit) -> None:
    """A shirt between jacket lapels, with collar points and an optional tie."""
    jacket = outfit.jacket or outfit.top
    opening = skia.Path.Polygon([(-90, 614), (0, 940), (90, 614)], True)
    shade(canvas, opening, outfit.top, -90, 90)
    if outfit.tie:
        knot = skia.Path.Polygon([(-16, 656), (16, 656), (10, 688), (-10, 688)], True)
        blade = skia.Path.Polygon([(-10, 688), (10, 688), (24, 890), (0, 926), (-24, 890)], True)
        shade(canvas, blade, outfit.tie, -24, 24)
        canvas.drawPath(knot, fill(tone(outfit.tie, 0.85)))
    flap = skia.Path.Polygon([(-54, 604), (-4, 660), (-16, 702), (-80, 646)], True)
    for shape in (flap, mirrored(flap)):
        canvas.drawPath(shape, fill(tone(outfit.top, 0.97)))
        canvas.drawPath(shape, stroke(tone(outfit.top, 0.76), 3.0))
    lapel = skia.Path.Polygon([(-90, 614), (-128, 700), (-80, 716), (-4, 940)], True)
    for shape in (lapel, mirrored(lapel)):
        canvas.drawPath(shape, fill(tone(jacket, 0.84)))
        canvas.drawPath(shape, stroke(tone(jacket, 0.66), 3.0))


def draw_neck(canvas: skia.Canvas, look: Look) -> None:
    """The neck and whatever the outfit shows around it, in front of the torso."""
    _neck(canvas, look.skin)
    if look.outfit.neckline == "shirt":
        _collar(canvas, look.outfit)
    else:
        _open_neckline(canvas, look, 120.0 if look.outfit.neckline == "v" else 24.0)
