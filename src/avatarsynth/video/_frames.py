"""Frames as the encoder receives them, and as it hands them to FFmpeg.

A frame is one uint8 array holding the planes one after another, each row packed:

- opaque, I420 (``yuv420p``): shape (height × 3/2, width): Y, then U and V with two half-width
  rows per row;
- transparent (``yuva420p``): shape (height × 5/2, width): the same, then the alpha plane
  (0 transparent, 255 opaque). PyAV 18's ``VideoFrame.from_ndarray`` does not read
  ``yuva420p``, so :func:`to_video_frame` copies the planes itself.

Cropping and burnt-in captions work on the planes of this layout, before FFmpeg sees them.
"""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.errors import EncodeError
from avatarsynth.video._options import Crop

Frame = npt.NDArray[np.uint8]


def plane_shapes(width: int, height: int, alpha: bool) -> list[tuple[int, int]]:
    """(rows, columns) of Y, U, V and, with ``alpha``, A."""
    chroma = (height // 2, width // 2)
    return [(height, width), chroma, chroma, *([(height, width)] if alpha else [])]


def planes(frame: Frame, width: int, height: int, alpha: bool) -> list[Frame]:
    """Views of the planes of ``frame`` (see the module docstring for its layout)."""
    flat = frame.reshape(-1)
    views, at = [], 0
    for rows, cols in plane_shapes(width, height, alpha):
        views.append(flat[at : at + rows * cols].reshape(rows, cols))
        at += rows * cols
    return views


def has_alpha(frame: Frame, height: int) -> bool:
    """Whether ``frame`` carries an alpha plane, from its number of rows."""
    rows = frame.shape[0]
    if rows not in (height * 3 // 2, height * 5 // 2):
        raise EncodeError(f"A frame of {rows} rows is neither I420 nor I420 with alpha.")
    return bool(rows == height * 5 // 2)


def conform(frame: Frame, width: int, height: int, alpha: bool) -> Frame:
    """``frame`` with an alpha plane exactly when ``alpha``: an opaque frame gets a fully
    opaque plane, a transparent one loses its plane when the file has none."""
    if has_alpha(frame, height) == alpha:
        return frame
    if not alpha:
        return frame[: height * 3 // 2]
    opaque = np.full((height, width), 255, dtype=np.uint8)
    return np.concatenate([frame.reshape(height * 3 // 2, width), opaque])


def cropped(frame: Frame, width: int, height: int, alpha: bool, crop: Crop) -> Frame:
    """A new frame in the same layout holding only ``crop`` (even corner and sides)."""
    box = crop.even()
    parts = []
    for index, plane in enumerate(planes(frame, width, height, alpha)):
        step = 2 if index in (1, 2) else 1
        rows = slice(box.top // step, box.bottom // step)
        cols = slice(box.left // step, box.right // step)
        parts.append(plane[rows, cols].reshape(-1))
    return np.concatenate(parts).reshape(-1, box.width)


def to_video_frame(frame: Frame, width: int, height: int, alpha: bool) -> av.VideoFrame:
    """A PyAV frame of ``frame``'s pixels (``yuva420p`` when ``alpha``)."""
    if not alpha:
        return av.VideoFrame.from_ndarray(frame, format="yuv420p")
    video = av.VideoFrame(width, height, "yuva420p")
    for target, source in zip(video.planes, planes(frame, width, height, True), strict=True):
        rows, cols = source.shape
        view = np.frombuffer(memoryview(target), dtype=np.uint8).reshape(rows, target.line_size)
        view[:, :cols] = source
    return video
