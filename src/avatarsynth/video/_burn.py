"""Captions burnt into the picture (``subtitleType: hard_embedded``).

Each phrase is drawn once, with skia, into a box of its own size: white bold text on a
translucent dark box, bottom centre, broken into lines that fit 90% of the width, sized from
the picture's height (54 px at 1080p, 18 px at 360p). The box is converted to YUV and alpha
with swscale once per phrase; each frame then only blends that box into its planes, so a
burnt-in caption costs about a millisecond a frame, and nothing when no one is speaking.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import skia

from avatarsynth.errors import EncodeError
from avatarsynth.frame import Box, Frame, YuvConverter, planes
from avatarsynth.video._captions import Caption

_TEXT_HEIGHT = 0.05
"""Font size as a share of the picture height."""
_BOTTOM_MARGIN = 0.06
_MAX_WIDTH = 0.9
_BOX_ALPHA = 160
_FAMILY = "DejaVu Sans"
Weights = npt.NDArray[np.uint16]


@cache
def _typeface() -> skia.Typeface:
    typeface = skia.Typeface(_FAMILY, skia.FontStyle.Bold())
    if typeface.countGlyphs() == 0:
        raise EncodeError("No font is installed to draw burnt-in captions with.")
    return typeface


def _lines(text: str, font: skia.Font, max_width: float) -> list[str]:
    """Words greedily packed into lines no wider than ``max_width`` (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and font.measureText(joined) <= max_width:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def _even(value: float) -> int:
    return int(value) // 2 * 2


@dataclass(frozen=True)
class _Overlay:
    """One phrase's box, ready to blend: where it goes, its YUV planes and alpha (0–255)."""

    box: Box
    yuv: tuple[Weights, Weights, Weights]
    alpha: tuple[Weights, Weights]
    """Full-resolution alpha for Y (and the alpha plane), half-resolution for U and V."""

    def blend(self, frame_planes: list[Frame]) -> None:
        for index, (plane, colour) in enumerate(zip(frame_planes, self.yuv, strict=False)):
            weight = self.alpha[1 if index else 0]
            window = self.box.window(plane, index)
            mixed = (window * (255 - weight) + colour * weight + 127) // 255
            window[...] = mixed.astype(np.uint8)
        if len(frame_planes) == 4:  # a transparent video: the caption is opaque where drawn
            window = self.box.window(frame_planes[3], 3)
            np.maximum(window, self.alpha[0].astype(np.uint8), out=window)


def _draw(lines: list[str], font: skia.Font, width: int, height: int, pad: float) -> Frame:
    """The phrase's box as unpremultiplied RGBA pixels."""
    info = skia.ImageInfo.Make(width, height, skia.kRGBA_8888_ColorType, skia.kUnpremul_AlphaType)
    surface = skia.Surface.MakeRaster(info)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorTRANSPARENT)
    box = skia.Paint(Color=skia.ColorSetARGB(_BOX_ALPHA, 0, 0, 0), AntiAlias=True)
    canvas.drawRoundRect(skia.Rect.MakeWH(width, height), pad, pad, box)
    text = skia.Paint(Color=skia.ColorWHITE, AntiAlias=True)
    line_height = font.getSize() * 1.25
    for row, line in enumerate(lines):
        x = (width - font.measureText(line)) / 2
        baseline = pad + row * line_height + font.getSize()
        canvas.drawString(line, x, baseline, font, text)
    pixels: Frame = surface.makeImageSnapshot().toarray(
        colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType
    )
    return pixels


def _overlay(text: str, width: int, height: int, converter: YuvConverter) -> _Overlay:
    """The phrase laid out for a ``width`` × ``height`` picture and converted."""
    font = skia.Font(_typeface(), max(12.0, round(height * _TEXT_HEIGHT)))
    pad = font.getSize() * 0.4
    lines = _lines(text, font, width * _MAX_WIDTH - 2 * pad)
    box_w = min(width, _even(max(font.measureText(line) for line in lines) + 2 * pad + 2))
    box_h = min(height, _even(len(lines) * font.getSize() * 1.25 + 2 * pad + 2))
    left = _even((width - box_w) / 2)
    top = max(0, _even(height - height * _BOTTOM_MARGIN - box_h))
    converted = converter.convert(_draw(lines, font, box_w, box_h, pad), alpha=True)
    y, u, v, a = (plane.astype(np.uint16) for plane in converted)
    half = a.reshape(box_h // 2, 2, box_w // 2, 2).mean(axis=(1, 3)).round().astype(np.uint16)
    return _Overlay(Box(left, top, left + box_w, top + box_h), (y, u, v), (a, half))


class CaptionBurner:
    """Burns the phrase being spoken into each frame of a video (or of one chunk of it)."""

    def __init__(
        self, captions: Sequence[Caption], width: int, height: int, fps: int, first_frame: int = 0
    ) -> None:
        self.captions = sorted(captions, key=lambda c: c.start_s)
        self.starts = [c.start_s for c in self.captions]
        self.width, self.height, self.fps, self.first_frame = width, height, fps, first_frame
        self._current: tuple[int, _Overlay] | None = None
        self._converter = YuvConverter(EncodeError, keep=1)  # each phrase is converted once

    def _showing(self, index: int) -> int | None:
        """Which caption is on screen at frame ``index`` of this video or chunk."""
        time_s = (self.first_frame + index) / self.fps
        at = bisect.bisect_right(self.starts, time_s) - 1
        if at >= 0 and time_s < self.captions[at].end_s:
            return at
        return None

    def burn(self, frame: Frame, index: int, alpha: bool) -> None:
        """Draw frame ``index``'s caption, if any, into ``frame`` (in place)."""
        showing = self._showing(index)
        if showing is None:
            return
        if self._current is None or self._current[0] != showing:
            text = self.captions[showing].text
            overlay = _overlay(text, self.width, self.height, self._converter)
            self._current = (showing, overlay)
        self._current[1].blend(planes(frame, self.width, self.height, alpha))
