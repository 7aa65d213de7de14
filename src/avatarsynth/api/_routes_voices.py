"""``GET /cognitiveservices/voices/list``: Azure's voice list, plus the engine behind each voice."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from avatarsynth.api._services import OwnerDep
from avatarsynth.speech import Voice, engine_name, voices

router = APIRouter(prefix="/cognitiveservices/voices")


def _entry(voice: Voice) -> dict[str, Any]:
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
        "SampleRateHertz": "22050",
        "VoiceType": voice.voice_type,
        "Status": "GA",
        "Engine": engine_name(voice.locale),
    }


@router.get("/list")
def voice_list(owner: OwnerDep) -> list[dict[str, Any]]:
    """Every Azure voice name accepted here; ``Engine`` says which local engine speaks it."""
    return [_entry(voice) for voice in voices()]
