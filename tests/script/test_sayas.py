"""<say-as> reads text the way a listener expects; styles are heard as prosody."""

from __future__ import annotations

import pytest

from avatarsynth.script import InputKind, Prosody, Speak, parse


def read(body: str, voice: str = "en-US-JennyNeural") -> str:
    document = (
        '<speak version="1.0" xmlns:mstts="http://www.w3.org/2001/mstts" xml:lang="en-US">'
        f'<voice name="{voice}">{body}</voice></speak>'
    )
    return parse(document, InputKind.SSML).text


@pytest.mark.parametrize(
    ("kind", "form", "text", "heard"),
    [
        ("characters", "", "ABC", "A B C"),
        ("spell-out", "", "IBM", "I B M"),
        ("digits", "", "123", "1 2 3"),
        ("ordinal", "", "3", "3rd"),
        ("ordinal", "", "12", "12th"),
        ("cardinal", "", "1234", "1234"),
        ("telephone", "", "(888) 555-1212", "8 8 8, 5 5 5, 1 2 1 2"),
        ("date", "mdy", "10/19/2016", "October 19th, 2016"),
        ("date", "dmy", "19.10.2016", "October 19th, 2016"),
        ("date", "ym", "2016-10", "October, 2016"),
        ("time", "hms12", "4:05 PM", "4 oh 5 P M"),
        ("time", "hms24", "16:30", "16 30"),
        ("currency", "", "$42.50", "42 dollars and 50 cents"),
        ("currency", "", "€1,200", "1200 euros"),
    ],
)
def test_say_as_in_english(kind: str, form: str, text: str, heard: str) -> None:
    assert read(f'<say-as interpret-as="{kind}" format="{form}">{text}</say-as>') == heard


def test_say_as_in_other_languages_leaves_words_to_the_engine() -> None:
    body = '<say-as interpret-as="date" format="dmy">19.10.2016</say-as>'
    assert read(body, voice="de-DE-KatjaNeural") == "19 10 2016"


def test_values_that_do_not_fit_are_spoken_as_written_with_a_warning() -> None:
    document = (
        '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">'
        '<say-as interpret-as="date" format="mdy">13/45/2016</say-as>'
        '<say-as interpret-as="galaxy">M31</say-as></voice></speak>'
    )
    utterance = parse(document, InputKind.SSML)
    assert utterance.text == "13/45/2016M31"
    assert len(utterance.warnings) == 2


def test_express_as_styles_change_how_the_text_is_spoken() -> None:
    document = (
        '<speak version="1.0" xmlns:mstts="http://www.w3.org/2001/mstts" xml:lang="en-US">'
        '<voice name="en-US-JennyNeural"><mstts:express-as style="sad">Oh no.</mstts:express-as>'
        '<mstts:express-as style="excited" styledegree="2">Yes!</mstts:express-as></voice></speak>'
    )
    utterance = parse(document, InputKind.SSML)
    sad, excited = (s for s in utterance.segments if isinstance(s, Speak))
    assert sad.prosody.rate < 1.0 and sad.prosody.volume < 1.0
    assert excited.prosody.rate > 1.2 and excited.prosody.pitch > 1.2
    assert any('"sad"' in w and "approximated" in w for w in utterance.warnings)


def test_a_style_the_voices_cannot_do_is_spoken_plainly_with_a_warning() -> None:
    document = (
        '<speak version="1.0" xmlns:mstts="http://www.w3.org/2001/mstts" xml:lang="en-US">'
        '<voice name="en-US-JennyNeural"><mstts:express-as style="poetry-reading">Hi.'
        "</mstts:express-as></voice></speak>"
    )
    utterance = parse(document, InputKind.SSML)
    (spoken,) = (s for s in utterance.segments if isinstance(s, Speak))
    assert spoken.prosody == Prosody()
    assert any("spoken plainly" in w for w in utterance.warnings)
