"""Distributed throughput: ``python bench/scale.py [jobs] [--long-only]``.

Runs the distributed mode as deployed (``avatarsynth serve`` in front of PostgreSQL, SeaweedFS
and Celery on Redis, on loopback) with 1, 2 and 4 ``avatarsynth worker`` processes of one
render each, and times ``jobs`` short real jobs (about 2 s of 1080p video each) from the first
PUT to the last ``Succeeded``. Each round first waits for every worker to have rendered a
warm-up job, so model loading is not counted. Needs the servers ``make test`` needs.

Then the chunk fan-out of one long video: a script of about three minutes (chunks of the
default 30–60 s) rendered by 1 and by 2 workers, timed from the PUT to ``Succeeded``; with two
workers its chunks run on both (the job's task renders the ones the other worker has not
taken, then joins). ``--long-only`` runs just that part.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test setup's helpers start SeaweedFS and the processes

import httpx2  # noqa: E402
from tests.e2e.conftest import API_KEY, API_VERSION, Server, cluster  # noqa: E402
from tests.services import SeaweedFS, seaweedfs  # noqa: E402

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


SENTENCES = [
    "The quarterly report shows steady growth in every region.",
    "Our teams opened two offices and hired forty engineers.",
    "Customers say that support answers faster than ever before.",
    "Next spring we will launch three products for small firms.",
    "Thank you for the hard work that made these results possible.",
]
THREE_MINUTES = " ".join(SENTENCES * 11)


def _long(client: httpx2.Client, job_id: str) -> tuple[float, float]:
    """Seconds from the PUT of one long job to ``Succeeded``; the video's seconds."""
    started = time.monotonic()
    body = {**BODY, "inputs": [{"content": THREE_MINUTES}]}
    client.put(f"{JOBS}/{job_id}", params=VERSION, json=body).raise_for_status()
    while True:
        job = client.get(f"{JOBS}/{job_id}", params=VERSION).json()
        if job["status"] == "Failed":
            raise RuntimeError(f"{job_id} failed: {job}")
        if job["status"] == "Succeeded":
            seconds = time.monotonic() - started
            done = client.get(f"{JOBS}/{job_id}", params=VERSION).json()
            return seconds, done["properties"]["durationInMilliseconds"] / 1000
        time.sleep(0.5)


@contextmanager
def _deployment(s3: SeaweedFS, workers: int) -> Iterator[httpx2.Client]:
    """The API and ``workers`` one-render workers on fresh queues, tables and bucket."""
    logs = Path(tempfile.mkdtemp(prefix="avatarsynth-scale-"))
    with cluster("redis", s3, logs) as found:
        for _ in range(workers):
            found.add_worker(concurrency=1)
        server = Server(logs, found.env)
        server.start()
        try:
            with httpx2.Client(
                base_url=server.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
            ) as client:
                yield client
        finally:
            server.stop()


def _throughput(s3: SeaweedFS, jobs: int) -> None:
    print(f"{jobs} jobs per round")
    print("| workers | jobs | seconds | jobs per minute |")
    print("|---|---|---|---|")
    for workers in (1, 2, 4):
        with _deployment(s3, workers) as client:
            _run(client, "warm", workers * 2)
            seconds = _run(client, "bench", jobs)
        print(f"| {workers} | {jobs} | {seconds:.1f} | {jobs * 60 / seconds:.1f} |", flush=True)


def _fan_out(s3: SeaweedFS) -> None:
    print("\nOne long video (default chunks of 30–60 s), 1 vs 2 workers")
    print("| workers | video | seconds | × real time |")
    print("|---|---|---|---|")
    walls = []
    for workers in (1, 2):
        with _deployment(s3, workers) as client:
            _run(client, "warm", workers * 2)
            seconds, video_s = _long(client, "long")
        walls.append(seconds)
        print(f"| {workers} | {video_s:.1f} s | {seconds:.1f} | {seconds / video_s:.2f} |")
    print(f"| **speed-up** | | **{walls[0] / walls[1]:.2f}×** | |", flush=True)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    jobs = int(args[0]) if args else 20
    print(f"{os.cpu_count()} CPU cores")
    with seaweedfs() as s3:
        if "--long-only" not in sys.argv:
            _throughput(s3, jobs)
        _fan_out(s3)


if __name__ == "__main__":
    main()
