"""A registered portrait: the photo framed as a square plate, and what was measured on it once.

Everything a render needs is here as plain arrays, computed at registration, so a job only
loads them. A portrait travels as one compressed ``.npz`` (``to_bytes``/``from_bytes``) and
shows as a PNG preview.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import skia

from avatarsynth.errors import RenderError
from avatarsynth.photo._landmarks import Image, Points

_FORMAT = 1


@dataclass(frozen=True, eq=False)
class Portrait:
    """A face ready to talk; all images are plate-sized (side × side)."""

    rgb: Image
    """The framed photo, head and shoulders, (side, side, 3)."""
    person: Image
    """How much each pixel is the person and not the background, 0–255 (side, side)."""
    landmarks: Points
    """(478, 2) face mesh points in plate pixels."""
    closed_eyes: Image
    """``rgb`` with both eyes shut (lids drawn over), cross-faded in for blinks."""
    interior: Image
    """The portrait's own mouth interior (its teeth, where the photo shows them) as RGBA:
    transparent wherever the lips were closed."""
    cavity_rgb: tuple[int, int, int]
    """The colour of the inside of the mouth where nothing shows: a dark shade of the lips."""

    @property
    def side(self) -> int:
        """The plate's width and height in pixels."""
        return int(self.rgb.shape[0])

    def to_bytes(self) -> bytes:
        """The portrait as one compressed ``.npz`` file."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            format=np.int32(_FORMAT),
            rgb=self.rgb,
            person=self.person,
            landmarks=self.landmarks,
            closed_eyes=self.closed_eyes,
            interior=self.interior,
            cavity_rgb=np.array(self.cavity_rgb, dtype=np.uint8),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Portrait:
        """Read back what :meth:`to_bytes` wrote."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                if int(arrays["format"]) != _FORMAT:
                    raise RenderError("The portrait was registered by another version.")
                r, g, b = (int(v) for v in arrays["cavity_rgb"])
                return cls(
                    rgb=arrays["rgb"],
                    person=arrays["person"],
                    landmarks=arrays["landmarks"],
                    closed_eyes=arrays["closed_eyes"],
                    interior=arrays["interior"],
                    cavity_rgb=(r, g, b),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise RenderError("The portrait's stored data is unreadable.") from exc

    def preview_png(self) -> bytes:
        """The framed photo as PNG."""
        rgba = np.dstack([self.rgb, np.full(self.rgb.shape[:2], 255, np.uint8)])
        image = skia.Image.fromarray(
            np.ascontiguousarray(rgba), colorType=skia.kRGBA_8888_ColorType
        )
        return bytes(image.encodeToData(skia.EncodedImageFormat.kPNG, 100))
