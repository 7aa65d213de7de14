"""Sentences spoken side by side: the next one on a second core, the audio unchanged."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from avatarsynth.errors import SpeechError
from avatarsynth.script import InputKind, Prosody, parse
from avatarsynth.speech import cast, resolve, synthesize
from avatarsynth.speech._engines import Begin, SpokenSentence, Start, speak, spoken_ahead

_WAIT_S = 10.0


def _sentence(number: int, work: Callable[[], None] = lambda: None) -> Begin:
    """A stand-in sentence whose heavy part runs ``work``; its audio holds its number."""

    def begin(start: Start[Any]) -> Callable[[], SpokenSentence]:
        def heavy() -> np.ndarray:
            work()
            return np.full(4, number, np.float32)

        heard = start(heavy)
        return lambda: SpokenSentence(heard(), 24000, [], [])

    return begin


def test_the_next_sentence_is_spoken_while_the_one_before_is_used() -> None:
    second_started = threading.Event()

    def first_waits() -> None:  # only returns once the second runs beside it
        assert second_started.wait(_WAIT_S), "the second sentence was not begun alongside"

    sentences = [_sentence(1, first_waits), _sentence(2, second_started.set), _sentence(3)]
    with spoken_ahead(sentences) as heard:
        assert [int(s.samples[0]) for s in heard] == [1, 2, 3]


def test_an_error_in_a_sentence_reaches_the_caller_in_its_place() -> None:
    def fails() -> None:
        raise SpeechError("Kokoro failed to synthesize")

    with spoken_ahead([_sentence(1), _sentence(2, fails), _sentence(3)]) as heard:
        assert int(next(heard).samples[0]) == 1
        with pytest.raises(SpeechError, match="Kokoro failed"):
            next(heard)


def test_leaving_early_begins_no_more_than_it_looks_ahead() -> None:
    begun: list[int] = []

    def counted(number: int) -> Begin:
        def begin(start: Start[Any]) -> Callable[[], SpokenSentence]:
            begun.append(number)
            return _sentence(number)(start)

        return begin

    with spoken_ahead([counted(n) for n in range(1, 10)], ahead=2) as heard:
        next(heard)
    assert begun == [1, 2]


def test_a_paragraph_spoken_ahead_is_the_sentences_spoken_one_by_one() -> None:
    sentences = ["The report is ready.", "Sales grew by nine percent.", "Thank you all."]
    spoken = synthesize(parse(" ".join(sentences), InputKind.PLAIN_TEXT, "en-US-AvaNeural"))
    local = cast(resolve("en-US-AvaNeural").voice)
    one_by_one = np.concatenate([speak(s, local, Prosody()).samples for s in sentences])
    assert np.array_equal(spoken.samples, one_by_one)
    assert [s.text for s in spoken.sentences] == sentences
