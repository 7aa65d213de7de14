"""Where each pipeline option lives in each API version's body: the envelope's ``target``.

Stages raise ``InvalidRequest(option=…)`` naming the option they were given (the field of
``RenderRequest``, ``SpeakRequest`` or ``video.EncodeOptions``); these tables say which field
of the request set it. An error that names no option is about an input's text.
"""

from __future__ import annotations

from avatarsynth.jobs._spec import Flavor, JobSpec


def _avatar_fields(prefix: str) -> dict[str, str]:
    return {
        "character": f"{prefix}.talkingAvatarCharacter",
        "style": f"{prefix}.talkingAvatarStyle",
        "codec": f"{prefix}.videoCodec",
        "alpha": f"{prefix}.backgroundColor",
        "background_image": f"{prefix}.backgroundImage",
        "crop": f"{prefix}.videoCrop",
        "voice": "synthesisConfig.voice",
    }


FIELDS: dict[Flavor, dict[str, str]] = {
    Flavor.CURRENT: _avatar_fields("avatarConfig"),
    Flavor.LEGACY: _avatar_fields("properties"),
    Flavor.AUDIO: {"audio_format": "properties.outputFormat", "voice": "synthesisConfig.voice"},
}


def field_of(spec: JobSpec, option: str | None, index: int) -> str:
    """The request field behind ``option``, or input ``index``'s text when there is none."""
    found = FIELDS[spec.flavor].get(option or "")
    if found is not None:
        return found
    text = "text" if spec.flavor is Flavor.LEGACY else "content"
    return f"inputs[{index}].{text}"
