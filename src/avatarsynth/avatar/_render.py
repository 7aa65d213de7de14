"""A performance → video frames, redrawing only what moved.

Every frame starts as a copy of the one before. The scene is drawn whole once; after that only
a few parts can change: the head, the shoulders (breathing), each arm (gestures) and, for a
standing presenter, the whole figure when the weight shift moves it a pixel sideways. A part is
redrawn, into one premultiplied RGBA canvas clipped to its box, and only that box converted to
YUV, when the values that shape it differ from the last frame's; an arm's box covers where it
was and where it is. A still presenter in a pause costs one memory copy per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import skia

from avatarsynth.avatar._arms import reach
from avatarsynth.avatar._gestures import arm_tracks, cut_short_from
from avatarsynth.avatar._look import ArmPose, Look
from avatarsynth.avatar._pose import FramePose, pose_at
from avatarsynth.avatar._scene import Backdrop, Region, Scene, body_region, make_scene
from avatarsynth.avatar._yuv import I420
from avatarsynth.errors import RenderError
from avatarsynth.frame import Box, Frame
from avatarsynth.performance import Acting, Performance

_GRID_PX = 32


@dataclass(frozen=True)
class _Part:
    """Something that moves: what shapes it, and where it is for a pose."""

    key: Callable[[FramePose], object]
    box: Callable[[FramePose], Box]


def _swayed(region: Region, pose: FramePose) -> Region:
    x0, y0, x1, y1 = region
    return (x0 + pose.sway_px, y0, x1 + pose.sway_px, y1)


def _parts(scene: Scene) -> tuple[_Part, ...]:
    """The moving parts. A weight shift moves them all: each part's key holds the sway, and
    the trunk (everything below the chin) is a part that only the sway changes."""

    def box(region: Region, pose: FramePose) -> Box:
        return scene.box(_swayed(region, pose))

    def arm(pose: FramePose, arm: ArmPose, side: float) -> Box:
        region = body_region(reach(scene.arm(arm), side))
        return box(region, pose).snapped(_GRID_PX, scene.width, scene.height)

    head, shoulders, trunk = scene.head_region, scene.shoulder_region, scene.trunk_region
    return (
        _Part(lambda pose: pose.sway_px, lambda pose: box(trunk, pose)),
        _Part(lambda pose: (pose.breath_px, pose.sway_px), lambda pose: box(shoulders, pose)),
        _Part(FramePose.head_region, lambda pose: box(head, pose)),
        _Part(
            lambda pose: (pose.left_arm, pose.sway_px),
            lambda pose: arm(pose, pose.left_arm, 1.0),
        ),
        _Part(
            lambda pose: (pose.right_arm, pose.sway_px),
            lambda pose: arm(pose, pose.right_arm, -1.0),
        ),
    )


class _Painter:
    """Draws the scene into one RGBA canvas, a box at a time, and converts the box."""

    def __init__(self, scene: Scene) -> None:
        self.scene = scene
        self.rgba: Frame = np.zeros((scene.height, scene.width, 4), dtype=np.uint8)
        self.surface = skia.Surface(
            self.rgba, colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kPremul_AlphaType
        )
        self.frame = I420(scene.width, scene.height, alpha=scene.backdrop.transparent)

    def paint(self, pose: FramePose, box: Box) -> None:
        if box.empty:
            return
        canvas = self.surface.getCanvas()
        canvas.save()
        canvas.clipRect(skia.Rect(box.left, box.top, box.right, box.bottom))
        self.scene.draw(canvas, pose)
        canvas.restore()
        self.frame.write(box, self.rgba)


def _check_size(width: int, height: int) -> None:
    if width < 64 or height < 64 or width % 2 or height % 2:
        raise RenderError(
            f"Cannot draw a {width}×{height} video: width and height must be even "
            "and both at least 64."
        )


def render(
    performance: Performance | Iterable[Acting],
    look: Look,
    width: int,
    height: int,
    backdrop: Backdrop | tuple[int, int, int, int] = (255, 255, 255, 255),
    area: Box | None = None,
) -> Iterator[Frame]:
    """Draw ``performance`` as ``look``: one frame per performance frame.

    ``performance`` is a whole performance, or the :class:`Acting` of one as its speech
    grows, the last one whole: each one's settled frames are drawn as it comes (a gesture that
    might still be cut short by the end of the speech waits for more).

    ``area`` (a box of the frame, possibly reaching beyond it) is where the presenter is
    framed, as in a video of that size, and cut (``avatarSize`` and ``avatarPosition``); by
    default the whole frame.

    Each yielded array is the caller's to keep: I420 (yuv420p) of shape (height × 3/2, width),
    uint8, BT.709 limited range; over a transparent backdrop, yuva420p with the alpha plane
    appended, shape (height × 5/2, width). A bare colour is a transparent backdrop when its
    alpha is below 255.
    """
    _check_size(width, height)
    if not isinstance(backdrop, Backdrop):
        backdrop = Backdrop(backdrop, transparent=backdrop[3] < 255)
    if area is not None and (area.width < 64 or area.height < 64):
        raise RenderError(f"Cannot frame the presenter in a {area.width}×{area.height} area.")
    if isinstance(performance, Performance):
        performance = [Acting(performance, performance.n_frames)]
    yield from _drawn(performance, make_scene(look, width, height, backdrop, area))


def _drawn(actings: Iterable[Acting], scene: Scene) -> Iterator[Frame]:
    painter = _Painter(scene)
    parts = _parts(scene)
    drawn = 0
    last: FramePose | None = None
    for acting in actings:
        acted = acting.performance
        arms = arm_tracks(acted.cues, scene.look, acted.n_frames, acted.fps)
        settled = acting.settled
        if not acting.whole:
            cut = cut_short_from(acted.cues, scene.look, acted.n_frames, acted.fps)
            settled = min(settled, cut)
        for index in range(drawn, settled):
            pose = pose_at(acted, arms, index, scene.sway_px(float(acted.sway[index])))
            if last is None:
                painter.paint(pose, Box(0, 0, scene.width, scene.height))
            else:
                for part in parts:
                    if part.key(pose) != part.key(last):
                        painter.paint(pose, part.box(last).union(part.box(pose)))
            last = pose
            yield painter.frame.snapshot()
        drawn = max(drawn, settled)
