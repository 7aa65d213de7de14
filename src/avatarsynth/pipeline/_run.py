"""The pipeline's entry points: check a request, make its result, or begin it on a pool."""

from __future__ import annotations

from pathlib import Path

from avatarsynth import speech
from avatarsynth.pipeline._audio import check_audio, speak
from avatarsynth.pipeline._long import CHUNK_S, LongRender, chunk_limits, is_long, plan
from avatarsynth.pipeline._overlap import overlaps, render_overlapped
from avatarsynth.pipeline._progress import SPEECH, Progress, report
from avatarsynth.pipeline._requests import AnyRequest, AnyResult, RenderRequest
from avatarsynth.pipeline._video import check_video, parse, prepare, render_prepared
from avatarsynth.script import Utterance


def warm_up() -> None:
    """Load models and caches once per worker process, before its first input."""
    speech.warm_up()


def check(request: AnyRequest) -> Utterance:
    """Validate a video or audio request without making it (at create time, so bad input is
    a 400, never a Failed job later); raises an ``InvalidRequest`` naming the option."""
    if isinstance(request, RenderRequest):
        return check_video(request)
    return check_audio(request)


def run(request: AnyRequest, out_path: Path, progress: Progress | None = None) -> AnyResult:
    """Make the video or audio file at ``out_path`` in this process, however long; raises a
    ``SynthesisError`` on failure. Each stage, and each frame encoded, is told to ``progress``."""
    report(progress, SPEECH)
    if isinstance(request, RenderRequest):
        parsed = parse(request)
        if overlaps(request, parsed, 2 * chunk_limits(CHUNK_S)[0]):
            return render_overlapped(request, parsed, out_path, progress)
        return render_prepared(request, prepare(request, parsed), out_path, progress)
    return speak(request, out_path)


def begin(
    request: AnyRequest,
    out_path: Path,
    chunk_s: float = CHUNK_S,
    progress: Progress | None = None,
) -> AnyResult | LongRender:
    """What a worker pool runs first: the finished result, or for a video longer than two
    chunks' minimum a :class:`LongRender` whose chunks the pool spreads and then joins.
    ``chunk_s`` is the target chunk length (see :data:`CHUNK_S`); ``progress`` is told each
    stage and frame of a result made here (a plan's chunks tell their own). An input expected
    to be shorter than two chunks is spoken while it is drawn (``_overlap``)."""
    report(progress, SPEECH)
    if not isinstance(request, RenderRequest):
        return speak(request, out_path)
    parsed = parse(request)
    if overlaps(request, parsed, 2 * chunk_limits(chunk_s)[0]):
        return render_overlapped(request, parsed, out_path, progress)
    prepared = prepare(request, parsed)
    if not is_long(prepared.acted, chunk_s):
        return render_prepared(request, prepared, out_path, progress)
    return plan(request, prepared, out_path, chunk_s)
