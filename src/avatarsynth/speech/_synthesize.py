"""Utterance → :class:`Speech`: every segment spoken, paused or marked on one sample clock."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from avatarsynth.script import Bookmark, Pause, Speak, Utterance
from avatarsynth.speech import _piper
from avatarsynth.speech._catalog import resolve
from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech
from avatarsynth.speech._words import align, written_words

SAMPLE_RATE = 22050
# Latin and CJK (ideographic full stop, fullwidth ! and ?) sentence ends.
_SENTENCE_END = re.compile("(?<=[.!?\u2026\u3002\uff01\uff1f])\\s+")


@dataclass
class _Timeline:
    """Audio and events appended in speaking order; times come from the sample count."""

    sample_rate: int
    audio: list[npt.NDArray[np.float32]] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    words: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cursor: int = 0

    @property
    def now_s(self) -> float:
        return self.cursor / self.sample_rate

    def add_audio(self, samples: npt.NDArray[np.float32], phones: list[RawPhone]) -> list[Phone]:
        added = []
        for raw in phones:
            start = self.cursor
            self.cursor += raw.num_samples
            added.append(
                self._add_phone(
                    Phone(raw.symbol, start / self.sample_rate, self.now_s, raw.stressed)
                )
            )
        self.audio.append(samples)
        return added

    def _add_phone(self, phone: Phone) -> Phone:
        last = self.phones[-1] if self.phones else None
        if phone.symbol == SILENCE and last is not None and last.symbol == SILENCE:
            phone = Phone(SILENCE, last.start_s, phone.end_s)
            self.phones[-1] = phone
        else:
            self.phones.append(phone)
        return phone

    def add_silence(self, seconds: float) -> None:
        count = round(seconds * self.sample_rate)
        if count > 0:
            self.add_audio(np.zeros(count, dtype=np.float32), [RawPhone(SILENCE, count)])

    def speech(self) -> Speech:
        samples = np.concatenate(self.audio) if self.audio else np.zeros(0, dtype=np.float32)
        return Speech(
            samples=samples,
            sample_rate=self.sample_rate,
            phones=tuple(self.phones),
            words=tuple(self.words),
            sentences=tuple(self.sentences),
            marks=tuple(self.marks),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )


def _espeak_voice(speak: Speak, timeline: _Timeline) -> str:
    resolution = resolve(speak.voice)
    if resolution.warning:
        timeline.warnings.append(resolution.warning)
    locale = speak.lang or resolution.voice.locale
    found = _piper.espeak_voice(locale)
    if found is None:
        timeline.warnings.append(f"No pronunciation rules for {locale}; it was read as en-US.")
        return _piper.FALLBACK_ESPEAK_VOICE
    return found


@functools.lru_cache(maxsize=4096)
def _spelled(word: str, espeak_name: str) -> str:
    return "".join("".join(s) for s in _piper.phonemize(word, espeak_name))


def _speak(speak: Speak, timeline: _Timeline) -> None:
    espeak_name = _espeak_voice(speak, timeline)
    if speak.prosody.pitch != 1.0:
        timeline.warnings.append("Pitch changes are not applied by the Piper engine yet.")
    for sentence in _SENTENCE_END.split(speak.text):
        start = timeline.now_s
        phones: list[Phone] = []
        for chunk in _piper.synthesize(
            sentence, espeak_name, speak.prosody.rate, speak.prosody.volume
        ):
            phones.extend(timeline.add_audio(chunk.samples, chunk.phones))
        if not phones:
            continue
        timeline.words.extend(
            align(written_words(sentence), phones, lambda w: _spelled(w, espeak_name))
        )
        timeline.sentences.append(Span(sentence, start, timeline.now_s))


def check_voices(utterance: Utterance) -> None:
    """Raise ``UnknownVoice`` when a voice of the utterance names no supported locale."""
    for segment in utterance.segments:
        if isinstance(segment, Speak):
            resolve(segment.voice)


def synthesize(utterance: Utterance) -> Speech:
    """Speak an utterance: audio plus phone, word, sentence and bookmark timings."""
    timeline = _Timeline(SAMPLE_RATE)
    for segment in utterance.segments:
        if isinstance(segment, Speak):
            _speak(segment, timeline)
        elif isinstance(segment, Pause):
            timeline.add_silence(segment.duration_s)
        elif isinstance(segment, Bookmark):
            timeline.marks.append(Mark(segment.name, timeline.now_s))
    return timeline.speech()
