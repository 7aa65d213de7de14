"""Every failure is Azure's envelope with x-ms-error-code and a request id; bad input is a 4xx."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import KEY, V, body

JOB = "/avatar/batchsyntheses"


def _error(response: httpx2.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["x-ms-error-code"] == code
    uuid.UUID(response.headers["apim-request-id"])
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


def test_every_response_has_a_fresh_request_id(client: TestClient) -> None:
    ids = {client.get("/healthz").headers["apim-request-id"] for _ in range(3)}
    ids.add(client.get(JOB, params=V).headers["apim-request-id"])
    assert len(ids) == 4


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", f"{JOB}/job-1"),
        ("GET", f"{JOB}/job-1"),
        ("DELETE", f"{JOB}/job-1"),
        ("GET", JOB),
        ("GET", "/avatar/operations/op-1"),
        ("GET", "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar"),
        ("POST", "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar"),
        ("GET", "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar/x"),
        ("DELETE", "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar/x"),
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        {"Ocp-Apim-Subscription-Key": ""},
        {"Ocp-Apim-Subscription-Key": "wrong"},
        {"Ocp-Apim-Subscription-Key": "", "Authorization": "Bearer wrong"},
        {"Ocp-Apim-Subscription-Key": "", "Authorization": f"Basic {KEY}"},
    ],
)
def test_every_api_route_needs_a_valid_key(
    client: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = client.request(method, path, params=V, headers=headers, json=body())
    _error(response, 401, "Unauthorized")


def test_a_bearer_token_is_a_key_too(client: TestClient) -> None:
    headers = {"Ocp-Apim-Subscription-Key": "", "Authorization": f"Bearer {KEY}"}
    assert client.get(JOB, params=V, headers=headers).status_code == 200


@pytest.mark.parametrize("version", [None, "", "2023-01-01", "2024-04-01"])
def test_a_missing_or_unknown_api_version_is_a_400(client: TestClient, version: str | None) -> None:
    params = {} if version is None else {"api-version": version}
    for response in (
        client.put(f"{JOB}/job-1", params=params, json=body()),
        client.get(f"{JOB}/job-1", params=params),
        client.get(JOB, params=params),
        client.delete(f"{JOB}/job-1", params=params),
        client.get("/avatar/operations/op", params=params),
    ):
        assert _error(response, 400, "BadArgument")["target"] == "api-version"


def test_the_preview_api_version_is_accepted(client: TestClient) -> None:
    params = {"api-version": "2024-04-15-preview"}
    assert client.put(f"{JOB}/job-1", params=params, json=body()).status_code == 201
    assert client.get(f"{JOB}/job-1", params=params).json()["id"] == "job-1"


@pytest.mark.parametrize("job_id", ["ab", "-abc", "abc-", "a" * 65, "a b c", "abc%25", "ab.."])
def test_ids_outside_the_pattern_are_a_400(client: TestClient, job_id: str) -> None:
    response = client.put(f"{JOB}/{job_id}", params=V, json=body())
    assert _error(response, 400, "BadArgument")["target"] == "id"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b"\xff\xfe\x00",
        b'{"inputKind": "PlainText", "description": "\\ud800"}',
        b"[" * 100_000,
        '{"inputKind": "PlainText", "inputs": [{"content": "\u202e\u0000\U0001f600"}]}'.encode(),
    ],
)
def test_malformed_bodies_are_a_400(client: TestClient, raw: bytes) -> None:
    response = client.put(f"{JOB}/job-1", params=V, content=raw)
    assert response.status_code == 400, response.text
    _error(response, 400, response.json()["error"]["code"])


def test_a_body_over_500_kb_is_a_400_naming_the_limit(client: TestClient) -> None:
    huge = body("x" * 600_000)
    error = _error(client.put(f"{JOB}/job-1", params=V, json=huge), 400, "BadRequest")
    assert "500 KB" in error["message"]


@pytest.mark.parametrize(
    ("change", "target"),
    [
        ({"inputKind": 1}, "inputKind"),
        ({"inputs": {"content": "x"}}, "inputs"),
        ({"inputs": [{"content": "x"}] * 1001}, "inputs"),
        ({"avatarConfig": "lisa"}, "avatarConfig"),
        ({"synthesisConfig": {"voice": ["a"]}}, "synthesisConfig.voice"),
        ({"properties": {"timeToLiveInHours": 10_000}}, "properties.timeToLiveInHours"),
    ],
)
def test_wrong_types_are_a_400_naming_the_field(
    client: TestClient, change: dict[str, Any], target: str
) -> None:
    response = client.put(f"{JOB}/job-1", params=V, json={**body(), **change})
    error = _error(response, 400, "BadArgument")
    assert error["target"] == target and target in error["message"]


def test_pipeline_errors_at_create_time_name_the_input(client: TestClient) -> None:
    payload = body()
    payload["inputKind"] = "SSML"
    payload["inputs"] = [
        {"content": "<speak version='1.0' xml:lang='en-US'>Fine</speak>"},
        {"content": "<speak version='1.0' xml:lang='en-US'><voice>Broken"},
    ]
    error = _error(client.put(f"{JOB}/job-1", params=V, json=payload), 400, "BadArgument")
    assert error["target"] == "inputs[1].content"
    unknown = client.put(f"{JOB}/job-2", params=V, json=body(talkingAvatarCharacter="nobody"))
    assert _error(unknown, 400, "BadArgument")["target"].startswith("avatarConfig")
    assert client.get(JOB, params=V).json()["value"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"skip": "-1"},
        {"skip": "1e99"},
        {"skip": "9" * 30},
        {"maxpagesize": "0"},
        {"maxpagesize": "many"},
    ],
)
def test_bad_paging_parameters_are_a_400(client: TestClient, query: dict[str, str]) -> None:
    _error(client.get(JOB, params={**V, **query}), 400, "BadArgument")


@pytest.mark.parametrize(
    "path",
    [
        f"{JOB}/unknown-job",
        f"{JOB}/..%2F..%2Fetc%2Fpasswd",
        "/avatar/operations/no-such-op",
        "/avatar/nothing-here",
        "/results/../../etc/passwd",
        "/results/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_unknown_things_are_a_404(client: TestClient, path: str) -> None:
    _error(client.get(path, params=V), 404, "NotFound")


def test_a_wrong_method_is_an_enveloped_405(client: TestClient) -> None:
    _error(client.post(f"{JOB}/job-1", params=V, json=body()), 405, "MethodNotAllowed")


def test_an_unexpected_crash_is_an_enveloped_500_with_a_request_id(
    make_client: Any,
) -> None:
    def broken_check(request: object) -> None:
        raise RuntimeError("a bug")

    client = make_client(check=broken_check)
    response = client.put(f"{JOB}/job-1", params=V, json=body())
    error = _error(response, 500, "InternalServerError")
    assert "a bug" not in error["message"]
