"""Create bodies of both API generations → a :class:`JobSpec`, or a 400 naming the field.

Azure's rules (docs/api.md): names and enum values case-insensitive, unknown properties
ignored, defaults filled in. Every input is also parsed by the pipeline here, so bad SSML, an
unknown voice or avatar is refused at create time instead of failing the job later.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from avatarsynth.errors import InvalidRequest
from avatarsynth.frame import rgba
from avatarsynth.jobs._fields import Fields, iso_duration_hours
from avatarsynth.jobs._spec import AudioConfig, AvatarConfig, Flavor, JobSpec, SynthesisConfig
from avatarsynth.jobs._targets import FIELDS
from avatarsynth.video import CODECS, CONTAINERS, DEFAULT_AUDIO_FORMAT, audio_format, default_codec

MAX_INPUTS = 1000
MAX_AUDIO_INPUTS = 10_000
MAX_TTL_HOURS = 744
INPUT_KINDS = ("PlainText", "SSML")
SUBTITLE_TYPES = ("soft_embedded", "hard_embedded", "external_file", "none")
MAX_CROP_PX = 100_000
MAX_AVATAR_SIZE_PX = 7680
MIN_AVATAR_SHOWN_PX = 64
PHOTO_BASE_MODELS = ("vasa-1",)
_SCENE_RANGES = {
    # name: (default, low, high, whether low itself is out of range)
    "zoom": (1.0, 0.0, 100.0, True),
    "positionX": (0.0, -1.0, 1.0, False),
    "positionY": (0.0, -1.0, 1.0, False),
    "rotationX": (0.0, -math.pi, math.pi, False),
    "rotationY": (0.0, -math.pi, math.pi, False),
    "rotationZ": (0.0, -math.pi, math.pi, False),
    "amplitude": (1.0, 0.0, 1.0, True),
}


def _background(config: Fields) -> str:
    """``#RRGGBBAA`` or ``transparent``; whether the codec can carry alpha is checked with the
    other video options (``video.EncodeOptions``), so the 400 names the same field."""
    color = config.string("backgroundColor", "#FFFFFFFF") or "#FFFFFFFF"
    target = config.target("backgroundColor")
    if color.lower() == "transparent":
        return color
    try:
        rgba(color)
    except ValueError:
        raise InvalidRequest(
            f"{target} must be #RRGGBBAA or transparent; got '{color}'.", target=target
        ) from None
    return color


def _background_image(config: Fields) -> str | None:
    """A URL or a file name; whether it may be fetched is the pipeline's check."""
    image = config.string("backgroundImage")
    if image is None or not image.strip():
        return None
    if len(image) > 2048:
        target = config.target("backgroundImage")
        raise InvalidRequest(f"{target} is longer than 2048 characters.", target=target)
    return image.strip()


def _corner(crop: Fields, name: str) -> tuple[int, int]:
    corner = crop.child(name, required=True)
    assert corner is not None  # child() raised otherwise
    return (corner.integer("x", 0, 0, MAX_CROP_PX), corner.integer("y", 0, 0, MAX_CROP_PX))


def _crop(config: Fields) -> tuple[int, int, int, int] | None:
    """``videoCrop`` as (left, top, right, bottom); whether it fits the frame is checked with
    the other video options (``video.EncodeOptions``)."""
    crop = config.child("videoCrop")
    if crop is None:
        return None
    for name in ("topLeft", "bottomRight"):
        if not crop.has(name):
            target = config.target("videoCrop")
            raise InvalidRequest(f"{target} needs both topLeft and bottomRight.", target=target)
    return (*_corner(crop, "topLeft"), *_corner(crop, "bottomRight"))


def _resolution(config: Fields) -> tuple[int, int] | None:
    """``resolution`` {x, y}: the frame size, 320 to 3840 pixels a side, even (4:2:0 video);
    the presenter is re-framed for its shape. Absent: Azure's 1920×1080."""
    size = config.child("resolution")
    if size is None:
        return None
    width, height = size.integer("x", 0, 320, 3840), size.integer("y", 0, 320, 3840)
    for name, value in (("x", width), ("y", height)):
        if value % 2:
            target = size.target(name)
            raise InvalidRequest(f"{target} must be even (4:2:0 video).", target=target)
    return width, height


def _placement(
    config: Fields, resolution: tuple[int, int] | None, photo: bool
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """``avatarSize`` and ``avatarPosition`` {x, y}, in pixels: the drawn presenter is framed
    as in a video of that size (64 to 7680 a side; larger than the frame zooms in) whose
    top-left corner lies at that position of the frame (negative: beyond the left or top
    edge), cut to it; at least 64 × 64 pixels of it stay in the frame."""
    size, position = config.child("avatarSize"), config.child("avatarPosition")
    if photo and (size or position):
        name = "avatarSize" if size else "avatarPosition"
        target = config.target(name)
        raise InvalidRequest(
            f"{target} applies to drawn avatars; use scene for a photo avatar.", target=target
        )
    width, height = resolution or (1920, 1080)
    asked = None
    if size is not None:
        low, high = MIN_AVATAR_SHOWN_PX, MAX_AVATAR_SIZE_PX
        asked = (size.integer("x", 0, low, high), size.integer("y", 0, low, high))
    if position is None:
        return asked, None
    w, h = asked or (width, height)
    shown = MIN_AVATAR_SHOWN_PX
    x = position.integer("x", 0, shown - w, width - shown)
    y = position.integer("y", 0, shown - h, height - shown)
    return asked, (x, y)


def _bitrate(config: Fields) -> int:
    """``bitrateKbps``; the 3.1 API calls it ``kBitrate``."""
    name = "kBitrate" if config.has("kBitrate") and not config.has("bitrateKbps") else "bitrateKbps"
    return config.integer(name, 2000, 100, 100_000)


def _scene(config: Fields) -> dict[str, float]:
    """``scene`` with every field in range and filled in."""
    scene = config.child("scene") or Fields({}, config.target("scene"))
    return {
        name: scene.number(name, default, low, high, above_low=open_low)
        for name, (default, low, high, open_low) in _SCENE_RANGES.items()
    }


def _photo(config: Fields) -> tuple[str | None, dict[str, float] | None]:
    """``photoAvatarBaseModel`` and ``scene``: both or neither, and no style with them."""
    model = config.choice("photoAvatarBaseModel", PHOTO_BASE_MODELS)
    if model is None:
        if config.has("scene"):
            target = config.target("scene")
            raise InvalidRequest(
                f"{target} applies to photo avatars only (set photoAvatarBaseModel).",
                target=target,
            )
        return None, None
    if config.has("talkingAvatarStyle"):
        target = config.target("talkingAvatarStyle")
        raise InvalidRequest(
            f"{target} must not be set for a photo avatar (photoAvatarBaseModel is set).",
            target=target,
        )
    return model, _scene(config)


def _avatar(config: Fields) -> AvatarConfig:
    photo_model, scene = _photo(config)
    customized = config.boolean("customized", False)
    if customized and photo_model is None:
        raise InvalidRequest(
            f"{config.target('customized')}: custom video avatars are not available; use a "
            "standard character such as lisa, or a registered portrait as a photo avatar.",
            target=config.target("customized"),
        )
    subtitles = config.choice("subtitleType", SUBTITLE_TYPES, "soft_embedded") or ""
    video_format = config.choice("videoFormat", CONTAINERS, "mp4") or "mp4"
    codec = default_codec(video_format)
    video_codec = config.choice("videoCodec", CODECS, codec) or codec
    resolution = _resolution(config)
    avatar_size, avatar_position = _placement(config, resolution, photo_model is not None)
    return AvatarConfig(
        character=config.required_string("talkingAvatarCharacter").strip(),
        # A photo avatar has no style; nor do rowan, celine, nia and malik.
        style="" if photo_model else (config.string("talkingAvatarStyle") or "").strip(),
        customized=customized,
        photo_base_model=photo_model,
        scene=scene,
        video_format=video_format,
        video_codec=video_codec,
        bitrate_kbps=_bitrate(config),
        subtitle_type=subtitles,
        background_color=_background(config),
        background_image=_background_image(config),
        video_crop=_crop(config),
        resolution=resolution,
        avatar_size=avatar_size,
        avatar_position=avatar_position,
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


def _inputs(body: Fields, text_field: str, limit: int = MAX_INPUTS) -> tuple[str, ...]:
    contents = []
    for index, item in enumerate(body.array("inputs", 1, limit)):
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


def _input_kind(body: Fields, name: str) -> str:
    """``PlainText`` or ``SSML``, under the name each API generation gives it."""
    kind = body.choice(name, INPUT_KINDS)
    if kind is None:
        raise InvalidRequest(f"{name} is required (PlainText or SSML).", target=name)
    return kind


def current_spec(data: dict[str, Any]) -> JobSpec:
    """A ``2024-08-01`` / ``2024-04-15-preview`` create body."""
    body = Fields(data)
    input_kind = _input_kind(body, "inputKind")
    properties = body.child("properties") or Fields({}, "properties")
    destination = properties.string("destinationContainerUrl")
    path = (properties.string("destinationPath") or "").strip().strip("/")
    if path and not destination:
        raise InvalidRequest(
            "properties.destinationPath needs properties.destinationContainerUrl.",
            target="properties.destinationPath",
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
        destination_url=destination.strip() if destination else None,
        destination_path=path,
        webhook_url=_webhook(properties),
    )


def _webhook(properties: Fields) -> str | None:
    """``properties.webhookUrl``: an http(s) URL (the fetch rules check its address)."""
    url = properties.string("webhookUrl")
    if url is None:
        return None
    if urlsplit(url.strip()).scheme.lower() not in ("https", "http") or len(url) > 2000:
        raise InvalidRequest(
            "properties.webhookUrl must be an https URL.", target="properties.webhookUrl"
        )
    return url.strip()


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
    input_kind = _input_kind(body, "textType")
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


def _audio(properties: Fields) -> AudioConfig:
    name = properties.string("outputFormat") or DEFAULT_AUDIO_FORMAT
    try:
        output_format = audio_format(name).name
    except InvalidRequest as exc:
        target = FIELDS[Flavor.AUDIO][exc.option or "audio_format"]
        raise InvalidRequest(exc.message, target=target) from exc
    return AudioConfig(
        output_format=output_format,
        concatenate=properties.boolean("concatenateResult", False),
        word_boundaries=properties.boolean("wordBoundaryEnabled", False),
        sentence_boundaries=properties.boolean("sentenceBoundaryEnabled", False),
    )


def audio_spec(data: dict[str, Any]) -> JobSpec:
    """A ``2024-04-01`` audio batch synthesis create body."""
    body = Fields(data)
    input_kind = _input_kind(body, "inputKind")
    properties = body.child("properties") or Fields({}, "properties")
    return JobSpec(
        flavor=Flavor.AUDIO,
        input_kind=input_kind,
        inputs=_inputs(body, "content", MAX_AUDIO_INPUTS),
        audio=_audio(properties),
        synthesis=_synthesis(body, input_kind),
        custom_voices=_custom_voices(body),
        description=body.string("description"),
        ttl_hours=properties.integer("timeToLiveInHours", MAX_TTL_HOURS, 1, MAX_TTL_HOURS),
    )
