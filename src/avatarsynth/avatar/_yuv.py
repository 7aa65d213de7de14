"""The renderer's persistent frame, into which only redrawn boxes are converted.

Converting a whole 1080p frame costs more than drawing it, so the renderer keeps the last frame
in the encoder's own layout (``avatarsynth.frame``) and converts only the boxes it redrew, with
FFmpeg's swscale (about 1 ms for the head's box; numpy arithmetic took 6).
"""

from __future__ import annotations

import numpy as np

from avatarsynth.errors import RenderError
from avatarsynth.frame import Box, Frame, YuvConverter, planes, rows


class I420:
    """A frame in I420 layout (plus an alpha plane, when asked) that boxes are written into."""

    def __init__(self, width: int, height: int, alpha: bool = False) -> None:
        self.width, self.height, self.alpha = width, height, alpha
        self.buffer: Frame = np.zeros((rows(height, alpha), width), dtype=np.uint8)
        self.planes = planes(self.buffer, width, height, alpha)
        self._converter = YuvConverter(RenderError)

    def write(self, box: Box, rgba: Frame) -> None:
        """Convert ``box`` of ``rgba`` (a whole premultiplied frame, height × width × 4)."""
        pixels = rgba[box.top : box.bottom, box.left : box.right]
        if self.alpha:
            pixels = _unpremultiplied(pixels)
        converted = self._converter.convert(pixels, self.alpha)
        for index, (plane, source) in enumerate(zip(self.planes, converted, strict=True)):
            box.window(plane, index)[...] = source

    def snapshot(self) -> Frame:
        """A copy the caller may keep while this frame goes on changing."""
        return self.buffer.copy()


def _unpremultiplied(pixels: Frame) -> Frame:
    """Straight alpha from skia's premultiplied pixels, so edges do not darken when blended."""
    alpha = pixels[..., 3:4].astype(np.uint16)
    rgb = pixels[..., :3].astype(np.uint16) * 255 + alpha // 2
    straight = np.where(alpha > 0, rgb // np.maximum(alpha, 1), 0)
    return np.concatenate([np.minimum(straight, 255).astype(np.uint8), pixels[..., 3:4]], axis=2)
