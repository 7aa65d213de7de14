"""Which phones belong to which written word.

Engines phonemize whole sentences, which is what makes them sound natural, but then numbers
expand to several words and short words fuse ("of the" → ``ʌvðə``). So each written word is
phonemized alone and that string is aligned with the sentence's phones (a longest-matching-
blocks alignment); phones between matches take the word before them. Word order is kept.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from avatarsynth.speech._phones import RawPhone
from avatarsynth.speech._speech import SILENCE

WordSpan = tuple[str, int, int]
"""A written word and the samples it covers: (text, start, end)."""

_TOKEN = re.compile(r"\S+")
_IGNORED = re.compile(r"[ˈˌ\s.,;:!?¡¿\"'()\-]")


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZ"


def _strip_punctuation(token: str) -> str:
    """Punctuation at a token's edges is not part of the word; combining marks are."""
    start, end = 0, len(token)
    while start < end and _is_punctuation(token[start]):
        start += 1
    while end > start and _is_punctuation(token[end - 1]):
        end -= 1
    return token[start:end]


def written_words(text: str) -> list[str]:
    """Tokens a reader would call words (punctuation-only tokens are not words)."""
    words = (_strip_punctuation(token) for token in _TOKEN.findall(text))
    return [word for word in words if word]


def _owners(words: Sequence[str], phonemize: Callable[[str], str]) -> tuple[str, list[int]]:
    letters, owners = [], []
    for index, word in enumerate(words):
        spelled = _IGNORED.sub("", phonemize(word))
        letters.append(spelled)
        owners.extend([index] * len(spelled))
    return "".join(letters), owners


def _phone_words(phones: Sequence[RawPhone], matched: dict[int, int]) -> list[int | None]:
    """The word of each phone: its first matched code point decides; gaps inherit."""
    result: list[int | None] = []
    position, current = 0, None
    for phone in phones:
        if phone.symbol == SILENCE:
            result.append(None)
            continue
        span = range(position, position + len(phone.symbol))
        position = span.stop
        found = next((matched[i] for i in span if i in matched), None)
        if found is not None and (current is None or found >= current):
            current = found
        result.append(current if current is not None else 0)
    return result


def align(
    words: Sequence[str], phones: Sequence[RawPhone], phonemize: Callable[[str], str]
) -> list[WordSpan]:
    """Sample spans of ``words`` over one sentence's ``phones``."""
    if not words:
        return []
    expected, owners = _owners(words, phonemize)
    spoken = "".join(p.symbol for p in phones if p.symbol != SILENCE)
    matcher = SequenceMatcher(None, expected, spoken, autojunk=False)
    matched = {
        block.b + k: owners[block.a + k]
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }
    starts = list(itertools.accumulate((p.num_samples for p in phones), initial=0))
    owner_of = _phone_words(phones, matched)
    spans: list[WordSpan] = []
    for index, word in enumerate(words):
        mine = [i for i, owner in enumerate(owner_of) if owner == index]
        start = starts[mine[0]] if mine else (spans[-1][2] if spans else 0)
        spans.append((word, start, starts[mine[-1] + 1] if mine else start))
    return spans


def trim_pauses(spans: Sequence[WordSpan], phones: Sequence[RawPhone]) -> list[WordSpan]:
    """End each word where the first silence after its start begins, if that is sooner."""
    starts = list(itertools.accumulate((p.num_samples for p in phones), initial=0))
    silences = [starts[i] for i, p in enumerate(phones) if p.symbol == SILENCE]
    trimmed = []
    for text, start, end in spans:
        cut = next((s for s in silences if start < s < end), end)
        trimmed.append((text, start, cut))
    return trimmed
