"""A job's request, validated and normalised: what every API version's body becomes."""

from __future__ import annotations

import dataclasses
import enum
import json
from dataclasses import dataclass, field
from typing import Any

from avatarsynth.delivery import Destination
from avatarsynth.frame import rgba


class Flavor(enum.StrEnum):
    """Which generation of Azure's API created a job; it decides the job's JSON and summary."""

    CURRENT = "2024-08-01"
    LEGACY = "3.1-preview1"
    AUDIO = "2024-04-01"


@dataclass(frozen=True)
class SynthesisConfig:
    """``synthesisConfig``: the voice of plain-text inputs and its prosody."""

    voice: str
    style: str | None = None
    rate: str | None = None
    pitch: str | None = None
    volume: str | None = None


@dataclass(frozen=True)
class AvatarConfig:
    """``avatarConfig`` with every default filled in."""

    character: str
    style: str
    video_format: str
    video_codec: str
    """Azure's default for the format when none was asked (``video.default_codec``)."""
    customized: bool = False
    bitrate_kbps: int = 2000
    subtitle_type: str = "soft_embedded"
    background_color: str = "#FFFFFFFF"
    background_image: str | None = None
    use_built_in_voice: bool = False
    video_crop: tuple[int, int, int, int] | None = None
    """``videoCrop`` as (left, top, right, bottom) in source pixels."""
    photo_base_model: str | None = None
    """``photoAvatarBaseModel`` (``vasa-1``): set for photo avatars, whose ``character`` is a
    registered portrait's name and whose ``style`` is empty."""
    scene: dict[str, float] | None = None
    """``scene`` of a photo avatar, every field filled in (Azure's names)."""
    portrait: str | None = None
    """Where the photo avatar's registered portrait was found at create time (not echoed)."""
    resolution: tuple[int, int] | None = None
    """``resolution`` as (width, height); None is 1920×1080."""
    avatar_size: tuple[int, int] | None = None
    """``avatarSize`` as (width, height): the presenter is framed as in a video of that size;
    None is the frame's size."""
    avatar_position: tuple[int, int] | None = None
    """``avatarPosition`` as (x, y): where the top-left corner of ``avatar_size`` lies in the
    frame; None centres it at the bottom edge."""

    @property
    def background_rgba(self) -> tuple[int, int, int, int]:
        """``#RRGGBBAA`` (or ``transparent``) as four bytes."""
        if self.background_color.lower() == "transparent":
            return (0, 0, 0, 0)
        return rgba(self.background_color)


@dataclass(frozen=True)
class AudioConfig:
    """The audio batch API's ``properties``."""

    output_format: str
    concatenate: bool = False
    word_boundaries: bool = False
    sentence_boundaries: bool = False


@dataclass(frozen=True)
class JobSpec:
    """Everything a job was asked to do; stored as JSON with the job."""

    flavor: Flavor
    input_kind: str
    inputs: tuple[str, ...]
    avatar: AvatarConfig | None = None
    audio: AudioConfig | None = None
    synthesis: SynthesisConfig | None = None
    custom_voices: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    display_name: str | None = None
    ttl_hours: int = 744
    custom_properties: dict[str, str] = field(default_factory=dict)
    destination_url: str | None = None
    """``destinationContainerUrl``: results are also written there. Never echoed (a secret)."""
    destination_path: str = ""
    webhook_url: str | None = None
    """``properties.webhookUrl`` (an extension): called when the job finishes."""

    @property
    def destination(self) -> Destination | None:
        """The caller's container, if results go there too."""
        if self.destination_url is None:
            return None
        return Destination(self.destination_url, self.destination_path)

    def to_json(self) -> str:
        """The form kept in the job table."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> JobSpec:
        """Rebuild a spec read back from the job table."""
        data: dict[str, Any] = json.loads(text)
        avatar, audio, synthesis = data["avatar"], data["audio"], data["synthesis"]
        return cls(
            **{
                **data,
                "flavor": Flavor(data["flavor"]),
                "inputs": tuple(data["inputs"]),
                "avatar": _avatar_config(avatar) if avatar else None,
                "audio": AudioConfig(**audio) if audio else None,
                "synthesis": SynthesisConfig(**synthesis) if synthesis else None,
            }
        )


def _avatar_config(data: dict[str, Any]) -> AvatarConfig:
    """JSON keeps the crop and the size as lists; the spec holds tuples, so equal specs compare
    equal."""
    tuples = {name: tuple(data[name]) if data.get(name) else None for name in _TUPLES}
    return AvatarConfig(**{**data, **tuples})


_TUPLES = ("video_crop", "resolution", "avatar_size", "avatar_position")
