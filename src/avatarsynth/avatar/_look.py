"""What a character looks like, as data: colours, face proportions, hair, outfit and gestures.

Every character shares one rig (the same head, face, body and arm construction); a ``Look``
says how to dress and pose it. The looks are read from the TOML files in ``data/`` (see
``_catalog``): a new character or style is a data file, not new drawing code. Outlines are
points in design space (pixels at 1080p, y down) joined by a smooth closed curve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Clothing: the top, an optional jacket and tie, sleeves, and what covers the legs.

    ``neckline`` is crew, v or shirt; ``sleeves`` long or short; ``legs`` (trousers, or a skirt
    when ``skirt``) only shows when the presenter stands.
    """

    top: Rgb
    neckline: str = "crew"
    jacket: Rgb | None = None
    tie: Rgb | None = None
    sleeves: str = "long"
    legs: Rgb = (58, 62, 74)
    skirt: bool = False

    @property
    def sleeve(self) -> Rgb:
        """The colour of the arms' cloth: the jacket's if there is one."""
        return self.jacket or self.top


@dataclass(frozen=True)
class ArmPose:
    """One arm for one frame: angles in degrees from straight down, positive away from the
    body's centre line (so both arms share numbers), and the hand's shape."""

    upper: float
    fore: float
    hand: float
    shape: str


Keys = tuple[tuple[float, ArmPose], ...]


@dataclass(frozen=True)
class Gesture:
    """A named arm motion: per arm, keys (seconds from the start, pose), or None for an arm the
    gesture leaves alone; then ``back_s`` to rest. ``peak`` is the pose each moving arm holds
    when the gesture is most itself (what a still of it shows)."""

    name: str
    left: Keys | None
    right: Keys | None
    back_s: float
    peak: tuple[ArmPose | None, ArmPose | None]

    @property
    def duration_s(self) -> float:
        """From the start to the arms being back at rest."""
        ends = [keys[-1][0] for keys in (self.left, self.right) if keys]
        return max(ends) + self.back_s


@dataclass(frozen=True)
class HandShape:
    """How a hand is held: each finger's extension (thumb first; 1 straight, 0 curled into the
    palm), how far the fingers fan out, and whether the palm or the back faces the viewer
    (which side the thumb is on)."""

    fingers: tuple[float, float, float, float, float]
    spread_deg: float = 6.0
    flip: bool = False
    thumb_deg: float = 40.0


@dataclass(frozen=True)
class Look:
    """One character in one style, everything the renderer needs to draw and move them."""

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
    posture: str = "sitting"
    rest: tuple[ArmPose, ArmPose] = (ArmPose(10, -70, -10, "rest"), ArmPose(10, -70, -10, "rest"))
    gestures: dict[str, Gesture] = field(default_factory=dict, hash=False, compare=False)
    hands: dict[str, HandShape] = field(default_factory=dict, hash=False, compare=False)

    @property
    def standing(self) -> bool:
        """Standing looks are framed from the knees up, sitting ones from the waist up."""
        return self.posture == "standing"
