"""Images made once at registration: the eyes shut, and what the open mouth shows.

A blink squashing the lids smudges the lashes; instead each eye gets a shut version, drawn
once and cross-faded in. The upper lid's skin (the band just above the eye) is stretched down
to where the lids meet and the lower lid's band up to it, with a soft dark lash line where
they join. Synthetic teeth look like a mouthguard; the portrait's own teeth, where its lips
were apart, look real, so the interior plate keeps exactly those pixels.
"""

from __future__ import annotations

import cv2
import numpy as np

from avatarsynth.photo._anatomy import INNER_LIPS, LEFT_EYE, LOWER_LIP, RIGHT_EYE, UPPER_LIP
from avatarsynth.photo._landmarks import Image, Points

_LID_MEET = 0.7
"""Where shut lids meet, from the upper lid (0) to the lower (1): low, as in real faces."""
_LASH_DARKEN = 0.5


def _lid_curves(eye: Points, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The upper and lower lid heights at each of ``xs``, interpolated along the lids."""
    upper, lower = eye[:9], np.vstack([eye[8:], eye[:1]])
    order_u, order_l = np.argsort(upper[:, 0]), np.argsort(lower[:, 0])
    top = np.interp(xs, upper[order_u, 0], upper[order_u, 1])
    bottom = np.interp(xs, lower[order_l, 0], lower[order_l, 1])
    return top, bottom


def _shut_eye(rgb: Image, eye: Points) -> Image:
    """``rgb`` with one eye shut (a copy)."""
    width = float(np.ptp(eye[:, 0]))
    band = max(2.0, 0.3 * width)
    x0, x1 = int(eye[:, 0].min() - band), int(eye[:, 0].max() + band) + 1
    y0, y1 = int(eye[:, 1].min() - 2 * band), int(eye[:, 1].max() + 2 * band) + 1
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(rgb.shape[1], x1), min(rgb.shape[0], y1)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    top, bottom = _lid_curves(eye, xs[0])
    meet = top + _LID_MEET * (bottom - top)
    above = ys <= meet
    # Upper lid: [top - band, meet] shows the skin band above the lashes; lower:
    # [meet, bottom + band] shows [bottom, bottom + band].
    lashes = 0.3 * band
    src_upper = (top - band - lashes) + (ys - (top - band)) * band / np.maximum(
        meet - top + band, 1
    )
    src_lower = (bottom + band) - ((bottom + band) - ys) * band / np.maximum(
        bottom + band - meet, 1
    )
    map_y = np.where(above, src_upper, src_lower).astype(np.float32)
    shut = cv2.remap(rgb, xs, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    lash = np.exp(-0.5 * ((ys - meet) / max(0.6, 0.04 * width)) ** 2)
    shut = (shut * (1.0 - _LASH_DARKEN * lash[..., None])).astype(np.uint8)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [np.round(eye - (x0, y0)).astype(np.int32)], 255)
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=max(1, int(0.08 * width)))
    soft = cv2.GaussianBlur(mask, (0, 0), max(1.0, 0.06 * width)).astype(np.float32) / 255
    out = rgb.copy()
    region = out[y0:y1, x0:x1].astype(np.float32)
    out[y0:y1, x0:x1] = np.round(region + (shut - region) * soft[..., None]).astype(np.uint8)
    return out


def closed_eyes(rgb: Image, points: Points) -> Image:
    """``rgb`` with both eyes shut."""
    shut = _shut_eye(rgb, points[list(RIGHT_EYE), :2])
    return _shut_eye(shut, points[list(LEFT_EYE), :2])


def mouth_interior(rgb: Image, points: Points) -> tuple[Image, tuple[int, int, int]]:
    """The portrait's visible mouth interior as RGBA, and a dark shade of its lips."""
    sharp = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(sharp, [np.round(points[list(INNER_LIPS), :2]).astype(np.int32)], 255)
    opening = cv2.GaussianBlur(sharp, (3, 3), 0)  # soft edges on the teeth
    interior = np.dstack([rgb, opening])
    interior[opening == 0] = 0
    lips = np.zeros(rgb.shape[:2], np.uint8)
    for lip in (UPPER_LIP, LOWER_LIP):
        ring = (*lip[0], *lip[3][::-1])
        cv2.fillPoly(lips, [np.round(points[list(ring), :2]).astype(np.int32)], 255)
    lips[opening > 0] = 0
    colour = np.median(rgb[lips > 0], axis=0) if lips.any() else np.array([150, 80, 80])
    r, g, b = (int(v * k) for v, k in zip(colour, (0.36, 0.17, 0.16), strict=True))
    return interior, (r, g, b)
