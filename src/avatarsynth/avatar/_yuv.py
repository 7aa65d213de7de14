"""RGB → YUV 4:2:0 (BT.709, limited range) for one region of a persistent frame.

Converting a whole 1080p frame costs more than drawing it, so the renderer keeps the last frame
in the encoder's own layout and converts only the boxes it redrew, with FFmpeg's swscale (about
1 ms for the head's box; numpy arithmetic took 6). Frames are I420 in one array of shape
(height × 3/2, width): the Y plane, then U and V, each half-width rows packed two to a row,
which is what ``av.VideoFrame.from_ndarray(..., format="yuv420p")`` reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import av
import numpy as np
import numpy.typing as npt
import skia

from avatarsynth.errors import RenderError

Frame = npt.NDArray[np.uint8]


class I420:
    """A frame in I420 layout that boxes of RGBA pixels are written into."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.buffer: Frame = np.zeros((height * 3 // 2, width), dtype=np.uint8)
        self.y, self.u, self.v = _planes(self.buffer, width, height)

    def write(self, left: int, top: int, rgba: av.VideoFrame) -> None:
        """Convert ``rgba`` (opaque, even sides) into this frame with its corner at (left, top)."""
        rows, cols = rgba.height, rgba.width
        y, u, v = _planes(_to_i420(rgba), cols, rows)
        self.y[top : top + rows, left : left + cols] = y
        window = (slice(top // 2, (top + rows) // 2), slice(left // 2, (left + cols) // 2))
        self.u[window] = u
        self.v[window] = v

    def snapshot(self) -> Frame:
        """A copy the caller may keep while this frame goes on changing."""
        return self.buffer.copy()


def _planes(i420: Frame, width: int, height: int) -> tuple[Frame, Frame, Frame]:
    """Views of the Y, U and V planes of an I420 array."""
    chroma = (height // 2) * (width // 2)
    flat = i420.reshape(-1)
    y = flat[: width * height].reshape(height, width)
    u = flat[width * height : width * height + chroma].reshape(height // 2, width // 2)
    v = flat[width * height + chroma :].reshape(height // 2, width // 2)
    return y, u, v


def rgba_canvas(width: int, height: int) -> tuple[av.VideoFrame, skia.Surface]:
    """An RGBA frame and a premultiplied skia surface drawing straight into its memory, so a
    redrawn box goes to swscale without a copy."""
    with _ffmpeg(f"allocate a {width}×{height} frame"):
        frame = av.VideoFrame(width, height, "rgba")
    plane = frame.planes[0]
    info = skia.ImageInfo.Make(width, height, skia.kRGBA_8888_ColorType, skia.kPremul_AlphaType)
    return frame, skia.Surface.MakeRasterDirect(info, memoryview(plane), plane.line_size)


def _to_i420(rgba: av.VideoFrame) -> Frame:
    with _ffmpeg("convert a frame to YUV"):
        converted = rgba.reformat(format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG")
        result: Frame = np.asarray(converted.to_ndarray(), dtype=np.uint8)
    return result


@contextmanager
def _ffmpeg(action: str) -> Iterator[None]:
    """The one place this package turns PyAV's errors into :class:`RenderError`."""
    try:
        yield
    except (av.FFmpegError, ValueError) as exc:
        raise RenderError(f"Could not {action}: {exc}") from exc
