"""Bad input always gets Azure's envelope with the right status, never a 500 or a hang."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import V, body

JOB = "/avatar/batchsyntheses"


def put(client: TestClient, payload: Any, job_id: str = "bad-job") -> Any:
    return client.put(f"{JOB}/{job_id}", params=V, json=payload)


def assert_error(
    response: Any, status: int, code: str, target: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert response.headers["x-ms-error-code"] == code
    assert response.headers["apim-request-id"]
    if target is not None:
        assert error.get("target") == target
        assert target.split(".")[-1].split("[")[0].lower() in error["message"].lower()
    return error


def changed(path: str, value: Any) -> dict[str, Any]:
    """The valid body with one field set (value ...) or removed (value Ellipsis)."""
    payload = copy.deepcopy(body())
    *parents, last = path.split(".")
    node = payload
    for part in parents:
        node = node[part]
    if value is ...:
        node.pop(last, None)
    else:
        node[last] = value
    return payload


@pytest.mark.parametrize(
    ("path", "value", "target"),
    [
        ("inputKind", ..., "inputKind"),
        ("inputKind", "Markdown", "inputKind"),
        ("inputKind", 7, "inputKind"),
        ("inputs", ..., "inputs"),
        ("inputs", [], "inputs"),
        ("inputs", "text", "inputs"),
        ("inputs", [{"content": ""}], "inputs[0].content"),
        ("inputs", [{"text": "wrong name"}], "inputs[0].content"),
        ("inputs", [{"content": 5}], "inputs[0].content"),
        ("inputs", [{"content": "a"}] * 1001, "inputs"),
        ("synthesisConfig", ..., "synthesisConfig"),
        ("synthesisConfig", {"voice": ""}, "synthesisConfig.voice"),
        ("synthesisConfig", {"voice": "xx-XX-NobodyNeural"}, "synthesisConfig.voice"),
        ("avatarConfig", ..., "avatarConfig"),
        ("avatarConfig", "lisa", "avatarConfig"),
        ("avatarConfig.talkingAvatarCharacter", ..., "avatarConfig.talkingAvatarCharacter"),
        ("avatarConfig.talkingAvatarCharacter", "gollum", "avatarConfig.talkingAvatarCharacter"),
        ("avatarConfig.talkingAvatarStyle", "dancing", "avatarConfig.talkingAvatarStyle"),
        ("avatarConfig.videoFormat", "avi", "avatarConfig.videoFormat"),
        ("avatarConfig.videoCodec", "mpeg2", "avatarConfig.videoCodec"),
        ("avatarConfig.bitrateKbps", "fast", "avatarConfig.bitrateKbps"),
        ("avatarConfig.bitrateKbps", 0, "avatarConfig.bitrateKbps"),
        ("avatarConfig.subtitleType", "closed", "avatarConfig.subtitleType"),
        ("avatarConfig.backgroundColor", "blue", "avatarConfig.backgroundColor"),
        ("avatarConfig.backgroundColor", "#00000000", "avatarConfig.backgroundColor"),
        ("avatarConfig.customized", "yes", "avatarConfig.customized"),
        ("avatarConfig.videoCrop", {"topLeft": {"x": 0, "y": 0}}, "avatarConfig.videoCrop"),
        ("customVoices", {"my-voice": "3e0d1c8a-0000-0000-0000-000000000000"}, "customVoices"),
        ("properties", {"timeToLiveInHours": 745}, "properties.timeToLiveInHours"),
        (
            "properties",
            {"destinationContainerUrl": "https://x"},
            "properties.destinationContainerUrl",
        ),
    ],
)
def test_each_invalid_field_is_a_400_that_names_it(
    client: TestClient, path: str, value: Any, target: str
) -> None:
    assert_error(put(client, changed(path, value)), 400, "BadArgument", target)


def test_an_invalid_codec_for_the_container_is_a_400(client: TestClient) -> None:
    payload = body(videoFormat="mp4", videoCodec="vp9")
    assert_error(put(client, payload), 400, "BadArgument", "avatarConfig.videoCodec")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("<speak version='1.0'><voice name='en-US-JennyNeural'>unclosed</speak>", "well-formed"),
        (
            "<speak version='1.0'><voice name='en-US-JennyNeural'><break time='soon'/>"
            "</voice></speak>",
            "duration",
        ),
        ("<speak version='1.0'><voice name='tlh-KL-WorfNeural'>Qapla</voice></speak>", "not known"),
    ],
)
def test_bad_ssml_is_refused_at_create_time(
    client: TestClient, content: str, fragment: str
) -> None:
    valid = "<speak version='1.0'><voice name='en-US-JennyNeural'>Fine.</voice></speak>"
    payload = {**body(), "inputKind": "SSML", "inputs": [{"content": valid}, {"content": content}]}
    error = assert_error(put(client, payload), 400, "BadArgument")
    assert error["target"] == "inputs[1].content"
    assert fragment in error["message"]
    assert client.get(f"{JOB}/bad-job", params=V).status_code == 404


def test_an_entity_bomb_is_refused_quickly(client: TestClient) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY l0 "lol">{lol}]><speak>&l9;</speak>'
    started = time.perf_counter()
    response = put(client, {**body(), "inputKind": "SSML", "inputs": [{"content": bomb}]})
    assert time.perf_counter() - started < 2.0
    assert "DTD" in assert_error(response, 400, "BadArgument")["message"]


def test_a_body_over_500_kb_is_refused_naming_the_limit(client: TestClient) -> None:
    payload = body("word " * 110_000)
    assert "500 KB" in assert_error(put(client, payload), 400, "BadRequest")["message"]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b""])
def test_bodies_that_are_not_a_json_object_are_a_400(client: TestClient, raw: bytes) -> None:
    response = client.put(f"{JOB}/raw-job", params=V, content=raw)
    assert_error(response, 400, "BadArgument")


def test_odd_unicode_is_accepted_as_text(client: TestClient) -> None:
    response = put(client, body("Zero\u200bwidth, RTL \u202eabc, emoji 🎬, combining e\u0301."))
    assert response.status_code == 201


@pytest.mark.parametrize("job_id", ["ab", "-start", "end-", "a" * 65, "has space", "dots..%2e"])
def test_ids_outside_the_pattern_are_a_400(client: TestClient, job_id: str) -> None:
    assert_error(put(client, body(), job_id), 400, "BadArgument", "id")


@pytest.mark.parametrize("path", ["../../etc/passwd", "a/b", "%2e%2e%2fx"])
def test_path_tricks_in_ids_never_reach_a_file(client: TestClient, path: str) -> None:
    response = client.get(f"{JOB}/{path}", params=V)
    assert response.status_code in (400, 404)
    assert response.json()["error"]["code"] in ("BadArgument", "NotFound")


@pytest.mark.parametrize("version", [None, "2023-01-01", "latest"])
def test_a_missing_or_unknown_api_version_is_a_400(client: TestClient, version: str | None) -> None:
    params = {"api-version": version} if version else {}
    response = client.get(f"{JOB}/x-job", params=params)
    assert_error(response, 400, "BadArgument", "api-version")


def test_credentials(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    assert_error(anonymous.get(JOB, params=V), 401, "Unauthorized")
    wrong = anonymous.get(JOB, params=V, headers={"Ocp-Apim-Subscription-Key": "nope"})
    assert_error(wrong, 401, "Unauthorized")
    bearer = anonymous.get(JOB, params=V, headers={"Authorization": "Bearer test-key-1"})
    assert bearer.status_code == 200


def test_unknown_routes_and_methods_get_the_envelope_too(client: TestClient) -> None:
    assert_error(client.get("/no/such/route"), 404, "NotFound")
    assert_error(client.post(f"{JOB}/x-job", params=V), 405, "MethodNotAllowed")


@pytest.mark.parametrize("skip", ["-1", "abc"])
def test_bad_paging_parameters_are_a_400(client: TestClient, skip: str) -> None:
    assert_error(client.get(JOB, params={**V, "skip": skip}), 400, "BadArgument")


def test_a_10_mb_ssml_document_is_refused_by_the_body_limit(client: TestClient) -> None:
    huge = "<speak version='1.0'><voice name='en-US-JennyNeural'>" + "word " * 2_000_000
    response = client.put(
        f"{JOB}/huge-job",
        params=V,
        json={**body(), "inputKind": "SSML", "inputs": [{"content": huge}]},
    )
    assert "500 KB" in assert_error(response, 400, "BadRequest")["message"]


def test_an_unknown_operation_is_a_404(client: TestClient) -> None:
    assert_error(client.get("/avatar/operations/no-such-op", params=V), 404, "NotFound")
