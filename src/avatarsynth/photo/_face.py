"""The face for one frame, in plate pixels: the portrait with its mouth and eyes moved.

A :class:`LiveFace` keeps one RGBA plate and changes only what a frame changes: the box of the
mesh triangles that moved (mouth, jaw, brows), then the mouth opening filled with the interior
(the dark of the mouth, and the portrait's own teeth moving with the lip they belong to), and
each eye's box (the iris shifted for a glance, the shut-eye plate cross-faded for a blink).
Everything at rest gives back the portrait's own pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from avatarsynth.photo import _anatomy as face
from avatarsynth.photo._landmarks import Image
from avatarsynth.photo._mesh import Mesh, MouthPose, build_mesh, deform, warp_map
from avatarsynth.photo._portrait import Portrait

Box = tuple[int, int, int, int]
_GAZE_X = 0.12
_GAZE_Y = 0.08
"""Iris travel at gaze 1, in eye widths."""


@dataclass(frozen=True)
class EyePose:
    """Where the eyes look and how shut they are (performance units)."""

    gaze_x: float = 0.0
    gaze_y: float = 0.0
    closed: float = 0.0


def _union(a: Box | None, b: Box | None) -> Box | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass(frozen=True, eq=False)
class _Eye:
    box: Box
    centre: tuple[float, float]
    radius: float
    width: float
    opening: np.ndarray
    """Soft mask of the eye opening over ``box``, 0–1 float32."""


def _eye(portrait: Portrait, ring: tuple[int, ...], iris: int) -> _Eye:
    points = portrait.landmarks
    eye = points[list(ring)]
    width = float(np.ptp(eye[:, 0]))
    pad = int(0.4 * width) + 2
    x0, y0 = np.maximum(np.floor(eye.min(axis=0)).astype(int) - pad, 0)
    x1, y1 = np.minimum(np.ceil(eye.max(axis=0)).astype(int) + pad, portrait.side)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [np.round((eye - (x0, y0)) * 16).astype(np.int32)], 255, cv2.LINE_AA, 4)
    mask = cv2.erode(mask, np.ones((2, 2), np.uint8))
    radius = float(np.mean(np.linalg.norm(points[iris + 1 : iris + 5] - points[iris], axis=1)))
    return _Eye(
        (int(x0), int(y0), int(x1), int(y1)),
        (float(points[iris, 0]), float(points[iris, 1])),
        max(radius, 1.0),
        width,
        cv2.GaussianBlur(mask, (0, 0), 0.8).astype(np.float32) / 255,
    )


class LiveFace:
    """The portrait's plate, kept up to date frame by frame (premultiplied RGBA, alpha = the
    person where it is cut out, else opaque).

    ``warped`` holds the mesh's work alone; ``plate`` is ``warped`` with the eyes drawn in,
    so an eye is always redrawn from clean pixels.
    """

    def __init__(self, portrait: Portrait, cut_out: bool) -> None:
        self.portrait = portrait
        alpha = portrait.person if cut_out else np.full_like(portrait.person, 255)
        self.rest: Image = _premultiplied(portrait.rgb, alpha)
        self.shut: Image = _premultiplied(portrait.closed_eyes, alpha)
        self.warped: Image = self.rest.copy()
        self.plate: Image = self.rest.copy()
        self.mesh: Mesh = build_mesh(portrait.landmarks)
        self.eyes = (_eye(portrait, face.RIGHT_EYE, 468), _eye(portrait, face.LEFT_EYE, 473))
        self.own_teeth = _shows_teeth(portrait.interior, self.mesh.mouth_px)
        self._mouth_box: Box | None = None
        self._mouth, self._eyes = MouthPose(), EyePose()

    def update(self, mouth: MouthPose, eyes: EyePose) -> Box | None:
        """Bring the plate to this frame's pose; the plate box that changed, or None."""
        changed = None
        if mouth != self._mouth:
            changed = self._draw_mouth(mouth)
            if changed is not None:
                x0, y0, x1, y1 = changed
                self.plate[y0:y1, x0:x1] = self.warped[y0:y1, x0:x1]
        if eyes != self._eyes or (changed and any(_overlap(changed, e.box) for e in self.eyes)):
            for eye in self.eyes:
                self._draw_eye(eye, eyes)
                changed = _union(changed, eye.box)
        self._mouth, self._eyes = mouth, eyes
        return changed

    def _draw_mouth(self, pose: MouthPose) -> Box | None:
        """Restore the last mouth box, warp the new one; the union of both."""
        old = self._mouth_box
        if old is not None:
            x0, y0, x1, y1 = old
            self.warped[y0:y1, x0:x1] = self.rest[y0:y1, x0:x1]
        moved = deform(self.mesh, pose)
        warp = warp_map(self.mesh, moved, self.portrait.side)
        self._mouth_box = None if warp is None else warp.box
        if warp is None:
            return old
        x0, y0, x1, y1 = warp.box
        self.warped[y0:y1, x0:x1] = cv2.remap(
            self.rest, warp.map_x, warp.map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        self._fill_opening(moved, warp.box, pose)
        return _union(old, warp.box)

    def _fill_opening(self, moved: np.ndarray, box: Box, pose: MouthPose) -> None:
        """Paint the mouth opening: dark inside, the tongue rising for th and l, and what the
        portrait showed between its lips (its upper teeth, mostly) riding the upper lip: in
        speech the lower lip hides the lower teeth. A portrait with closed lips shows only the
        dark and the tongue: drawn teeth, tried, read as a mouthguard."""
        x0, y0, x1, y1 = box
        opening = np.zeros((y1 - y0, x1 - x0), np.uint8)
        polygon = np.round((moved[list(face.INNER_LIPS)] - (x0, y0)) * 16).astype(np.int32)
        cv2.fillPoly(opening, [polygon], 255, cv2.LINE_AA, 4)
        if not opening.any():
            return
        inside = _cavity(opening.shape, self.portrait.cavity_rgb, moved, box, pose.mouth.tongue_up)
        if self.own_teeth:
            shift = moved[13] - self.mesh.rest[13]
            matrix = np.array([[1, 0, shift[0] - x0], [0, 1, shift[1] - y0]], np.float32)
            layer = cv2.warpAffine(self.portrait.interior, matrix, (x1 - x0, y1 - y0))
            a = layer[..., 3:4] / np.float32(255)
            inside = inside * (1 - a) + layer[..., :3] * a
        a = cv2.GaussianBlur(opening, (3, 3), 0)[..., None].astype(np.float32) / 255
        region = self.warped[y0:y1, x0:x1]
        region[..., :3] = np.round(region[..., :3] * (1 - a) + inside * a).astype(np.uint8)

    def _draw_eye(self, eye: _Eye, pose: EyePose) -> None:
        """The eye's box from the warped plate: iris shifted, shut plate faded in."""
        x0, y0, x1, y1 = eye.box
        region: Image = self.warped[y0:y1, x0:x1]
        if pose.gaze_x or pose.gaze_y:
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            dist = np.hypot(xs - eye.centre[0], ys - eye.centre[1]) / (1.6 * eye.radius)
            pull = np.sqrt(np.clip(1 - dist, 0, 1)) * eye.opening
            map_x = xs - pose.gaze_x * _GAZE_X * eye.width * pull
            map_y = ys - pose.gaze_y * _GAZE_Y * eye.width * pull
            region = cv2.remap(self.warped, map_x, map_y, cv2.INTER_LINEAR).astype(np.uint8)
        if pose.closed > 0:
            shut = self.shut[y0:y1, x0:x1].astype(np.float32)
            region = np.round(region + (shut - region) * pose.closed).astype(np.uint8)
        self.plate[y0:y1, x0:x1] = region


def _premultiplied(rgb: Image, alpha: Image) -> Image:
    a = alpha[..., None].astype(np.uint16)
    return np.dstack([((rgb * a + 127) // 255).astype(np.uint8), alpha])


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _shows_teeth(interior: Image, mouth_px: float) -> bool:
    """Whether the portrait's lips were apart over something bright (its teeth)."""
    alpha = interior[..., 3].astype(np.float32) / 255
    if alpha.sum() < 0.02 * mouth_px**2:
        return False
    luma = interior[..., :3].astype(np.float32).mean(axis=2)
    return float((luma * alpha).sum() / alpha.sum()) > 130


def _cavity(
    shape: tuple[int, ...],
    colour: tuple[int, int, int],
    moved: np.ndarray,
    box: Box,
    tongue_up: float,
) -> np.ndarray:
    """The inside of the mouth: darkest under the upper teeth, lighter and redder towards the
    lower lip, where the tongue lies; it rises towards the teeth with ``tongue_up``."""
    top = float(moved[13, 1] - box[1])
    bottom = float(moved[14, 1] - box[1])
    rows = np.arange(shape[0], dtype=np.float32)
    depth = np.clip((rows - top) / max(bottom - top, 1.0), 0, 1)
    shade = 0.55 + 0.6 * depth**2
    tongue = np.clip((depth - (0.75 - 0.45 * tongue_up)) / 0.2, 0, 1) * (0.3 + 0.5 * tongue_up)
    shade = shade * (1 - tongue) + 1.9 * tongue
    tint = np.array(colour, np.float32) * shade[:, None]
    return np.broadcast_to(tint[:, None, :], (*shape, 3)).astype(np.float32)
