"""The real app over HTTP (TestClient), with fresh state per test and a fake renderer, so the
contract is checked in milliseconds; real renders are the e2e suite's job."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.services import SeaweedFS, empty_tables, redis_url, require_broker

from avatarsynth import pipeline
from avatarsynth.api import create_app
from avatarsynth.config import Settings, load_settings
from avatarsynth.dispatch import InlineDispatcher, RenderFn
from avatarsynth.errors import RenderError
from avatarsynth.pipeline import AnyRequest, AnyResult, RenderRequest, RenderResult, SpeakRequest
from avatarsynth.runtime import build
from avatarsynth.tasks import install_context, make_celery, register
from avatarsynth.video import Caption, phrases

KEY = "test-key-1"
OTHER_KEY = "test-key-2"
V = {"api-version": "2024-08-01"}
FAIL_MARK = "please fail"


def fake_render(request: AnyRequest, out_path: Path, progress: object = None) -> AnyResult:
    """Writes a small file instead of a video (content with FAIL_MARK fails); audio is real,
    since speech alone takes milliseconds."""
    if isinstance(request, SpeakRequest):
        return pipeline.run(request, out_path)
    assert isinstance(request, RenderRequest)
    if FAIL_MARK in request.content:
        raise RenderError("The avatar could not be drawn for this input.")
    out_path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + request.content.encode() * 10)
    words = request.content.split()
    captions = tuple(phrases([Caption(w, i * 0.5, i * 0.5 + 0.4) for i, w in enumerate(words)]))
    return RenderResult(
        out_path, out_path.stat().st_size, 2.5, len(request.content), captions=captions
    )


def body(content: str = "Hello there.", **avatar: Any) -> dict[str, Any]:
    """A minimal valid 2024-08-01 create body."""
    return {
        "inputKind": "PlainText",
        "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
        "inputs": [{"content": content}],
        "avatarConfig": {
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "casual-sitting",
            **avatar,
        },
    }


_render: list[RenderFn] = [fake_render]
"""What the distributed mode's worker renders with; each test may swap it."""


def _worker_render(request: AnyRequest, out_path: Path, progress: object = None) -> AnyResult:
    return _render[0](request, out_path)


@dataclass(frozen=True)
class Cluster:
    """Distributed mode for the contract suite: PostgreSQL, SeaweedFS, and a Celery worker on
    Redis (in threads of this process, so tests can swap its renderer)."""

    settings: dict[str, Any]


@pytest.fixture(scope="session")
def cluster(
    postgres_url: str, s3_server: SeaweedFS, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    from celery.contrib.testing.worker import start_worker

    run = uuid.uuid4().hex[:10]
    overrides: dict[str, Any] = {
        "database_url": postgres_url,
        "broker_url": require_broker(redis_url()),
        "queue": f"avatarsynth-contract-{run}",
        **s3_server.storage_settings(f"contract-{run}"),
    }
    # The one worker serves every test: let it deliver to the loopback Azurite some tests use
    # (the API's own checks still follow each test's settings).
    settings = load_settings(
        data_dir=tmp_path_factory.mktemp("cluster"),
        fetch_allow_http=True,
        fetch_allow_private=True,
        **overrides,
    )
    app = make_celery(settings)
    register(app)
    context = build(settings, render=_worker_render).worker()
    install_context(context)
    try:
        with start_worker(
            app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"
        ):
            yield Cluster(overrides)
    finally:
        install_context(None)
        app.close()
        context.store.engine.dispose()


@pytest.fixture(params=["embedded", "distributed"])
def mode(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Embedded (SQLite, result files, worker processes in the API process) or distributed
    (PostgreSQL, S3 and Celery workers): the contract suite runs in both."""
    if request.param == "embedded":
        return {}
    found: Cluster = request.getfixturevalue("cluster")
    empty_tables(found.settings["database_url"])
    return found.settings


def embedded_app(settings: Settings) -> FastAPI:
    """The app in embedded mode with the fake renderer, for tests that build their own."""
    jobs = build(settings).service(dispatcher=InlineDispatcher(fake_render), check=pipeline.check)
    return create_app(settings, jobs)


@pytest.fixture
def make_client(tmp_path: Path, mode: dict[str, Any]) -> Iterator[Callable[..., TestClient]]:
    """Apps on one data directory and one job database, in the mode under test."""
    clients: list[TestClient] = []

    def make(
        *,
        check: Callable[[RenderRequest], object] | None = None,
        render: RenderFn = fake_render,
        **overrides: Any,
    ) -> TestClient:
        options = {
            "data_dir": tmp_path / "var",
            "api_keys": (KEY, OTHER_KEY),
            "workers": 2,
            **mode,
        }
        settings = load_settings(**{**options, **overrides})
        _render[0] = render
        jobs = build(settings).service(
            dispatcher=InlineDispatcher(render), check=check or pipeline.check
        )
        app = create_app(settings, jobs)
        client = TestClient(app, headers={"Ocp-Apim-Subscription-Key": KEY})
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    _render[0] = fake_render


@pytest.fixture
def stuck_render() -> Iterator[RenderFn]:
    """A render that waits until the test ends: its job stays running (and unfinished)."""
    released = threading.Event()

    def render(request: AnyRequest, out_path: Path, progress: object = None) -> AnyResult:
        released.wait(30)
        return fake_render(request, out_path)

    yield render
    released.set()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def finished(client: TestClient, path: str, timeout_s: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(path).json()
        if job["status"] in ("Succeeded", "Failed"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"{path} did not finish")
