"""The script stage: what a listener will hear, read from plain text and SSML."""

from __future__ import annotations

import time

import pytest

from avatarsynth.errors import InvalidScript
from avatarsynth.script import MAX_INPUT_CHARACTERS, Bookmark, InputKind, Pause, Speak, parse

VOICE = "en-US-AvaMultilingualNeural"


def ssml(body: str) -> str:
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        'xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="en-US">'
        f'<voice name="{VOICE}">{body}</voice></speak>'
    )


def spoken(content: str) -> list[str]:
    return [s.text for s in parse(content, InputKind.SSML).segments if isinstance(s, Speak)]


def test_plain_text_paragraphs_are_separate_runs_in_the_requested_voice() -> None:
    utterance = parse("First paragraph.\r\nSecond one.", InputKind.PLAIN_TEXT, VOICE)
    assert [s.text for s in utterance.segments if isinstance(s, Speak)] == [
        "First paragraph.",
        "Second one.",
    ]
    assert {s.voice for s in utterance.segments if isinstance(s, Speak)} == {VOICE}
    assert utterance.billable_characters == len("First paragraph.") + len("Second one.")


def test_plain_text_drops_what_cannot_be_spoken_but_keeps_every_word() -> None:
    utterance = parse("Hello\x00 \ud800wide\u3000world\x07", InputKind.PLAIN_TEXT, VOICE)
    assert utterance.text == "Hello wide world"


@pytest.mark.parametrize("content", ["", "   ", "\r\n\r\n"])
def test_plain_text_without_words_is_refused(content: str) -> None:
    with pytest.raises(InvalidScript, match="no text"):
        parse(content, InputKind.PLAIN_TEXT, VOICE)


def test_an_input_over_the_size_limit_is_refused_with_the_limit_named() -> None:
    with pytest.raises(InvalidScript, match=str(MAX_INPUT_CHARACTERS)):
        parse("a" * (MAX_INPUT_CHARACTERS + 1), InputKind.PLAIN_TEXT, VOICE)


def test_sentences_stay_apart_and_inline_markup_keeps_spacing() -> None:
    assert spoken(
        ssml("<p><s>Hello there.</s> <s>How are <emphasis>you</emphasis> today?</s></p>")
    ) == ["Hello there.", "How are you today?"]


@pytest.mark.parametrize(
    ("markup", "seconds"),
    [
        ('<break time="500ms"/>', 0.5),
        ('<break time="1.5s"/>', 1.5),
        ('<break time="250"/>', 0.25),
        ('<break strength="strong"/>', 1.0),
        ("<break/>", 0.75),
        ('<mstts:silence type="Sentenceboundary" value="200ms"/>', 0.2),
    ],
)
def test_breaks_become_pauses_of_the_written_length(markup: str, seconds: float) -> None:
    segments = parse(ssml(f"One {markup} two"), InputKind.SSML).segments
    pauses = [s.duration_s for s in segments if isinstance(s, Pause)]
    assert pauses == [pytest.approx(seconds)]


def test_a_very_long_break_is_capped_and_reported() -> None:
    utterance = parse(ssml('One <break time="90s"/> two'), InputKind.SSML)
    assert [s.duration_s for s in utterance.segments if isinstance(s, Pause)] == [20.0]
    assert any("shortened" in w for w in utterance.warnings)


def test_bookmarks_keep_their_place_between_words() -> None:
    segments = parse(
        ssml("Hi <bookmark mark='gesture.wave-left-1'/> there"), InputKind.SSML
    ).segments
    assert [type(s) for s in segments] == [Speak, Bookmark, Speak]
    assert segments[1] == Bookmark("gesture.wave-left-1")


def test_voices_prosody_and_substitutions_apply_to_their_text() -> None:
    document = (
        '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">'
        '<prosody rate="x-slow" volume="+10%">Slow <sub alias="World Wide Web">WWW</sub></prosody>'
        '</voice><voice name="de-DE-KatjaNeural">'
        '<lang xml:lang="fr-FR">Bonjour</lang></voice></speak>'
    )
    first, second = (s for s in parse(document, InputKind.SSML).segments if isinstance(s, Speak))
    assert (first.text, first.voice, first.prosody.rate) == (
        "Slow World Wide Web",
        "en-US-JennyNeural",
        0.5,
    )
    assert first.prosody.volume == pytest.approx(1.1)
    assert (second.voice, second.lang) == ("de-DE-KatjaNeural", "fr-FR")


def test_unknown_elements_are_spoken_and_reported() -> None:
    utterance = parse(ssml("Say <whisper>this</whisper> too"), InputKind.SSML)
    assert utterance.text == "Say this too"
    assert utterance.warnings == ("<whisper> is not supported; its text was spoken as written.",)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("<speak><voice name='en-US-AvaNeural'>open", "not well-formed"),
        ("<speak><p>text</speak>", "not well-formed"),
        ("<voice name='x'>hi</voice>", "root"),
        ("<speak>no voice</speak>", "voice"),
        ("<speak><voice>nameless</voice></speak>", "name"),
        (ssml("<audio src='file:///etc/passwd'/>"), "audio"),
        (ssml("<break time='soon'/>"), "duration"),
        (ssml("<break strength='huge'/>"), "strength"),
        (ssml(""), "no text"),
    ],
)
def test_bad_ssml_is_refused_with_a_message_that_says_what_to_fix(
    document: str, message: str
) -> None:
    with pytest.raises(InvalidScript, match=message):
        parse(document, InputKind.SSML)


def test_entity_expansion_bombs_are_refused_fast() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY l0 "lol">{lol}]><speak>&l9;</speak>'
    started = time.perf_counter()
    with pytest.raises(InvalidScript, match="DTD"):
        parse(bomb, InputKind.SSML)
    assert time.perf_counter() - started < 1.0


def test_external_entities_are_refused() -> None:
    document = '<!DOCTYPE speak [<!ENTITY x SYSTEM "file:///etc/passwd">]><speak>&x;</speak>'
    with pytest.raises(InvalidScript, match="DTD"):
        parse(document, InputKind.SSML)


def test_deep_nesting_is_refused() -> None:
    document = ssml("<prosody>" * 200 + "deep" + "</prosody>" * 200)
    with pytest.raises(InvalidScript, match="nested"):
        parse(document, InputKind.SSML)


def test_phoneme_keeps_the_written_word_and_its_ipa_apart() -> None:
    segments = parse(
        ssml('Say <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme> please.'), InputKind.SSML
    ).segments
    texts = [(s.text, s.phonemes) for s in segments if isinstance(s, Speak)]
    assert texts == [("Say", None), ("tomato", "təˈmɑːtoʊ"), ("please.", None)]


def test_phoneme_in_another_alphabet_is_read_as_text_with_a_warning() -> None:
    utterance = parse(
        ssml('<phoneme alphabet="sapi" ph="t ax m ey t ow">tomato</phoneme>'), InputKind.SSML
    )
    assert utterance.text == "tomato"
    assert "IPA" in utterance.warnings[0]
