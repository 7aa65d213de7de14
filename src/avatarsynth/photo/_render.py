"""A performance → video frames of a portrait, redrawing only what moved.

The first frame is the portrait placed by the camera over the backdrop; with every channel at
rest every later frame is that same picture. Per frame, the :class:`LiveFace` redraws the plate
boxes the mouth and eyes changed, and only the frame boxes they land in are resampled: the
whole head's box when the head moved, the shoulders' when a breath did. One resampling
(``cv2.remap``) serves camera, head and breath at once: its map is computed at half
resolution (it is smooth) and scaled up. The person is cut out by the segmentation wherever
the backdrop shows: a transparent or image backdrop, or a portrait that does not fill the frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import skia

from avatarsynth.avatar import I420, Backdrop
from avatarsynth.errors import RenderError
from avatarsynth.frame import Box, Frame
from avatarsynth.performance import Acting, Performance
from avatarsynth.photo._camera import (
    BREATH_LIFT,
    Camera,
    Fields,
    HeadPose,
    Scene,
    camera,
    covers,
    fields,
    head_pose,
)
from avatarsynth.photo._face import EyePose, LiveFace
from avatarsynth.photo._landmarks import Image
from avatarsynth.photo._mesh import MouthPose
from avatarsynth.photo._portrait import Portrait

_BREATH_STEPS = 4
"""Breathing is snapped to quarter frame pixels, so shoulders redraw only when they move."""


@dataclass(frozen=True, eq=False)
class _Grid:
    """One frame box's half-resolution sample points, in plate pixels, with the fields there."""

    plate_x: np.ndarray
    plate_y: np.ndarray
    head: np.ndarray
    breath: np.ndarray


def _even_box(x0: float, y0: float, x1: float, y1: float, width: int, height: int) -> Box:
    return Box(
        max(0, int(x0) // 2 * 2),
        max(0, int(y0) // 2 * 2),
        min(width, (int(np.ceil(x1)) + 3) // 2 * 2),
        min(height, (int(np.ceil(y1)) + 3) // 2 * 2),
    )


def _backdrop_pixels(backdrop: Backdrop, width: int, height: int) -> Image:
    """The backdrop as premultiplied RGBA pixels."""
    pixels = np.zeros((height, width, 4), np.uint8)
    surface = skia.Surface(
        pixels, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
    )
    canvas = surface.getCanvas()
    r, g, b, a = backdrop.rgba
    canvas.clear(skia.Color(r, g, b, a))
    if backdrop.image is not None:
        canvas.drawImage(backdrop.image, 0, 0)
    del surface
    return pixels


def _luts(colour: Image) -> Image:
    """A (1, 256, 4) table: what shows of a premultiplied colour behind each alpha 0–255."""
    clear = 255 - np.arange(256, dtype=np.uint32)[:, None]
    table = (colour.astype(np.uint32)[None, :] * clear + 127) // 255
    return np.ascontiguousarray(table[None].astype(np.uint8))


class _Painter:
    """Resamples frame boxes from the live plate and writes them into the I420 frame."""

    def __init__(
        self, portrait: Portrait, scene: Scene, width: int, height: int, backdrop: Backdrop
    ) -> None:
        self.width, self.height, self.scene = width, height, scene
        self.camera: Camera = camera(scene, portrait.side, width, height)
        self.cut_out = (
            backdrop.transparent
            or backdrop.image is not None
            or not covers(self.camera, portrait.side, width, height)
        )
        self.live = LiveFace(portrait, self.cut_out)
        self.fields: Fields = fields(portrait.landmarks, portrait.side)
        self.backdrop = _backdrop_pixels(backdrop, width, height)
        self.canvas: Image = self.backdrop.copy()
        self.backdrop_luts = None if backdrop.image is not None else _luts(self.backdrop[0, 0])
        self.frame = I420(width, height, alpha=backdrop.transparent)
        self._grids: dict[Box, _Grid] = {}
        margin = 0.12 * self.fields.face_px  # the head moves at most ~0.1 face heights
        self.head_box = self._frame_box(self.fields.head > 0, margin)
        self.shoulder_box = self._frame_box(self.fields.breath > 0, 2.0)
        self.margin = margin

    def _frame_box(self, where: np.ndarray, margin: float) -> Box:
        rows, cols = np.nonzero(where)
        if not len(rows):
            return Box(0, 0, 0, 0)
        return self.plate_box(
            (int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1), margin
        )

    def plate_box(self, box: tuple[int, int, int, int], margin: float) -> Box:
        """The frame box that plate box ``box`` (grown by ``margin`` plate pixels) lands in."""
        x0, y0, x1, y1 = box
        corners = np.array(
            [[x0 - margin, y0 - margin], [x1 + margin, y0 - margin],
             [x0 - margin, y1 + margin], [x1 + margin, y1 + margin]]
        )  # fmt: skip
        framed = self.camera.to_frame(corners)
        lo, hi = framed.min(axis=0), framed.max(axis=0)
        return _even_box(lo[0], lo[1], hi[0], hi[1], self.width, self.height)

    def _grid(self, box: Box) -> _Grid:
        if box not in self._grids:
            # Half-resolution sample i sits between full pixels 2i and 2i + 1 (where an
            # upscaling resize puts it); maps address pixels by index, centres at +0.5.
            xs = np.arange(box.left, box.right, 2, dtype=np.float32) + 1.0
            ys = np.arange(box.top, box.bottom, 2, dtype=np.float32) + 1.0
            gx, gy = np.meshgrid(xs, ys)
            px, py = (v - np.float32(0.5) for v in self.camera.to_plate(gx, gy))
            sample = [
                cv2.remap(f, px, py, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
                for f in (self.fields.head, self.fields.breath)
            ]
            self._grids[box] = _Grid(px, py, *sample)
        return self._grids[box]

    def paint(self, box: Box, head: HeadPose, lift: float) -> None:
        """Resample ``box`` for this head pose and breath (plate pixels of lift)."""
        if box.empty:
            return
        grid = self._grid(box)
        rx, ry = grid.plate_x - self.fields.pivot[0], grid.plate_y - self.fields.pivot[1]
        c, s = math.cos(head.angle) - 1.0, math.sin(head.angle)
        map_x = grid.plate_x - grid.head * (c * rx - s * ry + head.shift_x)
        map_y = grid.plate_y - grid.head * (s * rx + c * ry + head.shift_y) + grid.breath * lift
        size = (box.right - box.left, box.bottom - box.top)
        full_x = cv2.resize(map_x, size, interpolation=cv2.INTER_LINEAR)
        full_y = cv2.resize(map_y, size, interpolation=cv2.INTER_LINEAR)
        border = cv2.BORDER_CONSTANT if self.cut_out else cv2.BORDER_REPLICATE
        person = cv2.remap(self.live.plate, full_x, full_y, cv2.INTER_LINEAR, borderMode=border)
        target = self.canvas[box.top : box.bottom, box.left : box.right]
        if not self.cut_out:
            target[...] = person
        elif self.backdrop_luts is not None:  # a colour: one table lookup per channel
            alpha = cv2.extractChannel(person, 3)
            behind = cv2.LUT(cv2.merge([alpha] * 4), self.backdrop_luts)
            target[...] = cv2.add(person, behind)
        else:
            behind = self.backdrop[box.top : box.bottom, box.left : box.right]
            clear = cv2.merge([255 - person[..., 3]] * 4)
            target[...] = cv2.add(person, cv2.multiply(behind, clear, scale=1 / 255))
        self.frame.write(box, self.canvas)


def _check_size(width: int, height: int) -> None:
    if width < 64 or height < 64 or width % 2 or height % 2:
        raise RenderError(
            f"Cannot draw a {width}×{height} video: width and height must be even "
            "and both at least 64."
        )


def _face_pose(performance: Performance, i: int) -> tuple[MouthPose, EyePose]:
    """Frame ``i``'s channels that the live face draws."""
    mouth, head = performance.mouth, performance.head
    return (
        MouthPose(mouth.at(i), float(head.brow_raise[i])),
        EyePose(float(head.gaze_x[i]), float(head.gaze_y[i]), float(head.eyelids_closed[i])),
    )


def render(
    performance: Performance | Iterable[Acting],
    portrait: Portrait,
    width: int = 512,
    height: int = 512,
    backdrop: Backdrop | tuple[int, int, int, int] = (255, 255, 255, 255),
    scene: Scene | None = None,
) -> Iterator[Frame]:
    """Make ``portrait`` act out ``performance``: one frame per performance frame, in the same
    layout as ``avatar.render`` (I420, or yuva420p over a transparent backdrop). As there,
    ``performance`` may be the :class:`Acting` of one as its speech grows."""
    _check_size(width, height)
    scene = scene or Scene()
    if not isinstance(backdrop, Backdrop):
        backdrop = Backdrop(backdrop)
    if isinstance(performance, Performance):
        performance = [Acting(performance, performance.n_frames)]
    painter = _Painter(portrait, scene, width, height, backdrop)
    steps_per_breath = BREATH_LIFT * portrait.side * painter.camera.scale * _BREATH_STEPS
    lift_per_step = 1 / (_BREATH_STEPS * painter.camera.scale)
    last_head, last_breath = HeadPose(), 0
    painter.paint(Box(0, 0, width, height), last_head, 0.0)
    drawn = 0
    for acting in performance:
        acted, head = acting.performance, acting.performance.head
        for i in range(drawn, acting.settled):
            changed = painter.live.update(*_face_pose(acted, i))
            pose = head_pose(
                scene,
                painter.fields.face_px,
                float(head.nod[i]),
                float(head.turn[i]),
                float(head.tilt_deg[i]),
            )
            breath = round(float(acted.breath[i]) * steps_per_breath)
            lift = breath * lift_per_step
            if pose != last_head:
                painter.paint(painter.head_box, pose, lift)
            elif changed is not None:
                painter.paint(painter.plate_box(changed, painter.margin), pose, lift)
            if breath != last_breath:
                painter.paint(painter.shoulder_box, pose, lift)
            last_head, last_breath = pose, breath
            yield painter.frame.snapshot()
        drawn = max(drawn, acting.settled)
