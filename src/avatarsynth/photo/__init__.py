"""Photo avatars: a talking presenter from one portrait.

>>> portrait = register(open("portrait.jpg", "rb").read())   # checked, measured once
>>> stored = portrait.to_bytes()                              # what a portrait store keeps
>>> frames = render(performance, Portrait.from_bytes(stored), 512, 512, scene=Scene(zoom=1.2))
>>> next(frames).shape     # one I420 frame, as avatar.render gives
(768, 512)

Registration and rendering share one package because the renderer reads nothing but what
registration measured (landmarks, segmentation, plates), and both speak MediaPipe's face mesh.
"""

from avatarsynth.photo._camera import Scene
from avatarsynth.photo._portrait import Portrait
from avatarsynth.photo._register import MAX_BYTES as MAX_PORTRAIT_BYTES
from avatarsynth.photo._register import register
from avatarsynth.photo._render import render

__all__ = ["MAX_PORTRAIT_BYTES", "Portrait", "Scene", "register", "render"]
