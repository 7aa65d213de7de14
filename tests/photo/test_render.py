"""The photo presenter: at rest it is the portrait, it speaks with its mouth and holds still in
a pause, its mesh never folds, and it frames and cuts out as asked."""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np

from avatarsynth.avatar import I420, Backdrop
from avatarsynth.frame import Box, Frame
from avatarsynth.performance import Performance, perform
from avatarsynth.photo import Portrait, Scene, render
from avatarsynth.photo._camera import fields, head_pose
from avatarsynth.photo._mesh import MouthPose, build_mesh, deform, signed_areas
from avatarsynth.speech import Speech
from tests.conftest import SpeechOf
from tests.fixtures import still

FPS = 25


def _luma(frame: Frame, size: int = 512) -> np.ndarray:
    return frame[:size].astype(np.float64)


def _face_boxes(portrait: Portrait, size: int = 512) -> tuple[Box, Box]:
    """The mouth's and the eyes' regions in a default frame, with a margin."""
    scale = size / portrait.side
    points = portrait.landmarks * scale
    mouth = points[[61, 291, 0, 17, 152]]
    eyes = points[[33, 133, 159, 145, 263, 362, 386, 374, 105, 334]]

    def box(p: np.ndarray, pad: float) -> Box:
        (x0, y0), (x1, y1) = p.min(axis=0) - pad, p.max(axis=0) + pad
        return Box(int(x0), int(y0), int(x1) + 1, int(y1) + 1)

    return box(mouth, 0.1 * size), box(eyes, 0.04 * size)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def test_at_rest_the_frame_is_the_portrait(portrait: Portrait) -> None:
    (frame, *_) = render(still(2), portrait)
    expected = cv2.resize(portrait.rgb, (512, 512), interpolation=cv2.INTER_LINEAR)
    yuv = I420(512, 512)
    yuv.write(Box(0, 0, 512, 512), np.dstack([expected, np.full((512, 512), 255, np.uint8)]))
    mask = np.ones((512, 512), bool)
    for box in _face_boxes(portrait):
        mask[box.top : box.bottom, box.left : box.right] = False
    assert _psnr(_luma(frame)[mask], _luma(yuv.snapshot())[mask]) >= 40.0


def test_the_mouth_moves_in_speech_and_holds_still_in_a_pause(
    portrait: Portrait, speech_of: SpeechOf
) -> None:
    speech = speech_of("h ɑː m ɑː l oʊ w ɜː l d | s iː j uː m ɑː")
    acted = perform(speech, FPS)
    # A blink repaints the face at the breath's current lift, which moves the mouth a little:
    # this test is about the mouth, so its performance has no blinks.
    unblinking = replace(acted.head, eyelids_closed=np.zeros_like(acted.head.eyelids_closed))
    frames = list(render(replace(acted, head=unblinking), portrait))
    mouth, _ = _face_boxes(portrait)

    def region(i: int) -> np.ndarray:
        return _luma(frames[i])[mouth.top : mouth.bottom, mouth.left : mouth.right]

    speaking = [float(np.abs(region(i + 1) - region(i)).mean()) for i in range(9, 30)]
    pause = range(int(1.5 * FPS), int(2.1 * FPS))  # inside the 1 s pause from 1.29 s
    assert np.mean(speaking) > 1.0
    assert sum(value > 0.5 for value in speaking) >= 12
    assert all(np.array_equal(region(i), region(pause[0])) for i in pause)


def test_a_pause_after_speech_returns_to_the_portrait(
    portrait: Portrait, speech_of: SpeechOf
) -> None:
    speech = speech_of("h ɑː m ɑː l oʊ |")
    frames = list(render(perform(speech, FPS), portrait))
    (rest, *_) = render(still(2), portrait)
    mask = np.ones((512, 512), bool)
    for box in _face_boxes(portrait):
        mask[box.top : box.bottom, box.left : box.right] = False
    mask[int(0.62 * 512) :] = False  # shoulders go on breathing
    assert _psnr(_luma(frames[-3])[mask], _luma(rest)[mask]) >= 40.0


def _mesh_flips(portrait: Portrait, acted: Performance, scene: Scene) -> int:
    """Frames on which some triangle of the face mesh, moved by speech and by the head, turns
    over (its orientation differs from rest)."""
    mesh = build_mesh(portrait.landmarks)
    field = fields(portrait.landmarks, portrait.side)
    points = mesh.rest.astype(np.float32)
    weight = cv2.remap(field.head, points[:, 0], points[:, 1], cv2.INTER_LINEAR).ravel()
    m, h = acted.mouth, acted.head
    bad = 0
    for i in range(acted.n_frames):
        pose = MouthPose(m.at(i), float(h.brow_raise[i]))
        moved = deform(mesh, pose)
        head = head_pose(
            scene, field.face_px, float(h.nod[i]), float(h.turn[i]), float(h.tilt_deg[i])
        )
        c, s = math.cos(head.angle), math.sin(head.angle)
        rel = moved - field.pivot
        turned = np.stack([c * rel[:, 0] - s * rel[:, 1], s * rel[:, 0] + c * rel[:, 1]], 1)
        shifted = turned + field.pivot + (head.shift_x, head.shift_y)
        final = moved + weight[:, None] * (shifted - moved)
        bad += int(np.any(signed_areas(final, mesh.triangles) <= 0))
    return bad


def test_no_triangle_folds_in_a_minute_of_every_viseme(
    portrait: Portrait, minute_of_speech: Speech
) -> None:
    acted = perform(minute_of_speech, FPS)
    assert acted.n_frames >= 60 * FPS
    assert float(acted.head.eyelids_closed.max()) == 1.0  # it blinks
    assert float(np.abs(acted.head.tilt_deg).max()) > 0.5  # and the head moves
    assert _mesh_flips(portrait, acted, Scene(amplitude=1.0)) == 0


def test_transparent_backdrop_cuts_the_person_out(portrait: Portrait) -> None:
    (frame, *_) = render(still(1), portrait, 512, 512, Backdrop((0, 0, 0, 0), transparent=True))
    assert frame.shape == (512 * 5 // 2, 512)
    alpha = frame[512 * 3 // 2 :]
    assert alpha[256, 256] == 255  # her face
    assert alpha[8, 8] == 0  # the studio backdrop


def test_1080p_frames_the_same_portrait_as_a_presenter(portrait: Portrait) -> None:
    (frame, *_) = render(still(1), portrait, 1920, 1080, (40, 40, 40, 255))
    y = frame[:1080]
    assert frame.shape == (1620, 1920)
    assert abs(int(y[540, 100]) - int(y[540, 1820])) <= 1  # the backdrop either side
    assert abs(int(y[540, 100]) - 50) <= 1  # (40, 40, 40) in limited-range luma
    assert y[300:700, 860:1060].mean() > 100  # her face, in the middle


def test_the_scene_camera_zooms_and_moves(portrait: Portrait) -> None:
    (plain, *_) = render(still(1), portrait)
    (zoomed, *_) = render(still(1), portrait, scene=Scene(zoom=1.5, position_x=0.2))
    assert not np.array_equal(plain, zoomed)
    assert zoomed.shape == plain.shape
