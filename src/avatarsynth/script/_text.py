"""Cleaning of user text before it reaches a speech engine."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Control characters, lone surrogates, private-use and unassigned code points cannot be spoken
# and some (surrogates) cannot even be encoded for the engine; whitespace is kept.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


def clean(text: str) -> str:
    """NFC-normalise, drop what cannot be spoken, collapse whitespace runs to one space."""
    normal = unicodedata.normalize("NFC", text)
    kept = "".join(
        ch for ch in normal if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    return _SPACE.sub(" ", kept)
