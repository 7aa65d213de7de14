"""``/metrics``: Prometheus text behind the key (or on an operator port), counters that move."""

from __future__ import annotations

from collections.abc import Callable

import httpx2
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from tests.api.conftest import FAIL_MARK, V, body, finished
from tests.services import free_port

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def test_metrics_need_the_key(client: TestClient) -> None:
    response = client.get("/metrics", headers={"Ocp-Apim-Subscription-Key": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "Unauthorized"


def test_counters_move_as_jobs_are_created_finish_and_fail(client: TestClient) -> None:
    before = scrape(client)
    assert client.put("/avatar/batchsyntheses/ok-1", params=V, json=body()).status_code == 201
    failing = body(f"{FAIL_MARK} now")
    assert client.put("/avatar/batchsyntheses/bad-1", params=V, json=failing).status_code == 201
    assert finished(client, "/avatar/batchsyntheses/ok-1?api-version=2024-08-01")["status"] == (
        "Succeeded"
    )
    assert finished(client, "/avatar/batchsyntheses/bad-1?api-version=2024-08-01")["status"] == (
        "Failed"
    )
    after = scrape(client)
    assert moved(before, after, "avatarsynth_jobs_created_total", kind="avatar") == 2
    assert moved(before, after, "avatarsynth_jobs_succeeded_total") == 1
    assert moved(before, after, "avatarsynth_jobs_failed_total", reason="InternalServerError") == 1
    assert moved(before, after, "avatarsynth_video_seconds_total") == 2.5
    assert moved(before, after, "avatarsynth_render_seconds_total") > 0
    created = moved(
        before,
        after,
        "avatarsynth_http_requests_total",
        route="/avatar/batchsyntheses/{job_id}",
        method="PUT",
        status="201",
    )
    assert created == 2
    assert after[("avatarsynth_jobs_waiting", ())] == 0
    assert after[("avatarsynth_jobs_running", ())] == 0
    assert after[("avatarsynth_oldest_waiting_job_age_seconds", ())] == 0


def test_waiting_jobs_and_their_age_are_gauged(
    make_client: Callable[..., TestClient], stuck_render: Callable[..., object]
) -> None:
    client = make_client(render=stuck_render, workers=1, shutdown_grace_s=0)
    for n in range(3):
        put = client.put(f"/avatar/batchsyntheses/wait-{n}", params=V, json=body())
        assert put.status_code == 201
    found = scrape(client)
    assert found[("avatarsynth_jobs_waiting", ())] + found[("avatarsynth_jobs_running", ())] == 3
    assert found[("avatarsynth_jobs_waiting", ())] >= 1
    assert found[("avatarsynth_oldest_waiting_job_age_seconds", ())] > 0


def test_an_operator_port_serves_metrics_without_a_key(
    make_client: Callable[..., TestClient],
) -> None:
    port = free_port()
    client = make_client(metrics_port=port)
    assert client.get("/metrics").status_code == 404  # not on the API's port
    response = httpx2.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert response.status_code == 200
    assert ("avatarsynth_jobs_waiting", ()) in parse(response.text)
