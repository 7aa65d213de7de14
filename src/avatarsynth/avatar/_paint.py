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
def shaded(rgb: Rgb, x0: float, x1: float) -> skia.Paint:
    """A fill lit from the left: a lighter tone at ``x0`` easing to a shaded one at ``x1``
    (the soft two-tone shading of the whole drawing)."""
    colours = [skia.Color(*tone(rgb, 1.06)), skia.Color(*rgb), skia.Color(*tone(rgb, 0.84))]
    shader = skia.GradientShader.MakeLinear([(x0, 0), (x1, 0)], colours, [0.0, 0.45, 1.0])
    return skia.Paint(AntiAlias=True, Shader=shader)


@lru_cache(maxsize=64)
def sheen(rgb: Rgb) -> skia.Paint:
    """Hair's fill: a soft light on the upper left of the head, darker towards the ends, so
    the hair reads as a mass with volume rather than a flat cut-out (head space)."""
    colours = [skia.Color(*tone(rgb, 1.3)), skia.Color(*rgb), skia.Color(*tone(rgb, 0.72))]
    shader = skia.GradientShader.MakeRadial((-46, -140), 330, colours, [0.0, 0.4, 1.0])
    return skia.Paint(AntiAlias=True, Shader=shader)
