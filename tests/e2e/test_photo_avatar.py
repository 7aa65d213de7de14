"""A photo avatar end to end, as a client lives it: register a portrait, PUT a job that uses it
with ``photoAvatarBaseModel``, poll, download, and read the video back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import httpx2
import numpy as np
import pytest

from avatarsynth.photo import register
from tests.e2e.conftest import API_KEY, API_VERSION, Server, wait_for
from tests.fixtures import ASTRONAUT
from tests.mouth import lip_motion

pytestmark = pytest.mark.slow

SSML = (
    '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
    '<voice name="en-US-AvaMultilingualNeural">Good morning, and welcome to the briefing. '
    "Today we look at the launch schedule for the coming weeks."
    '<break time="1s"/>The crew is ready, the weather looks fine, and the countdown starts '
    "on Tuesday.</voice></speak>"
)


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[httpx2.Client]:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    server = Server(data_dir)
    server.start()
    headers = {"Ocp-Apim-Subscription-Key": API_KEY}
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60.0) as client:
        yield client
    server.stop()


def _mouth_box() -> tuple[int, int, int, int]:
    """The astronaut's mouth in a 512×512 frame (registration is deterministic)."""
    portrait = register(ASTRONAUT.read_bytes())
    points = portrait.landmarks[[61, 291, 0, 17]] * (512 / portrait.side)
    (x0, y0), (x1, y1) = points.min(axis=0) - 6, points.max(axis=0) + 6
    return int(x0), int(y0), int(x1), int(y1)


def test_a_registered_portrait_speaks_in_a_512_video(
    embedded: httpx2.Client, tmp_path: Path
) -> None:
    registered = embedded.put(
        "/avatar/photos/eileen",
        content=ASTRONAUT.read_bytes(),
        headers={"Content-Type": "image/png"},
    )
    assert registered.status_code == 201, registered.text
    job_id = str(uuid.uuid4())
    created = embedded.put(
        f"/avatar/batchsyntheses/{job_id}",
        params={"api-version": API_VERSION},
        json={
            "inputKind": "SSML",
            "inputs": [{"content": SSML}],
            "avatarConfig": {
                "talkingAvatarCharacter": "Eileen",
                "photoAvatarBaseModel": "VASA-1",
                "customized": True,
                "videoFormat": "mp4",
                "videoCodec": "h264",
                "subtitleType": "soft_embedded",
            },
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["avatarConfig"]["scene"]["amplitude"] == 1.0
    job = wait_for(embedded, f"/avatar/batchsyntheses/{job_id}?api-version={API_VERSION}")
    assert job["status"] == "Succeeded", job
    outputs = job["outputs"]
    assert isinstance(outputs, dict)
    video = tmp_path / "0001.mp4"
    video.write_bytes(httpx2.get(outputs["result"], timeout=60).content)

    with av.open(str(video)) as container:
        v, a = container.streams.video[0], container.streams.audio[0]
        assert (v.codec_context.name, v.width, v.height) == ("h264", 512, 512)
        assert v.average_rate == Fraction(25)
        assert a.codec_context.name == "aac"
        assert v.duration is not None and a.duration is not None
        video_s = float(v.duration * v.time_base)
        audio_s = float(a.duration * a.time_base)
        first = next(container.decode(v)).to_ndarray(format="rgb24")
    assert abs(video_s - audio_s) <= 0.040
    assert 8.0 <= video_s <= 13.0

    motion = lip_motion(video, _mouth_box())
    assert motion.pause_s == pytest.approx(1.0, abs=0.3), "the 1 s break is silent in the audio"
    assert motion.while_speaking > 1.0, "the mouth must move while words are spoken"
    assert motion.through_pause < 0.25, "the mouth must stay still through the 1 s break"
    assert float(np.mean(first)) > 60  # a picture, not a black frame
