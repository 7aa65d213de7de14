"""Utterance → :class:`Speech`: every segment spoken, paused or marked on one sample clock."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from avatarsynth.script import Bookmark, Pause, Prosody, Speak, Utterance
from avatarsynth.speech._catalog import resolve
from avatarsynth.speech._engines import SpokenSentence, engine_for, speak_phonemes
from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech

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

    def seconds(self, samples: int) -> float:
        return samples / self.sample_rate

    def add_audio(self, samples: npt.NDArray[np.float32], phones: list[RawPhone]) -> None:
        for raw in phones:
            start = self.cursor
            self.cursor += raw.num_samples
            self._add_phone(
                Phone(raw.symbol, self.seconds(start), self.seconds(self.cursor), raw.stressed)
            )
        self.audio.append(samples)

    def _add_phone(self, phone: Phone) -> None:
        last = self.phones[-1] if self.phones else None
        if phone.symbol == SILENCE and last is not None and last.symbol == SILENCE:
            self.phones[-1] = Phone(SILENCE, last.start_s, phone.end_s)
        elif phone.end_s > phone.start_s or phone.symbol != SILENCE:
            self.phones.append(phone)

    def add_sentence(self, text: str, spoken: SpokenSentence) -> None:
        origin = self.cursor
        self.add_audio(spoken.samples, spoken.phones)
        self.words.extend(
            Span(word, self.seconds(origin + start), self.seconds(origin + end))
            for word, start, end in spoken.words
        )
        self.sentences.append(Span(text, self.seconds(origin), self.seconds(self.cursor)))
        self.warnings.extend(spoken.warnings)

    def add_silence(self, seconds: float) -> None:
        count = round(seconds * self.sample_rate)
        if count > 0:
            self.add_audio(np.zeros(count, dtype=np.float32), [RawPhone(SILENCE, count)])

    def _on_words(self) -> list[Mark]:
        """Each bookmark moved to the start of the word after it, past the silence an engine
        puts before a sentence: a gesture starts on its word, not before it."""
        starts = [word.start_s for word in self.words]
        marks = []
        for mark in self.marks:
            index = bisect.bisect_left(starts, mark.time_s - 1e-9)
            at = starts[index] if index < len(starts) else mark.time_s
            marks.append(Mark(mark.name, at))
        return marks

    def speech(self) -> Speech:
        samples = np.concatenate(self.audio) if self.audio else np.zeros(0, dtype=np.float32)
        return Speech(
            samples=samples,
            sample_rate=self.sample_rate,
            phones=tuple(self.phones),
            words=tuple(self.words),
            sentences=tuple(self.sentences),
            marks=tuple(self._on_words()),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )


def _speak(speak: Speak, timeline: _Timeline) -> None:
    resolution = resolve(speak.voice)
    if resolution.warning:
        timeline.warnings.append(resolution.warning)
    locale = speak.lang or resolution.voice.locale
    if speak.phonemes is not None:
        spoken = speak_phonemes(speak.phonemes, speak.text, resolution.voice, locale, speak.prosody)
        timeline.add_sentence(speak.text, spoken)
        return
    _, engine = engine_for(locale)
    for sentence in _SENTENCE_END.split(speak.text):
        spoken = engine(sentence, resolution.voice, locale, speak.prosody)
        if len(spoken.samples):
            timeline.add_sentence(sentence, spoken)


def warm_up() -> None:
    """Load the engines now (a worker process calls this once, before its first job)."""
    for voice in (resolve("en-US-JennyNeural").voice, resolve("de-DE-KatjaNeural").voice):
        _, engine = engine_for(voice.locale)
        engine("Ready.", voice, voice.locale, Prosody())


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
            timeline.marks.append(Mark(segment.name, timeline.seconds(timeline.cursor)))
    return timeline.speech()
