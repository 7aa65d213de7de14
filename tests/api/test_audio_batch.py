"""The audio batch API (api-version 2024-04-01): real speech, results.zip, word timings."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import finished

AUDIO = "/texttospeech/batchsyntheses"
V = {"api-version": "2024-04-01"}


def audio_body(*contents: str, **properties: Any) -> dict[str, Any]:
    return {
        "inputKind": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "inputs": [{"content": c} for c in contents or ("Hello from the audio batch API.",)],
        "properties": properties,
    }


def run(
    client: TestClient, job_id: str, payload: dict[str, Any]
) -> tuple[dict[str, Any], zipfile.ZipFile]:
    created = client.put(f"{AUDIO}/{job_id}", params=V, json=payload)
    assert created.status_code == 201, created.text
    job = finished(client, f"{AUDIO}/{job_id}?api-version=2024-04-01")
    assert job["status"] == "Succeeded", job
    archive = zipfile.ZipFile(
        io.BytesIO(TestClient(client.app).get(job["outputs"]["result"]).content)
    )
    return job, archive


def test_defaults_are_echoed(client: TestClient) -> None:
    job = client.put(f"{AUDIO}/audio-1", params=V, json=audio_body()).json()
    assert job["properties"] == {
        "timeToLiveInHours": 744,
        "outputFormat": "riff-24khz-16bit-mono-pcm",
        "concatenateResult": False,
        "decompressOutputFiles": False,
        "wordBoundaryEnabled": False,
        "sentenceBoundaryEnabled": False,
    }


def test_results_zip_holds_audio_summary_and_timings(client: TestClient) -> None:
    text = "The quick brown fox. It jumps over the lazy dog."
    job, archive = run(
        client,
        "audio-2",
        audio_body(text, wordBoundaryEnabled=True, sentenceBoundaryEnabled=True),
    )
    assert sorted(archive.namelist()) == [
        "0001.sentence.json",
        "0001.wav",
        "0001.word.json",
        "summary.json",
    ]
    words = json.loads(archive.read("0001.word.json"))
    assert [w["Text"] for w in words] == [
        "The",
        "quick",
        "brown",
        "fox",
        "It",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
    ]
    assert all(w["Duration"] > 0 for w in words)
    assert [w["AudioOffset"] for w in words] == sorted(w["AudioOffset"] for w in words)
    sentences = json.loads(archive.read("0001.sentence.json"))
    assert [s["Text"] for s in sentences] == ["The quick brown fox.", "It jumps over the lazy dog."]
    summary = json.loads(archive.read("summary.json"))
    (entry,) = summary["results"]
    assert entry["contents"] == [text] and entry["audioFileName"] == "0001.wav"
    duration_ms = int(entry["properties"]["durationInMilliseconds"])
    with av.open(io.BytesIO(archive.read("0001.wav"))) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate) == ("pcm_s16le", 24000)
        samples = sum(frame.samples for frame in container.decode(stream))
    assert samples / 24000 * 1000 == pytest.approx(duration_ms, abs=2)
    assert words[-1]["AudioOffset"] + words[-1]["Duration"] <= duration_ms
    assert job["properties"]["billingDetails"] == {
        "neuralCharacters": len(text),
        "customNeuralCharacters": 0,
    }
    assert "summary" not in job["outputs"]


def test_each_input_is_its_own_file_unless_concatenated(client: TestClient) -> None:
    _, separate = run(
        client,
        "audio-3",
        audio_body("One.", "Two.", outputFormat="audio-24khz-48kbitrate-mono-mp3"),
    )
    assert sorted(separate.namelist()) == ["0001.mp3", "0002.mp3", "summary.json"]
    job, joined = run(client, "audio-4", audio_body("One.", "Two.", concatenateResult=True))
    assert sorted(joined.namelist()) == ["0001.wav", "summary.json"]
    assert json.loads(joined.read("summary.json"))["results"][0]["contents"] == ["One.", "Two."]
    assert job["properties"]["succeededCount"] == 1


@pytest.mark.parametrize(
    ("payload", "target"),
    [
        (audio_body(outputFormat="riff-7khz-16bit-mono-pcm"), "properties.outputFormat"),
        (audio_body(wordBoundaryEnabled="yes"), "properties.wordBoundaryEnabled"),
        (
            {**audio_body(), "synthesisConfig": {"voice": "zz-ZZ-NobodyNeural"}},
            "synthesisConfig.voice",
        ),
        ({**audio_body(), "inputs": [{"content": "x"}] * 10_001}, "inputs"),
    ],
)
def test_invalid_audio_requests_name_the_field(
    client: TestClient, payload: dict[str, Any], target: str
) -> None:
    response = client.put(f"{AUDIO}/audio-bad", params=V, json=payload)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == target


def test_each_api_keeps_its_own_version(client: TestClient) -> None:
    wrong = client.put(f"{AUDIO}/audio-5", params={"api-version": "2024-08-01"}, json=audio_body())
    assert wrong.status_code == 400
    assert wrong.json()["error"]["target"] == "api-version"
