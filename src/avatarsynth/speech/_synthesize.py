"""Utterance → :class:`Speech`: every segment spoken, paused or marked on one sample clock."""

from __future__ import annotations

import bisect
import functools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from avatarsynth.script import Bookmark, Pause, Prosody, Speak, Utterance, split_sentences
from avatarsynth.speech._casting import LocalVoice, cast, knows_language
from avatarsynth.speech._catalog import resolve
from avatarsynth.speech._engines import (
    SAMPLE_RATES,
    Begin,
    SpokenSentence,
    begin,
    begin_phonemes,
    speak,
    spoken_ahead,
)
from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._resample import resampled
from avatarsynth.speech._speech import SILENCE, Mark, Phone, Span, Speech

SAMPLE_RATE = SAMPLE_RATES["kokoro"]


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
        spoken = resampled(spoken, self.sample_rate)
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
        self.audio = [samples]  # the next call joins two arrays, not every sentence again
        return Speech(
            samples=samples,
            sample_rate=self.sample_rate,
            phones=tuple(self.phones),
            words=tuple(self.words),
            sentences=tuple(self.sentences),
            marks=tuple(self._on_words()),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )


def _local(segment: Speak) -> tuple[LocalVoice, str | None]:
    """The local voice of a segment, and the warning its name or language needs, if any."""
    resolution = resolve(segment.voice)
    locale = segment.lang or resolution.voice.locale
    warning = resolution.warning
    if not knows_language(locale):
        warning = f"No pronunciation rules for {locale}; it was read as en-US."
    return cast(resolution.voice, locale), warning


def _sentences(segment: Speak) -> list[tuple[str, Begin]]:
    """The sentences of a segment, each with how to begin speaking it (IPA is one)."""
    local, _ = _local(segment)
    prosody = segment.prosody
    if segment.phonemes is not None:
        ipa = segment.phonemes
        return [
            (segment.text, functools.partial(begin_phonemes, ipa, segment.text, local, prosody))
        ]
    return [(s, functools.partial(begin, s, local, prosody)) for s in split_sentences(segment.text)]


def _speak(
    segment: Speak,
    sentences: list[tuple[str, Begin]],
    timeline: _Timeline,
    heard: Iterator[SpokenSentence],
) -> Iterator[None]:
    """Put a segment's ``sentences``, their audio taken from ``heard``, onto the timeline,
    yielding after each. A segment of IPA is put there even if silent."""
    _, warning = _local(segment)
    if warning:
        timeline.warnings.append(warning)
    for text, _ in sentences:
        spoken = next(heard)
        if len(spoken.samples) or segment.phonemes is not None:
            timeline.add_sentence(text, spoken)
            yield


def warm_up() -> None:
    """Load the engines now (a worker process calls this once, before its first job)."""
    for name in ("en-US-AvaMultilingualNeural", "en-US-GuyNeural", "de-DE-KatjaNeural"):
        speak("Ready.", cast(resolve(name).voice), Prosody())


def check_voices(utterance: Utterance) -> None:
    """Raise ``UnknownVoice`` when a voice of the utterance names no supported locale."""
    for segment in utterance.segments:
        if isinstance(segment, Speak):
            resolve(segment.voice)


def _sample_rate(utterance: Utterance) -> int:
    """The highest rate among the engines the utterance uses: others are resampled to it."""
    engines = {_local(s)[0].engine for s in utterance.segments if isinstance(s, Speak)}
    return max((SAMPLE_RATES[e] for e in engines), default=SAMPLE_RATE)


def _spoken(utterance: Utterance) -> Iterator[_Timeline]:
    """One timeline, yielded after each sentence is appended to it, and at the end if a pause
    or bookmark came after the last sentence (or there was none). The next sentence is spoken
    while the caller uses the timeline (``spoken_ahead``)."""
    timeline = _Timeline(_sample_rate(utterance))
    plan = [_sentences(s) for s in utterance.segments if isinstance(s, Speak)]
    planned = iter(plan)
    fresh = True
    with spoken_ahead(begun for sentences in plan for _, begun in sentences) as heard:
        for segment in utterance.segments:
            if isinstance(segment, Speak):
                for _ in _speak(segment, next(planned), timeline, heard):
                    fresh = False
                    yield timeline
                continue
            fresh = True
            if isinstance(segment, Pause):
                timeline.add_silence(segment.duration_s)
            elif isinstance(segment, Bookmark):
                timeline.marks.append(Mark(segment.name, timeline.seconds(timeline.cursor)))
    if fresh:
        yield timeline


def synthesize(utterance: Utterance) -> Speech:
    """Speak an utterance: audio plus phone, word, sentence and bookmark timings."""
    (timeline,) = deque(_spoken(utterance), maxlen=1)  # one timeline, spoken to the end
    return timeline.speech()


def synthesize_stream(utterance: Utterance) -> Iterator[Speech]:
    """Speak an utterance sentence by sentence: after each sentence, the speech so far (the
    audio and timings of its beginning); the last is exactly ``synthesize(utterance)``.

    Each is a prefix of the whole, but for a pause at its end that may still grow, and a
    bookmark with no word after it yet (see ``performance.settled_frames``).
    """
    for timeline in _spoken(utterance):
        yield timeline.speech()
