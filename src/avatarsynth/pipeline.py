"""One input in, one video out: the whole journey in a handful of lines.

    text/SSML ──script.parse──> Utterance ──speech.synthesize──> Speech
              ──performance.perform──> Performance ──avatar.render──> frames
              ──video.encode──> MP4/WebM file

The audio batch API takes the first two steps and stops: ``Speech ──video.encode_audio──>``
WAV/MP3/Opus, with its word and sentence timings. Nothing here knows of HTTP, jobs or storage;
``avatarsynth render`` and the job workers call the same functions: ``check``/``check_speech``
at request time (so bad input is a 400, never a Failed job later), then :func:`execute`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from avatarsynth import avatar, performance, script, speech, video
from avatarsynth.errors import InvalidRequest, SynthesisError
from avatarsynth.fetch import FetchPolicy, check_source, fetch
from avatarsynth.script import InputKind, Pause, Utterance

MAX_VIDEO_S = 20 * 60
"""Azure's limit on one video; longer inputs fail before any frame is drawn."""


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
    soft_subtitles: bool = False
    """Embed a subtitle track (``subtitleType: soft_embedded``)."""
    burnt_subtitles: bool = False
    """Draw the captions into the picture (``subtitleType: hard_embedded``)."""


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


def _as_written(sentence: speech.Span, words: list[speech.Span]) -> list[video.Caption]:
    """Each timed word with the punctuation it was written with ("Hello," not "Hello")."""
    tokens = [t for t in sentence.text.split() if any(ch.isalnum() for ch in t)]
    if len(tokens) != len(words):  # numbers read as several words, and the like
        tokens = [w.text for w in words]
    return [video.Caption(t, w.start_s, w.end_s) for t, w in zip(tokens, words, strict=True)]


def captions(spoken: speech.Speech) -> tuple[video.Caption, ...]:
    """Readable phrases timed by the words, never spanning two sentences."""
    phrases: list[video.Caption] = []
    for sentence in spoken.sentences:
        words = [w for w in spoken.words if sentence.start_s <= w.start_s < sentence.end_s]
        phrases.extend(video.phrases(_as_written(sentence, words)))
    return tuple(phrases)


def warm_up() -> None:
    """Load models and caches once per worker process, before its first input."""
    speech.warm_up()


def check(request: RenderRequest) -> Utterance:
    """Parse and validate an input without rendering it; raises an ``InvalidRequest``."""
    look = avatar.find_look(request.character, request.style)
    if request.background_image is not None:
        try:
            check_source(request.background_image, request.fetch_policy)
        except InvalidRequest as exc:
            target = "properties.avatarConfig.backgroundImage"
            raise InvalidRequest(exc.message, target=target) from exc
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    avatar.check_gestures(look, utterance.bookmarks)
    speech.check_voices(utterance)
    return utterance


def backdrop(request: RenderRequest) -> avatar.Backdrop:
    """The background colour, or the background image fetched and scaled to the frame."""
    if request.background_image is None:
        return avatar.Backdrop(request.background_rgba)
    data = fetch(request.background_image, request.fetch_policy)
    return avatar.image_backdrop(data, request.video.width, request.video.height)


def render(request: RenderRequest, out_path: Path) -> RenderResult:
    """Make the video for one input at ``out_path``; raises a ``SynthesisError`` on failure."""
    look = avatar.find_look(request.character, request.style)
    scenery = backdrop(request)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    spoken = speech.synthesize(utterance)
    if spoken.duration_s > MAX_VIDEO_S:
        raise SynthesisError(
            f"The video would last {spoken.duration_s / 60:.1f} minutes; "
            f"the limit is {MAX_VIDEO_S // 60} minutes per input."
        )
    acted = performance.perform(spoken, fps=request.video.fps)
    frames = avatar.render(acted, look, request.video.width, request.video.height, scenery)
    phrases = captions(spoken)
    encoded = video.encode(
        frames,
        spoken.samples,
        spoken.sample_rate,
        request.video,
        out_path,
        phrases if request.soft_subtitles else (),
        burnt=phrases if request.burnt_subtitles else (),
        thumbnail=thumbnail_path(out_path),
    )
    return RenderResult(
        path=out_path,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        billable_characters=utterance.billable_characters,
        warnings=utterance.warnings + spoken.warnings,
        captions=phrases,
        thumbnail=thumbnail_path(out_path),
    )


def thumbnail_path(video_path: Path) -> Path:
    """``0001.jpg`` beside ``0001.mp4``."""
    return video_path.with_suffix(".jpg")


@dataclass(frozen=True)
class SpeakRequest:
    """Audio only (the audio batch API): one input, or several spoken as one file."""

    contents: tuple[str, ...]
    input_kind: InputKind
    voice: str
    audio_format: str = video.DEFAULT_AUDIO_FORMAT
    prosody: script.ProsodyRequest = field(default_factory=script.ProsodyRequest)


@dataclass(frozen=True)
class Boundary:
    """A word or sentence as Azure's ``.word.json``/``.sentence.json`` give it (milliseconds)."""

    text: str
    offset_ms: int
    duration_ms: int


@dataclass(frozen=True)
class SpeakResult:
    """What a finished audio input reports to its job."""

    path: Path
    size_bytes: int
    duration_s: float
    billable_characters: int
    warnings: tuple[str, ...] = ()
    words: tuple[Boundary, ...] = ()
    sentences: tuple[Boundary, ...] = ()


def _utterance(request: SpeakRequest) -> Utterance:
    """Every content parsed, joined into one utterance (inputs stay sentence-separated)."""
    parts = [
        script.parse(content, request.input_kind, request.voice, request.prosody)
        for content in request.contents
    ]
    joined = [segment for part in parts for segment in (*part.segments, Pause(0.0))]
    return Utterance(tuple(joined[:-1]), tuple(w for part in parts for w in part.warnings))


def check_speech(request: SpeakRequest) -> Utterance:
    """Validate an audio request without synthesizing it; raises an ``InvalidRequest``."""
    video.audio_format(request.audio_format)
    utterance = _utterance(request)
    speech.check_voices(utterance)
    return utterance


def _boundaries(spans: tuple[speech.Span, ...]) -> tuple[Boundary, ...]:
    return tuple(
        Boundary(s.text, round(s.start_s * 1000), round((s.end_s - s.start_s) * 1000))
        for s in spans
    )


def speak(request: SpeakRequest, out_path: Path) -> SpeakResult:
    """Make the audio file for a request at ``out_path``, with its word and sentence timings."""
    utterance = _utterance(request)
    spoken = speech.synthesize(utterance)
    fmt = video.audio_format(request.audio_format)
    encoded = video.encode_audio(spoken.samples, spoken.sample_rate, fmt, out_path)
    return SpeakResult(
        path=out_path,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        billable_characters=utterance.billable_characters,
        warnings=utterance.warnings + spoken.warnings,
        words=_boundaries(spoken.words),
        sentences=_boundaries(spoken.sentences),
    )


AnyRequest = RenderRequest | SpeakRequest
AnyResult = RenderResult | SpeakResult
_RUNNERS: dict[type[Any], Callable[[Any, Path], AnyResult]] = {
    RenderRequest: render,
    SpeakRequest: speak,
}


_CHECKS: dict[type[Any], Callable[[Any], Utterance]] = {
    RenderRequest: check,
    SpeakRequest: check_speech,
}


def execute(request: AnyRequest, out_path: Path) -> AnyResult:
    """Run whichever pipeline the request asks for (what worker processes call)."""
    return _RUNNERS[type(request)](request, out_path)


def validate(request: AnyRequest) -> Utterance:
    """Check whichever request it is, at create time; raises an ``InvalidRequest``."""
    return _CHECKS[type(request)](request)
