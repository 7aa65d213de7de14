"""Image bytes → a :class:`Portrait`, or a refusal that says what is wrong with the photo.

The photo is untrusted: its size is checked from the header before decoding (see
``avatar.decode_image``). Then exactly one face must be there, large enough, facing the
camera, eyes open and mouth not wide open, because the presenter can move a face only a
little from how the photo shows it. The head and shoulders are framed as a square plate (the
face about a third of its height) and everything a render needs is measured on it once.
"""

from __future__ import annotations

import cv2
import numpy as np
import skia

from avatarsynth.avatar import decode_image
from avatarsynth.errors import InvalidRequest
from avatarsynth.photo import _anatomy as face
from avatarsynth.photo._landmarks import Image, Points, find_faces, segment
from avatarsynth.photo._plates import closed_eyes, mouth_interior
from avatarsynth.photo._portrait import Portrait

MAX_BYTES = 20 * 1024 * 1024
MIN_FACE_PX = 80
"""Forehead to chin; smaller faces have too few pixels for a mouth to move convincingly."""
MAX_YAW = 0.35
MAX_ROLL_DEG = 25.0
MIN_EYE_OPENNESS = 0.12
MAX_MOUTH_OPENNESS = 0.35
MAX_SIDE = 1024
"""Plates larger than this are scaled down: the presenter is framed at most 1080 pixels tall."""
FACE_SHARE = 0.36
"""The face's height as a share of the plate's: head and shoulders."""
FACE_CENTRE_Y = 0.4
"""Where the face's centre sits, from the plate's top."""

_WHAT = "portrait"


def _refuse(message: str) -> InvalidRequest:
    return InvalidRequest(message, target="portrait")


def _decoded_rgb(data: bytes) -> Image:
    if len(data) > MAX_BYTES:
        raise _refuse(f"The portrait file is over {MAX_BYTES // (1024 * 1024)} MB.")
    image = decode_image(data, _WHAT, InvalidRequest)
    rgba = image.toarray(colorType=skia.kRGBA_8888_ColorType, alphaType=skia.kUnpremul_AlphaType)
    return np.ascontiguousarray(rgba[..., :3])


def _checked_face(rgb: Image) -> Points:
    """The face's landmarks, or a refusal naming what keeps this photo from talking."""
    faces = find_faces(rgb)
    if faces.detected > 1:
        raise _refuse(f"The portrait shows {faces.detected} faces; it must show exactly one.")
    if faces.landmarks is None:
        raise _refuse("No face was found in the portrait.")
    points = faces.landmarks
    height = face.face_height(points)
    if height < MIN_FACE_PX:
        raise _refuse(
            f"The face is too small: {height:.0f} pixels from forehead to chin, "
            f"at least {MIN_FACE_PX} are needed."
        )
    if abs(face.yaw(points)) > MAX_YAW or abs(face.roll_deg(points)) > MAX_ROLL_DEG:
        raise _refuse("The face is turned too far from the camera; use a frontal portrait.")
    if face.eye_openness(points) < MIN_EYE_OPENNESS:
        raise _refuse("The eyes are closed in the portrait; use one with open eyes.")
    if face.mouth_openness(points) > MAX_MOUTH_OPENNESS:
        raise _refuse("The mouth is wide open in the portrait; use one with the lips near closed.")
    return points


def _framing(points: Points, width: int, height: int) -> tuple[int, int, int]:
    """(left, top, side) of the square head-and-shoulders crop, inside the photo."""
    side = int(min(face.face_height(points) / FACE_SHARE, width, height))
    centre = (points[face.FOREHEAD, :2] + points[face.CHIN, :2]) / 2
    left = int(np.clip(round(centre[0] - side / 2), 0, width - side))
    top = int(np.clip(round(centre[1] - FACE_CENTRE_Y * side), 0, height - side))
    return left, top, side


def _largest_part(mask: Image) -> Image:
    """The segmentation without stray blobs: only its largest part, and the soft edge around
    it, is the person."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats((mask > 127).astype(np.uint8))
    if count < 2:
        return mask
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    reach = max(5, mask.shape[0] // 30)  # the soft edge around the person stays
    keep = cv2.dilate((labels == largest).astype(np.uint8), np.ones((reach, reach), np.uint8))
    return np.asarray(mask * keep, np.uint8)


def register(data: bytes) -> Portrait:
    """Check a photo and prepare it to talk; raises ``InvalidRequest`` saying what is wrong."""
    source = _decoded_rgb(data)
    points = _checked_face(source)
    left, top, side = _framing(points, source.shape[1], source.shape[0])
    plate_side = min(side, MAX_SIDE) // 2 * 2
    crop = source[top : top + side, left : left + side]
    if plate_side != side:
        crop = np.asarray(
            cv2.resize(crop, (plate_side, plate_side), interpolation=cv2.INTER_AREA), np.uint8
        )
    rgb: Image = np.ascontiguousarray(crop)
    scale = plate_side / side
    landmarks = ((points[:, :2] - (left, top)) * scale).astype(np.float32)
    interior, cavity = mouth_interior(rgb, landmarks)
    return Portrait(
        rgb=rgb,
        person=_largest_part(segment(rgb)),
        landmarks=landmarks,
        closed_eyes=closed_eyes(rgb, landmarks),
        interior=interior,
        cavity_rgb=cavity,
    )
