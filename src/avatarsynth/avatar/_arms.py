"""Arms and hands, in body space: a tapered sleeve from the shoulder, a hand with fingers.

Drawn for the presenter's left arm (the viewer's right, x > 0); the right arm is the same
drawing mirrored about the centre line, which is why poses use angles "away from the body".
Every part is drawn twice: first all outlines (wide dark strokes), then all fills, so the
parts of a limb join without seams or joint circles and only the silhouette keeps its line.
A hand is built from its shape (see ``HandShape``): a palm and five fingers, each straight or
curled, so counting, pointing and a thumbs-up are the same drawing with other numbers.
Arms are drawn last, in front of everything, so a waving hand passes in front of the hair.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import skia

from avatarsynth.avatar._look import ArmPose, HandShape, Look, Rgb
from avatarsynth.avatar._paint import fill, stroke, tone

SHOULDER = (390.0, 724.0)
_UPPER_PX, _FORE_PX, _HAND_PX = 270.0, 240.0, 175.0
_WIDTHS = (126.0, 104.0, 76.0)  # at the shoulder, elbow and wrist
_OUTLINE_PX = 3.5
_HAND_SCALE = 1.3  # hand space to body space
# Fingers from the thumb's side: root x in hand space, length, width.
_FINGERS = ((19.0, 56.0, 17.0), (6.0, 62.0, 17.0), (-7.0, 57.0, 16.0), (-19.0, 46.0, 14.0))
_PALM = skia.RRect.MakeRectXY(skia.Rect(-29, -4, 29, 64), 18, 18)

Point = tuple[float, float]


def _along(deg: float, length: float) -> Point:
    rad = math.radians(deg)
    return length * math.sin(rad), length * math.cos(rad)


def joints(pose: ArmPose) -> tuple[Point, Point, Point, Point]:
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
    points = joints(pose)
    xs = [side * x for x, _ in points]
    ys = [y for _, y in points]
    pad = _WIDTHS[0] / 2 + 50
    return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def _outer_x(pose: ArmPose, shape: HandShape) -> float:
    """How far from the centre line the left arm's drawing reaches, its outline included: the
    limbs are round-ended (their widest circles bound them), the hand is measured as drawn."""
    shoulder, elbow, wrist, _ = joints(pose)
    limbs = max(x + w / 2 for (x, _), w in zip((shoulder, elbow, wrist), _WIDTHS, strict=True))
    placed = skia.Matrix()
    placed.setTranslate(*wrist)
    placed.preRotate(-(pose.fore + pose.hand))
    placed.preScale(-_HAND_SCALE if shape.flip else _HAND_SCALE, _HAND_SCALE)
    hand = skia.Path(_hand_outline(shape))
    hand.transform(placed)
    right: float = hand.computeTightBounds().right()
    return max(limbs, right) + _OUTLINE_PX


_FIT_STEPS = 14  # halvings of the angle: well under a body pixel


@lru_cache(maxsize=1024)
def within(pose: ArmPose, shape: HandShape, limit_x: float) -> ArmPose:
    """``pose``, or where its drawing would reach beyond ``limit_x`` (body space, from the
    centre line), the same arm with the elbow drawn in: the upper arm lowered towards the side
    by the least angle that brings the arm in, the forearm and the hand pointing as before. A
    point or an open hand still reads as itself, held closer to the body; two gestures that
    differ in the forearm or the hand still differ; the angle found is continuous in the pose,
    so an arm moving through the frame's edge moves smoothly (an elbow above the shoulder, which
    no wide gesture holds, is searched from shoulder height down)."""
    if pose.upper <= 0.0 or _outer_x(pose, shape) <= limit_x:
        return pose

    def lowered(upper: float) -> ArmPose:
        return ArmPose(upper, pose.fore, pose.hand, pose.shape)

    low, high = 0.0, min(pose.upper, 90.0)  # the arm reaches further the higher the elbow
    if _outer_x(lowered(low), shape) > limit_x:
        return lowered(low)
    for _ in range(_FIT_STEPS):
        mid = (low + high) / 2
        if _outer_x(lowered(mid), shape) <= limit_x:
            low = mid
        else:
            high = mid
    return lowered(low)


def _limb(a: Point, b: Point, width_a: float, width_b: float) -> skia.Path:
    """A tapered segment with round ends."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    path = skia.Path.Polygon(
        [
            (a[0] + nx * width_a / 2, a[1] + ny * width_a / 2),
            (b[0] + nx * width_b / 2, b[1] + ny * width_b / 2),
            (b[0] - nx * width_b / 2, b[1] - ny * width_b / 2),
            (a[0] - nx * width_a / 2, a[1] - ny * width_a / 2),
        ],
        True,
    )
    ends = [skia.Path.Circle(*a, width_a / 2), skia.Path.Circle(*b, width_b / 2)]
    return _union([path, *ends])


def _twice(canvas: skia.Canvas, parts: list[tuple[skia.Path, skia.Paint, Rgb]]) -> None:
    """Outlines of all ``parts`` first, then their fills: one silhouette line around them."""
    for path, _, colour in parts:
        canvas.drawPath(path, stroke(tone(colour, 0.62), 2 * _OUTLINE_PX))
    for path, paint, _ in parts:
        canvas.drawPath(path, paint)


def _shade_side(a: Point, b: Point, width_a: float, width_b: float) -> skia.Path:
    """The outer half of a limb (away from the centre line), for its shaded side."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if nx < 0:
        nx, ny = -nx, -ny
    qa, qb = width_a / 4, width_b / 4
    return _limb((a[0] + nx * qa, a[1] + ny * qa), (b[0] + nx * qb, b[1] + ny * qb), 2 * qa, 2 * qb)


def _union(paths: list[skia.Path]) -> skia.Path:
    """One outline around overlapping parts (or, where skia's boolean operation gives up on
    a rare degenerate pose, the parts filled together)."""
    builder = skia.OpBuilder()
    for path in paths:
        builder.add(path, skia.PathOp.kUnion_PathOp)
    try:
        return builder.resolve()
    except RuntimeError:
        merged = skia.Path()
        for path in paths:
            merged.addPath(path)
        merged.setFillType(skia.PathFillType.kWinding)
        return merged


def _finger(root: Point, angle_deg: float, length: float, width: float) -> skia.Path:
    tip = (
        root[0] + length * math.sin(math.radians(angle_deg)),
        root[1] + length * math.cos(math.radians(angle_deg)),
    )
    return _limb(root, tip, width, width * 0.86)


@cache
def _hand_outline(shape: HandShape) -> skia.Path:
    flat, standing = _hand_parts(shape)
    return _union(flat + standing)


@cache
def _hand_parts(shape: HandShape) -> tuple[list[skia.Path], list[skia.Path]]:
    """The hand in hand space (wrist at the origin, fingers along +y, thumb towards +x): the
    palm with curled fingers, and the fingers that stand out of it."""
    thumb_e, *finger_e = shape.fingers
    flat: list[skia.Path] = [skia.Path().addRRect(_PALM)]
    standing: list[skia.Path] = []
    for index, ((x, length, width), extension) in enumerate(zip(_FINGERS, finger_e, strict=True)):
        angle = shape.spread_deg * (1.5 - index)
        shown = length * (0.22 + 0.78 * extension)
        path = _finger((x, 56.0), angle, shown, width)
        (standing if extension > 0.5 else flat).append(path)
    thumb_angle = shape.thumb_deg if thumb_e > 0.4 else -50.0
    thumb = _finger((24.0, 14.0), thumb_angle, 50.0 * (0.35 + 0.65 * thumb_e), 19.0)
    (standing if thumb_e > 0.4 else flat).append(thumb)
    return flat, standing


def _hand(canvas: skia.Canvas, look: Look, pose: ArmPose, wrist: Point) -> None:
    """The hand at the wrist, turned so its fingers continue the forearm, bent by ``pose.hand``."""
    shape = look.hands[pose.shape]
    skin, line = look.skin, tone(look.skin, 0.62)
    canvas.save()
    canvas.translate(*wrist)
    canvas.rotate(-(pose.fore + pose.hand))
    canvas.scale(-_HAND_SCALE if shape.flip else _HAND_SCALE, _HAND_SCALE)
    _, standing = _hand_parts(shape)
    _twice(canvas, [(_hand_outline(shape), fill(skin), skin)])
    for path in standing:  # a thin line keeps neighbouring fingers apart
        canvas.drawPath(path, stroke(line, 1.4, 140))
    canvas.restore()


@lru_cache(maxsize=256)
def _arm_paths(pose: ArmPose) -> tuple[skia.Path, skia.Path]:
    """The arm's outline and its shaded side, for a pose (cached: poses repeat while held)."""
    shoulder, elbow, wrist, _ = joints(pose)
    w_shoulder, w_elbow, w_wrist = _WIDTHS
    upper = _limb(shoulder, elbow, w_shoulder, w_elbow)
    fore = _limb(elbow, wrist, w_elbow, w_wrist)
    shaded = _union(
        [
            _shade_side(shoulder, elbow, w_shoulder, w_elbow),
            _shade_side(elbow, wrist, w_elbow, w_wrist),
        ]
    )
    return _union([upper, fore]), shaded


def _arm(canvas: skia.Canvas, look: Look, pose: ArmPose) -> None:
    x0, y0, x1, y1 = reach(pose, 1.0)
    if canvas.quickReject(skia.Rect(x0, y0, x1, y1)):  # outside the box being redrawn
        return
    shoulder, elbow, wrist, _ = joints(pose)
    w_shoulder = _WIDTHS[0]
    sleeve = look.outfit.sleeve
    bare = look.outfit.sleeves == "short"
    cloth = tone(look.skin, 0.97) if bare else sleeve
    arm, shaded = _arm_paths(pose)
    _twice(canvas, [(arm, fill(cloth), cloth)])
    canvas.save()
    canvas.clipPath(arm, doAntiAlias=True)
    canvas.drawPath(shaded, fill(tone(cloth, 0.88)))
    canvas.restore()
    if bare:
        mid = (shoulder[0] * 0.45 + elbow[0] * 0.55, shoulder[1] * 0.45 + elbow[1] * 0.55)
        cuff = _limb(shoulder, mid, w_shoulder + 6, _WIDTHS[1] + 12)
        _twice(canvas, [(cuff, fill(sleeve), sleeve)])
    # The shoulder joins the trunk: no outline where the sleeve meets it.
    canvas.drawCircle(*shoulder, w_shoulder / 2 + 1, fill(sleeve))
    _hand(canvas, look, pose, wrist)


def draw_arms(canvas: skia.Canvas, look: Look, left: ArmPose, right: ArmPose) -> None:
    """Both arms: the left as drawn, the right mirrored about the centre line."""
    _arm(canvas, look, left)
    canvas.save()
    canvas.scale(-1, 1)
    _arm(canvas, look, right)
    canvas.restore()
