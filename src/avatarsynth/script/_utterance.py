"""What is to be said, in order: the output of the script stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prosody:
    """How a span is spoken, as multipliers of the voice's defaults (1.0 = unchanged)."""

    rate: float = 1.0
    pitch: float = 1.0
    volume: float = 1.0


@dataclass(frozen=True)
class Speak:
    """A run of text in one voice and prosody; always ends at a sentence boundary or markup."""

    text: str
    voice: str
    prosody: Prosody = field(default_factory=Prosody)
    lang: str | None = None
    """Language to speak in, for multilingual voices (SSML ``<lang xml:lang=…>``)."""
    phonemes: str | None = None
    """IPA to pronounce instead of reading ``text`` (SSML ``<phoneme alphabet="ipa">``)."""


@dataclass(frozen=True)
class Pause:
    """Silence of a given length (SSML ``<break>``, ``mstts:silence``)."""

    duration_s: float


@dataclass(frozen=True)
class Bookmark:
    """A named point in time (SSML ``<bookmark mark=…/>``; ``gesture.NAME`` starts a gesture)."""

    name: str


Segment = Speak | Pause | Bookmark


@dataclass(frozen=True)
class Utterance:
    """Everything one input says, as segments in speaking order."""

    segments: tuple[Segment, ...]
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The words spoken, as plain text (what a listener would transcribe)."""
        return " ".join(s.text for s in self.segments if isinstance(s, Speak))

    @property
    def billable_characters(self) -> int:
        """Characters spoken, counted as Azure's ``neuralCharacters`` (markup excluded)."""
        return sum(len(s.text) for s in self.segments if isinstance(s, Speak))

    @property
    def bookmarks(self) -> tuple[str, ...]:
        """The names of every bookmark, in order."""
        return tuple(s.name for s in self.segments if isinstance(s, Bookmark))
