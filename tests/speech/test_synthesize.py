"""The speech stage with the real Piper voice: audio, and timings that match it."""

from __future__ import annotations

import numpy as np
import pytest

from avatarsynth.errors import UnknownVoice
from avatarsynth.script import InputKind, parse
from avatarsynth.speech import SILENCE, Speech, resolve, synthesize, voices

VOICE = "en-US-JennyNeural"


def speak(body: str, voice: str = VOICE) -> Speech:
    document = f'<speak version="1.0" xml:lang="en-US"><voice name="{voice}">{body}</voice></speak>'
    return synthesize(parse(document, InputKind.SSML))


def rms(speech: Speech, start_s: float, end_s: float) -> float:
    window = speech.samples[int(start_s * speech.sample_rate) : int(end_s * speech.sample_rate)]
    return float(np.sqrt(np.mean(np.square(window)))) if len(window) else 0.0


@pytest.fixture(scope="module")
def hello() -> Speech:
    return speak('Hello world. We have 42 new items, of the best kind!<break time="1s"/>Great.')


def test_phones_tile_the_audio_exactly(hello: Speech) -> None:
    assert hello.phones[0].start_s == 0.0
    assert hello.phones[-1].end_s == pytest.approx(hello.duration_s)
    for before, after in zip(hello.phones, hello.phones[1:], strict=False):
        assert before.end_s == after.start_s


def test_every_written_word_is_timed_in_order(hello: Speech) -> None:
    assert [w.text for w in hello.words] == [
        "Hello",
        "world",
        "We",
        "have",
        "42",
        "new",
        "items",
        "of",
        "the",
        "best",
        "kind",
        "Great",
    ]
    starts = [w.start_s for w in hello.words]
    assert starts == sorted(starts)
    assert all(w.end_s > w.start_s for w in hello.words)


def test_words_hold_voice_and_the_break_holds_silence(hello: Speech) -> None:
    loudness = rms(hello, 0, hello.duration_s)
    for word in hello.words:
        assert rms(hello, word.start_s, word.end_s) > 0.2 * loudness, word
    kind, great = hello.words[-2], hello.words[-1]
    assert great.start_s - kind.end_s == pytest.approx(1.0, abs=0.35)
    assert great.start_s - kind.end_s >= 1.0
    pause = next(p for p in hello.phones if p.symbol == SILENCE and p.end_s - p.start_s >= 1.0)
    assert rms(hello, pause.start_s + 0.2, pause.end_s - 0.2) == 0.0


def test_a_break_adds_its_length_to_the_audio() -> None:
    without = speak("One two three.")
    with_break = speak('One two three.<break time="500ms"/>')
    trailing = with_break.phones[-1]
    assert trailing.symbol == SILENCE
    assert with_break.duration_s - without.duration_s == pytest.approx(0.5, abs=0.02)
    assert rms(with_break, with_break.duration_s - 0.5, with_break.duration_s) == 0.0


def test_x_slow_speech_is_slower_than_default() -> None:
    text = "The quick brown fox jumps over the lazy dog."
    normal, slow = speak(text), speak(f'<prosody rate="x-slow">{text}</prosody>')
    assert slow.duration_s > 1.5 * normal.duration_s


def test_sentences_and_bookmarks_sit_on_the_same_clock(hello: Speech) -> None:
    assert [s.text for s in hello.sentences] == [
        "Hello world.",
        "We have 42 new items, of the best kind!",
        "Great.",
    ]
    marked = speak("Look <bookmark mark='gesture.show-front-1'/> here.")
    (mark,) = marked.marks
    look, here = marked.words
    assert look.end_s <= mark.time_s <= here.start_s


def test_other_languages_are_spoken_with_their_own_pronunciation() -> None:
    german = speak("Guten Tag, wie geht es Ihnen?", voice="de-DE-KatjaNeural")
    assert [w.text for w in german.words] == ["Guten", "Tag", "wie", "geht", "es", "Ihnen"]
    assert german.duration_s > 1.0
    assert not german.warnings


def test_the_catalog_knows_every_azure_voice_case_insensitively() -> None:
    assert len(voices()) == 745
    assert resolve("EN-us-avamultilingualneural").voice.name == "en-US-AvaMultilingualNeural"
    assert resolve("zh-CN-henan-YundengNeural").voice.locale == "zh-CN-henan"


def test_an_unknown_name_in_a_known_locale_falls_back_with_a_warning() -> None:
    resolution = resolve("fr-FR-NobodyNeural")
    assert resolution.voice.locale == "fr-FR"
    assert resolution.warning is not None and "fr-FR-NobodyNeural" in resolution.warning


@pytest.mark.parametrize("name", ["xx-XX-SomeoneNeural", "Jenny", ""])
def test_an_unknown_locale_is_refused(name: str) -> None:
    with pytest.raises(UnknownVoice, match="not known"):
        resolve(name)


def test_the_same_text_always_gives_the_same_audio_and_timings() -> None:
    first, second = (
        speak("Determinism keeps re-renders identical."),
        speak("Determinism keeps re-renders identical."),
    )
    assert np.array_equal(first.samples, second.samples)
    assert first.phones == second.phones


def test_ipa_phonemes_are_pronounced_as_written_and_timed_as_the_word() -> None:
    said = speak('Say <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme> please.')
    assert [w.text for w in said.words] == ["Say", "tomato", "please"]
    tomato = said.words[1]
    inside = [p.symbol for p in said.phones if tomato.start_s <= p.start_s < tomato.end_s]
    assert inside == ["t", "ə", "m", "ɑː", "t", "o", "ʊ"]
