"""The speech stage: an :class:`~avatarsynth.script.Utterance` → audio with exact timings."""

from avatarsynth.speech._casting import LocalVoice, cast
from avatarsynth.speech._catalog import Resolution, Voice, resolve, voices
from avatarsynth.speech._engines import SAMPLE_RATES
from avatarsynth.speech._prepared import prepare
from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech
from avatarsynth.speech._synthesize import (
    SAMPLE_RATE,
    check_voices,
    synthesize,
    synthesize_stream,
    warm_up,
)

__all__ = [
    "SAMPLE_RATE",
    "SAMPLE_RATES",
    "SILENCE",
    "LocalVoice",
    "Mark",
    "Phone",
    "Resolution",
    "Span",
    "Speech",
    "Voice",
    "cast",
    "check_voices",
    "prepare",
    "resolve",
    "synthesize",
    "synthesize_stream",
    "voices",
    "warm_up",
]
