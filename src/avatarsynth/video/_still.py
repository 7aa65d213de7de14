"""Still regions stay bit-identical through the encoder.

A talking head is mostly still, and a viewer (and our tests) expect a face that holds still
in a pause to be perfectly still in the video too. Lossy encoders do not promise that: the
first coding of a still region is only close to the source, and while the source stays the
same the encoder goes on spending spare bits to refine it, so decoded pixels shimmer by a few
levels from frame to frame.

The fix is a feedback loop. Each packet is decoded as soon as it is made (the encoder runs
without lookahead or frame threads, so packet *n* belongs to frame *n*), which gives the
exact picture a player will show. Where a 16×16 block of the next source frame equals the
block before it, the block is replaced by what the player shows: the encoder then sees a block
identical to its reference and codes it as a copy, which decodes to the same pixels again.

Decoding is needed (deblocking beside a moving block can change a still block's pixels, so the
picture cannot be predicted), but the rest is kept cheap, as it runs on every frame of every
video: blocks are compared as 64-bit words folded by OR, and the frame handed on is the decoded
picture itself with only the blocks that *changed* copied in from the source. A talking head
changes a few boxes per frame, so that is a few small copies, not two passes over the frame.
"""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.frame import Frame, planes

_BLOCK = 16


def _changed(a: Frame, b: Frame, block: int) -> npt.NDArray[np.bool_]:
    """Per block of ``block`` × ``block`` pixels (8 or 16): whether ``a`` and ``b`` differ
    there; a last block row of fewer rows counts too."""
    diff = np.bitwise_xor(a.view(np.uint64), b.view(np.uint64))
    if block == 16:
        diff = diff[:, 0::2] | diff[:, 1::2]
    full = diff.shape[0] // block * block
    rows = np.bitwise_or.reduce(diff[:full].reshape(full // block, block, -1), axis=1)
    if full < diff.shape[0]:
        rows = np.vstack([rows, np.bitwise_or.reduce(diff[full:], axis=0)])
    return np.asarray(rows != 0, dtype=np.bool_)


def _runs(flags: npt.NDArray[np.bool_]) -> list[tuple[int, int, int]]:
    """(row, begin, end) of each run of ``True`` along the rows of a grid of flags, found for
    the whole grid at once (a Python loop per row cost more than the comparison)."""
    edged = np.pad(flags, ((0, 0), (1, 1))).astype(np.int8)
    rows, cols = np.nonzero(np.diff(edged, axis=1))
    return list(zip(rows[0::2].tolist(), cols[0::2].tolist(), cols[1::2].tolist(), strict=True))


class StillLock:
    """Holds still blocks to what the decoder showed last, frame after frame."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.previous: Frame | None = None
        self.shown: Frame | None = None
        self.decoder = av.CodecContext.create("h264", "r")
        # Slice threads only: frame threads would hand pictures back frames late.
        self.decoder.thread_type = "SLICE"

    @staticmethod
    def fits(width: int) -> bool:
        """Rows must split into whole 8-pixel words in every plane."""
        return width % _BLOCK == 0

    def _planes(self, frame: Frame) -> list[Frame]:
        return planes(frame, self.width, self.height, alpha=False)

    def prepare(self, source: Frame) -> Frame:
        """The frame to encode: the picture shown last, with the blocks that changed since the
        last source frame taken from ``source``."""
        previous, shown, self.previous = self.previous, self.shown, source
        if previous is None or shown is None:
            return source
        sizes = (_BLOCK, _BLOCK // 2, _BLOCK // 2)
        compared = zip(self._planes(source), self._planes(previous), sizes, strict=True)
        changed = np.logical_or.reduce(
            [_changed(now, before, size) for now, before, size in compared]
        )
        if changed.all():
            return source
        pairs = list(zip(self._planes(shown), self._planes(source), sizes, strict=True))
        for row, begin, end in _runs(changed):
            for out, new, size in pairs:
                rows = slice(row * size, (row + 1) * size)
                cols = slice(begin * size, end * size)
                out[rows, cols] = new[rows, cols]
        return shown

    def learn(
        self, packets: list[av.Packet[av.VideoStream]], extradata: bytes | None, index: int
    ) -> None:
        """Decode frame ``index``'s packets to know exactly what a player shows; if the picture
        is not back yet, nothing is locked on the next frame (never lock to a stale picture)."""
        self.shown = None
        if self.decoder.extradata is None and extradata:
            self.decoder.extradata = extradata
        for packet in packets:
            for decoded in self.decoder.decode(packet):
                if decoded.pts == index:
                    self.shown = np.asarray(decoded.to_ndarray(), dtype=np.uint8)
