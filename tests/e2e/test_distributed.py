"""Distributed mode under failure: workers and API processes die, no accepted job is lost,
rendered twice into a corrupt file, or left with missing or duplicate outputs."""

from __future__ import annotations

import io
import subprocess
import threading
import time
from pathlib import Path

import av
import boto3
import httpx2
import psycopg
import pytest

from tests.e2e.conftest import (
    API_KEY,
    API_VERSION,
    SMALL,
    Cluster,
    Server,
    Worker,
    assert_progress_rose,
    cluster,
    create,
    progress_seen,
)
from tests.services import SeaweedFS

pytestmark = pytest.mark.slow
JOBS = "/avatar/batchsyntheses"


def _rows(cluster_: Cluster, sql: str) -> list[tuple[object, ...]]:
    url = cluster_.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as connection:
        return list(connection.execute(sql))


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _wait_all(client: httpx2.Client, ids: list[str], timeout_s: float) -> dict[str, str]:
    deadline = time.monotonic() + timeout_s
    status: dict[str, str] = {}
    while time.monotonic() < deadline:
        for job_id in ids:
            if status.get(job_id) not in ("Succeeded", "Failed"):
                got = client.get(f"{JOBS}/{job_id}", params={"api-version": API_VERSION})
                status[job_id] = got.json()["status"]
        if all(s in ("Succeeded", "Failed") for s in status.values()):
            return status
        time.sleep(0.5)
    return status


def _objects(s3: SeaweedFS, env: dict[str, str]) -> list[str]:
    bucket, prefix = env["AVATARSYNTH_STORAGE_URL"].removeprefix("s3://").split("/", 1)
    client = boto3.client(
        "s3",
        endpoint_url=s3.endpoint,
        aws_access_key_id=s3.access_key,
        aws_secret_access_key=s3.secret_key,
        region_name="us-east-1",
    )
    names = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        names += [o["Key"].removeprefix(prefix + "/") for o in page.get("Contents", [])]
    return names


def _client(server: Server) -> httpx2.Client:
    return httpx2.Client(
        base_url=server.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
    )


def _check_outputs(client: httpx2.Client, s3: SeaweedFS, found: Cluster, ids: list[str]) -> None:
    """Exactly a video, its thumbnail and a summary per job, each video whole (no missing, no
    duplicate, no stray partial object)."""
    internal = dict(_rows(found, "SELECT job_id, internal_id FROM jobs"))
    names = ("0001.mp4", "0001.jpg", "summary.json")
    expected = sorted(f"{internal[j]}/{name}" for j in ids for name in names)
    assert sorted(_objects(s3, found.env)) == expected
    for job_id in ids:
        job = client.get(f"{JOBS}/{job_id}", params={"api-version": API_VERSION}).json()
        video = httpx2.get(job["outputs"]["result"], timeout=30)
        assert video.status_code == 200
        with av.open(io.BytesIO(video.content)) as container:
            assert container.streams.video[0].frames > 10


def test_a_worker_killed_mid_job_loses_nothing(s3_server: SeaweedFS, tmp_path: Path) -> None:
    with cluster("redis", s3_server, tmp_path, lease_s="6") as found:
        workers = [found.add_worker(concurrency=1) for _ in range(3)]
        server = Server(tmp_path, found.env)
        server.start()
        try:
            with _client(server) as client:
                ids = [f"kill-{i:02d}" for i in range(30)]
                for index, job_id in enumerate(ids):
                    made = create(
                        client, job_id, f"Hello number {index}.", kind="PlainText", size=SMALL
                    )
                    assert made.status_code == 201, made.text
                victim = _running_job_of(found, workers[0])
                workers[0].kill()
                status = _wait_all(client, ids, timeout_s=400)
                assert status == dict.fromkeys(ids, "Succeeded")
                attempts = dict(_rows(found, "SELECT internal_id, attempts FROM jobs"))
                assert attempts[victim] >= 2, "the killed worker's job ran again elsewhere"
                _check_outputs(client, s3_server, found, ids)
        finally:
            server.stop()


def _running_job_of(found: Cluster, worker: object, timeout_s: float = 120) -> str:
    """Wait until the worker's pool process holds a running job; that job's internal id."""
    deadline = time.monotonic() + timeout_s
    pid = worker.process.pid  # type: ignore[attr-defined]
    while time.monotonic() < deadline:
        for child in _children(pid):
            rows = _rows(
                found,
                f"SELECT internal_id FROM jobs WHERE status = 'Running' "
                f"AND lease_owner LIKE '%-{child}-%'",
            )
            if rows:
                return str(rows[0][0])
        time.sleep(0.1)
    pytest.fail("the worker never took a job")


def test_an_api_process_killed_under_load_loses_no_accepted_job(
    s3_server: SeaweedFS, tmp_path: Path
) -> None:
    with cluster("redis", s3_server, tmp_path, lease_s="6") as found:
        for _ in range(2):
            found.add_worker(concurrency=1)
        server = Server(tmp_path, found.env)
        server.start()
        ids = [f"load-{i:02d}" for i in range(16)]
        accepted: list[str] = []

        def submit() -> None:
            """PUT each job until it is accepted: a retry of the same id is idempotent."""
            with _client(server) as client:
                for index, job_id in enumerate(ids):
                    while True:
                        try:
                            made = create(
                                client, job_id, f"Load {index}.", kind="PlainText", size=SMALL
                            )
                            if made.status_code == 201:
                                accepted.append(job_id)
                                break
                        except httpx2.TransportError:
                            pass  # the API is down: try again
                        time.sleep(0.05)

        submitter = threading.Thread(target=submit)
        submitter.start()
        try:
            deadline = time.monotonic() + 120
            while len(accepted) < 6 and submitter.is_alive():
                assert time.monotonic() < deadline, "jobs were not being accepted"
                time.sleep(0.01)
            server.kill()
            time.sleep(1)
            server.start()
            submitter.join(timeout=120)
            assert accepted == ids
            with _client(server) as client:
                status = _wait_all(client, ids, timeout_s=300)
                assert status == dict.fromkeys(ids, "Succeeded")
                _check_outputs(client, s3_server, found, ids)
        finally:
            submitter.join(timeout=120)
            server.stop()


SENTENCES = [
    "The quarterly report shows steady growth in every region.",
    "Our teams opened two offices and hired forty engineers.",
    "Customers say that support answers faster than ever before.",
    "Next spring we will launch three products for small firms.",
    "Thank you for the hard work that made these results possible.",
]
FIFTY_SECONDS = " ".join(SENTENCES * 3)  # the voice speaks it in about 50 s


def _frames_spoken(text: str, fps: int = 25) -> int:
    """The frame count the video must have: its speech's length, synthesized here."""
    from avatarsynth import script, speech, video

    utterance = script.parse(
        text, script.InputKind.PLAIN_TEXT, "en-US-AvaMultilingualNeural", script.ProsodyRequest()
    )
    spoken = speech.synthesize(utterance)
    return video.frame_count(len(spoken.samples), spoken.sample_rate, fps)


def _send_again(found: Cluster, lock_names: list[str]) -> None:
    """Deliver every chunk task a second time through the broker, as a redelivery would."""
    from celery import Celery

    app = Celery("duplicates", broker=found.env["AVATARSYNTH_BROKER_URL"], set_as_current=False)
    attempts = dict(_rows(found, "SELECT internal_id, attempts FROM jobs"))
    for name in lock_names:
        _, internal_id, plan, index = name.split("/")
        args = [internal_id, attempts[internal_id], plan, int(index)]
        app.send_task(
            "avatarsynth.render_chunk", args=args, queue=found.env["AVATARSYNTH_QUEUE"] + ".chunks"
        )
    app.close()


def _watch_chunks(
    found: Cluster,
    client: httpx2.Client,
    job_id: str,
    timeout_s: float,
    progress: list[tuple[str, float | None]],
) -> tuple[str, dict[str, set[str]]]:
    """Poll the chunks' lease rows until the job ends (sending each chunk task again once, as
    soon as the group was sent): its status and every holder seen per chunk; the job's progress
    as polled goes to ``progress``."""
    holders: dict[str, set[str]] = {}
    sent_again = False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        rows = _rows(found, "SELECT name, holder FROM locks WHERE name LIKE 'chunk/%'")
        for name, holder in rows:
            seen = holders.setdefault(str(name), set())
            if holder:
                seen.add(str(holder).removeprefix("done:"))
        if rows and not sent_again:
            _send_again(found, [str(name) for name, _ in rows])
            sent_again = True
        status = client.get(f"{JOBS}/{job_id}", params={"api-version": API_VERSION}).json()
        progress_seen(status, progress)
        if status["status"] in ("Succeeded", "Failed"):
            return str(status["status"]), holders
        time.sleep(0.2)
    pytest.fail(f"the long job did not finish in {timeout_s} s")


def test_a_long_videos_chunks_are_rendered_by_both_workers_and_joined(
    s3_server: SeaweedFS, tmp_path: Path
) -> None:
    with cluster("redis", s3_server, tmp_path, chunk_s="8") as found:
        workers = [found.add_worker(concurrency=1) for _ in range(2)]
        server = Server(tmp_path, found.env)
        server.start()
        try:
            with _client(server) as client:
                # 720p: enough frames per chunk for the progress to be seen rising between chunks
                made = create(client, "long-1", FIFTY_SECONDS, kind="PlainText", size=(1280, 720))
                assert made.status_code == 201, made.text
                progress: list[tuple[str, float | None]] = []
                status, holders = _watch_chunks(found, client, "long-1", 600, progress)
                assert status == "Succeeded"
                assert_progress_rose(progress)  # chunks on both workers counted as they go
                assert len(holders) >= 4, "the video was cut into at least four chunks"
                pids = [{str(p) for p in _children(w.process.pid)} for w in workers]
                nodes = set().union(*holders.values())
                by_worker = [
                    {n for n in nodes if n.split("-")[-2] in children} for children in pids
                ]
                assert all(by_worker), f"chunks were rendered by {nodes}, not by both workers"
                _check_outputs(client, s3_server, found, ["long-1"])  # no .chunks objects
                _check_long_video(client, "long-1", _frames_spoken(FIFTY_SECONDS))
                assert _rows(found, "SELECT name FROM locks WHERE name LIKE 'chunk/%'") == []
        finally:
            server.stop()


def _check_long_video(client: httpx2.Client, job_id: str, frames: int) -> None:
    """Every frame there once, and the sound ending with the picture (within 40 ms)."""
    job = client.get(f"{JOBS}/{job_id}", params={"api-version": API_VERSION}).json()
    video = httpx2.get(job["outputs"]["result"], timeout=60)
    assert video.status_code == 200
    with av.open(io.BytesIO(video.content)) as container:
        stream = container.streams.video[0]
        decoded = sum(1 for _ in container.decode(stream))
        video_end = decoded / float(stream.average_rate)
    with av.open(io.BytesIO(video.content)) as container:
        audio = container.streams.audio[0]
        packets = [p for p in container.demux(audio) if p.pts is not None]
        audio_end = float((packets[-1].pts + packets[-1].duration) * audio.time_base)
    assert decoded == frames
    assert abs(audio_end - video_end) <= 0.040


def test_a_worker_killed_mid_chunk_costs_only_that_chunk(
    s3_server: SeaweedFS, tmp_path: Path
) -> None:
    text = " ".join(SENTENCES * 4)  # about a minute, in chunks of 7–13 s
    with cluster("redis", s3_server, tmp_path, chunk_s="10", lease_s="6") as found:
        workers = [found.add_worker(concurrency=1) for _ in range(2)]
        server = Server(tmp_path, found.env)
        server.start()
        try:
            with _client(server) as client:
                made = create(client, "long-kill", text, kind="PlainText", size=SMALL)
                assert made.status_code == 201, made.text
                victim = _chunk_holder_without_the_job(found, workers)
                victim.kill()
                status = _wait_all(client, ["long-kill"], timeout_s=400)
                assert status == {"long-kill": "Succeeded"}
                _check_outputs(client, s3_server, found, ["long-kill"])
                _check_long_video(client, "long-kill", _frames_spoken(text))
                assert _rows(found, "SELECT name FROM locks WHERE name LIKE 'chunk/%'") == []
        finally:
            server.stop()


def _chunk_holder_without_the_job(found: Cluster, workers: list[Worker]) -> Worker:
    """Wait until a worker that is not running the job's task holds a chunk; that worker."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        owners = [str(r[0]) for r in _rows(found, "SELECT lease_owner FROM jobs") if r[0]]
        holders = [
            str(r[0])
            for r in _rows(found, "SELECT holder FROM locks WHERE name LIKE 'chunk/%'")
            if r[0] and not str(r[0]).startswith("done:")
        ]
        for worker in workers:
            pids = {str(p) for p in _children(worker.process.pid)}
            runs_job = any(o.split("-")[-2] in pids for o in owners)
            if not runs_job and any(h.split("-")[-2] in pids for h in holders):
                return worker
        time.sleep(0.1)
    pytest.fail("no chunk task was ever taken by the other worker")
