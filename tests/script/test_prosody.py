"""SSML prosody values as Azure documents them; unreadable values are ignored, not errors."""

from __future__ import annotations

import pytest

from avatarsynth.script._prosody import pitch_factor, rate_factor, volume_factor


@pytest.mark.parametrize(
    ("value", "factor"),
    [
        ("x-slow", 0.5),
        ("fast", 1.55),
        ("+30%", 1.3),
        ("-20%", 0.8),
        ("1.5", 1.5),
        ("9", 2.0),
        ("default", None),
        ("quick", None),
        ("-0.5", None),
        (None, None),
    ],
)
def test_rate(value: str | None, factor: float | None) -> None:
    assert rate_factor(value) == (pytest.approx(factor) if factor is not None else None)


@pytest.mark.parametrize(
    ("value", "factor"),
    [("high", 1.1), ("+10%", 1.1), ("+12st", 2.0), ("-12st", 0.5), ("150Hz", 0.75), ("8", None)],
)
def test_pitch(value: str, factor: float | None) -> None:
    assert pitch_factor(value) == (pytest.approx(factor) if factor is not None else None)


@pytest.mark.parametrize(
    ("value", "factor"),
    [("silent", 0.0), ("soft", 0.4), ("50", 0.5), ("+20", 1.2), ("-6dB", 0.501), ("loudest", None)],
)
def test_volume(value: str, factor: float | None) -> None:
    assert volume_factor(value) == (pytest.approx(factor, abs=1e-3) if factor is not None else None)
