"""A real avatarsynth server in a subprocess, as a user starts it, on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

API_KEY = "e2e-test-key"
API_VERSION = "2024-08-01"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """Start, kill -9 and restart the service against one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
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
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
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
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "var")
    running.data_dir.mkdir()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.url, headers={"Ocp-Apim-Subscription-Key": API_KEY}, timeout=30.0
    ) as http:
        yield http


def wait_for(client: httpx.Client, path: str, timeout_s: float = 180.0) -> dict[str, object]:
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
