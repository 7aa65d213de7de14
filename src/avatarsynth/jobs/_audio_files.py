"""The audio batch API's extra files: ``0001.word.json``, ``0001.sentence.json``, results.zip."""

from __future__ import annotations

import io
import json
import zipfile

from avatarsynth.jobs._spec import JobSpec
from avatarsynth.pipeline import Boundary, SpeakResult
from avatarsynth.storage import LocalStorage


def _boundary_json(boundaries: tuple[Boundary, ...]) -> bytes:
    """Azure's shape: ``[{"Text", "AudioOffset", "Duration"}]`` in milliseconds."""
    return json.dumps(
        [
            {"Text": b.text, "AudioOffset": b.offset_ms, "Duration": b.duration_ms}
            for b in boundaries
        ],
        ensure_ascii=False,
    ).encode()


def write_boundaries(
    storage: LocalStorage, audio_key: str, result: SpeakResult, spec: JobSpec
) -> None:
    """Beside ``0001.wav``: its word and sentence timings, when the job asked for them."""
    assert spec.audio is not None
    stem = audio_key.rsplit(".", 1)[0]
    if spec.audio.word_boundaries:
        storage.put_bytes(f"{stem}.word.json", _boundary_json(result.words))
    if spec.audio.sentence_boundaries:
        storage.put_bytes(f"{stem}.sentence.json", _boundary_json(result.sentences))


def publish_zip(storage: LocalStorage, internal_id: str) -> str:
    """Pack every file of the job (audio, timings, summary.json) into results.zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in storage.keys(internal_id):
            archive.write(storage.local_path(key), key.split("/", 1)[1])
    key = f"{internal_id}/results.zip"
    storage.put_bytes(key, buffer.getvalue())
    return key
