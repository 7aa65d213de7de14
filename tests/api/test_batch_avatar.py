"""The 2024-08-01 batch avatar contract (spec §1-5), route by route, over HTTP."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx2
from fastapi.testclient import TestClient
from tests.api.conftest import FAIL_MARK, OTHER_KEY, V, body, finished

from avatarsynth.dispatch import RenderFn

JOB = "/avatar/batchsyntheses"


def create(
    client: TestClient, job_id: str, payload: dict[str, Any], **headers: str
) -> httpx2.Response:
    return client.put(f"{JOB}/{job_id}", params=V, json=payload, headers=headers)


def test_create_answers_201_with_operation_headers_and_every_default(client: TestClient) -> None:
    response = create(client, "job-1", body())
    assert response.status_code == 201
    job = response.json()
    assert job["id"] == "job-1" and job["status"] == "NotStarted"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", job["createdDateTime"])
    assert job["avatarConfig"] == {
        "talkingAvatarCharacter": "lisa",
        "talkingAvatarStyle": "casual-sitting",
        "videoFormat": "Mp4",
        "videoCodec": "hevc",
        "subtitleType": "soft_embedded",
        "backgroundColor": "#FFFFFFFF",
        "bitrateKbps": 2000,
        "customized": False,
    }
    assert job["properties"] == {"timeToLiveInHours": 744}
    assert job["customVoices"] == {} and "inputs" not in job and "outputs" not in job
    operation = response.headers["Operation-Id"]
    assert response.headers["Operation-Location"] == (
        f"http://testserver/avatar/operations/{operation}?api-version=2024-08-01"
    )
    assert client.get(f"/avatar/operations/{operation}", params=V).json()["id"] == operation


def test_names_and_enum_values_are_case_insensitive(client: TestClient) -> None:
    csharp_style = {
        "InputKind": "Ssml",
        "Inputs": [
            {
                "Content": "<speak version='1.0' xml:lang='en-US'><voice name="
                "'en-US-JennyNeural'>Hi</voice></speak>"
            }
        ],
        "AvatarConfig": {
            "TalkingAvatarCharacter": "LISA",
            "TalkingAvatarStyle": "Casual-Sitting",
            "VideoFormat": "WEBM",
            "VideoCodec": "VP9",
            "SubtitleType": "None",
        },
        "SomethingNew": {"ignored": True},
    }
    job = create(client, "job-ci", csharp_style).json()
    assert job["inputKind"] == "SSML"
    assert job["avatarConfig"]["videoFormat"] == "Webm"
    assert job["avatarConfig"]["videoCodec"] == "vp9"
    assert job["avatarConfig"]["subtitleType"] == "none"
    assert "synthesisConfig" not in job


def test_a_job_runs_to_succeeded_with_outputs_billing_and_summary(client: TestClient) -> None:
    create(client, "job-2", body("Twelve chars"))
    job = finished(client, f"{JOB}/job-2?api-version=2024-08-01")
    assert job["status"] == "Succeeded"
    properties = job["properties"]
    assert properties["succeededCount"] == 1 and properties["failedCount"] == 0
    assert properties["durationInMilliseconds"] == 2500
    assert properties["billingDetails"] == {
        "neuralCharacters": 12,
        "talkingAvatarDurationSeconds": 2,
    }
    assert job["lastActionDateTime"] >= job["createdDateTime"]
    video = TestClient(client.app).get(job["outputs"]["result"])  # no key: the URL is signed
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert properties["sizeInBytes"] == len(video.content)
    summary = client.get(job["outputs"]["summary"]).json()
    assert summary == {
        "jobID": job["internalId"],
        "status": "Succeeded",
        "results": [
            {
                "texts": ["Twelve chars"],
                "status": "Succeeded",
                "videoFileName": "job-2/0001.mp4",
                "TalkingAvatarCharacter": "lisa",
                "TalkingAvatarStyle": "casual-sitting",
            }
        ],
    }


def test_an_identical_retry_returns_the_first_job_and_a_different_body_conflicts(
    client: TestClient,
) -> None:
    first = create(client, "job-3", body()).json()
    again = create(client, "job-3", body())
    assert again.status_code == 201 and again.json()["internalId"] == first["internalId"]
    conflict = create(client, "job-3", body("Something else"))
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "Conflict"
    assert conflict.headers["x-ms-error-code"] == "Conflict"


def test_reusing_an_operation_id_for_another_body_is_a_400(client: TestClient) -> None:
    assert create(client, "job-4", body(), **{"Operation-Id": "op-1"}).status_code == 201
    reused = create(client, "job-5", body("Other"), **{"Operation-Id": "op-1"})
    assert reused.status_code == 400
    assert reused.json()["error"]["target"] == "Operation-Id"


def test_lists_are_newest_first_with_an_absolute_next_link(client: TestClient) -> None:
    for index in range(5):
        create(client, f"list-{index}", body(f"Input {index}"))
        time.sleep(0.002)
    first = client.get(JOB, params={**V, "maxpagesize": 2}).json()
    assert [j["id"] for j in first["value"]] == ["list-4", "list-3"]
    assert first["values"] == first["value"]
    assert first["nextLink"] == (
        "http://testserver/avatar/batchsyntheses?api-version=2024-08-01&skip=2&maxpagesize=2"
    )
    ids = [j["id"] for j in first["value"]]
    link = first["nextLink"]
    while link:
        page = client.get(link).json()
        ids += [j["id"] for j in page["value"]]
        link = page.get("nextLink")
    assert ids == [f"list-{i}" for i in (4, 3, 2, 1, 0)]
    assert client.get(f"{JOB}/", params=V).json()["value"][0]["id"] == "list-4"


def test_a_job_is_invisible_to_other_keys(client: TestClient) -> None:
    create(client, "mine", body())
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    assert client.get(f"{JOB}/mine", params=V, headers=other).status_code == 404
    assert client.delete(f"{JOB}/mine", params=V, headers=other).status_code == 404
    assert client.get(JOB, params=V, headers=other).json()["value"] == []
    assert create(client, "mine", body("Another owner, same id"), **other).status_code == 201


def test_delete_answers_204_and_the_files_are_gone(client: TestClient) -> None:
    create(client, "job-6", body())
    job = finished(client, f"{JOB}/job-6?api-version=2024-08-01")
    deleted = client.delete(f"{JOB}/job-6", params=V)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(job["outputs"]["result"]).status_code == 404
    assert client.get(f"{JOB}/job-6", params=V).status_code == 404
    assert client.delete(f"{JOB}/job-6", params=V).status_code == 404


def test_one_failed_input_does_not_fail_the_others(client: TestClient) -> None:
    payload = body("First")
    payload["inputs"] = [{"content": "First"}, {"content": FAIL_MARK}, {"content": "Third"}]
    create(client, "job-7", payload)
    job = finished(client, f"{JOB}/job-7?api-version=2024-08-01")
    assert job["status"] == "Succeeded"
    assert (job["properties"]["succeededCount"], job["properties"]["failedCount"]) == (2, 1)
    summary = client.get(job["outputs"]["summary"]).json()
    assert [r["status"] for r in summary["results"]] == ["Succeeded", "Failed", "Succeeded"]
    assert (
        summary["results"][1]["error"]["message"] == "The avatar could not be drawn for this input."
    )
    assert summary["results"][2]["videoFileName"] == "job-7/0003.mp4"
    listing = client.get(job["outputs"]["result"]).json()
    assert [f["name"] for f in listing["files"]] == ["0001.mp4", "0003.mp4", "summary.json"]


def test_a_job_whose_every_input_failed_is_failed_with_its_error(client: TestClient) -> None:
    create(client, "job-8", body(FAIL_MARK))
    job = finished(client, f"{JOB}/job-8?api-version=2024-08-01")
    assert job["status"] == "Failed"
    assert job["properties"]["error"] == {
        "code": "InternalServerError",
        "message": "The avatar could not be drawn for this input.",
    }
    assert job["properties"]["failedCount"] == 1
    assert "outputs" not in job


def test_too_many_waiting_jobs_is_a_429_with_retry_after(
    make_client: Any, stuck_render: RenderFn
) -> None:
    client = make_client(max_running_jobs=1, workers=1, render=stuck_render)
    assert create(client, "job-9", body()).status_code == 201
    refused = create(client, "job-10", body())
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "30"
    assert refused.json()["error"]["code"] == "TooManyRequests"


def test_a_retry_of_an_accepted_job_is_answered_even_when_the_quota_is_full(
    make_client: Any, stuck_render: RenderFn
) -> None:
    client = make_client(max_running_jobs=1, workers=1, render=stuck_render)
    first = create(client, "job-11", body())
    again = create(client, "job-11", body())
    assert again.status_code == 201 and again.json()["internalId"] == first.json()["internalId"]
    legacy = client.post(
        "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar",
        json={
            "displayName": "x",
            "textType": "PlainText",
            "synthesisConfig": {"voice": "en-US-JennyNeural"},
            "inputs": [{"text": "Hi."}],
            "properties": {
                "talkingAvatarCharacter": "lisa",
                "talkingAvatarStyle": "casual-sitting",
            },
        },
    )
    assert legacy.status_code == 429 and legacy.headers["Retry-After"] == "30"


def test_external_subtitles_are_srt_and_vtt_files_beside_the_video(client: TestClient) -> None:
    create(client, "subs-1", body("Captions for every spoken word.", subtitleType="External_File"))
    job = finished(client, f"{JOB}/subs-1?api-version=2024-08-01")
    assert job["avatarConfig"]["subtitleType"] == "external_file"
    srt = TestClient(client.app).get(job["outputs"]["subtitle"])
    assert srt.status_code == 200
    cues = re.findall(r"\d+\n(\S+) --> (\S+)\n(.+)\n", srt.text)
    assert [text for _, _, text in cues] == ["Captions for every spoken word."]
    assert cues[0][:2] == ("00:00:00,000", "00:00:02,400")
    listing = client.get(job["outputs"]["result"].replace("0001.mp4", "0001.vtt"))
    assert listing.status_code == 404  # each URL is signed for its own file only


def test_burnt_in_subtitles_are_accepted_and_have_no_subtitle_file(client: TestClient) -> None:
    assert create(client, "subs-2", body(subtitleType="Hard_Embedded")).status_code == 201
    job = finished(client, f"{JOB}/subs-2?api-version=2024-08-01")
    assert job["avatarConfig"]["subtitleType"] == "hard_embedded"
    assert job["status"] == "Succeeded" and "subtitle" not in job["outputs"]


def test_a_crop_is_echoed_as_asked_and_one_outside_the_frame_is_a_400(client: TestClient) -> None:
    crop = {"topLeft": {"x": 560, "y": 0}, "bottomRight": {"x": 1360, "y": 1080}}
    created = create(client, "crop-1", body(videoCrop=crop))
    assert created.status_code == 201 and created.json()["avatarConfig"]["videoCrop"] == crop
    outside = {"topLeft": {"x": 560, "y": 0}, "bottomRight": {"x": 1960, "y": 1080}}
    refused = create(client, "crop-2", body(videoCrop=outside))
    assert refused.status_code == 400
    assert refused.json()["error"]["target"] == "avatarConfig.videoCrop"


def test_a_transparent_background_needs_vp9_in_webm(client: TestClient) -> None:
    webm = body(videoFormat="webm", videoCodec="vp9", backgroundColor="transparent")
    assert create(client, "alpha-1", webm).status_code == 201
    for name, codec in (("mp4", "h264"), ("webm", "av1")):
        payload = body(videoFormat=name, videoCodec=codec, backgroundColor="#00FF0080")
        refused = create(client, f"alpha-{codec}", payload)
        assert refused.status_code == 400
        assert refused.json()["error"]["target"] == "avatarConfig.backgroundColor"
