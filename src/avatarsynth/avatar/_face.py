"""The head: hair, face, ears, eyes with lids and irises, brows, nose, cheeks and mouth.

Drawn in head space (pixels at 1080p, origin at the centre of the face). Outlines that only
depend on the look are built once per look (:class:`HeadShapes`); features that move are built
per frame. Turning and nodding slide the features a little against the face outline, which a
flat drawing reads as the head turning.
"""

from __future__ import annotations

from dataclasses import dataclass

import skia

from avatarsynth.avatar._look import Look
from avatarsynth.avatar._mouth import draw_mouth
from avatarsynth.avatar._paint import fill, mirrored, smooth_outline, stroke, tone
from avatarsynth.avatar._pose import FramePose

_EYE_X_PX, _EYE_Y_PX, _BROW_Y_PX, _MOUTH_Y_PX = 46.0, -6.0, -50.0, 100.0
_LASH = (46, 34, 34)


@dataclass(frozen=True)
class HeadShapes:
    """The look's outlines that never change shape: face, its shaded side, ears and hair."""

    face: skia.Path
    face_shade: skia.Path
    ear: skia.Path
    hair_back: skia.Path
    hair_front: skia.Path


def _face_outline(look: Look) -> skia.Path:
    fw, jw = look.face_width_px, look.jaw_width_px
    path = skia.Path()
    path.moveTo(0, -168)
    path.cubicTo(fw * 0.62, -168, fw, -112, fw, -30)
    path.cubicTo(fw, 52, jw, 118, jw * 0.42, 156)
    path.cubicTo(jw * 0.2, 172, -jw * 0.2, 172, -jw * 0.42, 156)
    path.cubicTo(-jw, 118, -fw, 52, -fw, -30)
    path.cubicTo(-fw, -112, -fw * 0.62, -168, 0, -168)
    path.close()
    return path


def head_shapes(look: Look) -> HeadShapes:
    """Build the look's fixed outlines (path boolean operations are too slow per frame)."""
    face = _face_outline(look)
    lit = skia.Path(face)
    lit.transform(skia.Matrix.Translate(-16, -6))
    ear = skia.Path.Oval(skia.Rect(look.face_width_px - 16, -34, look.face_width_px + 16, 34))
    return HeadShapes(
        face=face,
        face_shade=skia.Op(face, lit, skia.PathOp.kDifference_PathOp),
        ear=ear,
        hair_back=smooth_outline(look.hair.back),
        hair_front=smooth_outline(look.hair.front),
    )


def _eye(canvas: skia.Canvas, look: Look, pose: FramePose) -> None:
    """One eye at the origin: white, iris, pupil, highlight, then the upper lid over them."""
    white = skia.Path()
    white.moveTo(-26, 3)
    white.cubicTo(-16, -19, 14, -20, 26, 0)
    white.cubicTo(14, 14, -14, 15, -26, 3)
    white.close()
    canvas.save()
    canvas.clipPath(white, doAntiAlias=True)
    canvas.drawPath(white, fill((252, 250, 248)))
    gx, gy = pose.head.gaze_x * 7, pose.head.gaze_y * 4 + 1
    canvas.drawCircle(gx, gy, 13.5, fill(look.iris))
    canvas.drawCircle(gx, gy, 6.5, fill((26, 20, 22)))
    canvas.drawCircle(gx + 4.5, gy - 5, 3.6, fill((255, 255, 255)))
    lid_y = -20 + 34 * pose.head.eyelids_closed
    lid = skia.Path()
    lid.moveTo(-30, -30)
    lid.lineTo(-30, 3)
    lid.cubicTo(-16, lid_y, 14, lid_y - 1, 30, 0)
    lid.lineTo(30, -30)
    lid.close()
    canvas.drawPath(lid, fill(tone(look.skin, 0.92)))
    canvas.restore()
    lash = skia.Path()
    lash.moveTo(-27, 3)
    lash.cubicTo(-16, lid_y, 14, lid_y - 1, 27, 0)
    canvas.drawPath(lash, stroke(_LASH, 4.5))


def _eyes_and_brows(canvas: skia.Canvas, look: Look, pose: FramePose) -> None:
    brow = skia.Path()
    brow.moveTo(-24, 4)
    brow.quadTo(-2, -9, 24, 0)
    lift = pose.head.brow_raise * 9
    for side in (-1.0, 1.0):
        canvas.save()
        canvas.translate(side * _EYE_X_PX, _EYE_Y_PX)
        canvas.scale(side, 1)
        _eye(canvas, look, pose)
        canvas.translate(0, _BROW_Y_PX - _EYE_Y_PX - lift)
        canvas.drawPath(brow, stroke(tone(look.hair_colour, 0.8), look.brow_weight_px))
        canvas.restore()


def _nose_and_cheeks(canvas: skia.Canvas, look: Look) -> None:
    nose = skia.Path()
    nose.moveTo(2, 22)
    nose.cubicTo(9, 38, 13, 52, -2, 58)
    canvas.drawPath(nose, stroke(tone(look.skin, 0.78), 4.0))
    blush = fill((232, 112, 110), look.blush_alpha)
    canvas.drawCircle(-70, 48, 22, blush)
    canvas.drawCircle(70, 48, 22, blush)


def draw_hair_back(canvas: skia.Canvas, look: Look, shapes: HeadShapes) -> None:
    """The hair behind the head, drawn before the neck so the neck sits in front of it."""
    canvas.drawPath(shapes.hair_back, stroke(tone(look.hair_colour, 0.5), 6.0))
    canvas.drawPath(shapes.hair_back, fill(tone(look.hair_colour, 0.82)))


def draw_head(canvas: skia.Canvas, look: Look, shapes: HeadShapes, pose: FramePose) -> None:
    """The whole head, at the canvas origin, already placed and tilted by the caller."""
    skin, hair = look.skin, look.hair_colour
    if not look.hair.covers_ears:
        canvas.drawPath(shapes.ear, fill(tone(skin, 0.9)))
        canvas.drawPath(mirrored(shapes.ear), fill(tone(skin, 0.9)))
    canvas.drawPath(shapes.face, fill(skin))
    canvas.drawPath(shapes.face_shade, fill(tone(skin, 0.9)))
    canvas.save()
    canvas.translate(pose.head.turn * 10, pose.head.nod * 5)
    _eyes_and_brows(canvas, look, pose)
    _nose_and_cheeks(canvas, look)
    canvas.translate(0, _MOUTH_Y_PX)
    draw_mouth(canvas, look.lips, pose)
    canvas.restore()
    canvas.save()
    canvas.translate(pose.head.turn * 4, 0)
    canvas.drawPath(shapes.hair_front, fill(hair))
    _strands(canvas, shapes.hair_front, hair)
    canvas.drawPath(shapes.hair_front, stroke(tone(hair, 0.5), 3.0))
    canvas.restore()


def _strands(canvas: skia.Canvas, hair_front: skia.Path, colour: tuple[int, int, int]) -> None:
    """Light strands following the skull and darker partings: the hair's volume and flow."""
    canvas.save()
    canvas.clipPath(hair_front, doAntiAlias=True)
    light, dark = stroke(tone(colour, 1.45), 5.0, 150), stroke(tone(colour, 0.62), 3.0, 170)
    for index, radius in enumerate((118.0, 134.0, 150.0, 166.0)):
        arc = skia.Path()
        oval = skia.Rect(-radius * 0.92, -30 - radius, radius * 0.92, -30 + radius)
        arc.addArc(oval, 200 + index * 6, 70 - index * 8)
        canvas.drawPath(arc, light if index % 2 == 0 else dark)
    canvas.restore()
