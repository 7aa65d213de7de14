"""The script stage: plain text or SSML → :class:`Utterance` (what is said, by whom, how)."""

from avatarsynth.script._normalise import normalise_english, split_sentences
from avatarsynth.script._parse import MAX_INPUT_CHARACTERS, InputKind, parse
from avatarsynth.script._prosody import ProsodyRequest
from avatarsynth.script._utterance import Bookmark, Pause, Prosody, Segment, Speak, Utterance

__all__ = [
    "MAX_INPUT_CHARACTERS",
    "Bookmark",
    "InputKind",
    "Pause",
    "Prosody",
    "ProsodyRequest",
    "Segment",
    "Speak",
    "Utterance",
    "normalise_english",
    "parse",
    "split_sentences",
]
