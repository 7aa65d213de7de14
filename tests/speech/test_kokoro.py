"""The Kokoro voices, measured: gender by pitch, intelligibility by an offline recogniser,
timings that tile the audio, breaks, determinism, and the audio API's boundary files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from avatarsynth import pipeline
from avatarsynth.jobs import boundary_json
from avatarsynth.performance import perform
from avatarsynth.script import InputKind
from avatarsynth.speech import SILENCE, Speech, cast, resolve, voices
from tests.speech.acoustics import median_f0, transcribe, word_error_rate
from tests.speech.conftest import Speak

AVA = "en-US-AvaMultilingualNeural"
# Short, everyday sentences in each language (kana for Japanese keeps the reading certain).
SENTENCES = {
    "en-US": "The weather is lovely today.",
    "en-GB": "The weather is lovely today.",
    "es-ES": "Hoy hace muy buen tiempo y vamos a salir.",
    "fr-FR": "Il fait très beau aujourd'hui et nous allons sortir.",
    "it-IT": "Oggi il tempo è bellissimo e andiamo fuori.",
    "pt-BR": "Hoje o tempo está lindo e vamos sair.",
    "hi-IN": "आज मौसम बहुत अच्छा है।",
    "zh-CN": "今天天气很好，我们要出去玩。",
    "ja-JP": "きょうは いい てんきですね。",
    "de-DE": "Das Wetter ist heute schön.",
}
FEMALE_ABOVE_HZ, MALE_BELOW_HZ = 165.0, 155.0


def _first(locale: str, gender: str) -> str:
    return next(v.name for v in voices() if v.locale == locale and v.gender == gender)


@pytest.mark.slow
@pytest.mark.parametrize("gender", ["Female", "Male"])
@pytest.mark.parametrize("locale", SENTENCES)
def test_female_names_sound_female_and_male_names_male(
    spoken: Speak, locale: str, gender: str
) -> None:
    name = _first(locale, gender)
    speech = spoken(SENTENCES[locale], name)
    f0 = median_f0(speech.samples, speech.sample_rate)
    label = f"{name} ({cast(resolve(name).voice).label}): {f0:.0f} Hz"
    assert (f0 > FEMALE_ABOVE_HZ) if gender == "Female" else (f0 < MALE_BELOW_HZ), label


# Numbers, abbreviations, currency and a web address; what a listener should hear.
PARAGRAPH = (
    "Dr. Smith moved to Baker St. in 2019 with 3 dogs. She paid $1.2 million for the house, "
    "e.g. the garden and 12 rooms. Read more at www.example.com today."
)
HEARD = (
    "doctor smith moved to baker street in twenty nineteen with three dogs she paid one point "
    "two million dollars for the house for example the garden and twelve rooms read more at "
    "example dot com today"
)
# Measured with pocketsphinx 5.1.1's en-US model on this paragraph: af_heart 0.14, am_puck 0.11,
# Piper's joe 0.22, bf_isabella 0.36 (a British voice heard by an American model); most misses
# are "dr" for "doctor" and "and" for "in". Bounds leave room for noise.
WER_BOUNDS = {AVA: 0.25, "en-US-AndrewMultilingualNeural": 0.25, "en-GB-SoniaNeural": 0.45}


@pytest.mark.slow
@pytest.mark.parametrize("name", WER_BOUNDS)
def test_english_voices_are_understood_by_a_recogniser(spoken: Speak, name: str) -> None:
    speech = spoken(PARAGRAPH, name)
    heard = transcribe(speech.samples, speech.sample_rate)
    assert word_error_rate(HEARD, heard) <= WER_BOUNDS[name], heard


BREAK = 'Hello there.<break time="500ms"/>Good morning to you.'


@pytest.fixture(scope="module")
def with_break(spoken: Speak) -> Speech:
    return spoken(BREAK, AVA)


def test_kokoro_phones_tile_the_audio_exactly(with_break: Speech) -> None:
    assert with_break.sample_rate == 24000
    phones = with_break.phones
    assert phones[0].start_s == 0.0
    assert phones[-1].end_s == pytest.approx(with_break.duration_s, abs=1e-9)
    for before, after in itertools.pairwise(phones):
        assert before.end_s == after.start_s
    ends = [p.end_s * 24000 for p in phones]
    assert all(abs(end - round(end)) < 1e-6 for end in ends), "phones end on whole samples"
    assert round(ends[-1]) == len(with_break.samples)


def test_a_500_ms_break_adds_500_ms(spoken: Speak, with_break: Speech) -> None:
    without = spoken("Hello there. Good morning to you.", AVA)
    assert with_break.duration_s - without.duration_s == pytest.approx(0.5, abs=0.025)


def test_the_mouth_is_shut_in_every_pause(with_break: Speech) -> None:
    acted = perform(with_break, 25)
    pauses = [p for p in with_break.phones if p.symbol == SILENCE and p.end_s - p.start_s > 0.3]
    assert pauses, "the break is a pause"
    for pause in pauses:
        frames = slice(int(pause.start_s * 25) + 4, int(pause.end_s * 25) - 2)
        assert np.all(acted.mouth.jaw_open[frames] < 0.02), pause
    speaking = [p for p in with_break.phones if p.symbol != SILENCE]
    assert max(acted.mouth.jaw_open[int(p.start_s * 25)] for p in speaking) > 0.3


def test_the_same_input_gives_the_same_audio(with_break: Speech) -> None:
    again = pipeline_free_synthesis(BREAK)
    assert np.array_equal(again.samples, with_break.samples)
    assert again.phones == with_break.phones and again.words == with_break.words


def pipeline_free_synthesis(body: str) -> Speech:
    from avatarsynth.script import parse
    from avatarsynth.speech import synthesize
    from tests.speech.conftest import ssml

    return synthesize(parse(ssml(body, AVA), InputKind.SSML))


def test_boundary_files_line_up_with_the_phones(tmp_path: Path, with_break: Speech) -> None:
    request = pipeline.SpeakRequest(
        (f'<speak version="1.0" xml:lang="en-US"><voice name="{AVA}">{BREAK}</voice></speak>',),
        InputKind.SSML,
        AVA,
    )
    result = pipeline.run(request, tmp_path / "0001.wav")
    assert isinstance(result, pipeline.SpeakResult)
    words, sentences = (json.loads(boundary_json(s)) for s in (result.words, result.sentences))
    edges = [p.start_s * 1000 for p in with_break.phones] + [with_break.duration_s * 1000]

    def on_edge(ms: int) -> bool:  # the files hold whole milliseconds, each rounded
        return min(abs(ms - edge) for edge in edges) <= 1.0

    assert [w["Text"] for w in words] == ["Hello", "there", "Good", "morning", "to", "you"]
    assert [s["Text"] for s in sentences] == ["Hello there.", "Good morning to you."]
    for word in words:  # words start and end where phones do
        assert on_edge(word["AudioOffset"]), word
        assert on_edge(word["AudioOffset"] + word["Duration"]), word
    silences = [p for p in with_break.phones if p.symbol == SILENCE]
    for sentence in sentences:  # sentences end at a phone edge or inside a pause
        start, end = sentence["AudioOffset"], sentence["AudioOffset"] + sentence["Duration"]
        for at_ms in (start, end):
            in_pause = any(p.start_s * 1000 <= at_ms <= p.end_s * 1000 for p in silences)
            assert on_edge(at_ms) or in_pause, sentence
        inside = [w["Text"] for w in words if start <= w["AudioOffset"] < end]
        assert " ".join(inside) in sentence["Text"].replace(".", "")
    first, second = sentences
    gap_ms = second["AudioOffset"] - (first["AudioOffset"] + first["Duration"])
    assert gap_ms == pytest.approx(500, abs=1)
