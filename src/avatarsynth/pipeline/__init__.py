"""One input in, one file out: the stages chained, knowing nothing of HTTP, jobs or storage.

    text/SSML ──script──> Utterance ──speech──> Speech ──performance──> Performance
              ──avatar──> frames ──video──> MP4/WebM      (the video path, ``_video``)
    text/SSML ──script──> Utterance ──speech──> Speech ──video──> WAV/MP3/Opus
                                                            (the audio path, ``_audio``)

Four entry points, one request type per path (:class:`RenderRequest`, :class:`SpeakRequest`):

- :func:`check`: at create time (``jobs.check_inputs``; ``avatarsynth render``), so bad input
  is a 400 naming its option, never a Failed job later;
- :func:`run`: the whole result in this process (``avatarsynth render``);
- :func:`begin`: what worker pools run (``dispatch``'s processes; in Celery mode, the job's
  task through ``dispatch.InlineDispatcher``): the result, or for a long video a
  :class:`LongRender` plan;
- :func:`render_chunk`: one chunk of such a plan, on any worker; the pool that spread the
  chunks then calls ``LongRender.join`` (``dispatch``'s ``Conductor``; Celery mode's chunks
  are spread by ``tasks.ChunkShare`` and joined by the same ``Conductor``).

:func:`warm_up` loads the models once per worker process. ``run``, ``begin`` and
``render_chunk`` take an optional ``progress(stage, done, total)`` callback (``_progress``):
told each stage, and each frame the encoder takes.
"""

from avatarsynth.pipeline._long import ChunkJob, LongRender, render_chunk
from avatarsynth.pipeline._progress import JOINING, SPEECH, VIDEO, Progress
from avatarsynth.pipeline._requests import (
    AnyRequest,
    AnyResult,
    PhotoAvatar,
    RenderRequest,
    RenderResult,
    SpeakRequest,
    SpeakResult,
)
from avatarsynth.pipeline._run import begin, check, run, warm_up

__all__ = [
    "JOINING",
    "SPEECH",
    "VIDEO",
    "AnyRequest",
    "AnyResult",
    "ChunkJob",
    "LongRender",
    "PhotoAvatar",
    "Progress",
    "RenderRequest",
    "RenderResult",
    "SpeakRequest",
    "SpeakResult",
    "begin",
    "check",
    "render_chunk",
    "run",
    "warm_up",
]
