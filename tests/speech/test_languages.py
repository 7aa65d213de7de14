"""Ten languages through the engine that serves each: real audio with word timings."""

from __future__ import annotations

import numpy as np
import pytest

from avatarsynth.script import InputKind, parse
from avatarsynth.speech import synthesize, voices
from tests.fixtures import SENTENCES


@pytest.mark.parametrize(("locale", "text"), SENTENCES.items())
def test_each_locale_speaks_with_word_timings(locale: str, text: str) -> None:
    voice = next(v for v in voices() if v.locale == locale)
    speech = synthesize(parse(text, InputKind.PLAIN_TEXT, voice.name))
    assert 0.8 < speech.duration_s < 8.0
    assert not speech.warnings
    assert speech.words, "word timings"
    loudness = float(np.sqrt(np.mean(np.square(speech.samples))))
    assert loudness > 0.03
    for word in speech.words:
        assert 0 <= word.start_s < word.end_s <= speech.duration_s


def test_female_and_male_voices_of_a_locale_sound_different() -> None:
    female = synthesize(parse("Guten Morgen.", InputKind.PLAIN_TEXT, "de-DE-KatjaNeural"))
    male = synthesize(parse("Guten Morgen.", InputKind.PLAIN_TEXT, "de-DE-ConradNeural"))
    size = min(len(female.samples), len(male.samples))
    assert not np.allclose(female.samples[:size], male.samples[:size], atol=1e-3)
