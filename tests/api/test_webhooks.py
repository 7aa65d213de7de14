"""Webhooks: a receiver gets one signed call per finished job; one that fails three times gets
the fourth try, across a restart of the server; a private address is refused at create."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from tests.api.conftest import FAIL_MARK, KEY, V, body, embedded_app

from avatarsynth.config import load_settings


@dataclass
class Receiver:
    """A local webhook receiver answering the given statuses in turn (then 200)."""

    statuses: list[int] = field(default_factory=list)
    calls: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    url: str = ""

    def wait_for(self, count: int, timeout_s: float = 15.0) -> None:
        deadline = time.monotonic() + timeout_s
        while len(self.calls) < count:
            assert time.monotonic() < deadline, f"{len(self.calls)} calls, expected {count}"
            time.sleep(0.05)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers["Content-Length"]))
            status = found.statuses.pop(0) if found.statuses else 200
            found.calls.append(({k.lower(): v for k, v in self.headers.items()}, data, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_port}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def serving(tmp_path: Path) -> Callable[..., Any]:
    """Apps on one data directory; the operator lets calls reach loopback over http."""

    @contextmanager
    def serve(**overrides: Any) -> Iterator[TestClient]:
        options: dict[str, Any] = {
            "data_dir": tmp_path / "var",
            "api_keys": (KEY,),
            "fetch_allow_http": True,
            "fetch_allow_private": True,
            "webhook_retry_s": 0.2,
            **overrides,
        }
        app = embedded_app(load_settings(**options))
        with TestClient(app, headers={"Ocp-Apim-Subscription-Key": KEY}) as client:
            yield client

    return serve


def with_hook(url: str, content: str = "Hello there.") -> dict[str, Any]:
    found = body(content)
    found["properties"] = {"webhookUrl": url}
    return found


def delivered(client: TestClient) -> float:
    """The ``/metrics`` count of webhook calls a receiver accepted."""
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "avatarsynth_webhook_deliveries_total" and sample.labels == {
                "outcome": "delivered"
            }:
                return sample.value
    return 0.0


def test_each_finished_job_gets_one_signed_call(
    serving: Callable[..., Any], receiver: Receiver
) -> None:
    with serving() as client:
        secret = client.get("/avatar/webhooks/secret").json()["secret"]
        delivered_before = delivered(client)
        made = client.put("/avatar/batchsyntheses/ok-1", params=V, json=with_hook(receiver.url))
        assert made.status_code == 201
        assert made.json()["properties"]["webhookUrl"] == receiver.url
        client.put(
            "/avatar/batchsyntheses/bad-1", params=V, json=with_hook(receiver.url, FAIL_MARK)
        )
        receiver.wait_for(2)
        time.sleep(2.5)  # two more rounds: no repeat
        assert delivered(client) - delivered_before == 2  # operators see them in /metrics
    assert len(receiver.calls) == 2
    events = {}
    for headers, data, _ in receiver.calls:
        stamp, sign = (
            part.split("=", 1)[1] for part in headers["avatarsynth-signature"].split(",")
        )
        expected = hmac.new(secret.encode(), f"{stamp}.".encode() + data, hashlib.sha256)
        assert hmac.compare_digest(sign, expected.hexdigest())
        assert abs(int(stamp) - time.time()) < 60
        job = json.loads(data)
        assert headers["avatarsynth-event"] == job["status"]
        events[job["id"]] = job
    assert events["ok-1"]["status"] == "Succeeded" and "result" in events["ok-1"]["outputs"]
    assert events["bad-1"]["status"] == "Failed"
    assert events["bad-1"]["properties"]["error"]["message"]


def test_a_failing_receiver_gets_the_fourth_try_across_a_restart(
    serving: Callable[..., Any], receiver: Receiver
) -> None:
    receiver.statuses = [500, 500, 500]
    with serving() as client:
        client.put("/avatar/batchsyntheses/retry-1", params=V, json=with_hook(receiver.url))
        receiver.wait_for(2)
    before_restart = len(receiver.calls)
    assert before_restart < 4
    with serving():
        receiver.wait_for(4)
        time.sleep(1.5)
    assert [status for _, _, status in receiver.calls] == [500, 500, 500, 200]
    assert len({headers["avatarsynth-delivery"] for headers, _, _ in receiver.calls}) == 1
    assert len({data for _, data, _ in receiver.calls}) == 1  # the same body every time


@pytest.mark.parametrize(
    "url", ["https://10.1.2.3/hooks", "https://127.0.0.1/hooks", "http://example.com/hooks", "x"]
)
def test_a_private_or_plain_address_is_refused_at_create(
    serving: Callable[..., Any], url: str
) -> None:
    with serving(fetch_allow_http=False, fetch_allow_private=False) as client:
        answer = client.put("/avatar/batchsyntheses/private-1", params=V, json=with_hook(url))
    assert answer.status_code == 400
    assert answer.json()["error"]["target"] == "properties.webhookUrl"
