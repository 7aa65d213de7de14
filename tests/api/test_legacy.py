"""The 3.1-preview1 talking-avatar API: server-chosen GUIDs, its own names and shapes."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi.testclient import TestClient
from tests.api.conftest import FAIL_MARK, OTHER_KEY, finished

LEGACY = "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar"


def legacy_body(*texts: str, **properties: Any) -> dict[str, Any]:
    return {
        "displayName": "Simple avatar synthesis",
        "description": "Simple avatar synthesis description",
        "textType": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "customVoices": {},
        "inputs": [{"text": t} for t in texts or ("Hi, I'm a virtual assistant.",)],
        "properties": {
            "customized": False,
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "graceful-sitting",
            "videoFormat": "webm",
            "videoCodec": "vp9",
            "subtitleType": "soft_embedded",
            "backgroundColor": "#FFFFFFFF",
            **properties,
        },
    }


def _create(client: TestClient, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(LEGACY, json=payload)
    assert response.status_code == 201, response.text
    job: dict[str, Any] = response.json()
    assert response.headers["Location"].endswith(f"{LEGACY}/{job['id']}")
    return job


def test_the_documented_flow(client: TestClient) -> None:
    payload = legacy_body()
    job = _create(client, payload)
    uuid.UUID(job["id"])
    assert job["status"] == "NotStarted" and job["textType"] == "PlainText"
    assert job["displayName"] == "Simple avatar synthesis"
    done = finished(client, f"{LEGACY}/{job['id']}")
    assert done["status"] == "Succeeded"
    properties = done["properties"]
    assert properties["timeToLive"] == "P31D" and properties["kBitrate"] == 2000
    assert properties["talkingAvatarCharacter"] == "lisa" and properties["customized"] is False
    assert properties["succeededAudioCount"] == 1 and properties["failedAudioCount"] == 0
    assert properties["durationInTicks"] == 25_000_000 and properties["duration"] == "PT2.5S"
    assert properties["billingDetails"] == {"neural": 28, "customNeural": 0}
    assert re.search(r"/0001\.webm\?", done["outputs"]["result"])
    summary = TestClient(client.app).get(done["outputs"]["summary"]).json()
    entry = summary["results"][0]
    assert entry["billingDetails"] == {"Neural": "28", "TalkingAvatarDuration": "2"}
    assert entry["videoFileName"] == f"{job['id']}/0001.webm"
    assert entry["TalkingAvatarStyle"] == "graceful-sitting"
    deleted = client.delete(f"{LEGACY}/{job['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"{LEGACY}/{job['id']}").status_code == 404
    assert client.get(done["outputs"]["result"]).status_code == 404


def test_legacy_errors_name_the_field(client: TestClient) -> None:
    payload = legacy_body(timeToLive="P40D")
    response = client.post(LEGACY, json=payload)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "properties.timeToLive"
    missing = {k: v for k, v in legacy_body().items() if k != "displayName"}
    assert client.post(LEGACY, json=missing).json()["error"]["target"] == "displayName"


def test_lists_use_values_and_at_next_link_with_skip_and_top(client: TestClient) -> None:
    ids = [_create(client, legacy_body(f"Text {n}"))["id"] for n in range(3)]
    page = client.get(LEGACY, params={"top": 2}).json()
    assert [j["id"] for j in page["values"]] == ids[::-1][:2]
    assert page["@nextLink"] == f"http://testserver{LEGACY}?skip=2&top=2"
    last = client.get(page["@nextLink"]).json()
    assert [j["id"] for j in last["values"]] == ids[:1] and "@nextLink" not in last
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    assert client.get(LEGACY, headers=other).json() == {"values": []}
    assert client.get(f"{LEGACY}/{ids[0]}", headers=other).status_code == 404


def test_legacy_and_current_jobs_live_apart(client: TestClient) -> None:
    job = _create(client, legacy_body())
    params = {"api-version": "2024-08-01"}
    assert client.get(f"/avatar/batchsyntheses/{job['id']}", params=params).status_code == 404
    assert client.get("/avatar/batchsyntheses", params=params).json()["value"] == []


def test_a_failed_legacy_job_carries_its_error(client: TestClient) -> None:
    job = _create(client, legacy_body(FAIL_MARK))
    done = finished(client, f"{LEGACY}/{job['id']}")
    assert done["status"] == "Failed" and "outputs" not in done
    assert done["properties"]["error"]["code"] == "InternalServerError"
    assert done["properties"]["failedAudioCount"] == 1
