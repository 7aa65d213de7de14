"""RGBA → YUV 4:2:0 (BT.709, limited range) for one region of a persistent frame.

Converting a whole 1080p frame costs more than drawing it, so the renderer keeps the last frame
in the encoder's own layout and converts only the boxes it redrew, with FFmpeg's swscale (about
1 ms for the head's box; numpy arithmetic took 6). A frame is one array of shape
(height × 3/2, width): the Y plane, then U and V, each half-width rows packed two to a row, which
is what ``av.VideoFrame.from_ndarray(..., format="yuv420p")`` reads. A frame over a
transparent backdrop has the alpha plane appended: shape (height × 5/2, width), yuva420p.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.avatar._scene import Box
from avatarsynth.errors import RenderError

Frame = npt.NDArray[np.uint8]


class I420:
    """A frame in I420 layout (plus an alpha plane, when asked) that boxes are written into."""

    def __init__(self, width: int, height: int, alpha: bool = False) -> None:
        self.width, self.height, self.alpha = width, height, alpha
        rows = height * 5 // 2 if alpha else height * 3 // 2
        self.buffer: Frame = np.zeros((rows, width), dtype=np.uint8)
        self.planes = planes(self.buffer, width, height)
        self._converters = _Converters()

    def write(self, box: Box, rgba: Frame) -> None:
        """Convert ``box`` of ``rgba`` (a whole premultiplied frame, height × width × 4)."""
        pixels = rgba[box.top : box.bottom, box.left : box.right]
        if self.alpha:
            pixels = _unpremultiplied(pixels)
        converted = self._converters.convert(pixels, "yuva420p" if self.alpha else "yuv420p")
        for index, (plane, source) in enumerate(zip(self.planes, converted, strict=True)):
            sub = 2 if index in (1, 2) else 1
            plane[box.top // sub : box.bottom // sub, box.left // sub : box.right // sub] = source

    def snapshot(self) -> Frame:
        """A copy the caller may keep while this frame goes on changing."""
        return self.buffer.copy()


def planes(frame: Frame, width: int, height: int) -> tuple[Frame, ...]:
    """Views of the Y, U, V (and A, if the frame has it) planes of a frame array."""
    chroma = (height // 2) * (width // 2)
    flat = frame.reshape(-1)
    luma = width * height
    views = [
        flat[:luma].reshape(height, width),
        flat[luma : luma + chroma].reshape(height // 2, width // 2),
        flat[luma + chroma : luma + 2 * chroma].reshape(height // 2, width // 2),
    ]
    if flat.size > luma + 2 * chroma:
        views.append(flat[luma + 2 * chroma :].reshape(height, width))
    return tuple(views)


def _unpremultiplied(pixels: Frame) -> Frame:
    """Straight alpha from skia's premultiplied pixels, so edges do not darken when blended."""
    alpha = pixels[..., 3:4].astype(np.uint16)
    rgb = pixels[..., :3].astype(np.uint16) * 255 + alpha // 2
    straight = np.where(alpha > 0, rgb // np.maximum(alpha, 1), 0)
    return np.concatenate([np.minimum(straight, 255).astype(np.uint8), pixels[..., 3:4]], axis=2)


def _rows(plane: av.video.plane.VideoPlane, bytes_per_pixel: int = 1) -> Frame:
    """A plane's memory as rows of bytes, line padding cut off."""
    rows = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(-1, plane.line_size)
    return rows[: plane.height, : plane.width * bytes_per_pixel]


class _Converters:
    """One RGBA frame per box size, kept: a frame keeps its swscale context, and building a
    new context costs several times more than the conversion itself (≈1.5 ms against 0.4)."""

    _KEEP = 32

    def __init__(self) -> None:
        self._frames: dict[tuple[int, int], tuple[av.VideoFrame, Frame]] = {}

    def _frame(self, width: int, height: int) -> tuple[av.VideoFrame, Frame]:
        key = (width, height)
        if key not in self._frames:
            if len(self._frames) >= self._KEEP:
                self._frames.pop(next(iter(self._frames)))
            with _ffmpeg(f"allocate a {width}×{height} frame"):
                frame = av.VideoFrame(width, height, "rgba")
            self._frames[key] = (frame, _rows(frame.planes[0], 4).reshape(height, width, 4))
        return self._frames[key]

    def convert(self, pixels: Frame, pixel_format: str) -> list[Frame]:
        """swscale's conversion of RGBA pixels, as one array per plane."""
        height, width = pixels.shape[:2]
        frame, view = self._frame(width, height)
        view[...] = pixels
        with _ffmpeg("convert a frame to YUV"):
            converted = frame.reformat(
                format=pixel_format, dst_colorspace="ITU709", dst_color_range="MPEG"
            )
            return [_rows(plane) for plane in converted.planes]


@contextmanager
def _ffmpeg(action: str) -> Iterator[None]:
    """The one place this package turns PyAV's errors into :class:`RenderError`."""
    try:
        yield
    except (av.FFmpegError, ValueError) as exc:
        raise RenderError(f"Could not {action}: {exc}") from exc
