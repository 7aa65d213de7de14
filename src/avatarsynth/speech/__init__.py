"""The speech stage: an :class:`~avatarsynth.script.Utterance` → audio with exact timings."""

from avatarsynth.speech._catalog import Resolution, Voice, resolve, voices
from avatarsynth.speech._engines import engine_name
from avatarsynth.speech._prepared import prepare
from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech
from avatarsynth.speech._synthesize import SAMPLE_RATE, check_voices, synthesize, warm_up

__all__ = [
    "SAMPLE_RATE",
    "SILENCE",
    "Mark",
    "Phone",
    "Resolution",
    "Span",
    "Speech",
    "Voice",
    "check_voices",
    "engine_name",
    "prepare",
    "resolve",
    "synthesize",
    "voices",
    "warm_up",
]
