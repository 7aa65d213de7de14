"""What a character looks like, as data: colours, face proportions, hair and outfit.

Every character shares one rig (the same head, face and body construction); a ``Look`` says
how to dress it. Hair outlines are points in head space (pixels at 1080p, origin at the centre
of the face, y down) joined by a smooth closed curve, so a new hairstyle is a list of points,
not new drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass

Rgb = tuple[int, int, int]
Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Hair:
    """A hairstyle: the mass behind the head and the part that falls over the forehead."""

    back: Points
    front: Points
    covers_ears: bool = False


@dataclass(frozen=True)
class Outfit:
    """Clothing: the top, an optional jacket and an optional tie; ``neckline`` is crew|v|shirt."""

    top: Rgb
    neckline: str = "crew"
    jacket: Rgb | None = None
    tie: Rgb | None = None


@dataclass(frozen=True)
class Look:
    """One character in one style, everything the renderer needs to draw them."""

    character: str
    style: str
    skin: Rgb
    hair_colour: Rgb
    hair: Hair
    outfit: Outfit
    iris: Rgb = (92, 64, 44)
    lips: Rgb = (196, 104, 100)
    face_width_px: float = 118.0
    jaw_width_px: float = 84.0
    brow_weight_px: float = 9.0
    blush_alpha: int = 44
    standing: bool = False
