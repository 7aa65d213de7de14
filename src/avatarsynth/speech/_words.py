"""Which phones belong to which written word.

Engines phonemize whole sentences, which is what makes them sound natural, but then numbers
expand to several words and short words fuse ("of the" → ``ʌvðə``). So each written word is
phonemized alone and that string is aligned with the sentence's phones (a longest-matching-
blocks alignment); phones between matches take the word before them. Word order is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from avatarsynth.speech._speech import SILENCE, Phone, Span

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_IGNORED = re.compile(r"[ˈˌ\s.,;:!?¡¿\"'()\-]")


def written_words(text: str) -> list[str]:
    """Tokens a reader would call words (punctuation-only tokens are not words)."""
    words = (_EDGE_PUNCTUATION.sub("", token) for token in _TOKEN.findall(text))
    return [word for word in words if word]


def _owners(words: Sequence[str], phonemize: Callable[[str], str]) -> tuple[str, list[int]]:
    letters, owners = [], []
    for index, word in enumerate(words):
        spelled = _IGNORED.sub("", phonemize(word))
        letters.append(spelled)
        owners.extend([index] * len(spelled))
    return "".join(letters), owners


def _phone_words(phones: Sequence[Phone], matched: dict[int, int]) -> list[int | None]:
    """The word of each phone: the first matched code point decides; gaps inherit."""
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
    words: Sequence[str], phones: Sequence[Phone], phonemize: Callable[[str], str]
) -> tuple[Span, ...]:
    """Time spans of ``words`` over ``phones`` (one sentence's worth)."""
    if not words:
        return ()
    expected, owners = _owners(words, phonemize)
    spoken = "".join(p.symbol for p in phones if p.symbol != SILENCE)
    matcher = SequenceMatcher(None, expected, spoken, autojunk=False)
    matched = {
        block.b + k: owners[block.a + k]
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    }
    owner_of = _phone_words(phones, matched)
    spans: list[Span] = []
    for index, word in enumerate(words):
        mine = [p for p, owner in zip(phones, owner_of, strict=True) if owner == index]
        start = mine[0].start_s if mine else (spans[-1].end_s if spans else phones[0].start_s)
        spans.append(Span(word, start, mine[-1].end_s if mine else start))
    return tuple(spans)
