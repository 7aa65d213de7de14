"""A render's progress as a client polls it: ``properties.progress`` rising while it runs.

Celery mode's is asserted in ``test_distributed`` (the long video rendered by two workers), on
a render that test makes anyway.
"""

from __future__ import annotations

import time

import httpx2
import pytest

from tests.e2e.conftest import (
    API_KEY,
    API_VERSION,
    Server,
    assert_progress_rose,
    progress_seen,
)

pytestmark = pytest.mark.slow

SENTENCES = [
    "Der Quartalsbericht zeigt ein stetiges Wachstum in allen Regionen.",
    "Unsere Teams haben zwei Büros eröffnet und vierzig Ingenieure eingestellt.",
    "Die Kunden sagen, dass der Support schneller antwortet als je zuvor.",
    "Im nächsten Frühjahr bringen wir drei Produkte für kleine Firmen heraus.",
    "Vielen Dank für die harte Arbeit, die diese Ergebnisse möglich gemacht hat.",
]
A_MINUTE = " ".join(SENTENCES * 3)
"""espeak-ng (the cheapest voice, German here) speaks it in about 57 s: one video, no chunks."""


def test_a_minute_long_render_reports_rising_progress_until_it_succeeds(served: Server) -> None:
    with httpx2.Client(
        base_url=served.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
    ) as client:
        path = "/avatar/batchsyntheses/progress-1"
        made = client.put(
            path,
            params={"api-version": API_VERSION},
            json={
                "inputKind": "PlainText",
                "synthesisConfig": {"voice": "de-DE-KatjaNeural"},
                "inputs": [{"content": A_MINUTE}],
                "avatarConfig": {
                    "talkingAvatarCharacter": "lisa",
                    "talkingAvatarStyle": "casual-sitting",
                    "videoFormat": "mp4",
                    "videoCodec": "h264",
                    "subtitleType": "none",
                    "resolution": {"x": 568, "y": 320},
                },
            },
        )
        assert made.status_code == 201, made.text
        seen: list[tuple[str, float | None]] = []
        deadline = time.monotonic() + 300
        while not seen or seen[-1][0] not in ("Succeeded", "Failed"):
            assert time.monotonic() < deadline, f"the job did not finish: {seen}"
            job = client.get(path, params={"api-version": API_VERSION}).json()
            progress_seen(job, seen)
            time.sleep(0.5)
        assert_progress_rose(seen)
        props = job["properties"]
        frames = props["durationInMilliseconds"] * 25 / 1000
        assert props["progress"]["framesDone"] == props["progress"]["framesTotal"]
        assert abs(props["progress"]["framesTotal"] - frames) <= 1  # every frame of the video
