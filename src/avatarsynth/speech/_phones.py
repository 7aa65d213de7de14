"""Raw engine phoneme symbols (one code point each, with their sample counts) → clean phones.

Engines report stress marks, length marks, tone digits and combining diacritics as symbols of
their own with their own durations, and word spaces and punctuation as symbols too. A face
needs speech sounds and pauses: stress marks fold into the sound after them (marking it
stressed), modifiers into the sound before them, word spaces are shared by their neighbours,
and punctuation and sentence edges become ``SILENCE``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from avatarsynth.speech._speech import SILENCE

_STRESS = frozenset("ˈˌ")
_WORD_SPACE = " "
_SENTENCE_EDGES = frozenset("^$")


@dataclass
class RawPhone:
    """A phone being built, measured in samples relative to its sentence."""

    symbol: str
    num_samples: int
    stressed: bool = False


def _is_modifier(symbol: str) -> bool:
    category = unicodedata.category(symbol)
    return category in ("Lm", "Mn", "Sk", "Nd") and symbol not in _STRESS


def is_silent(symbol: str) -> bool:
    """Sentence edges, punctuation and spaces: symbols that are heard as a pause."""
    return symbol in _SENTENCE_EDGES or unicodedata.category(symbol).startswith(("P", "S", "Z"))


def fold(symbols: Sequence[str], samples: Sequence[int]) -> list[RawPhone]:
    """Fold raw symbols into speech sounds and silences; the sample total is unchanged."""
    phones: list[RawPhone] = []
    carry, stressed, space = 0, False, 0
    for symbol, count in zip(symbols, samples, strict=True):
        if symbol in _STRESS:
            carry, stressed = carry + count, True
        elif symbol == _WORD_SPACE:
            space += count
        elif is_silent(symbol):
            _append(phones, RawPhone(SILENCE, count + space + carry))
            carry, stressed, space = 0, False, 0
        elif _is_modifier(symbol) and phones and phones[-1].symbol != SILENCE:
            phones[-1].symbol += symbol
            phones[-1].num_samples += count
        else:
            half = space // 2
            if phones:
                phones[-1].num_samples += half
            _append(phones, RawPhone(symbol, count + carry + space - half, stressed))
            carry, stressed, space = 0, False, 0
    if carry or space:
        _append(phones, RawPhone(SILENCE, carry + space))
    return phones


def _append(phones: list[RawPhone], phone: RawPhone) -> None:
    """Adjacent silences merge into one."""
    if phone.symbol == SILENCE and phones and phones[-1].symbol == SILENCE:
        phones[-1].num_samples += phone.num_samples
    else:
        phones.append(phone)
