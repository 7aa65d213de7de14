"""The frame the renderer draws and the encoder reads, and what both need to handle it.

A frame is one uint8 array holding the planes one after another, each row packed:

- opaque, I420 (``yuv420p``): shape (height × 3/2, width): the Y plane, then U and V with two
  half-width rows per row, which is what ``av.VideoFrame.from_ndarray(..., format="yuv420p")``
  reads;
- transparent (``yuva420p``): shape (height × 5/2, width): the same, then the alpha plane
  (0 transparent, 255 opaque).

Pixels are BT.709, limited range. ``avatar`` writes frames and ``video`` encodes them; neither
may import the other, so the layout, the even-edged :class:`Box` that 4:2:0 chroma needs, the
RGBA → YUV conversion both use, the one adapter of PyAV's errors and the ``#rrggbb`` colour
parser live here, at the bottom of the tree: this module imports no other avatarsynth module.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt

Frame = npt.NDArray[np.uint8]
ErrorType = Callable[[str], Exception]
"""How a caller's stage reports a failure (``RenderError``, ``EncodeError``)."""

_CHROMA = (1, 2)
"""Indices of the half-resolution planes (U and V)."""


def rows(height: int, alpha: bool) -> int:
    """Rows of a frame array: 3/2 of the picture's height, 5/2 with an alpha plane."""
    return height * 5 // 2 if alpha else height * 3 // 2


def plane_shapes(width: int, height: int, alpha: bool) -> list[tuple[int, int]]:
    """(rows, columns) of Y, U, V and, with ``alpha``, A."""
    chroma = (height // 2, width // 2)
    return [(height, width), chroma, chroma, *([(height, width)] if alpha else [])]


def planes(frame: Frame, width: int, height: int, alpha: bool) -> list[Frame]:
    """Views of the planes of ``frame`` (see the module docstring for its layout)."""
    flat = frame.reshape(-1)
    views, at = [], 0
    for plane_rows, cols in plane_shapes(width, height, alpha):
        views.append(flat[at : at + plane_rows * cols].reshape(plane_rows, cols))
        at += plane_rows * cols
    return views


@dataclass(frozen=True)
class Box:
    """A pixel rectangle of a frame: corners, right and bottom exclusive. Boxes that 4:2:0
    planes hold have even edges (see :meth:`even`)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def empty(self) -> bool:
        """Whether the box holds no pixel (it lies outside the frame)."""
        return self.right <= self.left or self.bottom <= self.top

    def even(self) -> Box:
        """The box that 4:2:0 video can hold: even corner, even sides (rounded down)."""
        left, top = self.left - self.left % 2, self.top - self.top % 2
        width, height = (self.right - left) // 2 * 2, (self.bottom - top) // 2 * 2
        return Box(left, top, left + width, top + height)

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def snapped(self, grid: int, width: int, height: int) -> Box:
        """Grown outwards to multiples of ``grid`` (within the frame): boxes that move with an
        arm then come in a few sizes, and each size keeps its converter."""
        return Box(
            self.left // grid * grid,
            self.top // grid * grid,
            min(width, -(-self.right // grid) * grid),
            min(height, -(-self.bottom // grid) * grid),
        )

    def window(self, plane: Frame, index: int) -> Frame:
        """This (even) box's view of plane ``index`` of a frame (U and V are half size)."""
        step = 2 if index in _CHROMA else 1
        return plane[self.top // step : self.bottom // step, self.left // step : self.right // step]


@contextmanager
def pyav_errors(action: str, error: ErrorType) -> Iterator[None]:
    """The one place PyAV's errors are translated: into ``error("Could not <action>: …")``,
    with FFmpeg's reason but never the file name its errors carry (a server path)."""
    try:
        yield
    except (av.FFmpegError, ValueError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise error(f"Could not {action}: {reason}.") from exc


def _plane_rows(plane: av.video.plane.VideoPlane, bytes_per_pixel: int = 1) -> Frame:
    """A plane's memory as rows of bytes, line padding cut off."""
    lines = np.frombuffer(memoryview(plane), dtype=np.uint8).reshape(-1, plane.line_size)
    return lines[: plane.height, : plane.width * bytes_per_pixel]


class YuvConverter:
    """swscale's RGBA → YUV 4:2:0 (BT.709, limited range), with an alpha plane when asked.

    Converting a box costs less than building swscale's context for it (≈0.4 ms against 1.5),
    and a frame keeps its context, so one RGBA frame per box size is kept (up to ``keep``).
    """

    def __init__(self, error: ErrorType, keep: int = 32) -> None:
        self._error, self._keep = error, keep
        self._frames: dict[tuple[int, int], tuple[av.VideoFrame, Frame]] = {}

    def _frame(self, width: int, height: int) -> tuple[av.VideoFrame, Frame]:
        key = (width, height)
        if key not in self._frames:
            if len(self._frames) >= self._keep:
                self._frames.pop(next(iter(self._frames)))
            with pyav_errors(f"allocate a {width}×{height} frame", self._error):
                frame = av.VideoFrame(width, height, "rgba")
            view = _plane_rows(frame.planes[0], 4).reshape(height, width, 4)
            self._frames[key] = (frame, view)
        return self._frames[key]

    def convert(self, pixels: Frame, alpha: bool) -> list[Frame]:
        """Y, U, V (and A) planes of straight-alpha RGBA ``pixels`` (height × width × 4),
        as views that the next conversion of the same size overwrites."""
        height, width = pixels.shape[:2]
        frame, view = self._frame(width, height)
        view[...] = pixels
        with pyav_errors("convert a frame to YUV", self._error):
            converted = frame.reformat(
                format="yuva420p" if alpha else "yuv420p",
                dst_colorspace="ITU709",
                dst_color_range="MPEG",
            )
            return [_plane_rows(plane) for plane in converted.planes]


def rgb(text: str) -> tuple[int, int, int]:
    """``#rrggbb`` (either case) → (r, g, b); ``ValueError`` for anything else."""
    r, g, b = _colour_bytes(text, 3)
    return (r, g, b)


def rgba(text: str) -> tuple[int, int, int, int]:
    """``#rrggbbaa`` (either case) → (r, g, b, a); ``ValueError`` for anything else."""
    r, g, b, a = _colour_bytes(text, 4)
    return (r, g, b, a)


def _colour_bytes(text: str, count: int) -> list[int]:
    digits = text.removeprefix("#")
    if not text.startswith("#") or len(digits) != 2 * count or not set(digits) <= _HEX:
        raise ValueError(f"'{text}' is not a #{'rrggbbaa'[: 2 * count]} colour")
    return [int(digits[i : i + 2], 16) for i in range(0, 2 * count, 2)]


_HEX = set(string.hexdigits)
