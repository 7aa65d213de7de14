"""A real avatarsynth deployment in subprocesses, as a user starts it, on free loopback ports.

``embedded``: one ``avatarsynth serve`` with SQLite, result files and its own worker processes.
``redis`` and ``rabbitmq``: the distributed mode, ``avatarsynth serve`` in front of PostgreSQL,
SeaweedFS and Celery on that broker, with ``avatarsynth worker`` processes beside it.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest

from tests.services import (
    RABBITMQ_URL,
    S3_SECRET_KEY,
    SeaweedFS,
    free_port,
    postgres_database,
    redis_url,
    require_broker,
)

API_KEY = "e2e-test-key"
API_VERSION = "2024-08-01"
_SIGNED = re.compile(r"(?i)(?:[?&]sig|x-amz-signature|x-amz-credential)=(?!\*\*\*)[^&\s\"']+")


def assert_no_secrets(log: Path) -> None:
    """No line a process logged holds a key, a secret or a signed URL's signature."""
    text = log.read_text(errors="replace")
    for secret in (API_KEY, S3_SECRET_KEY):
        assert secret not in text, f"{log.name} holds a secret"
    assert not _SIGNED.search(text), f"{log.name} holds a signature: {_SIGNED.search(text)}"


class Server:
    """Start, kill -9 and restart the service against one data directory."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "server.log"

    def start(self) -> None:
        env = {
            **os.environ,
            "AVATARSYNTH_DATA_DIR": str(self.data_dir),
            "AVATARSYNTH_API_KEYS": API_KEY,
            "AVATARSYNTH_PORT": str(self.port),
            "AVATARSYNTH_WORKERS": "2",
            **self.extra_env,
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "avatarsynth", "serve"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                pytest.fail(f"server exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                time.sleep(0.1)
        pytest.fail(f"server not ready in {timeout_s} s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the server and everything it started, like a machine losing power."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)  # the shutdown grace period, and a margin
            except subprocess.TimeoutExpired:
                self.kill()
        assert_no_secrets(self.log)


class Worker:
    """One ``avatarsynth worker`` process (a Celery worker), killable like a lost host."""

    def __init__(self, env: dict[str, str], log: Path, concurrency: int = 1) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "avatarsynth", "worker", f"--concurrency={concurrency}"],
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, like a host losing power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()
        assert_no_secrets(self.log)


@dataclass
class Cluster:
    """The shared services of a distributed deployment and its worker processes."""

    env: dict[str, str]
    database_url: str
    logs: Path
    workers: list[Worker] = field(default_factory=list)

    def add_worker(self, concurrency: int = 1) -> Worker:
        worker = Worker(self.env, self.logs / f"worker-{len(self.workers)}.log", concurrency)
        self.workers.append(worker)
        return worker


@contextmanager
def cluster(broker: str, s3: SeaweedFS, logs: Path, **settings: str) -> Iterator[Cluster]:
    """A fresh database, bucket and queue on the real servers; workers stopped on exit."""
    run = uuid.uuid4().hex[:10]
    broker_url = require_broker(redis_url() if broker == "redis" else RABBITMQ_URL)
    queue = f"avatarsynth-e2e-{run}"
    with postgres_database() as database_url:
        env = {
            "AVATARSYNTH_DATABASE_URL": database_url,
            "AVATARSYNTH_BROKER_URL": broker_url,
            "AVATARSYNTH_QUEUE": queue,
            "AVATARSYNTH_SWEEP_INTERVAL_S": "1",
            **s3.env(f"e2e-{run}"),
            **{f"AVATARSYNTH_{k.upper()}": v for k, v in settings.items()},
        }
        found = Cluster(env, database_url, logs)
        try:
            yield found
        finally:
            for worker in found.workers:
                worker.stop()
            _delete_queues(broker_url, [queue, f"{queue}.chunks"])


def _delete_queues(broker_url: str, queues: list[str]) -> None:
    """RabbitMQ keeps durable queues: leave none behind (the jobs' and the chunks')."""
    from kombu import Connection

    with Connection(broker_url) as connection:
        for queue in queues:
            connection.default_channel.queue_delete(queue)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """One embedded server of its own, for the client tests (console, CLI)."""
    running = Server(tmp_path / "var")
    running.data_dir.mkdir()
    running.start()
    yield running
    running.stop()


@pytest.fixture(params=["embedded", "redis", "rabbitmq"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """The service as deployed: embedded, or distributed on Redis or on RabbitMQ."""
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    if request.param == "embedded":
        running = Server(data_dir)
        running.start()
        yield running
        running.stop()
        return
    s3: SeaweedFS = request.getfixturevalue("s3_server")
    with cluster(request.param, s3, data_dir) as found:
        found.add_worker(concurrency=2)
        running = Server(data_dir, found.env)
        running.start()
        yield running
        running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx2.Client]:
    with httpx2.Client(
        base_url=server.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
    ) as http:
        yield http


def wait_for(client: httpx2.Client, path: str, timeout_s: float = 180.0) -> dict[str, object]:
    """Poll a job as Azure's sample clients do, until it is Succeeded or Failed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = client.get(path)
        response.raise_for_status()
        job: dict[str, object] = response.json()
        if job["status"] in ("Succeeded", "Failed"):
            return job
        time.sleep(0.25)
    pytest.fail(f"job {path} did not finish in {timeout_s} s")


SMALL = (568, 320)
"""A frame size for tests about jobs rather than pictures: a sixth of 1080p's drawing and
encoding."""


def create(
    client: httpx2.Client,
    job_id: str,
    content: str,
    kind: str = "SSML",
    size: tuple[int, int] | None = None,
) -> httpx2.Response:
    """The body Azure's Python sample sends, with the SSML input kind; ``size`` sets
    ``avatarConfig.resolution`` (1920×1080 by default)."""
    avatar_config: dict[str, object] = {
        "customized": False,
        "talkingAvatarCharacter": "lisa",
        "talkingAvatarStyle": "casual-sitting",
        "videoFormat": "mp4",
        "videoCodec": "h264",
        "subtitleType": "soft_embedded",
        "backgroundColor": "#FFFFFFFF",
    }
    if size is not None:
        avatar_config["resolution"] = {"x": size[0], "y": size[1]}
    return client.put(
        f"/avatar/batchsyntheses/{job_id}",
        params={"api-version": API_VERSION},
        json={
            "inputKind": kind,
            "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
            "customVoices": {},
            "inputs": [{"content": content}],
            "avatarConfig": avatar_config,
        },
    )


def progress_seen(job: dict[str, object], seen: list[tuple[str, float | None]]) -> None:
    """Add a polled job's status and ``properties.progress.percent`` to ``seen`` (changes only)."""
    progress = job["properties"].get("progress")  # type: ignore[attr-defined]
    entry = (str(job["status"]), None if progress is None else float(progress["percent"]))
    if not seen or seen[-1] != entry:
        seen.append(entry)


def assert_progress_rose(seen: list[tuple[str, float | None]], at_least: int = 5) -> None:
    """While running, at least ``at_least`` different percents, each larger than the last and
    below 100; then ``Succeeded`` at 100."""
    running = [percent for status, percent in seen if status == "Running" and percent is not None]
    assert len(running) >= at_least, f"too few progress values: {seen}"
    assert all(a < b for a, b in itertools.pairwise(running)), f"progress went backwards: {seen}"
    assert all(0 <= percent < 100 for percent in running), seen
    assert seen[-1] == ("Succeeded", 100.0), seen
