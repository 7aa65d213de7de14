"""The 3.1-preview1 talking-avatar API: its body, job, list and summary shapes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import FAIL_MARK, finished
from tests.fixtures import LEGACY, legacy_body


def test_create_get_list_and_delete(client: TestClient) -> None:
    created = client.post(LEGACY, json=legacy_body())
    assert created.status_code == 201
    job = created.json()
    assert re.fullmatch(r"[0-9a-f-]{36}", job["id"])
    assert created.headers["Location"].endswith(f"{LEGACY}/{job['id']}")
    assert (job["displayName"], job["textType"], job["status"]) == (
        "Simple avatar synthesis",
        "PlainText",
        "NotStarted",
    )
    assert job["properties"]["timeToLive"] == "P31D"
    assert job["properties"]["kBitrate"] == 2000

    done = finished(client, f"{LEGACY}/{job['id']}")
    assert done["status"] == "Succeeded"
    properties = done["properties"]
    assert properties["durationInTicks"] == 25_000_000 and properties["duration"] == "PT2.5S"
    assert properties["succeededAudioCount"] == 1 and properties["failedAudioCount"] == 0
    assert properties["billingDetails"] == {"neural": 28, "customNeural": 0}

    summary = client.get(done["outputs"]["summary"]).json()
    assert summary["results"][0]["billingDetails"] == {"Neural": "28", "TalkingAvatarDuration": "2"}
    assert summary["results"][0]["videoFileName"] == f"{job['id']}/0001.mp4"

    listed = client.get(LEGACY).json()
    assert [j["id"] for j in listed["values"]] == [job["id"]]
    assert "@nextLink" not in listed
    assert client.delete(f"{LEGACY}/{job['id']}").status_code == 204
    assert client.get(f"{LEGACY}/{job['id']}").status_code == 404


def test_lists_page_with_skip_and_top(client: TestClient) -> None:
    for index in range(3):
        client.post(LEGACY, json=legacy_body(f"Input {index}"))
    page = client.get(LEGACY, params={"top": 2}).json()
    assert len(page["values"]) == 2
    assert page["@nextLink"] == f"http://testserver{LEGACY}?skip=2&top=2"
    assert len(client.get(page["@nextLink"]).json()["values"]) == 1


def test_legacy_and_current_jobs_do_not_mix(client: TestClient) -> None:
    job = client.post(LEGACY, json=legacy_body()).json()
    current = client.get(
        f"/avatar/batchsyntheses/{job['id']}", params={"api-version": "2024-08-01"}
    )
    assert current.status_code == 404


@pytest.mark.parametrize(
    ("change", "target"),
    [
        ({"displayName": None}, "displayName"),
        ({"textType": "Html"}, "textType"),
        ({"inputs": [{"content": "new-style name"}]}, "inputs[0].text"),
        ({"properties": None}, "properties"),
        ({"customProperties": {str(i): "v" for i in range(11)}}, "customProperties"),
    ],
)
def test_invalid_legacy_fields_are_named(
    client: TestClient, change: dict[str, Any], target: str
) -> None:
    payload = {**legacy_body(), **change}
    response = client.post(LEGACY, json={k: v for k, v in payload.items() if v is not None})
    assert response.status_code == 400
    assert response.json()["error"]["target"] == target


@pytest.mark.parametrize(
    ("ttl", "status", "echo"),
    [("PT12H", 201, "PT12H"), ("P1DT6H", 201, "P1DT6H"), ("P32D", 400, None), ("soon", 400, None)],
)
def test_time_to_live_is_an_iso_duration_up_to_31_days(
    client: TestClient, ttl: str, status: int, echo: str | None
) -> None:
    response = client.post(LEGACY, json=legacy_body(timeToLive=ttl))
    assert response.status_code == status
    if echo:
        assert response.json()["properties"]["timeToLive"] == echo


def test_a_failed_legacy_job_carries_its_error(client: TestClient) -> None:
    job = client.post(LEGACY, json=legacy_body(FAIL_MARK)).json()
    done = finished(client, f"{LEGACY}/{job['id']}")
    assert done["status"] == "Failed" and "outputs" not in done
    assert done["properties"]["error"]["code"] == "InternalServerError"
    assert done["properties"]["failedAudioCount"] == 1
