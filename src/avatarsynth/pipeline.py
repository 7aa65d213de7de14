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

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from avatarsynth import avatar, performance, photo, script, speech, video
from avatarsynth.errors import InvalidRequest, RenderError, SynthesisError
from avatarsynth.fetch import FetchPolicy, check_source, fetch
from avatarsynth.script import InputKind, Pause, Utterance

MAX_VIDEO_S = 20 * 60
"""Azure's limit on one video; longer inputs fail before any frame is drawn."""


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
    soft_subtitles: bool = False
    """Embed a subtitle track (``subtitleType: soft_embedded``)."""
    burnt_subtitles: bool = False
    """Draw the captions into the picture (``subtitleType: hard_embedded``)."""
    photo: PhotoAvatar | None = None
    """Set for a photo avatar: ``character`` and ``style`` are then not looked up."""


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
    look = None if request.photo else avatar.find_look(request.character, request.style)
    if request.background_image is not None:
        try:
            check_source(request.background_image, request.fetch_policy)
        except InvalidRequest as exc:
            target = "properties.avatarConfig.backgroundImage"
            raise InvalidRequest(exc.message, target=target) from exc
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    if look is not None:  # a photo avatar has no arms: its bookmarks stay bookmarks
        avatar.check_gestures(look, utterance.bookmarks)
    speech.check_voices(utterance)
    return utterance


def _background_image(request: RenderRequest) -> bytes | None:
    """The background image's bytes, fetched once per input (chunks reuse them)."""
    if request.background_image is None:
        return None
    return fetch(request.background_image, request.fetch_policy)


def _backdrop(
    background_rgba: tuple[int, int, int, int], image: bytes | None, width: int, height: int
) -> avatar.Backdrop:
    """The background colour, or the background image scaled to the frame."""
    if image is None:
        return avatar.Backdrop(background_rgba)
    return avatar.image_backdrop(image, width, height)


def _frames(
    acted: performance.Performance,
    presenter: tuple[str, str, PhotoAvatar | None],
    width: int,
    height: int,
    scenery: avatar.Backdrop,
) -> Iterator[avatar.Frame]:
    """The frames of ``acted`` by a drawn character (character, style) or a photo avatar."""
    character, style, photo_avatar = presenter
    if photo_avatar is None:
        look = avatar.find_look(character, style)
        return avatar.render(acted, look, width, height, scenery)
    try:
        data = Path(photo_avatar.portrait_path).read_bytes()
    except OSError as exc:
        raise RenderError(f"The portrait '{character}' is no longer registered.") from exc
    portrait = photo.Portrait.from_bytes(data)
    return photo.render(acted, portrait, width, height, scenery, photo_avatar.scene)


@dataclass(frozen=True, eq=False)
class _Prepared:
    """An input spoken and acted: everything before the first frame is drawn."""

    look: avatar.Look | None
    background_image: bytes | None
    utterance: Utterance
    spoken: speech.Speech
    acted: performance.Performance
    phrases: tuple[video.Caption, ...]


def _prepare(request: RenderRequest) -> _Prepared:
    look = None if request.photo else avatar.find_look(request.character, request.style)
    image = _background_image(request)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    spoken = speech.synthesize(utterance)
    if spoken.duration_s > MAX_VIDEO_S:
        raise SynthesisError(
            f"The video would last {spoken.duration_s / 60:.1f} minutes; "
            f"the limit is {MAX_VIDEO_S // 60} minutes per input."
        )
    acted = performance.perform(spoken, fps=request.video.fps)
    return _Prepared(look, image, utterance, spoken, acted, captions(spoken))


def _result(prepared: _Prepared, out_path: Path, encoded: video.EncodedVideo) -> RenderResult:
    return RenderResult(
        path=out_path,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        billable_characters=prepared.utterance.billable_characters,
        warnings=prepared.utterance.warnings + prepared.spoken.warnings,
        captions=prepared.phrases,
        thumbnail=thumbnail_path(out_path),
    )


def _render_whole(request: RenderRequest, prepared: _Prepared, out_path: Path) -> RenderResult:
    width, height = request.video.width, request.video.height
    scenery = _backdrop(request.background_rgba, prepared.background_image, width, height)
    presenter = (request.character, request.style, request.photo)
    frames = _frames(prepared.acted, presenter, width, height, scenery)
    spoken = prepared.spoken
    encoded = video.encode(
        frames,
        spoken.samples,
        spoken.sample_rate,
        request.video,
        out_path,
        prepared.phrases if request.soft_subtitles else (),
        burnt=prepared.phrases if request.burnt_subtitles else (),
        thumbnail=thumbnail_path(out_path),
    )
    return _result(prepared, out_path, encoded)


def render(request: RenderRequest, out_path: Path) -> RenderResult:
    """Make the video for one input at ``out_path`` in this process, however long; raises a
    ``SynthesisError`` on failure. (Workers use :func:`start`, which splits long inputs.)"""
    return _render_whole(request, _prepare(request), out_path)


def thumbnail_path(video_path: Path) -> Path:
    """``0001.jpg`` beside ``0001.mp4``."""
    return video_path.with_suffix(".jpg")


# ---- Long videos: prepared once, rendered in chunks side by side, joined without re-encoding.

CHUNK_S = 45.0
"""Chunks are cut at a pause between sentences, 30–60 s apart (two thirds to four thirds of
``chunk_s``): long enough that a chunk's start-up (a worker loading the look, an encoder's
first keyframe) is noise, short enough that two workers share a few minutes of video evenly
and a Celery task never runs for long. Operators may lower it (``AVATARSYNTH_CHUNK_S``)."""


def chunk_limits(chunk_s: float = CHUNK_S) -> tuple[float, float]:
    """The shortest and longest chunk (seconds) around a target chunk length."""
    return chunk_s * 2 / 3, chunk_s * 4 / 3


@dataclass(frozen=True, eq=False)
class ChunkJob:
    """One chunk of a long video: plain, picklable data, so a worker process (or a Celery
    task) renders it with :func:`render_chunk` and nothing else."""

    acted: performance.Performance
    """The performance of this chunk's frames only (see :func:`_frames_of`)."""
    character: str
    style: str
    background_rgba: tuple[int, int, int, int]
    background_image: bytes | None
    options: video.EncodeOptions
    first_frame: int
    n_frames: int
    burnt: tuple[video.Caption, ...]
    thumbnail: video.Thumbnail
    out_path: Path
    photo: PhotoAvatar | None = None


@dataclass(frozen=True, eq=False)
class LongRender:
    """A long input, spoken and acted, its audio already encoded: the chunks to render, then
    :func:`finish_long` to join them into ``result.path``."""

    chunks: tuple[ChunkJob, ...]
    audio_path: Path
    options: video.EncodeOptions
    soft_captions: tuple[video.Caption, ...]
    result: RenderResult
    """What the input reports once joined (size and duration are filled in then)."""


def _frames_of(acted: performance.Performance, first: int, count: int) -> performance.Performance:
    """Frames ``first`` … ``first + count - 1`` of ``acted`` as a performance of their own.

    Generic over the performance's fields, so new channels need no change here: every array
    with one value per frame is sliced, nested groups of them too, and cues (anything with a
    ``frame``) are shifted; those before the chunk are dropped, which is exact because chunks
    never begin while a gesture plays (:func:`chunk_bounds`), so its arms start at rest.
    """

    def cut(value: Any) -> Any:
        if isinstance(value, np.ndarray) and value.shape[:1] == (acted.n_frames,):
            return value[first : first + count]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if hasattr(value, "frame") and hasattr(value, "time_s"):
                return dataclasses.replace(
                    value, frame=value.frame - first, time_s=value.time_s - first / acted.fps
                )
            changes = {f.name: cut(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        if isinstance(value, tuple):
            kept = (v for v in value if getattr(v, "frame", first) >= first)
            return tuple(cut(item) for item in kept)
        return value

    sliced: performance.Performance = dataclasses.replace(cut(acted), n_frames=count)
    return sliced


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (begin, end) ranges joined into one."""
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _outside(cut: int, busy: Sequence[tuple[int, int]], after: int = -1) -> int:
    """``cut``, or if a busy stretch (a gesture playing) holds it, that stretch's start (when
    it is later than ``after``) or end."""
    for begin, end in busy:
        if begin < cut < end:
            return begin if begin > after else end
    return cut


def chunk_bounds(
    spoken: speech.Speech,
    n_frames: int,
    fps: int,
    busy: Sequence[tuple[int, int]] = (),
    chunk_s: float = CHUNK_S,
) -> list[tuple[int, int]]:
    """(first frame, frame count) of each chunk: cuts in the middle of the pause between two
    sentences, as near ``chunk_s`` (45 s) apart as the pauses allow; a stretch with no pause
    between 30 and 60 s is cut at 60 s (seams are invisible anywhere, pauses only make them
    cheaper). No cut falls inside a ``busy`` range of frames (a gesture playing, end
    exclusive)."""
    shortest, longest = chunk_limits(chunk_s)
    lo, hi = round(shortest * fps), round(longest * fps)
    busy = _merged(busy)
    pauses = sorted(
        cut
        for before, after in itertools.pairwise(spoken.sentences)
        if (cut := round((before.end_s + after.start_s) / 2 * fps)) == _outside(cut, busy)
    )
    bounds, start = [], 0
    while n_frames - start > hi:
        window = [cut for cut in pauses if start + lo <= cut <= start + hi]
        target = start + (lo + hi) // 2
        cut = min(window, key=lambda c: abs(c - target)) if window else start + hi
        cut = _outside(cut, busy, start)
        if cut >= n_frames:
            break
        bounds.append((start, cut - start))
        start = cut
    bounds.append((start, n_frames - start))
    return bounds


def _gestures_playing(
    look: avatar.Look | None, acted: performance.Performance
) -> list[tuple[int, int]]:
    """The frames during which each of the performance's gestures moves the arms."""
    if look is None:
        return []
    playing = []
    for cue in acted.cues:
        name = avatar.gesture_name(cue.name)
        gesture = look.gestures.get(name) if name else None
        if gesture is not None:
            playing.append((cue.frame, cue.frame + math.ceil(gesture.duration_s * acted.fps) + 1))
    return playing


def _plan(
    request: RenderRequest, prepared: _Prepared, out_path: Path, chunk_s: float
) -> LongRender:
    """Encode the whole audio now, once; describe the chunks that draw the video."""
    spoken, options = prepared.spoken, request.video
    n_frames = video.frame_count(len(spoken.samples), spoken.sample_rate, options.fps)
    audio_path = out_path.with_name(f"{out_path.stem}.audio{out_path.suffix}")
    video.encode_audio_track(spoken.samples, spoken.sample_rate, n_frames, options, audio_path)
    thumbnail = video.Thumbnail(thumbnail_path(out_path), n_frames // 2)
    busy = _gestures_playing(prepared.look, prepared.acted)
    bounds = chunk_bounds(spoken, n_frames, options.fps, busy, chunk_s)
    chunks = tuple(
        ChunkJob(
            acted=_frames_of(prepared.acted, first, count),
            character=request.character,
            style=request.style,
            photo=request.photo,
            background_rgba=request.background_rgba,
            background_image=prepared.background_image,
            options=options,
            first_frame=first,
            n_frames=count,
            burnt=prepared.phrases if request.burnt_subtitles else (),
            thumbnail=thumbnail,
            out_path=out_path.with_name(f"{out_path.stem}.part{index:04d}{out_path.suffix}"),
        )
        for index, (first, count) in enumerate(bounds)
    )
    empty = video.EncodedVideo(0, 0.0)
    soft = prepared.phrases if request.soft_subtitles else ()
    return LongRender(chunks, audio_path, options, soft, _result(prepared, out_path, empty))


def render_chunk(chunk: ChunkJob) -> Path:
    """Draw and encode one chunk's frames into its own segment file (a worker's task)."""
    width, height = chunk.options.width, chunk.options.height
    scenery = _backdrop(chunk.background_rgba, chunk.background_image, width, height)
    presenter = (chunk.character, chunk.style, chunk.photo)
    frames = _frames(chunk.acted, presenter, width, height, scenery)
    video.encode_segment(
        frames,
        chunk.options,
        chunk.out_path,
        chunk.first_frame,
        chunk.n_frames,
        burnt=chunk.burnt,
        thumbnail=chunk.thumbnail,
    )
    return chunk.out_path


def finish_long(plan: LongRender) -> RenderResult:
    """Join the rendered chunks and the audio into the video (packets copied, nothing
    re-encoded); the pieces are deleted afterwards. Call :func:`discard_long` on failure."""
    segments = [chunk.out_path for chunk in plan.chunks]
    out_path = plan.result.path
    try:
        encoded = video.join(segments, plan.audio_path, plan.options, out_path, plan.soft_captions)
    finally:
        discard_long(plan)
    return dataclasses.replace(
        plan.result,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        chunk_starts=tuple(chunk.first_frame for chunk in plan.chunks),
    )


def discard_long(plan: LongRender) -> None:
    """Delete a long render's pieces (segments and audio), whatever became of it."""
    for path in (plan.audio_path, *(chunk.out_path for chunk in plan.chunks)):
        path.unlink(missing_ok=True)


def start(request: AnyRequest, out_path: Path, chunk_s: float = CHUNK_S) -> AnyResult | LongRender:
    """What worker pools call first: the finished result, or for a video longer than two
    chunks' minimum, a :class:`LongRender` for the pool to fan out (``dispatch``, or Celery
    tasks in ``tasks``). ``chunk_s`` is the target chunk length (see :data:`CHUNK_S`)."""
    if not isinstance(request, RenderRequest):
        return execute(request, out_path)
    prepared = _prepare(request)
    if prepared.acted.n_frames <= round(2 * chunk_limits(chunk_s)[0] * request.video.fps):
        return _render_whole(request, prepared, out_path)
    return _plan(request, prepared, out_path, chunk_s)


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
