"""RGB → YUV 4:2:0 (BT.709, limited range) for one region of a persistent frame.

Converting a whole 1080p frame costs more than drawing it, so the renderer keeps the last frame
in the encoder's own layout and converts only the boxes it redrew. Frames are I420 in one
array of shape (height × 3/2, width): the Y plane, then U and V, each half-width rows packed two
to a row, which is what ``av.VideoFrame.from_ndarray(..., format="yuv420p")`` reads.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Frame = npt.NDArray[np.uint8]
# BT.709 limited range in 8.8 fixed point; each chroma row sums to zero so grey stays grey.
_Y = np.array([47, 157, 16], dtype=np.int32)
_U = np.array([-26, -86, 112], dtype=np.int32)
_V = np.array([112, -102, -10], dtype=np.int32)


class I420:
    """A frame in I420 layout that boxes of RGBA pixels are written into."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.buffer: Frame = np.zeros((height * 3 // 2, width), dtype=np.uint8)
        quarter = height // 4
        self.y = self.buffer[:height]
        self.u = self.buffer[height : height + quarter].reshape(height // 2, width // 2)
        self.v = self.buffer[height + quarter :].reshape(height // 2, width // 2)

    def write(self, left: int, top: int, rgba: npt.NDArray[np.uint8]) -> None:
        """Convert ``rgba`` (opaque, even width and height) into the frame at (left, top)."""
        rows, cols = rgba.shape[:2]
        rgb = rgba[..., :3].astype(np.int32)
        self.y[top : top + rows, left : left + cols] = (rgb @ _Y + 128 >> 8) + 16
        quad = rgb.reshape(rows // 2, 2, cols // 2, 2, 3).sum(axis=(1, 3))
        top2, left2 = top // 2, left // 2
        window = (slice(top2, top2 + rows // 2), slice(left2, left2 + cols // 2))
        self.u[window] = (quad @ _U + 512 >> 10) + 128
        self.v[window] = (quad @ _V + 512 >> 10) + 128

    def snapshot(self) -> Frame:
        """A copy the caller may keep while this frame goes on changing."""
        return self.buffer.copy()
