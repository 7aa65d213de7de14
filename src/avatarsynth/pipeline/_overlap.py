"""Speech overlapping drawing and encoding, for inputs short enough to be one video.

    speech thread:   sentence 1 ─ sentence 2 ─ sentence 3 ─ …            (onnxruntime, no GIL)
                       └ sentence 2 ahead ─ sentence 3 ahead ─ …    (Kokoro, one thread each)
    drawing thread:        frames of 1 ─ frames of 2 ─ …                 (skia, swscale)
    encoding thread:             x264 ─────────────── … then the audio   (x264's own threads)

A thread speaks the input sentence by sentence (``speech.synthesize_stream``), keeping the
speech so far; the frames are drawn from the performance of that speech, each frame once no
later speech can change it (``performance.settled_frames``: the performance is prefix-stable),
so the video is frame for frame the one :func:`render_prepared` makes after speaking it whole.
The audio is written after the last frame. Memory: the input's audio and timings (as before),
one performance of the speech so far, and the drawing thread's queue of frames.

Long videos still speak whole first (their chunks are cut at the whole input's pauses).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from avatarsynth import performance, speech, video
from avatarsynth.pipeline._progress import Progress, counted
from avatarsynth.pipeline._requests import RenderRequest, RenderResult
from avatarsynth.pipeline._video import (
    Parsed,
    Prepared,
    backdrop,
    captions,
    check_length,
    draw,
    result,
    thumbnail_path,
)
from avatarsynth.script import Pause, Speak, Utterance

CHARACTERS_PER_S = 12.0
"""A slow speaking pace (English voices speak about 15 characters a second), so that an input
guessed short enough to overlap rarely turns out long."""


def estimated_s(utterance: Utterance) -> float:
    """A generous guess at how long an utterance lasts, before it is spoken: pauses exactly,
    text at :data:`CHARACTERS_PER_S` times its prosody's rate."""
    total = 0.0
    for segment in utterance.segments:
        if isinstance(segment, Speak):
            total += len(segment.text) / (CHARACTERS_PER_S * max(segment.prosody.rate, 0.1))
        elif isinstance(segment, Pause):
            total += segment.duration_s
    return total


def overlaps(request: RenderRequest, parsed: Parsed, long_s: float) -> bool:
    """Whether an input is drawn while it is spoken: one expected to last under ``long_s``
    (longer ones may be chunked, which needs the whole speech), without burnt-in captions
    (their phrases are laid out up front)."""
    return not request.burnt_subtitles and estimated_s(parsed.utterance) < long_s


class _Voice:
    """Speaks an utterance in a thread; holds the speech so far until the last sentence.

    Errors in the thread (a ``SynthesisError``, the time limit) are raised to whoever waits
    for more speech. Leaving the ``with`` block stops the thread after its current sentence.
    """

    def __init__(self, utterance: Utterance, fps: int) -> None:
        self._utterance, self._fps = utterance, fps
        self._changed = threading.Condition()
        self._latest: speech.Speech | None = None
        self._version = 0
        self._whole = False
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._speak, name="avatarsynth-speech", daemon=True)

    def __enter__(self) -> _Voice:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._stop = True
        self._thread.join()

    def _speak(self) -> None:
        try:
            for spoken in speech.synthesize_stream(self._utterance):
                check_length(spoken, whole=False)
                with self._changed:
                    if self._stop:
                        return
                    self._latest, self._version = spoken, self._version + 1
                    self._changed.notify_all()
            with self._changed:
                self._whole = True
                self._changed.notify_all()
        except BaseException as exc:  # raised in the thread that waits for the speech
            with self._changed:
                self._error = exc
                self._changed.notify_all()

    def newer(self, seen: int) -> tuple[int, speech.Speech, bool]:
        """Wait for speech newer than version ``seen`` (or the end): (version, the speech so
        far, whether it is whole)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._error is not None or self._whole or self._version > seen
            )
            if self._error is not None:
                raise self._error
            assert self._latest is not None  # synthesize_stream yields at least once
            return self._version, self._latest, self._whole

    def frame_count(self) -> int | None:
        """The video's frame count, once the speech is whole."""
        with self._changed:
            if not self._whole or self._latest is None:
                return None
            return video.frame_count(len(self._latest.samples), self._latest.sample_rate, self._fps)

    def actings(self, last: list[performance.Performance]) -> Iterator[performance.Acting]:
        """The performance of the speech so far, each time more is spoken; the whole one is
        the last, and is left in ``last``."""
        seen, acted = 0, None
        while True:
            version, spoken, whole = self.newer(seen)
            if acted is None or version != seen:
                acted = performance.perform(spoken, self._fps)
            seen = version
            if whole:
                last.append(acted)
                yield performance.Acting(acted, acted.n_frames)
                return
            yield performance.Acting(acted, performance.settled_frames(spoken, self._fps))

    def whole(self) -> speech.Speech:
        """The whole speech (after the last acting)."""
        assert self._whole and self._latest is not None
        return self._latest


def render_overlapped(
    request: RenderRequest, parsed: Parsed, out_path: Path, progress: Progress | None = None
) -> RenderResult:
    """Speak, draw and encode an input at once (see the module's docstring); each frame the
    encoder takes is told to ``progress``, of the frame count guessed from the text until the
    speech is whole."""
    options = request.video
    scenery = backdrop(request.background_rgba, parsed.background_image, options)
    presenter = (request.character, request.style, request.photo, request.avatar_area)
    guessed = round(estimated_s(parsed.utterance) * options.fps)
    last: list[performance.Performance] = []
    try:
        with _Voice(parsed.utterance, options.fps) as voice:

            def soundtrack() -> video.Soundtrack:
                spoken = voice.whole()
                return video.Soundtrack(spoken.samples, spoken.sample_rate, captions(spoken))

            frames = counted(
                draw(voice.actings(last), presenter, options, scenery),
                lambda: voice.frame_count() or guessed,
                progress,
            )
            encoded = video.encode_overlapped(
                frames,
                soundtrack,
                options,
                out_path,
                total=voice.frame_count,
                subtitles=request.soft_subtitles,
                thumbnail=thumbnail_path(out_path),
            )
            spoken = voice.whole()
    except BaseException:
        out_path.unlink(missing_ok=True)
        thumbnail_path(out_path).unlink(missing_ok=True)
        raise
    prepared = Prepared(
        parsed.look, parsed.background_image, parsed.utterance, spoken, last[0], captions(spoken)
    )
    return result(prepared, out_path, encoded)
