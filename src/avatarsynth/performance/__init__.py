"""The performance stage: speech timings → what the avatar does on every frame.

>>> acted = perform(speech, fps=25)
>>> acted.mouth.jaw_open[40], acted.head.eyelids_closed[40]
"""

from avatarsynth.performance._perform import LOOKAHEAD_S, perform, settled_frames
from avatarsynth.performance._performance import Acting, Cue, Curve, Head, Mouth, Performance
from avatarsynth.performance._visemes import Pose, pose_for

__all__ = [
    "LOOKAHEAD_S",
    "Acting",
    "Cue",
    "Curve",
    "Head",
    "Mouth",
    "Performance",
    "Pose",
    "perform",
    "pose_for",
    "settled_frames",
]
