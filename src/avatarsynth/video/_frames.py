"""Frames (``avatarsynth.frame``) as the encoder receives them, and as it hands them to FFmpeg.

Cropping and burnt-in captions work on the planes of the frame layout, before FFmpeg sees them.
PyAV 18's ``VideoFrame.from_ndarray`` does not read ``yuva420p``, so :func:`to_video_frame`
copies the planes itself.
"""

from __future__ import annotations

import av
import numpy as np

from avatarsynth.errors import EncodeError
from avatarsynth.frame import Box, Frame, planes, rows


def checked(frame: Frame, height: int, alpha: bool) -> Frame:
    """``frame``, once its rows say it is in the file's layout: I420, with the alpha plane
    exactly when the file has one. The request decides transparency once, for the backdrop
    that draws the frames and for the encoder, so a frame that differs is a caller's mistake
    and is refused rather than silently padded or cut."""
    count = frame.shape[0]
    if count != rows(height, alpha):
        layout = "I420 with an alpha plane" if alpha else "I420"
        raise EncodeError(f"A frame of {count} rows is not {layout} of height {height}.")
    return frame


def cropped(frame: Frame, width: int, height: int, alpha: bool, crop: Box) -> Frame:
    """A new frame in the same layout holding only ``crop`` (even corner and sides)."""
    box = crop.even()
    views = planes(frame, width, height, alpha)
    parts = [box.window(plane, index).reshape(-1) for index, plane in enumerate(views)]
    return np.concatenate(parts).reshape(-1, box.width)


def to_video_frame(frame: Frame, width: int, height: int, alpha: bool) -> av.VideoFrame:
    """A PyAV frame of ``frame``'s pixels (``yuva420p`` when ``alpha``)."""
    if not alpha:
        return av.VideoFrame.from_ndarray(frame, format="yuv420p")
    video = av.VideoFrame(width, height, "yuva420p")
    for target, source in zip(video.planes, planes(frame, width, height, True), strict=True):
        count, cols = source.shape
        view = np.frombuffer(memoryview(target), dtype=np.uint8).reshape(count, target.line_size)
        view[:, :cols] = source
    return video
