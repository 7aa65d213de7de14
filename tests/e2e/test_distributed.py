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

from tests.e2e.conftest import API_KEY, API_VERSION, Cluster, Server, cluster
from tests.e2e.test_avatar_batch import create
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
                    made = create(client, job_id, f"Hello number {index}.", kind="PlainText")
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
                            made = create(client, job_id, f"Load {index}.", kind="PlainText")
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
