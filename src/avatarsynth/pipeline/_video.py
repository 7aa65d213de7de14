"""The video path: text or SSML → speech → performance → frames → MP4/WebM, in one process.

    text/SSML ──script.parse──> Utterance ──speech.synthesize──> Speech
              ──performance.perform──> Performance ──avatar.render──> frames
              ──video.encode──> MP4/WebM file

:func:`prepare` does everything before the first frame is drawn; a short input is then drawn
and encoded whole (:func:`render_prepared`), a long one in chunks (``_long``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from avatarsynth import avatar, performance, script, speech, video
from avatarsynth.errors import InvalidRequest, SynthesisError
from avatarsynth.fetch import check_source, fetch
from avatarsynth.pipeline._requests import RenderRequest, RenderResult
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
    look = avatar.find_look(request.character, request.style)
    if request.background_image is not None:
        try:
            check_source(request.background_image, request.fetch_policy)
        except InvalidRequest as exc:
            raise InvalidRequest(exc.message, option="background_image") from exc
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    avatar.check_gestures(look, utterance.bookmarks)
    speech.check_voices(utterance)
    return utterance


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

    look: avatar.Look
    background_image: bytes | None
    """Fetched once per input (a long video's chunks reuse the bytes)."""
    utterance: Utterance
    spoken: speech.Speech
    acted: performance.Performance
    phrases: tuple[video.Caption, ...]


def prepare(request: RenderRequest) -> Prepared:
    """Speak and act an input; raises a ``SynthesisError`` if it would pass the time limit."""
    look = avatar.find_look(request.character, request.style)
    image = None
    if request.background_image is not None:
        image = fetch(request.background_image, request.fetch_policy)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    spoken = speech.synthesize(utterance)
    if spoken.duration_s > MAX_VIDEO_S:
        raise SynthesisError(
            f"The video would last {spoken.duration_s / 60:.1f} minutes; "
            f"the limit is {MAX_VIDEO_S // 60} minutes per input."
        )
    acted = performance.perform(spoken, fps=request.video.fps)
    return Prepared(look, image, utterance, spoken, acted, captions(spoken))


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


def render_prepared(request: RenderRequest, prepared: Prepared, out_path: Path) -> RenderResult:
    """Draw and encode a prepared input whole, in this process."""
    options = request.video
    scenery = backdrop(request.background_rgba, prepared.background_image, options)
    frames = avatar.render(prepared.acted, prepared.look, options.width, options.height, scenery)
    spoken = prepared.spoken
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
