"""One input in, one video out: the whole journey in a handful of lines.

    text/SSML ──script.parse──> Utterance ──speech.synthesize──> Speech
              ──performance.perform──> Performance ──avatar.render──> frames
              ──video.encode──> MP4/WebM file

Nothing here knows of HTTP, jobs or storage; ``avatarsynth render`` and the job workers call
the same two functions: :func:`check` at request time (so bad input is a 400, never a Failed
job later) and :func:`render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from avatarsynth import avatar, performance, script, speech, video
from avatarsynth.script import InputKind, Utterance


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
    video: video.EncodeOptions = field(default_factory=video.EncodeOptions)


@dataclass(frozen=True)
class RenderResult:
    """What a finished input reports to its job."""

    path: Path
    size_bytes: int
    duration_s: float
    billable_characters: int
    warnings: tuple[str, ...] = ()


def warm_up() -> None:
    """Load models and caches once per worker process, before its first input."""
    speech.warm_up()


def check(request: RenderRequest) -> Utterance:
    """Parse and validate an input without rendering it; raises an ``InvalidRequest``."""
    avatar.find_look(request.character, request.style)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    speech.check_voices(utterance)
    return utterance


def render(request: RenderRequest, out_path: Path) -> RenderResult:
    """Make the video for one input at ``out_path``; raises a ``SynthesisError`` on failure."""
    look = avatar.find_look(request.character, request.style)
    utterance = script.parse(request.content, request.input_kind, request.voice, request.prosody)
    spoken = speech.synthesize(utterance)
    acted = performance.perform(spoken, fps=request.video.fps)
    frames = avatar.render(
        acted, look, request.video.width, request.video.height, request.background_rgba
    )
    encoded = video.encode(frames, spoken.samples, spoken.sample_rate, request.video, out_path)
    return RenderResult(
        path=out_path,
        size_bytes=encoded.size_bytes,
        duration_s=encoded.duration_s,
        billable_characters=utterance.billable_characters,
        warnings=utterance.warnings + spoken.warnings,
    )
