"""The video path: text or SSML → speech → performance → frames → MP4/WebM, in one process.

    text/SSML ──script.parse──> Utterance ──speech.synthesize──> Speech
              ──performance.perform──> Performance ──avatar.render──> frames
              ──video.encode──> MP4/WebM file

:func:`prepare` does everything before the first frame is drawn; a short input is then drawn
and encoded whole (:func:`render_prepared`), a long one in chunks (``_long``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from avatarsynth import avatar, performance, photo, script, speech, video
from avatarsynth.errors import InvalidRequest, RenderError, SynthesisError
from avatarsynth.fetch import check_source, fetch
from avatarsynth.frame import Box, Frame
from avatarsynth.pipeline._progress import Progress, counted
from avatarsynth.pipeline._requests import PhotoAvatar, RenderRequest, RenderResult
from avatarsynth.script import Utterance

MAX_VIDEO_S = 20 * 60
"""Azure's limit on one video; longer inputs fail before any frame is drawn."""


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


def check_video(request: RenderRequest) -> Utterance:
    """Parse and validate an input without rendering it; raises an ``InvalidRequest``."""
    look = _look(request)
    if request.background_image is not None:
        try:
            check_source(request.background_image, request.fetch_policy)
        except InvalidRequest as exc:
            raise InvalidRequest(exc.message, option="background_image") from exc
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    if look is not None:  # a photo avatar has no arms: its bookmarks stay bookmarks
        avatar.check_gestures(look, utterance.bookmarks)
    speech.check_voices(utterance)
    return utterance


def _look(request: RenderRequest) -> avatar.Look | None:
    """The drawn character's look; None for a photo avatar."""
    return None if request.photo else avatar.find_look(request.character, request.style)


Presenter = tuple[str, str, PhotoAvatar | None, Box | None]
"""Who is drawn: a drawn character (name, style) or a photo avatar (its name, "", the photo),
and where in the frame a drawn one is framed (None: the whole frame)."""


def draw(
    acted: performance.Performance | Iterable[performance.Acting],
    presenter: Presenter,
    options: video.EncodeOptions,
    scenery: avatar.Backdrop,
) -> Iterator[Frame]:
    """The frames of ``acted`` (or of its actings as the speech grows) by the presenter, at
    the options' size."""
    character, style, photo_avatar, area = presenter
    if photo_avatar is None:
        look = avatar.find_look(character, style)
        return avatar.render(acted, look, options.width, options.height, scenery, area)
    try:
        data = Path(photo_avatar.portrait_path).read_bytes()
    except OSError as exc:
        raise RenderError(f"The portrait '{character}' is no longer registered.") from exc
    portrait = photo.Portrait.from_bytes(data)
    return photo.render(acted, portrait, options.width, options.height, scenery, photo_avatar.scene)


def backdrop(
    background_rgba: tuple[int, int, int, int],
    image: bytes | None,
    options: video.EncodeOptions,
) -> avatar.Backdrop:
    """The background colour, or the background image scaled to the frame; with an alpha plane
    exactly when the encoder writes one (``options.alpha``)."""
    if image is None:
        return avatar.Backdrop(background_rgba, transparent=options.alpha)
    return avatar.image_backdrop(image, options.width, options.height, transparent=options.alpha)


@dataclass(frozen=True, eq=False)
class Prepared:
    """An input spoken and acted: everything before the first frame is drawn."""

    look: avatar.Look | None
    """None for a photo avatar."""
    background_image: bytes | None
    """Fetched once per input (a long video's chunks reuse the bytes)."""
    utterance: Utterance
    spoken: speech.Speech
    acted: performance.Performance
    phrases: tuple[video.Caption, ...]


@dataclass(frozen=True, eq=False)
class Parsed:
    """An input read, before anything is spoken."""

    look: avatar.Look | None
    """None for a photo avatar."""
    background_image: bytes | None
    utterance: Utterance


def parse(request: RenderRequest) -> Parsed:
    """Find the look, fetch the background image and parse the script."""
    look = _look(request)
    image = None
    if request.background_image is not None:
        image = fetch(request.background_image, request.fetch_policy)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    return Parsed(look, image, utterance)


def check_length(spoken: speech.Speech, whole: bool = True) -> None:
    """Raise a ``SynthesisError`` if the speech (or its beginning) passes the time limit."""
    if spoken.duration_s > MAX_VIDEO_S:
        raise SynthesisError(
            f"The video would last {'' if whole else 'at least '}"
            f"{spoken.duration_s / 60:.1f} minutes; "
            f"the limit is {MAX_VIDEO_S // 60} minutes per input."
        )


def prepare(request: RenderRequest, parsed: Parsed | None = None) -> Prepared:
    """Speak and act an input; raises a ``SynthesisError`` if it would pass the time limit."""
    parsed = parsed or parse(request)
    spoken = speech.synthesize(parsed.utterance)
    check_length(spoken)
    acted = performance.perform(spoken, fps=request.video.fps)
    return Prepared(
        parsed.look, parsed.background_image, parsed.utterance, spoken, acted, captions(spoken)
    )


def result(prepared: Prepared, out_path: Path, encoded: video.EncodedVideo) -> RenderResult:
    """What the input reports, once its video at ``out_path`` is ``encoded``."""
    return RenderResult(
        path=out_path,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        billable_characters=prepared.utterance.billable_characters,
        warnings=prepared.utterance.warnings + prepared.spoken.warnings,
        captions=prepared.phrases,
        thumbnail=thumbnail_path(out_path),
    )


def render_prepared(
    request: RenderRequest,
    prepared: Prepared,
    out_path: Path,
    progress: Progress | None = None,
) -> RenderResult:
    """Draw and encode a prepared input whole, in this process; each frame the encoder takes
    is told to ``progress``."""
    options = request.video
    scenery = backdrop(request.background_rgba, prepared.background_image, options)
    presenter = (request.character, request.style, request.photo, request.avatar_area)
    spoken = prepared.spoken
    acted = prepared.acted
    frames = counted(draw(acted, presenter, options, scenery), acted.n_frames, progress)
    encoded = video.encode(
        frames,
        spoken.samples,
        spoken.sample_rate,
        options,
        out_path,
        prepared.phrases if request.soft_subtitles else (),
        burnt=prepared.phrases if request.burnt_subtitles else (),
        thumbnail=thumbnail_path(out_path),
    )
    return result(prepared, out_path, encoded)


def thumbnail_path(video_path: Path) -> Path:
    """``0001.jpg`` beside ``0001.mp4``."""
    return video_path.with_suffix(".jpg")
