"""Azure voice names → the local voice that speaks them.

The catalog is Azure's public list of neural voices (``data/azure-voices.tsv``: 745 names in
154 locales). Each name resolves to a :class:`Voice` that says which locale it speaks and which
local engine voice serves it. Names Azure may add later are accepted by locale: an unknown name
in a known locale gets that locale's default voice and a warning; an unknown locale is refused.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from importlib.resources import files

from avatarsynth.errors import UnknownVoice

# espeak-ng names some languages differently from their BCP-47 locale.
_ESPEAK_ALIASES = {"zh": "cmn", "wuu": "cmn", "fil": "tl", "iu": "en-us"}
# …and some locales (Hong Kong's Chinese voices speak Cantonese).
_ESPEAK_LOCALES = {"zh-hk": "yue"}


@dataclass(frozen=True)
class Voice:
    """One Azure voice name and how it is spoken here."""

    name: str
    locale: str
    locale_name: str
    gender: str
    styles: tuple[str, ...]
    multilingual: bool
    voice_type: str = "Neural"

    @property
    def display_name(self) -> str:
        """``en-US-AvaMultilingualNeural`` → ``Ava Multilingual``; ``…-Ava:DragonHD…`` → ``Ava``."""
        bare = self.name[len(self.locale) + 1 :].split(":")[0].removesuffix("Neural")
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", bare).strip() or self.name

    @property
    def language(self) -> str:
        """The locale's language subtag (``de`` for ``de-DE``), for the phonemizer."""
        return self.locale.split("-")[0].lower()


def espeak_candidates(locale: str) -> tuple[str, ...]:
    """espeak-ng language names to try for a locale, most specific first."""
    language = locale.split("-")[0].lower()
    folded = locale.lower()
    return (_ESPEAK_LOCALES.get(folded, folded), _ESPEAK_ALIASES.get(language, language))


@dataclass(frozen=True)
class Resolution:
    """A voice found for a requested name, with a warning when it was a fallback."""

    voice: Voice
    warning: str | None = None


def _row_to_voice(row: dict[str, str]) -> Voice:
    return Voice(
        name=row["ShortName"],
        locale=row["Locale"],
        locale_name=row["LocaleName"],
        gender=row["Gender"],
        styles=tuple(s for s in row["Styles"].split(",") if s),
        multilingual=row["Multilingual"] == "yes",
        voice_type=row["VoiceType"],
    )


@functools.cache
def voices() -> tuple[Voice, ...]:
    """Every Azure voice name the catalog knows, in locale order."""
    text = files("avatarsynth.speech").joinpath("data/azure-voices.tsv").read_text("utf-8")
    return tuple(_row_to_voice(row) for row in csv.DictReader(text.splitlines(), delimiter="\t"))


@functools.cache
def _by_name() -> dict[str, Voice]:
    return {v.name.casefold(): v for v in voices()}


@functools.cache
def _by_locale() -> dict[str, Voice]:
    """The first voice of each locale in the catalog is that locale's default."""
    defaults: dict[str, Voice] = {}
    for voice in voices():
        defaults.setdefault(voice.locale.casefold(), voice)
    return defaults


def _locale_of(name: str) -> str | None:
    """The longest known locale that the name starts with (``zh-CN-henan`` beats ``zh-CN``)."""
    folded = name.casefold()
    known = [loc for loc in _by_locale() if folded.startswith(loc + "-") or folded == loc]
    return max(known, key=len) if known else None


def resolve(name: str) -> Resolution:
    """Find the voice for an Azure voice name (case-insensitive); raise ``UnknownVoice``."""
    found = _by_name().get(name.strip().casefold())
    if found is not None:
        return Resolution(found)
    locale = _locale_of(name.strip())
    if locale is None:
        raise UnknownVoice(
            f"Voice '{name}' is not known and names no supported locale; "
            "expected an Azure voice name such as 'en-US-AvaMultilingualNeural'."
        )
    default = _by_locale()[locale]
    return Resolution(
        default,
        f"Voice '{name}' is not in the catalog; {default.name} ({default.locale}) spoke instead.",
    )
