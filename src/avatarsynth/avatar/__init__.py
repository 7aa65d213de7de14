"""The avatar stage: characters as data, and the renderer that draws a performance.

>>> look = find_look("Lisa", "casual-sitting")
>>> frames = render(performance, look, 1920, 1080, Backdrop((255, 255, 255, 255)))
>>> next(frames).shape     # one I420 (yuv420p) frame: Y, then U and V rows
(1620, 1920)
"""

from avatarsynth.avatar._backdrop import decode_image, image_backdrop
from avatarsynth.avatar._catalog import catalog, default_voice, find_look
from avatarsynth.avatar._gestures import check_gestures, gesture_name
from avatarsynth.avatar._look import ArmPose, Gesture, Hair, Look, Outfit
from avatarsynth.avatar._preview import preview_png
from avatarsynth.avatar._render import render
from avatarsynth.avatar._scene import Backdrop, mouth_box
from avatarsynth.avatar._yuv import I420

__all__ = [
    "I420",
    "ArmPose",
    "Backdrop",
    "Gesture",
    "Hair",
    "Look",
    "Outfit",
    "catalog",
    "check_gestures",
    "decode_image",
    "default_voice",
    "find_look",
    "gesture_name",
    "image_backdrop",
    "mouth_box",
    "preview_png",
    "render",
]
