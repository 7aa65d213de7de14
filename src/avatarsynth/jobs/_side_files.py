"""Files beside the results: word and sentence timings and results.zip for audio jobs; for
video jobs a JPEG thumbnail (``0001.jpg``) and, with ``subtitleType: external_file``, SRT and
WebVTT subtitles."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from typing import Protocol

from avatarsynth.jobs._spec import JobSpec
from avatarsynth.pipeline import RenderResult, SpeakResult
from avatarsynth.storage import Storage
from avatarsynth.video import to_srt, to_vtt


class _Timed(Protocol):
    """A word or sentence as the speech stage times it (seconds)."""

    @property
    def text(self) -> str: ...
    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...


def boundary_json(spans: Sequence[_Timed]) -> bytes:
    """Azure's shape: ``[{"Text", "AudioOffset", "Duration"}]`` in milliseconds."""
    return json.dumps(
        [
            {
                "Text": s.text,
                "AudioOffset": round(s.start_s * 1000),
                "Duration": round((s.end_s - s.start_s) * 1000),
            }
            for s in spans
        ],
        ensure_ascii=False,
    ).encode()


def write_boundaries(storage: Storage, audio_key: str, result: SpeakResult, spec: JobSpec) -> None:
    """Beside ``0001.wav``: its word and sentence timings, when the job asked for them."""
    assert spec.audio is not None
    stem = audio_key.rsplit(".", 1)[0]
    if spec.audio.word_boundaries:
        storage.put_bytes(f"{stem}.word.json", boundary_json(result.words))
    if spec.audio.sentence_boundaries:
        storage.put_bytes(f"{stem}.sentence.json", boundary_json(result.sentences))


def publish_zip(storage: Storage, internal_id: str) -> str:
    """Pack every file of the job (audio, timings, summary.json) into results.zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in storage.keys(internal_id):
            archive.writestr(key.split("/", 1)[1], storage.get_bytes(key))
    key = f"{internal_id}/results.zip"
    storage.put_bytes(key, buffer.getvalue())
    return key


def write_subtitles(storage: Storage, video_key: str, result: RenderResult) -> str:
    """``0001.srt`` and ``0001.vtt`` beside ``0001.mp4``; returns the SRT's key."""
    stem = video_key.rsplit(".", 1)[0]
    storage.put_bytes(f"{stem}.vtt", to_vtt(result.captions).encode())
    storage.put_bytes(f"{stem}.srt", to_srt(result.captions).encode())
    return f"{stem}.srt"


def write_video_side_files(
    storage: Storage, video_key: str, result: RenderResult, spec: JobSpec
) -> None:
    """Beside ``0001.mp4``: its thumbnail, and its subtitle files when the job asked for them."""
    stem = video_key.rsplit(".", 1)[0]
    if result.thumbnail is not None and result.thumbnail.exists():
        storage.put_file(f"{stem}.jpg", result.thumbnail)
    if spec.avatar is not None and spec.avatar.subtitle_type == "external_file":
        write_subtitles(storage, video_key, result)
