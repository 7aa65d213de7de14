"""The speech engines behind one signature, and which one speaks a given locale.

Piper (neural) speaks English; espeak-ng speaks every other language it knows, in the voice's
gender. A language neither knows is read by Piper with English rules, and the summary says so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from avatarsynth.script import Prosody
from avatarsynth.speech import _espeak, _piper
from avatarsynth.speech._catalog import Voice, espeak_candidates
from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._words import WordSpan, align, trim_pauses, written_words

_NEURAL_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class SpokenSentence:
    """One sentence of audio; phone lengths and word spans are in samples from its start."""

    samples: npt.NDArray[np.float32]
    phones: list[RawPhone]
    words: list[WordSpan]
    warnings: tuple[str, ...] = ()


Engine = Callable[[str, Voice, str, Prosody], SpokenSentence]
"""(text, voice, locale, prosody) → one spoken sentence."""


@functools.lru_cache(maxsize=4096)
def _spelled(word: str, espeak_name: str) -> str:
    return "".join("".join(s) for s in _piper.phonemize(word, espeak_name))


def _piper_sentence(text: str, voice: Voice, locale: str, prosody: Prosody) -> SpokenSentence:
    return _piper_spoken(text, text, locale, prosody)


def _piper_spoken(text: str, written: str, locale: str, prosody: Prosody) -> SpokenSentence:
    """Speak ``text`` (which may hold ``[[IPA]]`` blocks); time the words of ``written``."""
    espeak_name = _piper.espeak_voice(locale)
    warnings: tuple[str, ...] = ()
    if espeak_name is None:
        espeak_name = _piper.FALLBACK_ESPEAK_VOICE
        warnings += (f"No pronunciation rules for {locale}; it was read as en-US.",)
    if prosody.pitch != 1.0:
        warnings += ("Pitch changes are not applied by the Piper voice.",)
    chunks = list(_piper.synthesize(text, espeak_name, prosody.rate, prosody.volume))
    phones = [phone for chunk in chunks for phone in chunk.phones]
    samples = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.float32)
    words = align(written_words(written), phones, lambda w: _spelled(w, espeak_name))
    return SpokenSentence(samples, phones, words, warnings)


def speak_phonemes(
    ipa: str, written: str, voice: Voice, locale: str, prosody: Prosody
) -> SpokenSentence:
    """Pronounce IPA, which only the neural voice can; others read ``written`` and say so."""
    name, engine = engine_for(locale)
    if name == "piper":
        return _piper_spoken(f"[[{ipa}]]", written, locale, prosody)
    spoken = engine(written, voice, locale, prosody)
    note = f"IPA for '{written}' is only pronounced by English voices; the text was read."
    return SpokenSentence(spoken.samples, spoken.phones, spoken.words, (*spoken.warnings, note))


@functools.cache
def espeak_language(locale: str) -> str | None:
    """The espeak-ng language that speaks ``locale`` (``pt-br``, ``de``, ``cmn``…), if any."""
    return next((c for c in espeak_candidates(locale) if _espeak.has_language(c)), None)


def _espeak_sentence(text: str, voice: Voice, locale: str, prosody: Prosody) -> SpokenSentence:
    language = espeak_language(locale)
    assert language is not None, "engine_for only routes known languages here"
    samples, phones, words = _espeak.speak(
        text, language, voice.gender, prosody.rate, prosody.pitch, prosody.volume
    )
    spoken = [
        (" ".join(ws), start, end) for text, start, end in words if (ws := written_words(text))
    ]
    return SpokenSentence(samples, phones, trim_pauses(spoken, phones))


def engine_name(locale: str) -> str:
    """Which engine speaks ``locale``: ``piper`` or ``espeak-ng``."""
    return engine_for(locale)[0]


def engine_for(locale: str) -> tuple[str, Engine]:
    """The engine's name and function for a locale."""
    if locale.split("-")[0].lower() in _NEURAL_LANGUAGES or espeak_language(locale) is None:
        return "piper", _piper_sentence
    return "espeak-ng", _espeak_sentence
