"""Distributed throughput: ``python bench/scale.py [jobs]``.

Runs the distributed mode as deployed (``avatarsynth serve`` in front of PostgreSQL, SeaweedFS
and Celery on Redis, on loopback) with 1, 2 and 4 ``avatarsynth worker`` processes of one
render each, and times ``jobs`` short real jobs (about 2 s of 1080p video each) from the first
PUT to the last ``Succeeded``. Each round first waits for every worker to have rendered a
warm-up job, so model loading is not counted. Needs the servers ``make test`` needs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test setup's helpers start SeaweedFS and the processes

import httpx2  # noqa: E402
from tests.e2e.conftest import API_KEY, API_VERSION, Server, cluster  # noqa: E402
from tests.services import seaweedfs  # noqa: E402

JOBS = "/avatar/batchsyntheses"
VERSION = {"api-version": API_VERSION}
BODY = {
    "inputKind": "PlainText",
    "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
    "avatarConfig": {"talkingAvatarCharacter": "lisa", "talkingAvatarStyle": "casual-sitting"},
}


def _run(client: httpx2.Client, prefix: str, count: int) -> float:
    """Seconds from the first PUT until all ``count`` jobs succeeded."""
    started = time.monotonic()
    ids = [f"{prefix}-{i}" for i in range(count)]
    for index, job_id in enumerate(ids):
        body = {**BODY, "inputs": [{"content": f"Hello, this is short clip number {index}."}]}
        made = client.put(f"{JOBS}/{job_id}", params=VERSION, json=body)
        made.raise_for_status()
    pending = set(ids)
    while pending:
        for job_id in list(pending):
            job = client.get(f"{JOBS}/{job_id}", params=VERSION).json()
            if job["status"] == "Failed":
                raise RuntimeError(f"{job_id} failed: {job}")
            if job["status"] == "Succeeded":
                pending.discard(job_id)
        time.sleep(0.2)
    return time.monotonic() - started


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"{os.cpu_count()} CPU cores; {jobs} jobs per round")
    print("| workers | jobs | seconds | jobs per minute |")
    print("|---|---|---|---|")
    with seaweedfs() as s3:
        for workers in (1, 2, 4):
            logs = Path(tempfile.mkdtemp(prefix="avatarsynth-scale-"))
            with cluster("redis", s3, logs) as found:
                for _ in range(workers):
                    found.add_worker(concurrency=1)
                server = Server(logs, found.env)
                server.start()
                try:
                    with httpx2.Client(
                        base_url=server.url,
                        headers={"Ocp-Apim-Subscription-Key": API_KEY},
                        timeout=30.0,
                    ) as client:
                        _run(client, "warm", workers * 2)
                        seconds = _run(client, "bench", jobs)
                finally:
                    server.stop()
            print(f"| {workers} | {jobs} | {seconds:.1f} | {jobs * 60 / seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
