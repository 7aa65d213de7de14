"""The audio path (the audio batch API): text or SSML → speech → WAV, MP3 or Opus, with the
word and sentence timings of the speech (the job turns them into Azure's boundary files)."""

from __future__ import annotations

from pathlib import Path

from avatarsynth import script, speech, video
from avatarsynth.pipeline._requests import SpeakRequest, SpeakResult
from avatarsynth.script import Pause, Utterance


def _utterance(request: SpeakRequest) -> Utterance:
    """Every content parsed, joined into one utterance (inputs stay sentence-separated)."""
    parts = [
        script.parse(content, request.input_kind, request.voice, request.prosody)
        for content in request.contents
    ]
    joined = [segment for part in parts for segment in (*part.segments, Pause(0.0))]
    return Utterance(tuple(joined[:-1]), tuple(w for part in parts for w in part.warnings))


def check_audio(request: SpeakRequest) -> Utterance:
    """Validate an audio request without synthesizing it; raises an ``InvalidRequest``."""
    video.audio_format(request.audio_format)
    utterance = _utterance(request)
    speech.check_voices(utterance)
    return utterance


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
        words=spoken.words,
        sentences=spoken.sentences,
    )
