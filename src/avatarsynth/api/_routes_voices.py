"""``GET /cognitiveservices/voices/list``: Azure's voice list, plus the local voice behind each."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from avatarsynth.api._services import OwnerDep
from avatarsynth.speech import SAMPLE_RATES, Voice, cast, voices

router = APIRouter(prefix="/cognitiveservices/voices")


def _entry(voice: Voice) -> dict[str, Any]:
    local = cast(voice)
    short = voice.name[len(voice.locale) + 1 :]
    return {
        "Name": f"Microsoft Server Speech Text to Speech Voice ({voice.locale}, {short})",
        "DisplayName": voice.display_name,
        "LocalName": voice.display_name,
        "ShortName": voice.name,
        "Gender": voice.gender,
        "Locale": voice.locale,
        "LocaleName": voice.locale_name,
        **({"StyleList": list(voice.styles)} if voice.styles else {}),
        "SampleRateHertz": str(SAMPLE_RATES[local.engine]),
        "VoiceType": voice.voice_type,
        "Status": "GA",
        "Engine": local.engine,
        "LocalVoice": local.name,
    }


@router.get("/list")
def voice_list(owner: OwnerDep) -> list[dict[str, Any]]:
    """Every Azure voice name; ``Engine`` and ``LocalVoice`` say which local voice speaks it."""
    return [_entry(voice) for voice in voices()]
