"""Which local voice speaks an Azure voice in a given language.

The rules, in order:

1. **Locale.** en-US, en-CA and en-PH go to the American voices; every other English locale to
   the British ones. Spanish, French, Italian, Portuguese, Hindi, Japanese and Mandarin have
   Kokoro voices; other languages have none.
2. **Gender.** A female voice is never spoken by a male one, nor the reverse. Where Kokoro has
   no voice of that gender for the language, espeak-ng speaks it with its female or male
   variant. Azure's few ``Neutral`` voices are cast as female.
3. **Spread.** The Azure names of one locale and gender take the candidates in turn, best
   grade first, so that different names sound different: the names Azure's own samples use
   (Ava, Andrew, Emma, Brian, Jenny, Guy, Aria, Davis) first, then multilingual ones, then the
   rest by name. ``en-US-AvaMultilingualNeural`` gets af_heart, Emma af_bella, Andrew
   am_michael… The order is fixed, so one name always gets the same voice.

A multilingual voice (or ``<lang xml:lang>``) speaking another language keeps its gender and
its place in the spread, among that language's candidates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from avatarsynth.speech import _espeak
from avatarsynth.speech._catalog import Voice, espeak_candidates, voices
from avatarsynth.speech._kokoro_files import packs

KOKORO, PIPER, ESPEAK = "kokoro", "piper", "espeak-ng"
_AMERICAN = frozenset({"en-us", "en-ca", "en-ph", "en"})
# Language subtag → the Kokoro pack language that speaks it.
_KOKORO_LANGUAGES = {
    "es": "es",
    "fr": "fr",
    "it": "it",
    "pt": "pt-br",
    "hi": "hi",
    "ja": "ja",
    "zh": "cmn",
}
_NOT_MANDARIN = frozenset({"zh-hk"})
_FEATURED = (
    "AvaMultilingualNeural",
    "AndrewMultilingualNeural",
    "EmmaMultilingualNeural",
    "BrianMultilingualNeural",
    "JennyNeural",
    "GuyNeural",
    "AriaNeural",
    "DavisNeural",
)
_GRADES = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-")


@dataclass(frozen=True)
class LocalVoice:
    """A voice of a local engine, as it speaks one language."""

    engine: str
    name: str
    """Kokoro's pack (``af_heart``), ``joe`` for Piper, or espeak-ng's language."""
    language: str
    """The espeak-ng language that turns text into phonemes (``en-us``, ``de``, ``cmn``…)."""
    gender: str
    grade: str = "C"

    @property
    def label(self) -> str:
        """``kokoro af_heart``, ``espeak-ng de (female)``: what a listing shows."""
        if self.engine == ESPEAK:
            return f"{self.engine} {self.name} ({self.gender.lower()})"
        return f"{self.engine} {self.name}"


_JOE = LocalVoice(PIPER, "joe", "en-us", "Male", "C")


@functools.cache
def espeak_language(locale: str) -> str | None:
    """The espeak-ng language that speaks ``locale`` (``pt-br``, ``de``, ``cmn``…), if any."""
    return next((c for c in espeak_candidates(locale) if _espeak.has_language(c)), None)


def kokoro_language(locale: str) -> str | None:
    """The Kokoro pack language for a locale, or ``None`` where Kokoro has none."""
    folded = locale.casefold()
    language = folded.split("-")[0]
    if language == "en":
        return "en-us" if folded in _AMERICAN else "en"
    if folded in _NOT_MANDARIN:
        return None
    return _KOKORO_LANGUAGES.get(language)


def _rank(grade: str) -> int:
    return _GRADES.index(grade) if grade in _GRADES else len(_GRADES)


def _gender(voice: Voice) -> str:
    return "Male" if voice.gender == "Male" else "Female"


@functools.cache
def _neural(language: str, gender: str) -> tuple[LocalVoice, ...]:
    """Neural candidates for a Kokoro language and gender, best grade first."""
    found = [
        LocalVoice(KOKORO, p.name, p.language, p.gender, p.grade)
        for p in packs()
        if p.language == language and p.gender == gender
    ]
    if language == "en-us" and gender == "Male":
        found.append(_JOE)
    return tuple(sorted(found, key=lambda v: _rank(v.grade)))


def _spread_order(voice: Voice) -> tuple[int, bool, str]:
    bare = voice.name[len(voice.locale) + 1 :]
    featured = _FEATURED.index(bare) if bare in _FEATURED else len(_FEATURED)
    return featured, not voice.multilingual, voice.name.casefold()


@functools.cache
def _spread_index(name: str) -> int:
    """The place of an Azure name among its locale's names of the same gender."""
    voice = next(v for v in voices() if v.name == name)
    peers = sorted(
        (v for v in voices() if v.locale == voice.locale and _gender(v) == _gender(voice)),
        key=_spread_order,
    )
    return [v.name for v in peers].index(name)


def cast(voice: Voice, locale: str | None = None) -> LocalVoice:
    """The local voice that speaks ``voice`` in ``locale`` (its own locale by default)."""
    locale = locale or voice.locale
    gender = _gender(voice)
    language = kokoro_language(locale)
    candidates = _neural(language, gender) if language else ()
    if candidates:
        return candidates[_spread_index(voice.name) % len(candidates)]
    espeak = espeak_language(locale)
    if espeak is not None:
        return LocalVoice(ESPEAK, espeak, espeak, gender)
    english = _neural("en-us", gender)
    return english[_spread_index(voice.name) % len(english)]


def knows_language(locale: str) -> bool:
    """Whether some engine has pronunciation rules for ``locale``."""
    return kokoro_language(locale) is not None or espeak_language(locale) is not None
