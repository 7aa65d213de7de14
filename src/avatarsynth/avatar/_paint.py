"""Small drawing helpers over skia: colours, fills, strokes and smooth outlines."""

from __future__ import annotations

from functools import lru_cache

import skia

from avatarsynth.avatar._look import Points, Rgb


def tone(rgb: Rgb, factor: float) -> Rgb:
    """A darker (factor < 1) or lighter (factor > 1, towards white) version of a colour."""
    if factor <= 1.0:
        r, g, b = (round(c * factor) for c in rgb)
        return (r, g, b)
    lift = factor - 1.0
    r, g, b = (round(c + (255 - c) * lift) for c in rgb)
    return (r, g, b)


@lru_cache(maxsize=512)
def fill(rgb: Rgb, alpha: int = 255) -> skia.Paint:
    """An anti-aliased fill (cached: the rig asks for the same few colours every frame)."""
    return skia.Paint(AntiAlias=True, Color=skia.Color(*rgb, alpha))


@lru_cache(maxsize=512)
def stroke(rgb: Rgb, width_px: float, alpha: int = 255) -> skia.Paint:
    """An anti-aliased stroke with round ends, the one line style of the whole drawing."""
    return skia.Paint(
        AntiAlias=True,
        Color=skia.Color(*rgb, alpha),
        Style=skia.Paint.kStroke_Style,
        StrokeWidth=width_px,
        StrokeCap=skia.Paint.kRound_Cap,
        StrokeJoin=skia.Paint.kRound_Join,
    )


def smooth_outline(points: Points) -> skia.Path:
    """A closed Catmull-Rom curve through ``points``: an outline a designer can edit as data."""
    path = skia.Path()
    count = len(points)
    path.moveTo(*points[0])
    for i in range(count):
        p0, p1 = points[i - 1], points[i]
        p2, p3 = points[(i + 1) % count], points[(i + 2) % count]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        path.cubicTo(*c1, *c2, *p2)
    path.close()
    return path


def mirrored(path: skia.Path) -> skia.Path:
    """The same path flipped left to right about x = 0."""
    flipped = skia.Path(path)
    flipped.transform(skia.Matrix.Scale(-1, 1))
    return flipped


@lru_cache(maxsize=256)
def _crescents(serialized: bytes, depth: float) -> tuple[skia.Path, skia.Path]:
    """The shaded side of a shape (what a copy moved left by ``depth`` leaves uncovered) and
    a narrower lit rim on its left; path boolean operations are slow, so they are cached by
    the shape's bytes (a body's shapes are the same every frame, or one of a few)."""
    path = skia.Path()
    path.readFromMemory(serialized)
    moved = skia.Path(path)
    moved.transform(skia.Matrix.Translate(-depth, 0))
    shaded = skia.Op(path, moved, skia.PathOp.kDifference_PathOp)
    moved = skia.Path(path)
    moved.transform(skia.Matrix.Translate(depth * 0.35, 0))
    return shaded, skia.Op(path, moved, skia.PathOp.kDifference_PathOp)


def shade(canvas: skia.Canvas, path: skia.Path, rgb: Rgb, x0: float, x1: float) -> None:
    """Fill ``path`` lit from the left: a band of shade following its right contour, a lit
    rim along its left one (the soft two-tone shading of the whole drawing). ``x0``..``x1``
    is the width the shading is sized on. Flat fills: a gradient shader cost ~10 ms a shape
    at 1080p in skia's raster back end."""
    shaded, lit = _crescents(bytes(path.serialize()), round(0.22 * (x1 - x0), 1))
    canvas.drawPath(path, fill(rgb))
    canvas.drawPath(shaded, fill(tone(rgb, 0.88)))
    canvas.drawPath(lit, fill(tone(rgb, 1.06)))
