"""SSML prosody values (``rate``, ``pitch``, ``volume``) as multipliers of the voice's default.

Azure documents named values, relative percentages, relative numbers and absolute numbers for
each attribute. As Azure does, a value that cannot be read is ignored (``None``), not rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAMED_RATES = {"x-slow": 0.5, "slow": 0.64, "medium": 1.0, "fast": 1.55, "x-fast": 2.0}
_NAMED_PITCHES = {"x-low": 0.8, "low": 0.9, "medium": 1.0, "high": 1.1, "x-high": 1.2}
_NAMED_VOLUMES = {
    "silent": 0.0,
    "x-soft": 0.2,
    "soft": 0.4,
    "medium": 0.6,
    "loud": 0.8,
    "x-loud": 1.0,
}
_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(%|st|hz|db)?$")
_RATE_RANGE = (0.5, 2.0)
_PITCH_RANGE = (0.5, 2.0)


@dataclass(frozen=True)
class ProsodyRequest:
    """Prosody as a client wrote it (``synthesisConfig`` or ``<prosody>``), still unparsed."""

    rate: str | None = None
    pitch: str | None = None
    volume: str | None = None


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def _split(value: str) -> tuple[str, float, str] | None:
    match = _NUMBER.match(value.strip().lower())
    if match is None:
        return None
    sign, number, unit = match.groups()
    return sign, float(number), unit or ""


def _parsed(value: str | None, names: dict[str, float]) -> float | tuple[str, float, str] | None:
    """A named value's factor, the (sign, number, unit) of a numeric one, or ``None``."""
    if value is None:
        return None
    named = names.get(value.strip().lower())
    return named if named is not None else _split(value)


def rate_factor(value: str | None) -> float | None:
    """``x-slow``…``x-fast``, ``+30%``, ``-0.5`` (relative) or ``1.5`` (absolute factor)."""
    parts = _parsed(value, _NAMED_RATES)
    if not isinstance(parts, tuple):
        return parts
    sign, number, unit = parts
    if unit == "%":
        factor = 1.0 + (number if sign != "-" else -number) / 100.0
    elif unit or sign == "-":
        return None
    else:
        factor = number
    return _clamp(factor, _RATE_RANGE) if factor > 0 else None


def pitch_factor(value: str | None) -> float | None:
    """``x-low``…``x-high``, ``+10%``, ``-2st`` (semitones) or ``+50Hz`` (about a 200 Hz voice)."""
    parts = _parsed(value, _NAMED_PITCHES)
    if not isinstance(parts, tuple):
        return parts
    if not parts[0] and parts[2] != "hz":
        return None
    sign, number, unit = parts
    signed = -number if sign == "-" else number
    if unit == "%":
        factor = 1.0 + signed / 100.0
    elif unit == "st":
        factor = 2.0 ** (signed / 12.0)
    elif unit == "hz":
        factor = (1.0 + signed / 200.0) if sign else number / 200.0
    else:
        return None
    return _clamp(factor, _PITCH_RANGE)


def volume_factor(value: str | None) -> float | None:
    """``silent``…``x-loud``, ``+10%``, ``-6dB``, ``+20`` (of 100) or ``50`` (absolute, of 100)."""
    parts = _parsed(value, _NAMED_VOLUMES)
    if not isinstance(parts, tuple):
        return parts
    sign, number, unit = parts
    signed = -number if sign == "-" else number
    if unit == "db":
        factor = float(10.0 ** (signed / 20.0))
    elif unit == "%":
        factor = 1.0 + signed / 100.0
    elif unit:
        return None
    else:
        factor = (100.0 + signed) / 100.0 if sign else number / 100.0
    return min(max(factor, 0.0), 2.0)
