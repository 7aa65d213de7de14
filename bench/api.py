"""API latency with a full queue: ``python bench/api.py``.

Creates one job of 1000 SSML inputs (every input is parsed at create time), then queues 1000
jobs with no worker running and times GET of a job: the design's target is p99 under 20 ms
while 1000 jobs are queued. The app runs in-process (Starlette's TestClient), so the figures
are the service's own time without a network hop.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from avatarsynth.api import create_app
from avatarsynth.config import load_settings
from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.pipeline import AnyRequest, AnyResult
from avatarsynth.runtime import build

SSML = (
    "<speak version='1.0' xml:lang='en-US'><voice name='en-US-JennyNeural'>"
    "Hello <break time='200ms'/> there, number {}.</voice></speak>"
)
AVATAR = {"talkingAvatarCharacter": "lisa", "talkingAvatarStyle": "casual-sitting"}


def never_rendered(request: AnyRequest, out_path: Path) -> AnyResult:
    raise AssertionError("no worker runs in this benchmark")


def main() -> None:
    settings = load_settings(
        data_dir=Path(tempfile.mkdtemp()), api_keys=("bench",), max_running_jobs=5000
    )
    jobs = build(settings).service(dispatcher=InlineDispatcher(never_rendered))
    app = create_app(settings, jobs)
    client = TestClient(app, headers={"Ocp-Apim-Subscription-Key": "bench"})  # no lifespan
    path = "/avatar/batchsyntheses/{}?api-version=2024-08-01"
    body = {
        "inputKind": "SSML",
        "inputs": [{"content": SSML.format(i)} for i in range(1000)],
        "avatarConfig": AVATAR,
    }
    started = time.perf_counter()
    assert client.put(path.format("big"), json=body).status_code == 201
    print(f"create with 1000 SSML inputs: {1000 * (time.perf_counter() - started):.0f} ms")
    plain = {
        "inputKind": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "inputs": [{"content": "Hi."}],
        "avatarConfig": AVATAR,
    }
    for index in range(1000):
        client.put(path.format(f"queued-{index}"), json=plain)
    times = []
    for index in range(1000):
        started = time.perf_counter()
        client.get(path.format(f"queued-{index}"))
        times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"GET with 1001 jobs queued: p50 {1000 * times[499]:.1f} ms, p99 {1000 * times[989]:.1f} ms"
    )


if __name__ == "__main__":
    main()
