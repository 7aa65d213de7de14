"""What the pipeline is asked to make, and what it reports back: plain, picklable data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from avatarsynth import photo, script, speech, video
from avatarsynth.fetch import FetchPolicy
from avatarsynth.frame import Box
from avatarsynth.script import InputKind


@dataclass(frozen=True)
class PhotoAvatar:
    """A photo avatar: a registered portrait (its file, see ``portraits``) and the scene."""

    portrait_path: str
    scene: photo.Scene = field(default_factory=photo.Scene)


@dataclass(frozen=True)
class RenderRequest:
    """Everything needed to turn one input into one video."""

    content: str
    input_kind: InputKind
    voice: str
    character: str
    style: str
    prosody: script.ProsodyRequest = field(default_factory=script.ProsodyRequest)
    background_rgba: tuple[int, int, int, int] = (255, 255, 255, 255)
    background_image: str | None = None
    """A URL, or a file name in the operator's background folder (``backgroundImage``)."""
    fetch_policy: FetchPolicy = field(default_factory=FetchPolicy)
    video: video.EncodeOptions = field(default_factory=video.EncodeOptions)
    """How to encode; ``video.alpha`` is the one decision on transparency, which both the
    backdrop (frames with an alpha plane) and the encoder follow."""
    soft_subtitles: bool = False
    """Embed a subtitle track (``subtitleType: soft_embedded``)."""
    burnt_subtitles: bool = False
    """Draw the captions into the picture (``subtitleType: hard_embedded``)."""
    photo: PhotoAvatar | None = None
    """Set for a photo avatar: ``character`` (the portrait's name) and ``style`` (empty) are
    then not looked up among the drawn characters."""
    avatar_area: Box | None = None
    """Where in the frame a drawn presenter is framed, as in a video of the box's size, and
    cut (``avatarSize`` at ``avatarPosition``); it may reach beyond the frame. None: the whole
    frame."""


@dataclass(frozen=True)
class RenderResult:
    """What a finished input reports to its job."""

    path: Path
    size_bytes: int
    duration_s: float
    billable_characters: int
    warnings: tuple[str, ...] = ()
    captions: tuple[video.Caption, ...] = ()
    """Timed phrases of what was said, for subtitle files."""
    thumbnail: Path | None = None
    """A JPEG of the middle frame, beside the video."""
    chunk_starts: tuple[int, ...] = ()
    """First frame of each chunk a long video was rendered in (empty: rendered whole)."""


@dataclass(frozen=True)
class SpeakRequest:
    """Audio only (the audio batch API): one input, or several spoken as one file."""

    contents: tuple[str, ...]
    input_kind: InputKind
    voice: str
    audio_format: str = video.DEFAULT_AUDIO_FORMAT
    prosody: script.ProsodyRequest = field(default_factory=script.ProsodyRequest)


@dataclass(frozen=True)
class SpeakResult:
    """What a finished audio input reports to its job."""

    path: Path
    size_bytes: int
    duration_s: float
    billable_characters: int
    warnings: tuple[str, ...] = ()
    words: tuple[speech.Span, ...] = ()
    """Each word as spoken, in seconds from the start of the file."""
    sentences: tuple[speech.Span, ...] = ()


AnyRequest = RenderRequest | SpeakRequest
AnyResult = RenderResult | SpeakResult
