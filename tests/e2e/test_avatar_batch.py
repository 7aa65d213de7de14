"""The product's spine, as an Azure client lives it: PUT a job, poll it, download, delete."""

from __future__ import annotations

import time
import uuid
from fractions import Fraction
from pathlib import Path

import av
import httpx2
import pytest

from tests.e2e.conftest import API_VERSION, Server, create, wait_for
from tests.mouth import decoded_audio, lip_motion, mouth_box
from tests.speech.acoustics import median_f0

pytestmark = pytest.mark.slow

SSML = (
    '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
    '<voice name="en-US-AvaMultilingualNeural">Hello, I am your presenter today.'
    '<break time="1s"/>Thanks for watching.</voice></speak>'
)


def test_a_job_becomes_a_real_talking_avatar_video_and_is_deleted(
    server: Server, client: httpx2.Client, tmp_path: Path
) -> None:
    job_id = str(uuid.uuid4())
    created = create(client, job_id, SSML)
    assert created.status_code == 201, created.text
    assert created.headers["Operation-Location"].startswith(server.url)

    job = wait_for(client, f"/avatar/batchsyntheses/{job_id}?api-version={API_VERSION}")
    assert job["status"] == "Succeeded", job
    outputs = job["outputs"]
    assert isinstance(outputs, dict)

    video = tmp_path / "0001.mp4"
    download = httpx2.get(outputs["result"], timeout=30)  # no key: the URL is signed
    assert download.status_code == 200
    video.write_bytes(download.content)
    summary = httpx2.get(outputs["summary"], timeout=30).json()
    assert summary["results"][0]["status"] == "Succeeded"
    assert summary["results"][0]["videoFileName"].endswith("0001.mp4")

    with av.open(str(video)) as container:
        v, a = container.streams.video[0], container.streams.audio[0]
        assert (v.codec_context.name, v.width, v.height) == ("h264", 1920, 1080)
        assert v.average_rate == Fraction(25)
        assert a.codec_context.name == "aac"
        track = container.streams.subtitles[0]  # soft_embedded: a mov_text track
        cues = [
            subtitle.dialogue.decode()
            for packet in container.demux(track)
            if packet.size
            for subtitle in (track.codec_context.decode2(packet) or [])
        ]
        assert cues == ["Hello, I am your presenter today.", "Thanks for watching."]
        assert v.duration is not None and a.duration is not None
        video_s = float(v.duration * v.time_base)
        audio_s = float(a.duration * a.time_base)
    assert abs(video_s - audio_s) <= 0.040
    properties = job["properties"]
    assert isinstance(properties, dict)
    assert properties["durationInMilliseconds"] == pytest.approx(video_s * 1000, abs=80)
    assert properties["sizeInBytes"] == len(download.content)

    motion = lip_motion(video, mouth_box(1920, 1080))
    assert motion.pause_s == pytest.approx(1.0, abs=0.3), "the 1 s break is silent in the audio"
    assert motion.while_speaking > 1.0, "the mouth must move while words are spoken"
    assert motion.through_pause < 0.25, "the mouth must stay still through the 1 s break"
    samples, rate = decoded_audio(video)
    assert median_f0(samples, rate) > 165.0, "Ava's voice is female (median F0 above 165 Hz)"

    deleted = client.delete(f"/avatar/batchsyntheses/{job_id}", params={"api-version": API_VERSION})
    assert deleted.status_code == 204
    assert httpx2.get(outputs["result"], timeout=30).status_code == 404
    gone = client.get(f"/avatar/batchsyntheses/{job_id}", params={"api-version": API_VERSION})
    assert gone.status_code == 404


def test_a_job_survives_a_kill_9_of_the_server(server: Server, client: httpx2.Client) -> None:
    job_id = str(uuid.uuid4())
    text = " ".join(["This sentence keeps the worker busy for a little while."] * 6)
    assert create(client, job_id, text, kind="PlainText").status_code == 201
    path = f"/avatar/batchsyntheses/{job_id}?api-version={API_VERSION}"
    while client.get(path).json()["status"] == "NotStarted":
        time.sleep(0.05)
    server.kill()
    server.start()
    job = wait_for(client, path)
    assert job["status"] == "Succeeded", job
    outputs = job["outputs"]
    assert isinstance(outputs, dict)
    assert httpx2.get(outputs["result"], timeout=30).status_code == 200


def test_one_input_failing_while_rendering_leaves_the_others_with_burnt_captions_and_a_crop(
    client: httpx2.Client, tmp_path: Path
) -> None:
    """The second input passes every create-time check but its 61 × 20 s of breaks make a
    video over 20 minutes, which only speaking it reveals."""
    speak = '<speak version="1.0"><voice name="en-US-AvaMultilingualNeural">{}</voice></speak>'
    too_long = speak.format("Long." + '<break time="20s"/>' * 61)
    job_id = str(uuid.uuid4())
    crop = {"topLeft": {"x": 480, "y": 0}, "bottomRight": {"x": 1441, "y": 1080}}
    created = client.put(
        f"/avatar/batchsyntheses/{job_id}",
        params={"api-version": API_VERSION},
        json={
            "inputKind": "SSML",
            "inputs": [
                {"content": speak.format("First video.")},
                {"content": too_long},
                {"content": speak.format("Third video.")},
            ],
            "avatarConfig": {
                "talkingAvatarCharacter": "lisa",
                "talkingAvatarStyle": "casual-sitting",
                "videoFormat": "mp4",
                "videoCodec": "h264",
                "subtitleType": "hard_embedded",
                "videoCrop": crop,
            },
        },
    )
    assert created.status_code == 201, created.text
    job = wait_for(client, f"/avatar/batchsyntheses/{job_id}?api-version={API_VERSION}")
    assert job["status"] == "Succeeded", job
    properties = job["properties"]
    assert isinstance(properties, dict)
    assert (properties["succeededCount"], properties["failedCount"]) == (2, 1)
    outputs = job["outputs"]
    assert isinstance(outputs, dict)
    summary = httpx2.get(outputs["summary"], timeout=30).json()
    assert [r["status"] for r in summary["results"]] == ["Succeeded", "Failed", "Succeeded"]
    assert "limit is 20 minutes" in summary["results"][1]["error"]["message"]
    files = {f["name"]: f["url"] for f in httpx2.get(outputs["result"], timeout=30).json()["files"]}
    assert sorted(files) == ["0001.jpg", "0001.mp4", "0003.jpg", "0003.mp4", "summary.json"]
    assert httpx2.get(files["0003.jpg"], timeout=30).content[:2] == b"\xff\xd8"
    video = tmp_path / "0001.mp4"
    video.write_bytes(httpx2.get(files["0001.mp4"], timeout=30).content)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (960, 1080)  # 961 wide, rounded to even
        assert not container.streams.subtitles  # burnt in, not a track
        frames = [f.to_ndarray(format="gray") for f in container.decode(stream)]
    speaking = frames[len(frames) // 2][900:, :]
    assert speaking.max() >= 230 and speaking.min() <= 60  # white words on their dark box
