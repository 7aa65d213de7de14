"""The performance stage: speech timings → what the avatar does on every frame.

>>> acted = perform(speech, fps=25)
>>> acted.mouth.jaw_open[40], acted.head.eyelids_closed[40]
"""

from avatarsynth.performance._perform import perform
from avatarsynth.performance._performance import Cue, Curve, Head, Mouth, Performance
from avatarsynth.performance._visemes import Pose, pose_for

__all__ = ["Cue", "Curve", "Head", "Mouth", "Performance", "Pose", "perform", "pose_for"]
