"""A job as pipeline work: which requests to run, into which files, covering which inputs.

Video jobs make one file per input (``0001.mp4`` …). Audio jobs make one per input too, or one
for all of them when ``concatenateResult`` is set. Create-time checks run the same requests
through the pipeline's validation, so what is accepted is exactly what will be rendered.
Transparency is decided here, once: ``EncodeOptions.alpha``, which the pipeline passes to the
backdrop as well as the encoder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from avatarsynth.config import Settings
from avatarsynth.delivery import check_destination
from avatarsynth.errors import InvalidRequest, UnknownVoice
from avatarsynth.fetch import SAFE, FetchPolicy, check_source
from avatarsynth.frame import Box
from avatarsynth.jobs._spec import AvatarConfig, JobSpec, SynthesisConfig
from avatarsynth.jobs._targets import field_of
from avatarsynth.photo import Scene
from avatarsynth.pipeline import AnyRequest, PhotoAvatar, RenderRequest, SpeakRequest
from avatarsynth.script import InputKind, ProsodyRequest
from avatarsynth.video import EncodeOptions, audio_format

Check = Callable[[AnyRequest], object]


@dataclass(frozen=True)
class WorkItem:
    """One pipeline request and the file it makes."""

    request: AnyRequest
    file_name: str
    inputs: tuple[int, ...]


def _synthesis(spec: JobSpec) -> SynthesisConfig:
    return spec.synthesis or SynthesisConfig(voice="")


def _prosody(spec: JobSpec) -> ProsodyRequest:
    synthesis = _synthesis(spec)
    return ProsodyRequest(synthesis.rate, synthesis.pitch, synthesis.volume)


def fetch_policy(settings: Settings) -> FetchPolicy:
    """What the operator lets requests make the server fetch (``backgroundImage``)."""
    return FetchPolicy(
        allow_http=settings.fetch_allow_http,
        allow_private=settings.fetch_allow_private,
        local_dir=settings.background_dir,
        max_bytes=settings.fetch_max_bytes,
    )


PHOTO_SIZE = (512, 512)
"""Azure's photo avatars are 512×512, head and shoulders."""


def _photo(avatar: AvatarConfig) -> PhotoAvatar | None:
    """The photo avatar a spec asks for; its portrait was found when the job was created."""
    if avatar.photo_base_model is None:
        return None
    scene = avatar.scene or {}
    return PhotoAvatar(
        portrait_path=avatar.portrait or "",
        scene=Scene(
            zoom=scene.get("zoom", 1.0),
            position_x=scene.get("positionX", 0.0),
            position_y=scene.get("positionY", 0.0),
            rotation_x=scene.get("rotationX", 0.0),
            rotation_y=scene.get("rotationY", 0.0),
            rotation_z=scene.get("rotationZ", 0.0),
            amplitude=scene.get("amplitude", 1.0),
        ),
    )


def _video_request(spec: JobSpec, index: int, policy: FetchPolicy) -> RenderRequest:
    assert spec.avatar is not None
    photo = _photo(spec.avatar)
    width, height = _size(spec, photo is not None)
    return RenderRequest(
        content=spec.inputs[index],
        input_kind=InputKind(spec.input_kind),
        voice=_synthesis(spec).voice,
        character=spec.avatar.character,
        style=spec.avatar.style,
        prosody=_prosody(spec),
        background_rgba=spec.avatar.background_rgba,
        background_image=spec.avatar.background_image,
        fetch_policy=policy,
        video=EncodeOptions(
            container=spec.avatar.video_format,
            codec=spec.avatar.video_codec,
            bitrate_kbps=spec.avatar.bitrate_kbps,
            alpha=spec.avatar.background_rgba[3] < 255,
            crop=Box(*spec.avatar.video_crop) if spec.avatar.video_crop else None,
            width=width,
            height=height,
        ),
        soft_subtitles=spec.avatar.subtitle_type == "soft_embedded",
        burnt_subtitles=spec.avatar.subtitle_type == "hard_embedded",
        photo=photo,
        avatar_area=_area(spec.avatar, width, height),
    )


def _area(avatar: AvatarConfig, width: int, height: int) -> Box | None:
    """Where the drawn presenter is framed (``avatarSize`` at ``avatarPosition``): by default
    the frame's size, centred on the bottom edge; None when neither was asked."""
    if avatar.avatar_size is None and avatar.avatar_position is None:
        return None
    w, h = avatar.avatar_size or (width, height)
    x, y = avatar.avatar_position or ((width - w) // 2, height - h)
    return Box(x, y, x + w, y + h)


def _size(spec: JobSpec, photo: bool) -> tuple[int, int]:
    """The frame size asked for (``resolution``), or Azure's: 512×512 for a photo avatar,
    1920×1080 for a drawn one."""
    assert spec.avatar is not None
    default = PHOTO_SIZE if photo else (EncodeOptions.width, EncodeOptions.height)
    return spec.avatar.resolution or default


def _speak_request(spec: JobSpec, indices: tuple[int, ...]) -> SpeakRequest:
    assert spec.audio is not None
    return SpeakRequest(
        contents=tuple(spec.inputs[i] for i in indices),
        input_kind=InputKind(spec.input_kind),
        voice=_synthesis(spec).voice,
        audio_format=spec.audio.output_format,
        prosody=_prosody(spec),
    )


def _per_input(spec: JobSpec, index: int, policy: FetchPolicy) -> WorkItem:
    if spec.audio is not None:
        extension = audio_format(spec.audio.output_format).extension
        return WorkItem(_speak_request(spec, (index,)), f"{index + 1:04d}.{extension}", (index,))
    assert spec.avatar is not None
    name = f"{index + 1:04d}.{spec.avatar.video_format}"
    return WorkItem(_video_request(spec, index, policy), name, (index,))


def work_items(spec: JobSpec, policy: FetchPolicy = SAFE) -> list[WorkItem]:
    """What a worker runs for a job, in order."""
    if spec.audio is not None and spec.audio.concatenate:
        every = tuple(range(len(spec.inputs)))
        extension = audio_format(spec.audio.output_format).extension
        return [WorkItem(_speak_request(spec, every), f"0001.{extension}", every)]
    return [_per_input(spec, index, policy) for index in range(len(spec.inputs))]


def _named(target: str, check: Callable[[], object]) -> None:
    """Run an address check; its error names the field that gave the address."""
    try:
        check()
    except InvalidRequest as exc:
        raise InvalidRequest(f"{target}: {exc.message}", target=target) from exc


def check_inputs(spec: JobSpec, check: Check, policy: FetchPolicy = SAFE) -> None:
    """Run the pipeline's own checks on every input; name the field of this API version that
    set the option an error names (``_targets``). A voice the engines lack is the input's
    fault when SSML names it, ``synthesisConfig.voice``'s for plain text."""
    if spec.destination_url is not None:
        url, path = spec.destination_url, spec.destination_path
        _named("properties.destinationContainerUrl", lambda: check_destination(url, path, policy))
    if spec.webhook_url is not None:
        webhook = spec.webhook_url
        _named("properties.webhookUrl", lambda: check_source(webhook, policy))
    for index in range(len(spec.inputs)):
        try:
            check(_per_input(spec, index, policy).request)
        except InvalidRequest as exc:
            option = exc.option
            if isinstance(exc, UnknownVoice) and spec.input_kind == "PlainText":
                option = "voice"
            target = field_of(spec, option, index)
            raise type(exc)(f"{target}: {exc.message}", target=target) from exc
