"""Where the plate lands in the frame, and how the head moves on it.

The camera (``scene``: zoom, position, roll) is one similarity from plate to frame, fixed for a
job. The head moves as a rigid layer: a rotation about the neck and a small shift, weighted by
a smooth field that is 1 over the head and hair and fades to 0 down the neck and into the
background around it, so the picture stretches a little there and never tears or folds.
Breathing lifts the shoulders the same way, with a field that is 0 above the collar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from avatarsynth.errors import RenderError
from avatarsynth.photo import _anatomy as face
from avatarsynth.photo._landmarks import Points

Field = npt.NDArray[np.float32]
_TURN_SHIFT = 0.06
_NOD_SHIFT = 0.03
_POSE_SHIFT = 0.1
"""Face shift for a scene rotation of ±90° about x or y, in face heights: a hint of a turned
head, as far as a 2-D picture can go without tearing."""
BREATH_LIFT = 0.003
"""Shoulder rise at a full breath, as a share of the plate's side."""


@dataclass(frozen=True)
class Scene:
    """Azure's ``avatarConfig.scene``: the camera on the portrait and how much the head moves.

    ``position_x``/``position_y`` move the portrait by half the frame's width/height per unit
    (right and down); ``rotation_z`` rolls the picture; ``rotation_x``/``rotation_y`` (pitch,
    yaw) can only be hinted at in a 2-D picture: they shift the face a little up/down, sideways.
    """

    zoom: float = 1.0
    position_x: float = 0.0
    position_y: float = 0.0
    rotation_x: float = 0.0
    rotation_y: float = 0.0
    rotation_z: float = 0.0
    amplitude: float = 1.0


@dataclass(frozen=True)
class Camera:
    """Plate pixels → frame pixels: ``frame = scale · R(roll) · (plate − plate_centre) +
    frame_centre``."""

    scale: float
    roll: float
    plate_centre: tuple[float, float]
    frame_centre: tuple[float, float]

    def to_plate(self, x: Field, y: Field) -> tuple[Field, Field]:
        """Frame points → plate points."""
        c, s = math.cos(self.roll), math.sin(self.roll)
        dx, dy = (x - self.frame_centre[0]) / self.scale, (y - self.frame_centre[1]) / self.scale
        px, py = self.plate_centre
        return (c * dx + s * dy + px).astype(np.float32), (-s * dx + c * dy + py).astype(np.float32)

    def to_frame(self, points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(N, 2) plate points → frame points."""
        c, s = math.cos(self.roll), math.sin(self.roll)
        rel = (points - self.plate_centre) * self.scale
        rotated = np.stack([c * rel[:, 0] - s * rel[:, 1], s * rel[:, 0] + c * rel[:, 1]], 1)
        return rotated + self.frame_centre


def camera(scene: Scene, side: int, width: int, height: int) -> Camera:
    """The plate fills the frame's height (zoom 1), centred, moved and rolled by ``scene``."""
    if scene.zoom <= 0:
        raise RenderError("The scene's zoom must be above 0.")
    centre = (width / 2 + scene.position_x * width / 2, height / 2 + scene.position_y * height / 2)
    return Camera(height / side * scene.zoom, scene.rotation_z, (side / 2, side / 2), centre)


def covers(cam: Camera, side: int, width: int, height: int) -> bool:
    """Whether the plate fills the whole frame (no backdrop shows)."""
    corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], np.float32)
    px, py = cam.to_plate(corners[:, 0], corners[:, 1])
    return bool(np.all((px >= 0) & (px <= side) & (py >= 0) & (py <= side)))


@dataclass(frozen=True)
class HeadPose:
    """The head layer's rotation (radians, about ``pivot``) and shift, in plate pixels."""

    angle: float = 0.0
    shift_x: float = 0.0
    shift_y: float = 0.0


def head_pose(scene: Scene, face_px: float, nod: float, turn: float, tilt_deg: float) -> HeadPose:
    """Performance head channels, scaled by ``scene.amplitude``, plus the scene's pose."""
    amp = scene.amplitude
    return HeadPose(
        angle=round(math.radians(tilt_deg * amp), 5),
        shift_x=round(
            face_px * (turn * amp * _TURN_SHIFT + math.sin(scene.rotation_y) * _POSE_SHIFT), 3
        ),
        shift_y=round(
            face_px * (nod * amp * _NOD_SHIFT + math.sin(scene.rotation_x) * _POSE_SHIFT), 3
        ),
    )


@dataclass(frozen=True, eq=False)
class Fields:
    """Per plate pixel: how much it follows the head, and how much breathing lifts it."""

    head: Field
    breath: Field
    pivot: tuple[float, float]
    face_px: float


def _smooth(t: Field) -> Field:
    t = np.clip(t, 0.0, 1.0)
    return (t * t * (3 - 2 * t)).astype(np.float32)


def fields(points: Points, side: int) -> Fields:
    """The head and breath fields of a portrait's plate."""
    height = face.face_height(points)
    chin = points[face.CHIN, :2].astype(np.float64)
    centre = (points[face.FOREHEAD, :2] + chin) / 2 - (0, 0.12 * height)
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    r = np.hypot((xs - centre[0]) / (0.62 * height), (ys - centre[1]) / (0.78 * height))
    neck = _smooth((chin[1] + 0.4 * height - ys) / (0.4 * height))
    head = _smooth((1.3 - r) / 0.3) * neck
    collar = chin[1] + 0.35 * height
    breath = _smooth((ys - collar) / (0.4 * height)) * _smooth((side - ys) / (0.25 * side))
    pivot = (float(chin[0]), float(chin[1] + 0.35 * height))
    return Fields(head, breath.astype(np.float32), pivot, height)
