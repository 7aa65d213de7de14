"""The wire shapes as pydantic models, for the OpenAPI document only.

Requests are read by ``jobs`` (case-insensitive names, unknown ones ignored, every wrong field a
400 that names it) and responses are written by ``_wire``; these models describe both to
readers and to clients' generators, and a test holds the responses to them. Extra fields are
allowed everywhere: Azure clients ignore unknown fields, and extensions are additive.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["NotStarted", "Running", "Succeeded", "Failed"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---- Errors ---------------------------------------------------------------------------------


class ErrorDetail(_Open):
    code: str = Field(examples=["BadArgument"])
    message: str = Field(examples=["avatarConfig.videoCodec: 'vp9' does not go in mp4."])
    target: str | None = Field(None, examples=["avatarConfig.videoCodec"])


class ErrorEnvelope(_Open):
    """Every 4xx and 5xx, with ``x-ms-error-code`` equal to ``error.code``."""

    error: ErrorDetail


class JobError(_Open):
    code: str | None
    message: str | None


# ---- Shared parts ---------------------------------------------------------------------------


class Progress(_Open):
    """How far a job's render has come (an extension; absent before it starts). Only ever
    larger; below 100 while running, 100 once ``Succeeded``; absent on a ``Failed`` job."""

    percent: float = Field(ge=0, le=100, examples=[42.5])
    stage: str = Field(
        description="speech, video, joining or uploading while running; done once Succeeded.",
        examples=["video"],
    )
    framesDone: int = Field(ge=0, description="Frames encoded so far (0 for audio jobs).")
    framesTotal: int = Field(
        ge=0, description="Frames of the inputs whose video stage began (0 for audio jobs)."
    )


class Input(_Open):
    content: str = Field(min_length=1, description="Plain text (paragraphs split by CRLF) or SSML.")


class SynthesisConfig(_Open):
    voice: str | None = Field(None, examples=["en-US-AvaMultilingualNeural"])
    style: str | None = None
    rate: str | None = Field(None, description="SSML prosody rate; invalid values are ignored.")
    pitch: str | None = None
    volume: str | None = None


class Point(_Open):
    x: int
    y: int


class VideoCrop(_Open):
    topLeft: Point
    bottomRight: Point


class Outputs(_Open):
    """Signed, expiring URLs (or, with a destination container, the folder written there)."""

    result: str
    summary: str | None = None
    subtitle: str | None = Field(None, description="With subtitleType external_file: the SRT.")


class Operation(_Open):
    id: str
    status: Status


# ---- Avatar batch synthesis, 2024-08-01 -------------------------------------------------------


class AvatarConfigIn(_Open):
    talkingAvatarCharacter: str = Field(examples=["lisa"])
    talkingAvatarStyle: str | None = Field(None, examples=["casual-sitting"])
    customized: bool = False
    videoFormat: str = Field("mp4", description="mp4 or webm (case-insensitive).")
    videoCodec: str | None = Field(None, description="h264, hevc (mp4 default), vp9, av1.")
    bitrateKbps: int = 2000
    subtitleType: str = Field(
        "soft_embedded", description="soft_embedded, hard_embedded, external_file or none."
    )
    backgroundColor: str = Field("#FFFFFFFF", description="#RRGGBBAA or transparent.")
    backgroundImage: str | None = Field(None, description="An https URL, or an operator file.")
    videoCrop: VideoCrop | None = None
    resolution: Point | None = Field(None, description="The frame size, 320 to 3840 a side.")
    avatarSize: Point | None = Field(
        None, description="Frame the presenter as in a video of this size (64 to 7680)."
    )
    avatarPosition: Point | None = Field(
        None, description="Where that size's top-left corner lies in the frame, in pixels."
    )
    useBuiltInVoice: bool = False
    photoAvatarBaseModel: str | None = Field(None, description="vasa-1: a photo avatar.")
    scene: dict[str, float] | None = Field(None, description="Photo avatars: zoom, position…")


class AvatarProperties(_Open):
    timeToLiveInHours: int = Field(744, ge=0, le=744)
    destinationContainerUrl: str | None = Field(None, description="A container URL with SAS.")
    destinationPath: str | None = None
    webhookUrl: str | None = Field(
        None, description="Extension: called (signed) when the job finishes; https, public."
    )


class AvatarJobCreate(_Open):
    """Property names and enum values are matched case-insensitively."""

    inputKind: str = Field(description="PlainText or SSML (case-insensitive).")
    inputs: list[Input] = Field(min_length=1, max_length=1000)
    synthesisConfig: SynthesisConfig | None = Field(None, description="Required for PlainText.")
    customVoices: dict[str, str] | None = None
    description: str | None = None
    avatarConfig: AvatarConfigIn
    properties: AvatarProperties | None = None


class AvatarBilling(_Open):
    neuralCharacters: int
    talkingAvatarDurationSeconds: int


class AvatarJobProperties(_Open):
    timeToLiveInHours: int
    webhookUrl: str | None = None
    sizeInBytes: int | None = None
    durationInMilliseconds: int | None = None
    succeededCount: int | None = None
    failedCount: int | None = None
    billingDetails: AvatarBilling | None = None
    progress: Progress | None = None
    error: JobError | None = Field(None, description="On a Failed job.")


class AvatarConfigOut(_Open):
    """``avatarConfig`` as echoed: every default filled in."""

    talkingAvatarCharacter: str
    talkingAvatarStyle: str | None = Field(None, description="Absent for photo avatars.")
    videoFormat: Literal["Mp4", "Webm"]
    videoCodec: str
    subtitleType: str
    backgroundColor: str
    backgroundImage: str | None = None
    bitrateKbps: int
    customized: bool
    videoCrop: VideoCrop | None = None
    resolution: Point | None = Field(None, description="The frame size, 320 to 3840 a side.")
    avatarSize: Point | None = Field(
        None, description="Frame the presenter as in a video of this size (64 to 7680)."
    )
    avatarPosition: Point | None = Field(
        None, description="Where that size's top-left corner lies in the frame, in pixels."
    )
    photoAvatarBaseModel: str | None = None
    scene: dict[str, Any] | None = None


class _JobHead(_Open):
    id: str
    internalId: str
    status: Status
    createdDateTime: str = Field(examples=["2026-03-15T10:28:23.770Z"])
    lastActionDateTime: str
    inputKind: str
    description: str | None = None
    customVoices: dict[str, str]
    synthesisConfig: SynthesisConfig | None = None


class AvatarJob(_JobHead):
    properties: AvatarJobProperties
    avatarConfig: AvatarConfigOut
    outputs: Outputs | None = Field(None, description="Only once there is a result.")


class AvatarJobList(_Open):
    value: list[AvatarJob]
    values: list[AvatarJob] = Field(description="The same page, for clients that read values.")
    nextLink: str | None = Field(None, description="Absolute; absent on the last page.")


# ---- Audio batch synthesis, 2024-04-01 --------------------------------------------------------


class AudioPropertiesIn(_Open):
    outputFormat: str = Field("riff-24khz-16bit-mono-pcm")
    concatenateResult: bool = False
    wordBoundaryEnabled: bool = False
    sentenceBoundaryEnabled: bool = False
    timeToLiveInHours: int = Field(744, ge=0, le=744)


class AudioJobCreate(_Open):
    inputKind: str = Field(description="PlainText or SSML (case-insensitive).")
    inputs: list[Input] = Field(min_length=1, max_length=10000)
    synthesisConfig: SynthesisConfig | None = Field(None, description="Required for PlainText.")
    customVoices: dict[str, str] | None = None
    description: str | None = None
    properties: AudioPropertiesIn | None = None


class AudioBilling(_Open):
    neuralCharacters: int
    customNeuralCharacters: int


class AudioJobProperties(_Open):
    timeToLiveInHours: int
    outputFormat: str
    concatenateResult: bool
    decompressOutputFiles: bool
    wordBoundaryEnabled: bool
    sentenceBoundaryEnabled: bool
    sizeInBytes: int | None = None
    durationInMilliseconds: int | None = None
    succeededCount: int | None = None
    failedCount: int | None = None
    billingDetails: AudioBilling | None = None
    progress: Progress | None = None
    error: JobError | None = None


class AudioJob(_JobHead):
    properties: AudioJobProperties
    outputs: Outputs | None = Field(None, description="results.zip, once there is a result.")


class AudioJobList(_Open):
    value: list[AudioJob]
    values: list[AudioJob]
    nextLink: str | None = None


# ---- Legacy talking avatar, 3.1-preview1 ------------------------------------------------------


class LegacyInput(_Open):
    text: str = Field(min_length=1)


class LegacyPropertiesIn(_Open):
    talkingAvatarCharacter: str = Field(examples=["lisa"])
    talkingAvatarStyle: str | None = Field(None, examples=["graceful-sitting"])
    videoFormat: str = "mp4"
    videoCodec: str | None = None
    subtitleType: str = "soft_embedded"
    backgroundColor: str = "#FFFFFFFF"
    backgroundImage: str | None = None
    kBitrate: int = 2000
    videoCrop: VideoCrop | None = None
    resolution: Point | None = Field(None, description="The frame size, 320 to 3840 a side.")
    avatarSize: Point | None = Field(
        None, description="Frame the presenter as in a video of this size (64 to 7680)."
    )
    avatarPosition: Point | None = Field(
        None, description="Where that size's top-left corner lies in the frame, in pixels."
    )
    customized: bool = False
    timeToLive: str = Field("P31D", description="ISO 8601 duration, at most P31D.")


class LegacyJobCreate(_Open):
    displayName: str
    description: str | None = None
    textType: str = Field(description="PlainText or SSML (case-insensitive).")
    inputs: list[LegacyInput] = Field(min_length=1, max_length=1000)
    synthesisConfig: SynthesisConfig | None = None
    customVoices: dict[str, str] | None = None
    properties: LegacyPropertiesIn
    customProperties: dict[str, str] | None = Field(None, description="At most 10 pairs.")


class LegacyBilling(_Open):
    neural: int
    customNeural: int


class LegacyJobProperties(_Open):
    audioSize: int | None = None
    durationInTicks: int | None = None
    duration: str | None = None
    succeededAudioCount: int | None = None
    failedAudioCount: int | None = None
    billingDetails: LegacyBilling | None = None
    timeToLive: str
    talkingAvatarCharacter: str
    talkingAvatarStyle: str | None = None
    videoFormat: str
    videoCodec: str
    subtitleType: str
    backgroundColor: str
    backgroundImage: str | None = None
    kBitrate: int
    customized: bool
    videoCrop: VideoCrop | None = None
    progress: Progress | None = None
    resolution: Point | None = Field(None, description="The frame size, 320 to 3840 a side.")
    avatarSize: Point | None = Field(
        None, description="Frame the presenter as in a video of this size (64 to 7680)."
    )
    avatarPosition: Point | None = Field(
        None, description="Where that size's top-left corner lies in the frame, in pixels."
    )
    error: JobError | None = None


class LegacyJob(_Open):
    id: str
    displayName: str
    description: str | None = None
    status: Status
    textType: str
    createdDateTime: str
    lastActionDateTime: str
    customVoices: dict[str, str]
    synthesisConfig: SynthesisConfig | None = None
    properties: LegacyJobProperties
    customProperties: dict[str, str] | None = None
    outputs: Outputs | None = None


class LegacyJobList(_Open):
    values: list[LegacyJob]
    nextLink: str | None = Field(None, alias="@nextLink")


# ---- Extensions and files --------------------------------------------------------------------


class Resolution(_Open):
    width: int
    height: int


class Style(_Open):
    name: str
    posture: str
    gestures: list[str]
    defaultResolution: Resolution
    previewUrl: str = Field(description="A signed URL of a 960×540 PNG; no key needed.")


class Character(_Open):
    name: str
    defaultVoice: str | None = None
    styles: list[Style]


class Characters(_Open):
    characters: list[Character]


class VoiceEntry(_Open):
    Name: str
    DisplayName: str
    LocalName: str
    ShortName: str
    Gender: str
    Locale: str
    LocaleName: str
    StyleList: list[str] | None = None
    SampleRateHertz: str
    VoiceType: str
    Status: str
    Engine: str = Field(description="The local engine that speaks this voice (an extension).")


class Portrait(_Open):
    """A portrait a photo avatar can be made from (``talkingAvatarCharacter``)."""

    name: str
    shared: bool = Field(description="The operator's, for every key.")
    previewUrl: str = Field(description="A signed URL of the framed portrait; no key needed.")


class Portraits(_Open):
    photos: list[Portrait]


class WebhookSecret(_Open):
    """The secret that signs this key's webhook calls (HMAC-SHA256 over t + "." + body)."""

    secret: str


class ResultFile(_Open):
    name: str
    url: str


class ResultFolder(_Open):
    files: list[ResultFile]


EXAMPLE_CREATE: dict[str, Any] = {
    "inputKind": "PlainText",
    "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
    "inputs": [{"content": "Hello there."}],
    "avatarConfig": {
        "talkingAvatarCharacter": "lisa",
        "talkingAvatarStyle": "casual-sitting",
        "videoFormat": "mp4",
        "videoCodec": "h264",
        "subtitleType": "external_file",
    },
}
"""The tests' minimal create body (``tests/api/conftest.py``), with the console's outputs."""
