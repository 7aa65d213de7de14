"""Every Azure voice name is cast to a local voice: by locale, never against its gender, spread
over the voices there are, and the same way every time."""

from __future__ import annotations

from collections import defaultdict

import pytest

from avatarsynth.avatar import catalog, default_voice
from avatarsynth.speech import cast, resolve, voices


def test_every_azure_name_has_a_local_voice_of_its_gender() -> None:
    assert len(voices()) == 745
    for voice in voices():
        local = cast(voice)
        expected = "Male" if voice.gender == "Male" else "Female"
        assert local.gender == expected, (voice.name, local)


@pytest.mark.parametrize(
    ("name", "engine", "language"),
    [
        ("en-US-AvaMultilingualNeural", "kokoro", "en-us"),
        ("en-CA-ClaraNeural", "kokoro", "en-us"),
        ("en-GB-SoniaNeural", "kokoro", "en"),
        ("en-AU-NatashaNeural", "kokoro", "en"),
        ("en-IN-NeerjaNeural", "kokoro", "en"),
        ("es-MX-DaliaNeural", "kokoro", "es"),
        ("fr-FR-DeniseNeural", "kokoro", "fr"),
        ("fr-FR-HenriNeural", "espeak-ng", "fr"),
        ("pt-PT-RaquelNeural", "kokoro", "pt-br"),
        ("zh-CN-XiaoxiaoNeural", "kokoro", "cmn"),
        ("zh-HK-HiuMaanNeural", "espeak-ng", "yue"),
        ("ja-JP-NanamiNeural", "kokoro", "ja"),
        ("de-DE-KatjaNeural", "espeak-ng", "de"),
    ],
)
def test_locale_decides_the_engine_and_language(name: str, engine: str, language: str) -> None:
    local = cast(resolve(name).voice)
    assert (local.engine, local.language) == (engine, language)


def test_names_of_one_locale_and_gender_are_spread_over_the_voices() -> None:
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for voice in voices():
        if voice.locale in ("en-US", "en-GB", "hi-IN", "ja-JP"):
            used[voice.locale, voice.gender].add(cast(voice).name)
    assert len(used["en-US", "Female"]) == 5  # af_heart … af_sarah, never af_nicole
    assert len(used["en-US", "Male"]) == 4  # three Kokoro voices and Piper's joe
    assert len(used["en-GB", "Female"]) == len(used["en-GB", "Male"]) == 2
    assert len(used["hi-IN", "Female"]) == 2 and len(used["ja-JP", "Female"]) == 3
    featured = [cast(resolve(f"en-US-{n}Neural").voice).name for n in ("Jenny", "Aria")]
    assert cast(resolve("en-US-AvaMultilingualNeural").voice).name == "af_heart"
    assert len({*featured, "af_heart"}) == 3, "Ava, Jenny and Aria sound different"


def test_a_multilingual_voice_keeps_its_gender_in_another_language() -> None:
    ava, andrew = (resolve(f"en-US-{n}MultilingualNeural").voice for n in ("Ava", "Andrew"))
    assert cast(ava, "es-ES").name.startswith("ef_") and cast(andrew, "es-ES").name == "em_alex"
    assert cast(ava, "de-DE").label == "espeak-ng de (female)"
    assert cast(andrew, "fr-FR").label == "espeak-ng fr (male)"


def test_the_casting_is_stable() -> None:
    first = [cast(v).label for v in voices()]
    assert first == [cast(v).label for v in voices()]


def test_piper_joe_still_speaks_an_american_male_name() -> None:
    joes = [v.name for v in voices() if cast(v).engine == "piper"]
    assert joes and all(resolve(n).voice.locale == "en-US" for n in joes)
    assert all(resolve(n).voice.gender == "Male" for n in joes)


@pytest.mark.parametrize(
    ("character", "gender"),
    [
        *(("lisa", "Female"), ("lori", "Female"), ("meg", "Female")),
        *(("celine", "Female"), ("nia", "Female")),
        *(("harry", "Male"), ("jeff", "Male"), ("max", "Male")),
        *(("rowan", "Male"), ("malik", "Male")),
    ],
)
def test_characters_default_to_a_voice_of_their_gender(character: str, gender: str) -> None:
    assert character in catalog()
    assert resolve(default_voice(character)).voice.gender == gender
