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
"""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

from avatarsynth.frame import Frame, planes

_BLOCK = 16


def _words(plane: Frame) -> npt.NDArray[np.uint64]:
    """A plane seen as 8-pixel words: comparing and copying words is 8× fewer operations."""
    return plane.view(np.uint64)


def _changed(a: Frame, b: Frame, block: int) -> npt.NDArray[np.bool_]:
    """Per block of ``block`` × ``block`` pixels: whether ``a`` and ``b`` differ there."""
    differs = _words(a) != _words(b)
    rows = differs.shape[0]
    differs = np.pad(differs, ((0, -rows % block), (0, 0)))
    grid = differs.reshape(differs.shape[0] // block, block, -1, block // 8)
    return np.asarray(grid.any(axis=(1, 3)), dtype=np.bool_)


def _copy_blocks(out: Frame, screen: Frame, still: npt.NDArray[np.bool_], block: int) -> None:
    """Copy the still blocks of ``screen`` into ``out``, a word at a time."""
    mask = np.repeat(np.repeat(still, block, axis=0), block // 8, axis=1)[: out.shape[0]]
    np.copyto(_words(out), _words(screen), where=mask)


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
        """The frame to encode: ``source`` with its unchanged blocks taken from the screen."""
        previous, shown, self.previous = self.previous, self.shown, source
        if previous is None or shown is None:
            return source
        sizes = (_BLOCK, _BLOCK // 2, _BLOCK // 2)
        planes = zip(self._planes(source), self._planes(previous), sizes, strict=True)
        still = ~np.logical_or.reduce([_changed(now, before, size) for now, before, size in planes])
        if not still.any():
            return source
        result = source.copy()
        for out, screen, size in zip(self._planes(result), self._planes(shown), sizes, strict=True):
            _copy_blocks(out, screen, still, size)
        return result

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
