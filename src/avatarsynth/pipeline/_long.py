"""Long videos: prepared once, drawn in chunks side by side, joined without re-encoding.

    plan(request, prepared, out)  -> LongRender: the whole audio encoded now, the chunks described
    render_chunk(chunk)           -> one chunk's segment file (any worker, in any order)
    LongRender.join()             -> the video (packets remuxed), the pieces deleted

Whoever runs a pool spreads the chunks over it (``dispatch``'s processes, or Celery mode's
tasks), then calls ``join``; ``discard`` deletes the pieces of a render that failed.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from avatarsynth import avatar, performance, speech, video
from avatarsynth.frame import Box
from avatarsynth.pipeline._progress import Progress, counted
from avatarsynth.pipeline._requests import PhotoAvatar, RenderRequest, RenderResult
from avatarsynth.pipeline._video import Prepared, backdrop, draw, result, thumbnail_path

CHUNK_S = 45.0
"""Chunks are cut at a pause between sentences, 30–60 s apart (two thirds to four thirds of
``chunk_s``): long enough that a chunk's start-up (a worker loading the look, an encoder's
first keyframe) is noise, short enough that two workers share a few minutes of video evenly
and a Celery task never runs for long. Operators may lower it (``AVATARSYNTH_CHUNK_S``)."""


def chunk_limits(chunk_s: float = CHUNK_S) -> tuple[float, float]:
    """The shortest and longest chunk (seconds) around a target chunk length."""
    return chunk_s * 2 / 3, chunk_s * 4 / 3


def is_long(acted: performance.Performance, chunk_s: float) -> bool:
    """Whether a video is worth chunking: longer than two of the shortest chunks."""
    return acted.n_frames > round(2 * chunk_limits(chunk_s)[0] * acted.fps)


@dataclass(frozen=True, eq=False)
class ChunkJob:
    """One chunk of a long video: plain, picklable data, so a worker process (or a Celery
    task) renders it with :func:`render_chunk` and nothing else."""

    acted: performance.Performance
    """The performance of this chunk's frames only (``Performance.window``)."""
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
    avatar_area: Box | None = None


@dataclass(frozen=True, eq=False)
class LongRender:
    """A long input, spoken and acted, its audio already encoded: the chunks to render, then
    :meth:`join` to make ``result.path`` of them."""

    chunks: tuple[ChunkJob, ...]
    audio_path: Path
    options: video.EncodeOptions
    soft_captions: tuple[video.Caption, ...]
    result: RenderResult
    """What the input reports once joined (size and duration are filled in then)."""

    def join(self) -> RenderResult:
        """Join the rendered chunks and the audio into the video (packets copied, nothing
        re-encoded); the pieces are deleted afterwards, whatever happens."""
        segments = [chunk.out_path for chunk in self.chunks]
        out_path = self.result.path
        try:
            encoded = video.join(
                segments, self.audio_path, self.options, out_path, self.soft_captions
            )
        finally:
            self.discard()
        return dataclasses.replace(
            self.result,
            size_bytes=encoded.size_bytes,
            duration_s=encoded.duration_s,
            chunk_starts=tuple(chunk.first_frame for chunk in self.chunks),
        )

    def discard(self) -> None:
        """Delete the pieces (segments and audio), whatever became of the render."""
        for path in (self.audio_path, *(chunk.out_path for chunk in self.chunks)):
            path.unlink(missing_ok=True)


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
    exclusive), so a chunk's arms always start at rest (``Performance.window``)."""
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


def gestures_playing(
    look: avatar.Look | None, acted: performance.Performance
) -> list[tuple[int, int]]:
    """The frames during which each of the performance's gestures moves the arms (none for a
    photo avatar, which has no arms)."""
    if look is None:
        return []
    playing = []
    for cue in acted.cues:
        name = avatar.gesture_name(cue.name)
        gesture = look.gestures.get(name) if name else None
        if gesture is not None:
            playing.append((cue.frame, cue.frame + math.ceil(gesture.duration_s * acted.fps) + 1))
    return playing


def plan(request: RenderRequest, prepared: Prepared, out_path: Path, chunk_s: float) -> LongRender:
    """Encode the whole audio now, once; describe the chunks that draw the video."""
    spoken, options = prepared.spoken, request.video
    n_frames = video.frame_count(len(spoken.samples), spoken.sample_rate, options.fps)
    audio_path = out_path.with_name(f"{out_path.stem}.audio{out_path.suffix}")
    video.encode_audio_track(spoken.samples, spoken.sample_rate, n_frames, options, audio_path)
    thumbnail = video.Thumbnail(thumbnail_path(out_path), n_frames // 2)
    busy = gestures_playing(prepared.look, prepared.acted)
    bounds = chunk_bounds(spoken, n_frames, options.fps, busy, chunk_s)
    chunks = tuple(
        ChunkJob(
            acted=prepared.acted.window(first, count),
            character=request.character,
            style=request.style,
            photo=request.photo,
            avatar_area=request.avatar_area,
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
    return LongRender(chunks, audio_path, options, soft, result(prepared, out_path, empty))


def render_chunk(chunk: ChunkJob, progress: Progress | None = None) -> Path:
    """Draw and encode one chunk's frames into its own segment file (a worker's task); each
    frame the encoder takes is told to ``progress`` (of the chunk's ``n_frames``)."""
    options = chunk.options
    scenery = backdrop(chunk.background_rgba, chunk.background_image, options)
    presenter = (chunk.character, chunk.style, chunk.photo, chunk.avatar_area)
    frames = counted(draw(chunk.acted, presenter, options, scenery), chunk.n_frames, progress)
    video.encode_segment(
        frames,
        options,
        chunk.out_path,
        chunk.first_frame,
        chunk.n_frames,
        burnt=chunk.burnt,
        thumbnail=chunk.thumbnail,
    )
    return chunk.out_path
