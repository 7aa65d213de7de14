"""The speech engines behind one signature: a sentence, a local voice and prosody → audio.

Kokoro (neural, 24 kHz) speaks English and seven more languages in many voices; Piper's joe
(neural, 22.05 kHz) is one more American male voice; espeak-ng (22.05 kHz) speaks every other
language it knows, in the voice's gender. Which one speaks a name is ``_casting``'s decision.
English text is normalised ("Dr." → "Doctor", "$1.2 million" → "1.2 million dollars") and
Japanese kanji become kana (pykakasi) before the neural engines phonemize them; word timings
still name the words as written.

Speaking a sentence is begun, then finished: :func:`spoken_ahead` begins the next sentence's
Kokoro inference on a second core while the caller uses the one before (onnxruntime releases the
GIL). Only the inference runs there: phonemizing and word alignment stay on the caller's thread,
because espeak-ng, which every engine phonemizes with, keeps global state. Piper and espeak-ng,
cheap beside Kokoro, speak when finished, on the caller's thread.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from avatarsynth.script import Prosody, normalise_english
from avatarsynth.speech import _espeak, _kokoro, _piper
from avatarsynth.speech._casting import ESPEAK, KOKORO, PIPER, LocalVoice
from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._words import WordSpan, align, trim_pauses, written_words

SAMPLE_RATES = {KOKORO: _kokoro.SAMPLE_RATE, PIPER: 22050, ESPEAK: 22050}
AHEAD = 2
"""Sentences spoken at once by :func:`spoken_ahead`: one per core of the 2-core machines the
service is sized for (each Kokoro inference runs on one thread)."""
T = TypeVar("T")


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence of audio; phone lengths and word spans are in samples from its start."""

    samples: npt.NDArray[np.float32]
    sample_rate: int
    phones: list[RawPhone]
    words: list[WordSpan]
    warnings: tuple[str, ...] = ()


Finish = Callable[[], SpokenSentence]
"""A begun sentence: waits for its audio if need be, and returns it whole."""
Start = Callable[[Callable[[], T]], Callable[[], T]]
"""Where heavy work runs: given the work, returns the call that waits for its result."""
Begin = Callable[[Start[Any]], Finish]
"""One sentence to speak, begun with a :data:`Start` (see :func:`spoken_ahead`)."""


def at_once(work: Callable[[], T]) -> Callable[[], T]:
    """The :data:`Start` that runs the work here and now."""
    result = work()
    return lambda: result


@functools.cache
def _kakasi() -> Any:
    import pykakasi  # loads its dictionaries (about 2 s): only for Japanese

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _readable(text: str, language: str) -> str:
    """The text a neural engine phonemizes: English normalised, Japanese kanji as kana."""
    if language.startswith("en"):
        return normalise_english(text)
    if language == "ja":
        return "".join(part["hira"] for part in _kakasi().convert(text))
    return text


@functools.lru_cache(maxsize=4096)
def _piper_spelled(word: str, espeak_name: str) -> str:
    return "".join("".join(s) for s in _piper.phonemize(_readable(word, espeak_name), espeak_name))


@functools.lru_cache(maxsize=4096)
def _kokoro_spelled(word: str, language: str) -> str:
    return _kokoro.phonemize(_readable(word, language), language)


def _unpitched(prosody: Prosody, engine: str) -> tuple[str, ...]:
    if prosody.pitch == 1.0:
        return ()
    return (f"Pitch changes are not applied by the {engine} voices; the pitch is the voice's own.",)


def _piper_spoken(text: str, written: str, local: LocalVoice, prosody: Prosody) -> SpokenSentence:
    """Speak ``text`` (which may hold ``[[IPA]]`` blocks); time the words of ``written``."""
    chunks = list(_piper.synthesize(text, local.language, prosody.rate, prosody.volume))
    phones = [phone for chunk in chunks for phone in chunk.phones]
    samples = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.float32)
    words = align(written_words(written), phones, lambda w: _piper_spelled(w, local.language))
    return SpokenSentence(samples, SAMPLE_RATES[PIPER], phones, words, _unpitched(prosody, "Piper"))


def _piper_sentence(text: str, local: LocalVoice, prosody: Prosody) -> SpokenSentence:
    return _piper_spoken(_readable(text, local.language), text, local, prosody)


def _kokoro_begun(
    ipa: str, written: str, local: LocalVoice, prosody: Prosody, start: Start[Any]
) -> Finish:
    heard = start(lambda: _kokoro.speak_ipa(ipa, local.name, prosody.rate, prosody.volume))

    def finish() -> SpokenSentence:
        samples, phones = heard()
        words = align(written_words(written), phones, lambda w: _kokoro_spelled(w, local.language))
        return SpokenSentence(
            samples, SAMPLE_RATES[KOKORO], phones, words, _unpitched(prosody, "Kokoro")
        )

    return finish


def _espeak_sentence(text: str, local: LocalVoice, prosody: Prosody) -> SpokenSentence:
    samples, phones, words = _espeak.speak(
        text, local.language, local.gender, prosody.rate, prosody.pitch, prosody.volume
    )
    spoken = [
        (" ".join(ws), start, end) for text, start, end in words if (ws := written_words(text))
    ]
    return SpokenSentence(samples, SAMPLE_RATES[ESPEAK], phones, trim_pauses(spoken, phones))


def begin(text: str, local: LocalVoice, prosody: Prosody, start: Start[Any] = at_once) -> Finish:
    """Begin speaking one sentence of plain text in a local voice."""
    if local.engine == KOKORO:
        ipa = _kokoro.phonemize(_readable(text, local.language), local.language)
        return _kokoro_begun(ipa, text, local, prosody, start)
    if local.engine == PIPER:
        return functools.partial(_piper_sentence, text, local, prosody)
    return functools.partial(_espeak_sentence, text, local, prosody)


def speak(text: str, local: LocalVoice, prosody: Prosody) -> SpokenSentence:
    """Speak one sentence of plain text in a local voice."""
    return begin(text, local, prosody)()


def begin_phonemes(
    ipa: str, written: str, local: LocalVoice, prosody: Prosody, start: Start[Any] = at_once
) -> Finish:
    """Begin pronouncing IPA, which the neural voices can; espeak-ng reads ``written`` and
    says so."""
    if local.engine == KOKORO:
        return _kokoro_begun(ipa, written, local, prosody, start)
    if local.engine == PIPER:
        return functools.partial(_piper_spoken, f"[[{ipa}]]", written, local, prosody)
    return functools.partial(_read_instead, written, local, prosody)


def _read_instead(written: str, local: LocalVoice, prosody: Prosody) -> SpokenSentence:
    spoken = speak(written, local, prosody)
    note = f"IPA for '{written}' is only pronounced by neural voices; the text was read."
    return SpokenSentence(
        spoken.samples,
        spoken.sample_rate,
        spoken.phones,
        spoken.words,
        (*spoken.warnings, note),
    )


@contextmanager
def spoken_ahead(
    sentences: Iterable[Begin], ahead: int = AHEAD
) -> Iterator[Iterator[SpokenSentence]]:
    """Every sentence spoken, in order, while the next ``ahead - 1`` are being spoken in
    threads. Leaving the block waits for the ones running (at most ``ahead``) and drops the
    rest."""
    pool = ThreadPoolExecutor(ahead, thread_name_prefix="avatarsynth-voice")

    def in_pool(work: Callable[[], T]) -> Callable[[], T]:
        return pool.submit(work).result

    try:
        yield _in_order(sentences, in_pool, ahead)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(
    sentences: Iterable[Begin], start: Start[Any], ahead: int
) -> Iterator[SpokenSentence]:
    begun: deque[Finish] = deque()
    for sentence in sentences:
        begun.append(sentence(start))
        if len(begun) >= ahead:
            yield begun.popleft()()
    while begun:
        yield begun.popleft()()
