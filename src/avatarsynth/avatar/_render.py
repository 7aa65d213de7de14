"""A performance → video frames, redrawing only what moved.

Every frame starts as a copy of the one before. The scene is drawn whole once; after that only
two boxes can change, the head and the shoulders, and each is redrawn (on a surface the size
of the box, premultiplied, which skia draws about eight times faster than unpremultiplied)
and converted to YUV only when the values that shape it differ from the last frame's. A still
face in a pause costs one memory copy per frame.
"""

from __future__ import annotations

from collections.abc import Iterator

from avatarsynth.avatar._look import Look
from avatarsynth.avatar._pose import FramePose, pose_at
from avatarsynth.avatar._scene import Box, Scene, make_scene
from avatarsynth.avatar._yuv import I420, Frame, rgba_canvas
from avatarsynth.errors import RenderError
from avatarsynth.performance import Performance


class _BoxPainter:
    """Redraws one box of the frame into its own pixel buffer and converts it."""

    def __init__(self, scene: Scene, box: Box) -> None:
        self.scene, self.box = scene, box
        self.rgba, self.surface = rgba_canvas(box.right - box.left, box.bottom - box.top)
        self.drawn: object = None

    def paint(self, frame: I420, pose: FramePose, key: object) -> None:
        """Redraw if ``key`` (what shapes this box) changed since the last call."""
        if key == self.drawn:
            return
        canvas = self.surface.getCanvas()
        canvas.save()
        canvas.translate(-self.box.left, -self.box.top)
        self.scene.draw(canvas, pose)
        canvas.restore()
        frame.write(self.box.left, self.box.top, self.rgba)
        self.drawn = key


def _first_frame(scene: Scene, pose: FramePose) -> I420:
    """The whole picture, drawn and converted once."""
    frame = I420(scene.width, scene.height)
    rgba, surface = rgba_canvas(scene.width, scene.height)
    scene.draw(surface.getCanvas(), pose)
    frame.write(0, 0, rgba)
    return frame


def _check_size(width: int, height: int) -> None:
    if width < 64 or height < 64 or width % 2 or height % 2:
        raise RenderError(
            f"Cannot draw a {width}×{height} video: width and height must be even "
            "and both at least 64."
        )


def render(
    performance: Performance,
    look: Look,
    width: int,
    height: int,
    background_rgba: tuple[int, int, int, int],
) -> Iterator[Frame]:
    """Draw ``performance`` as ``look``: one I420 frame (see ``Frame``) per performance frame.

    Each yielded array is the caller's to keep: shape (height × 3/2, width), uint8, BT.709
    limited range, the layout ``av.VideoFrame.from_ndarray(frame, format="yuv420p")`` reads.
    """
    _check_size(width, height)
    scene = make_scene(look, width, height, background_rgba)
    frame = _first_frame(scene, pose_at(performance, 0))
    head = _BoxPainter(scene, scene.head_box)
    shoulders = _BoxPainter(scene, scene.shoulder_box)
    for index in range(performance.n_frames):
        pose = pose_at(performance, index)
        shoulders.paint(frame, pose, pose.breath_px)
        head.paint(frame, pose, pose.head())
        yield frame.snapshot()
