"""The real app over HTTP (TestClient), with fresh state per test and a fake renderer, so the
contract is checked in milliseconds; real renders are the e2e suite's job."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from avatarsynth import pipeline
from avatarsynth.api import create_app
from avatarsynth.config import load_settings
from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.errors import RenderError
from avatarsynth.pipeline import AnyRequest, AnyResult, RenderRequest, RenderResult, SpeakRequest
from avatarsynth.video import Caption, phrases

KEY = "test-key-1"
OTHER_KEY = "test-key-2"
V = {"api-version": "2024-08-01"}
FAIL_MARK = "please fail"


def fake_render(request: AnyRequest, out_path: Path) -> AnyResult:
    """Writes a small file instead of a video (content with FAIL_MARK fails); audio is real,
    since speech alone takes milliseconds."""
    if isinstance(request, SpeakRequest):
        return pipeline.speak(request, out_path)
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


@pytest.fixture
def make_client(tmp_path: Path, database_url: str) -> Iterator[Callable[..., TestClient]]:
    """Apps on one data directory and one job database (SQLite or PostgreSQL)."""
    clients: list[TestClient] = []

    def make(
        *,
        check: Callable[[RenderRequest], object] | None = None,
        render: Callable[[RenderRequest, Path], RenderResult] = fake_render,
        **overrides: Any,
    ) -> TestClient:
        options = {
            "data_dir": tmp_path / "var",
            "database_url": database_url,
            "api_keys": (KEY, OTHER_KEY),
            "workers": 2,
        }
        settings = load_settings(**{**options, **overrides})
        dispatcher = InlineDispatcher(render)
        app = (
            create_app(settings, dispatcher=dispatcher, check=check)
            if check
            else create_app(settings, dispatcher=dispatcher)
        )
        client = TestClient(app, headers={"Ocp-Apim-Subscription-Key": KEY})
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def finished(client: TestClient, path: str, timeout_s: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(path).json()
        if job["status"] in ("Succeeded", "Failed"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"{path} did not finish")
