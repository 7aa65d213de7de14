"""Where things are in MediaPipe's 478-point face mesh: named index lists, and measures.

Each lip is four rings of eleven points from corner to corner (outer edge, two between, inner
edge); moving a lip moves its four rings together, which keeps the thin triangles between
them from folding. The corners (first and last of each ring) belong to both lips.
"""

from __future__ import annotations

import numpy as np

from avatarsynth.photo._landmarks import Points

UPPER_LIP = (
    (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291),
    (76, 184, 74, 73, 72, 11, 302, 303, 304, 408, 306),
    (62, 183, 42, 41, 38, 12, 268, 271, 272, 407, 292),
    (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308),
)
LOWER_LIP = (
    (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291),
    (76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306),
    (62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292),
    (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308),
)
INNER_LIPS = (*UPPER_LIP[3], *LOWER_LIP[3][-2:0:-1])
"""The mouth opening as one polygon: the upper inner edge, then the lower one back."""

RIGHT_EYE = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
LEFT_EYE = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)
"""Each eye's opening: the upper lid from the outer corner, then the lower lid back."""
IRISES = (468, 473)
BROWS = (46, 52, 53, 55, 63, 65, 66, 70, 105, 107, 276, 282, 283, 285, 293, 295, 296, 300, 334, 336)
FOREHEAD, CHIN, NOSE_TIP = 10, 152, 1
CHEEKS = (234, 454)
"""The face's outer edge at the cheekbones, right and left in the image."""
OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip
FACE_POINTS = 468
"""The mesh proper; the ten after it are iris points."""


def face_height(points: Points) -> float:
    """Forehead to chin, in pixels: the unit every distance on the face is measured in."""
    return float(np.linalg.norm(points[CHIN, :2] - points[FOREHEAD, :2]))


def mouth_width(points: Points) -> float:
    """Corner to corner of the lips."""
    return float(np.linalg.norm(points[291, :2] - points[61, :2]))


def eye_openness(points: Points) -> float:
    """Lid gap over eye width, the more open eye of the two (0: shut, ~0.3: wide open)."""
    right = np.linalg.norm(points[159, :2] - points[145, :2]) / np.linalg.norm(
        points[33, :2] - points[133, :2]
    )
    left = np.linalg.norm(points[386, :2] - points[374, :2]) / np.linalg.norm(
        points[263, :2] - points[362, :2]
    )
    return float(max(right, left))


def mouth_openness(points: Points) -> float:
    """Inner lip gap over mouth width (0: closed, above ~0.35: wide open)."""
    return float(np.linalg.norm(points[14, :2] - points[13, :2]) / mouth_width(points))


def yaw(points: Points) -> float:
    """How far the face is turned: the nose tip's offset from the cheeks' midpoint, over half
    the face's width (0: frontal, ±1: profile)."""
    right, left = points[CHEEKS[0], :2], points[CHEEKS[1], :2]
    half = float(np.linalg.norm(left - right)) / 2
    axis = (left - right) / (2 * half)
    return float(np.dot(points[NOSE_TIP, :2] - (left + right) / 2, axis) / half)


def roll_deg(points: Points) -> float:
    """The eye line's angle from horizontal, in degrees."""
    dx, dy = points[263, :2] - points[33, :2]
    return float(np.degrees(np.arctan2(dy, dx)))
