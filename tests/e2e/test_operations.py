"""What an on-call engineer relies on, against a real ``avatarsynth serve``: JSON logs that
carry the ids and no secret, metrics that move, a stop that loses no job, a full disk that
fails a job in plain words while the service keeps answering."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import API_KEY, API_VERSION, Server, Worker, cluster, wait_for
from tests.e2e.test_distributed import _objects
from tests.services import SeaweedFS, free_port

pytestmark = pytest.mark.slow

SIGNING_SECRET = "e2e-signing-secret-0123456789"
SHORT = "Hello, I am your presenter today."
LONG = (
    "Good morning and welcome. Today we look at how the new service renders a presenter "
    "from plain text, how long it takes, and what happens to a job when the server is "
    "restarted in the middle of its work. Nothing should be lost along the way."
)


def _client(server: Server) -> httpx2.Client:
    return httpx2.Client(
        base_url=server.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
    )


def _create(client: httpx2.Client, job_id: str, text: str) -> httpx2.Response:
    return client.put(
        f"/avatar/batchsyntheses/{job_id}",
        params={"api-version": API_VERSION},
        json={
            "inputKind": "PlainText",
            "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
            "inputs": [{"content": text}],
            "avatarConfig": {
                "talkingAvatarCharacter": "lisa",
                "talkingAvatarStyle": "casual-sitting",
            },
        },
    )


def _path(job_id: str) -> str:
    return f"/avatar/batchsyntheses/{job_id}?api-version={API_VERSION}"


def _metrics(client: httpx2.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_json_logs_carry_the_ids_and_no_secret_and_metrics_move(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    server = Server(
        data_dir,
        {"AVATARSYNTH_LOG_FORMAT": "json", "AVATARSYNTH_SIGNING_SECRET": SIGNING_SECRET},
    )
    server.start()
    try:
        with _client(server) as client:
            before = _metrics(client)
            created = _create(client, "logged-job", SHORT)
            assert created.status_code == 201
            job = wait_for(client, _path("logged-job"))
            assert job["status"] == "Succeeded"
            result_url = job["outputs"]["result"]  # type: ignore[index]
            assert httpx2.get(result_url, timeout=30).status_code == 200
            after = _metrics(client)
    finally:
        server.stop()
    request_id = created.headers["apim-request-id"]
    signature = httpx2.URL(result_url).params["sig"]

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert moved("avatarsynth_jobs_created_total", kind="avatar") == 1
    assert moved("avatarsynth_jobs_succeeded_total") == 1
    assert 1.5 < moved("avatarsynth_video_seconds_total") < 6
    assert moved("avatarsynth_render_seconds_total") > 0.5  # counted in the render processes

    text = server.log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    mine = [line for line in lines if line.get("job_id") == "logged-job"]
    internal_ids = {line.get("internal_id") for line in mine}
    assert len(internal_ids) == 1 and None not in internal_ids
    assert any(line.get("request_id") == request_id for line in mine)  # the PUT's own
    stages = {line.get("stage") for line in mine if "duration_s" in line}
    assert {"render", "job"} <= stages
    access = [line for line in lines if line.get("request_id") == request_id]
    assert any(line.get("route") == "/avatar/batchsyntheses/{job_id}" for line in access)
    for secret in (API_KEY, SIGNING_SECRET, signature):
        assert secret not in text
    assert "sig=" not in text.replace("sig=***", "")


def _signal_group(server: Server, sig: int) -> float:
    """Send ``sig`` to the server's whole process group; seconds until it exited."""
    assert server.process is not None
    began = time.monotonic()
    os.killpg(server.process.pid, sig)
    server.process.wait(timeout=120)
    return time.monotonic() - began


def _wait_running(client: httpx2.Client, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while client.get(_path(job_id)).json()["status"] != "Running":
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.1)


def _one_video(data_dir: Path, client: httpx2.Client, job_id: str) -> None:
    """The job's folder holds one whole video, its summary, and no scratch file anywhere."""
    job = wait_for(client, _path(job_id), timeout_s=240)
    assert job["status"] == "Succeeded", job
    videos = list((data_dir / "results").rglob("*.mp4"))
    assert len(videos) == 1
    with av.open(str(videos[0])) as container:
        assert container.duration is not None and container.duration / 1e6 > 5
    assert not list((data_dir / "work").rglob("*"))


def test_sigterm_mid_render_exits_within_the_grace_period_and_loses_no_job(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    grace_s = 2
    server = Server(data_dir, {"AVATARSYNTH_SHUTDOWN_GRACE_S": str(grace_s)})
    server.start()
    with _client(server) as client:
        assert _create(client, "stopped-job", LONG).status_code == 201
        _wait_running(client, "stopped-job")
        time.sleep(1.0)  # well into the render
        took = _signal_group(server, signal.SIGTERM)
        assert took < grace_s + 8, f"exited after {took:.1f} s"
        log = server.log.read_text()
        assert "BrokenProcessPool" not in log and "Handed back 1 unfinished job" in log
        server.start()  # the same installation, restarted
        try:
            _one_video(data_dir, client, "stopped-job")
        finally:
            server.stop()


def test_sigterm_to_a_celery_worker_mid_render_hands_the_job_on_at_once(
    s3_server: SeaweedFS, tmp_path: Path
) -> None:
    grace_s = 2
    # A lease far longer than the test: only an immediate hand-back can finish the job in time.
    settings = {"shutdown_grace_s": str(grace_s), "lease_s": "600", "redispatch_after_s": "600"}
    with cluster("redis", s3_server, tmp_path, **settings) as found:
        scratch = tmp_path / "scratch"  # the workers' temporary folder: scratch files go here
        scratch.mkdir()
        env = {**found.env, "TMPDIR": str(scratch)}
        first = Worker(env, tmp_path / "worker-0.log")
        found.workers.append(first)
        (tmp_path / "api").mkdir()
        server = Server(tmp_path / "api", found.env)
        server.start()
        try:
            with _client(server) as client:
                assert _create(client, "celery-stop", LONG).status_code == 201
                _wait_running(client, "celery-stop")
                time.sleep(1.0)
                began = time.monotonic()
                os.killpg(first.process.pid, signal.SIGTERM)
                first.process.wait(timeout=120)
                took = time.monotonic() - began
                assert took < grace_s + 10, f"exited after {took:.1f} s"
                assert "released: handed back at shutdown" in first.log.read_text()
                port = free_port()
                second = Worker({**env, "AVATARSYNTH_METRICS_PORT": str(port)}, tmp_path / "w1.log")
                found.workers.append(second)
                job = wait_for(client, _path("celery-stop"), timeout_s=240)
                assert job["status"] == "Succeeded", job
                videos = [k for k in _objects(s3_server, found.env) if k.endswith(".mp4")]
                assert len(videos) == 1
                scraped = httpx2.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
                values = {
                    s.name: s.value
                    for family in text_string_to_metric_families(scraped)
                    for s in family.samples
                }
                assert values["avatarsynth_jobs_succeeded_total"] == 1  # its pool process's
                assert values["avatarsynth_render_seconds_total"] > 1
                second.stop()
                assert not list(scratch.rglob("*.mp4")) and not list(scratch.rglob("*.wav"))
        finally:
            server.stop()


@contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A size-limited file system (tmpfs) at ``path``: the disk a job will fill."""
    path.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_job_that_runs_out_of_disk_fails_in_plain_words_and_the_service_goes_on(
    tmp_path: Path,
) -> None:
    with _tmpfs(tmp_path / "var", "8m") as data_dir:
        server = Server(data_dir, {"AVATARSYNTH_MIN_FREE_DISK_MB": "0"})
        server.start()
        try:
            with _client(server) as client:
                assert _create(client, "full", LONG[:150]).status_code == 201  # about 2 MB
                _wait_running(client, "full")
                filler = data_dir / "filler"  # another program fills the disk meanwhile
                filler.write_bytes(bytes(shutil.disk_usage(data_dir).free - 700_000))
                job = wait_for(client, _path("full"), timeout_s=240)
                assert job["status"] == "Failed"
                error = job["properties"]["error"]  # type: ignore[index]
                assert error["code"] == "InsufficientStorage"
                # most often while encoding; the thumbnail or the result's move may be first
                message = error["message"]
                assert message.startswith("The server ran out of disk space when it tried to ")
                assert message.endswith(" of input 1; retry the job later.")
                assert "/" not in message and "Errno" not in message
                assert client.get("/healthz").status_code == 200
                assert client.get("/readyz").status_code == 200
                assert not list((data_dir / "work").rglob("*"))
                filler.unlink()  # space is back: the same job again succeeds
                client.delete(_path("full")).raise_for_status()
                assert _create(client, "full", SHORT).status_code == 201
                assert wait_for(client, _path("full"))["status"] == "Succeeded"
        finally:
            server.stop()


def test_an_oversized_job_is_refused_before_it_renders(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "var", "2m") as data_dir:
        server = Server(data_dir, {"AVATARSYNTH_MIN_FREE_DISK_MB": "1"})
        server.start()
        try:
            with _client(server) as client:
                job_id = str(uuid.uuid4())
                assert _create(client, job_id, LONG).status_code == 201
                job = wait_for(client, _path(job_id), timeout_s=60)
                error = job["properties"]["error"]  # type: ignore[index]
                assert error == {
                    "code": "InsufficientStorage",
                    "message": "The server ran out of disk space when it tried to make room "
                    "for the video of input 1; retry the job later.",
                }
        finally:
            server.stop()
