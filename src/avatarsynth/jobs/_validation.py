"""Create bodies of both API generations → a :class:`JobSpec`, or a 400 naming the field.

Azure's rules (docs/api.md): names and enum values case-insensitive, unknown properties
ignored, defaults filled in. Every input is also parsed by the pipeline here, so bad SSML, an
unknown voice or avatar is refused at create time instead of failing the job later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from avatarsynth.errors import InvalidRequest, UnknownAvatar, UnknownVoice
from avatarsynth.jobs._fields import Fields, iso_duration_hours
from avatarsynth.jobs._spec import AvatarConfig, Flavor, JobSpec, SynthesisConfig
from avatarsynth.pipeline import RenderRequest
from avatarsynth.script import InputKind, ProsodyRequest
from avatarsynth.video import EncodeOptions

MAX_INPUTS = 1000
MAX_TTL_HOURS = 744
INPUT_KINDS = ("PlainText", "SSML")
VIDEO_FORMATS = ("mp4", "webm")
VIDEO_CODECS = ("h264", "hevc", "vp9", "av1")
SUBTITLE_TYPES = ("soft_embedded", "hard_embedded", "external_file", "none")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{8}$")
# Options Azure has that this release cannot honour yet: refused, never silently ignored.
_NOT_YET = {
    "backgroundImage": "background images are not supported yet; use backgroundColor",
    "videoCrop": "videoCrop is not supported yet",
    "photoAvatarBaseModel": "photo avatars are not supported yet",
}

Check = Callable[[RenderRequest], object]


def _background(config: Fields) -> str:
    color = config.string("backgroundColor", "#FFFFFFFF") or "#FFFFFFFF"
    target = config.target("backgroundColor")
    if color.lower() != "transparent" and not _COLOR.match(color):
        raise InvalidRequest(
            f"{target} must be #RRGGBBAA or transparent; got '{color}'.", target=target
        )
    if color.lower() == "transparent" or color[-2:].upper() != "FF":
        raise InvalidRequest(
            f"{target}: transparent backgrounds (alpha below FF) are not supported yet.",
            target=target,
        )
    return color


def _avatar(config: Fields, *, style_required: bool = True) -> AvatarConfig:
    for name, reason in _NOT_YET.items():
        if config.has(name):
            raise InvalidRequest(f"{config.target(name)}: {reason}.", target=config.target(name))
    if config.boolean("customized", False):
        raise InvalidRequest(
            f"{config.target('customized')}: custom avatars are not available; use a standard "
            "character such as lisa.",
            target=config.target("customized"),
        )
    video_format = config.choice("videoFormat", VIDEO_FORMATS, "mp4") or "mp4"
    default_codec = "hevc" if video_format == "mp4" else "vp9"
    video_codec = config.choice("videoCodec", VIDEO_CODECS, default_codec) or default_codec
    return AvatarConfig(
        character=config.required_string("talkingAvatarCharacter").strip(),
        style=config.required_string("talkingAvatarStyle").strip(),
        video_format=video_format,
        video_codec=video_codec,
        bitrate_kbps=config.integer("bitrateKbps", 2000, 100, 100_000),
        subtitle_type=config.choice("subtitleType", SUBTITLE_TYPES, "soft_embedded") or "",
        background_color=_background(config),
        use_built_in_voice=config.boolean("useBuiltInVoice", False),
    )


def _synthesis(body: Fields, input_kind: str) -> SynthesisConfig | None:
    config = body.child("synthesisConfig", required=input_kind == "PlainText")
    if config is None:
        return None
    return SynthesisConfig(
        voice=config.required_string("voice").strip(),
        style=config.string("style"),
        rate=config.string("rate"),
        pitch=config.string("pitch"),
        volume=config.string("volume"),
    )


def _inputs(body: Fields, text_field: str) -> tuple[str, ...]:
    contents = []
    for index, item in enumerate(body.array("inputs", 1, MAX_INPUTS)):
        entry = Fields(item, f"inputs[{index}]")
        contents.append(entry.required_string(text_field))
    return tuple(contents)


def _custom_voices(body: Fields) -> dict[str, str]:
    voices = body.string_map("customVoices", 100)
    if voices:
        raise InvalidRequest(
            "customVoices: custom voice deployments are not available offline; "
            "use a standard voice name.",
            target="customVoices",
        )
    return voices


def current_spec(data: dict[str, Any]) -> JobSpec:
    """A ``2024-08-01`` / ``2024-04-15-preview`` create body."""
    body = Fields(data)
    input_kind = body.choice("inputKind", INPUT_KINDS)
    if input_kind is None:
        raise InvalidRequest("inputKind is required (PlainText or SSML).", target="inputKind")
    properties = body.child("properties") or Fields({}, "properties")
    for name in ("destinationContainerUrl", "destinationPath"):
        if properties.has(name):
            raise InvalidRequest(
                f"properties.{name}: writing into a blob container is not supported yet.",
                target=f"properties.{name}",
            )
    return JobSpec(
        flavor=Flavor.CURRENT,
        input_kind=input_kind,
        inputs=_inputs(body, "content"),
        avatar=_avatar(body.required_child("avatarConfig")),
        synthesis=_synthesis(body, input_kind),
        custom_voices=_custom_voices(body),
        description=body.string("description"),
        ttl_hours=properties.integer("timeToLiveInHours", MAX_TTL_HOURS, 1, MAX_TTL_HOURS),
    )


def _legacy_ttl(properties: Fields) -> int:
    value = properties.string("timeToLive")
    if value is None:
        return MAX_TTL_HOURS
    hours = iso_duration_hours(value, "properties.timeToLive")
    if not 0 < hours <= MAX_TTL_HOURS:
        raise InvalidRequest(
            "properties.timeToLive must be more than zero and at most P31D.",
            target="properties.timeToLive",
        )
    return max(1, round(hours))


def legacy_spec(data: dict[str, Any]) -> JobSpec:
    """A ``3.1-preview1`` talking-avatar create body."""
    body = Fields(data)
    input_kind = body.choice("textType", INPUT_KINDS)
    if input_kind is None:
        raise InvalidRequest("textType is required (PlainText or SSML).", target="textType")
    properties = body.required_child("properties")
    return JobSpec(
        flavor=Flavor.LEGACY,
        input_kind=input_kind,
        inputs=_inputs(body, "text"),
        avatar=_avatar(properties),
        synthesis=_synthesis(body, input_kind),
        custom_voices=_custom_voices(body),
        description=body.string("description"),
        display_name=body.required_string("displayName"),
        ttl_hours=_legacy_ttl(properties),
        custom_properties=body.string_map("customProperties", 10),
    )


def render_request(spec: JobSpec, index: int) -> RenderRequest:
    """What the pipeline needs to make input ``index`` of a job."""
    synthesis = spec.synthesis or SynthesisConfig(voice="")
    return RenderRequest(
        content=spec.inputs[index],
        input_kind=InputKind(spec.input_kind),
        voice=synthesis.voice,
        character=spec.avatar.character,
        style=spec.avatar.style,
        prosody=ProsodyRequest(synthesis.rate, synthesis.pitch, synthesis.volume),
        background_rgba=spec.avatar.background_rgba,
        video=EncodeOptions(
            container=spec.avatar.video_format,
            codec=spec.avatar.video_codec,
            bitrate_kbps=spec.avatar.bitrate_kbps,
        ),
    )


def _avatar_target(spec: JobSpec) -> str:
    return "properties" if spec.flavor is Flavor.LEGACY else "avatarConfig"


def check_inputs(spec: JobSpec, check: Check) -> None:
    """Run the pipeline's own checks on every input; re-target errors at the right field."""
    text_field = "text" if spec.flavor is Flavor.LEGACY else "content"
    for index in range(len(spec.inputs)):
        try:
            request = render_request(spec, index)
            check(request)
        except UnknownAvatar as exc:
            raise UnknownAvatar(exc.message, target=_avatar_target(spec)) from exc
        except UnknownVoice as exc:
            voice_field = "synthesisConfig.voice" if spec.input_kind == "PlainText" else None
            target = voice_field or f"inputs[{index}].{text_field}"
            raise UnknownVoice(exc.message, target=target) from exc
        except InvalidRequest as exc:
            if exc.target and exc.target.startswith("properties.avatarConfig."):
                field = exc.target.rsplit(".", 1)[-1]
                raise InvalidRequest(exc.message, target=f"{_avatar_target(spec)}.{field}") from exc
            raise InvalidRequest(
                f"inputs[{index}]: {exc.message}", target=f"inputs[{index}].{text_field}"
            ) from exc
