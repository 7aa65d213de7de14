"""The speech stage's output types (a stand-in until the speech stage's own surface lands)."""

from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech

__all__ = ["SILENCE", "Mark", "Phone", "Span", "Speech"]
