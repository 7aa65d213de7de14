"""The face as a triangle mesh that speech deforms: mouth shapes → moved points → a warp.

The mesh is MediaPipe's 468 face points plus a fixed ring around the face, triangulated once
(Delaunay). Triangles that would span the mouth opening are left out: the opening shows the
mouth interior instead, so nothing there is stretched into streaks. Speech moves points in the
face's own frame (x along the eye line, y down; lengths in mouth widths): the jaw drops the
lower lip and chin, the lips widen or round, press or part, each lip's four rings together,
and brows rise. Every move is scaled to speaking size (``SPEAKING``): full-strength shapes read
as shouting. :func:`warp_map` turns moved points into a backward map, one affine per triangle,
over the box of the triangles that moved.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import cv2
import numpy as np
import numpy.typing as npt
from matplotlib.tri import Triangulation

from avatarsynth.performance import Mouth
from avatarsynth.photo import _anatomy as face
from avatarsynth.photo._landmarks import Points

SPEAKING = 0.55
"""Share of a full mouth shape used in speech."""
_RING_POINTS = 32
_RING_SCALE = 1.35
_JAW_DROP = 0.45
"""Chin travel at ``jaw_open`` 1 before ``SPEAKING``, in mouth widths."""
_SPREAD = 0.12
_ROUND = 0.16
_POUT = 0.05
_PRESS_THIN = 0.3
_TEETH_ON_LIP_UP = 0.05
_BROW_RISE = 0.035
"""Brow travel at ``brow_raise`` 1, in face heights."""

Array = npt.NDArray[np.float64]
Triangles = npt.NDArray[np.int32]


REST_MOUTH: Mouth[float] = Mouth(*(0.0,) * len(fields(Mouth)))


@dataclass(frozen=True)
class MouthPose:
    """What shapes the face's mesh at one frame: the performance's mouth (its tongue moves no
    point: it is painted inside the opening) and the brows."""

    mouth: Mouth[float] = REST_MOUTH
    brow_raise: float = 0.0


@dataclass(frozen=True, eq=False)
class Mesh:
    """Rest points, triangles and the per-point weights that motions use."""

    rest: Array
    """(N, 2) plate pixels: 468 face points, then the ring."""
    triangles: Triangles
    """(T, 3), each counter-clockwise on screen at rest."""
    origin: Array
    """The mouth's centre."""
    axes: Array
    """(2, 2) rows: the face's x and y directions in plate pixels."""
    mouth_px: float
    face_px: float
    lip_u: Array
    """(N,) position along the mouth, -1 at one corner to 1 at the other (lips only)."""
    upper: npt.NDArray[np.bool_]
    lower: npt.NDArray[np.bool_]
    ring_depth: Array
    """(N, 4) for lip points: share of the way from the lip's inner ring to its outer (0–1)."""
    jaw_weight: Array
    brow_weight: Array
    corner_pull: Array
    """(N,) how much a point beside the mouth follows its corner's sideways motion (signed:
    towards the side it is on, fading to 0 at the face's centre line)."""
    rest_gap: Array
    """(N,) half the rest gap between the lips, at each lip point's place along the mouth."""


def _ring(points: Points) -> Array:
    oval = points[list(face.OVAL), :2].astype(np.float64)
    centre = oval.mean(axis=0)
    angles = np.linspace(0, 2 * np.pi, _RING_POINTS, endpoint=False)
    radii = np.ptp(oval, axis=0) / 2 * _RING_SCALE
    ring: Array = centre + np.stack(
        [np.cos(angles) * radii[0], np.sin(angles) * radii[1] * 1.15], axis=1
    )
    return ring


def _face_frame(points: Points) -> tuple[Array, Array]:
    origin = (points[13, :2] + points[14, :2]).astype(np.float64) / 2
    x_axis = (points[263, :2] - points[33, :2]).astype(np.float64)
    x_axis /= np.linalg.norm(x_axis)
    return origin, np.array([x_axis, [-x_axis[1], x_axis[0]]])


def _triangles(rest: Array, upper: set[int], lower: set[int]) -> Triangles:
    """Delaunay triangles, counter-clockwise, without those across the mouth opening."""
    tris = Triangulation(rest[:, 0], rest[:, 1]).triangles.astype(np.int32)
    keep = [not (set(t) & upper and set(t) & lower) for t in tris.tolist()]
    tris = tris[np.array(keep)]
    a, b, c = rest[tris[:, 0]], rest[tris[:, 1]], rest[tris[:, 2]]
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    tris[cross < 0] = tris[cross < 0][:, ::-1]
    return np.ascontiguousarray(tris, dtype=np.int32)


def _lip_weights(mesh_n: int, local: Array, mouth: float) -> dict[str, Array]:
    """Place along the mouth, ring depth and rest gap for every lip point."""
    u = np.zeros(mesh_n)
    depth = np.zeros(mesh_n)
    gap = np.zeros(mesh_n)
    upper_inner, lower_inner = face.UPPER_LIP[3], face.LOWER_LIP[3]
    for lip in (face.UPPER_LIP, face.LOWER_LIP):
        for k, ring in enumerate(lip):
            for j, index in enumerate(ring):
                u[index] = np.clip(local[index, 0] / (mouth / 2), -1, 1)
                depth[index] = (3 - k) / 3
                opening = local[lower_inner[j], 1] - local[upper_inner[j], 1]
                gap[index] = max(0.0, float(opening)) / 2
    return {"u": u, "depth": depth, "gap": gap}


def build_mesh(points: Points) -> Mesh:
    """The mesh of a portrait's face, from its landmarks."""
    face_pts = points[: face.FACE_POINTS, :2].astype(np.float64)
    rest = np.vstack([face_pts, _ring(points)])
    origin, axes = _face_frame(points)
    local = (rest - origin) @ axes.T
    mouth, height = face.mouth_width(points), face.face_height(points)
    upper = np.zeros(len(rest), bool)
    lower = np.zeros(len(rest), bool)
    upper[[i for ring in face.UPPER_LIP for i in ring]] = True
    lower[[i for ring in face.LOWER_LIP for i in ring]] = True
    corners = upper & lower
    lips = _lip_weights(len(rest), local, mouth)
    below = np.clip(local[:, 1] / (0.08 * height), 0, 1)
    lateral = 1 - np.clip((np.abs(local[:, 0]) - 0.22 * height) / (0.25 * height), 0, 1)
    jaw = below**2 * (3 - 2 * below) * lateral
    at_corner = float(np.max(jaw[corners]))
    jaw[lower] = at_corner + (1 - at_corner) * (1 - lips["u"][lower] ** 2)
    jaw[upper & ~corners] = 0.0
    jaw[face.FACE_POINTS :] = 0.0
    brows = face_pts[list(face.BROWS)]
    brow_dist = np.min(np.linalg.norm(rest[:, None] - brows[None], axis=2), axis=1)
    brow = np.clip(1 - brow_dist / (0.12 * height), 0, 1)
    brow[local[:, 1] > (brows.mean(axis=0) - origin) @ axes[1] + 0.05 * height] = 0.0
    corner_dist = np.minimum(
        np.linalg.norm(rest - face_pts[61], axis=1), np.linalg.norm(rest - face_pts[291], axis=1)
    )
    pull = np.exp(-0.5 * (corner_dist / (0.35 * mouth)) ** 2)
    pull *= np.clip(local[:, 0] / (mouth / 2), -1, 1)
    pull[(upper | lower) | (np.abs(pull) < 0.03)] = 0.0
    brow[face.FACE_POINTS :] = pull[face.FACE_POINTS :] = 0.0
    return Mesh(
        rest=rest,
        triangles=_triangles(
            rest, set(np.flatnonzero(upper & ~corners)), set(np.flatnonzero(lower & ~corners))
        ),
        origin=origin,
        axes=axes,
        mouth_px=mouth,
        face_px=height,
        lip_u=lips["u"],
        upper=upper,
        lower=lower,
        ring_depth=lips["depth"],
        jaw_weight=jaw,
        brow_weight=brow,
        corner_pull=pull,
        rest_gap=lips["gap"],
    )


def deform(mesh: Mesh, pose: MouthPose) -> Array:
    """Where every mesh point is for ``pose``, in plate pixels."""
    mouth = pose.mouth
    w = mesh.mouth_px
    u, lips = mesh.lip_u, mesh.upper | mesh.lower
    shape = (1 - u**2) ** 2  # vertical lip moves fade out well before the packed corners
    jaw = mouth.jaw_open * _JAW_DROP * SPEAKING * w
    sideways = (mouth.lip_spread * _SPREAD - mouth.lip_round * _ROUND) * SPEAKING * w
    dx = np.where(lips, sideways * u, sideways * mesh.corner_pull)
    dy = mesh.jaw_weight * jaw
    pout = mouth.lip_round * _POUT * SPEAKING * w * shape
    press = mouth.lips_pressed * mesh.rest_gap * (1 - u**2)
    thin = mouth.lips_pressed * _PRESS_THIN * SPEAKING * shape
    up_teeth = mouth.teeth_on_lip * _TEETH_ON_LIP_UP * SPEAKING * w * shape
    upper_only = mesh.upper & ~mesh.lower
    lower_only = mesh.lower & ~mesh.upper
    dy += np.where(upper_only, -pout + press - up_teeth, 0.0)
    dy += np.where(lower_only, pout - press - 0.5 * up_teeth, 0.0)
    dy += np.where(upper_only, thin * mesh.ring_depth * 0.1 * w, 0.0)
    dy -= np.where(lower_only, thin * mesh.ring_depth * 0.1 * w, 0.0)
    dy -= mesh.brow_weight * pose.brow_raise * _BROW_RISE * mesh.face_px
    return mesh.rest + np.stack([dx, dy], axis=1) @ mesh.axes


def signed_areas(points: Array, triangles: Triangles) -> Array:
    """Twice each triangle's area, positive when counter-clockwise on screen."""
    a, b, c = points[triangles[:, 0]], points[triangles[:, 1]], points[triangles[:, 2]]
    return (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])


def _affines(source: Array, target: Array) -> Array:
    """(T, 2, 3): the affine taking each source triangle onto its target, solved in a batch."""
    ones = np.ones((*source.shape[:2], 1))
    solved = np.linalg.solve(np.concatenate([source, ones], axis=2), target)
    return np.transpose(solved, (0, 2, 1))


@dataclass(frozen=True)
class Warp:
    """A backward map for the box (left, top, right, bottom) of plate pixels that moved."""

    box: tuple[int, int, int, int]
    map_x: npt.NDArray[np.float32]
    map_y: npt.NDArray[np.float32]


def warp_map(mesh: Mesh, moved: Array, side: int) -> Warp | None:
    """Backward map from ``moved`` points to rest ones over the moved triangles' box, or None
    when nothing moved."""
    changed = np.any(np.abs(moved - mesh.rest) > 1e-3, axis=1)
    tris = mesh.triangles[np.any(changed[mesh.triangles], axis=1)]
    if not len(tris):
        return None
    corners = np.vstack([moved[tris.ravel()], mesh.rest[tris.ravel()]])
    left, top = np.maximum(np.floor(corners.min(axis=0)).astype(int) - 1, 0)
    right, bottom = np.minimum(np.ceil(corners.max(axis=0)).astype(int) + 2, side)
    index = np.zeros((bottom - top, right - left), np.int32)
    polygons = np.round((moved[tris] - (left, top)) * 16).astype(np.int32)
    for number, polygon in enumerate(polygons, start=1):
        cv2.fillConvexPoly(index, polygon, number, cv2.LINE_8, 4)
    identity = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    affines = np.vstack([identity, _affines(moved[tris], mesh.rest[tris])])
    ys, xs = np.mgrid[top:bottom, left:right].astype(np.float32)
    a = affines[index].astype(np.float32)
    map_x = a[..., 0, 0] * xs + a[..., 0, 1] * ys + a[..., 0, 2]
    map_y = a[..., 1, 0] * xs + a[..., 1, 1] * ys + a[..., 1, 2]
    return Warp((int(left), int(top), int(right), int(bottom)), map_x, map_y)
