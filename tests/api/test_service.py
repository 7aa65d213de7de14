"""The service as an operator meets it: generated key, health, restarts that lose no job."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import KEY, OTHER_KEY, V, body, fake_render, finished
from typer.testing import CliRunner

from avatarsynth.api import create_app
from avatarsynth.cli import app as cli
from avatarsynth.config import load_settings
from avatarsynth.dispatch import InlineDispatcher
from avatarsynth.runtime import build

JOB = "/avatar/batchsyntheses"


def test_with_no_key_configured_one_is_generated_kept_and_required(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(data_dir=tmp_path / "var", api_keys=())
    with (
        caplog.at_level(logging.WARNING),
        TestClient(
            create_app(
                settings,
                build(settings).service(
                    dispatcher=InlineDispatcher(fake_render), check=lambda r: None
                ),
            )
        ) as client,
    ):
        key = (tmp_path / "var" / "api-key").read_text().strip()
        assert len(key) >= 32 and "avatarsynth keys" in caplog.text
        assert key not in caplog.text  # logs are shipped and read by many: never a key
        assert client.get(JOB, params=V).status_code == 401
        assert client.get(JOB, params=V, headers={"Ocp-Apim-Subscription-Key": key}).is_success
        assert client.get("/healthz").json() == {"status": "ok"}  # health needs no key
    again = CliRunner().invoke(cli, ["keys"], env={"AVATARSYNTH_DATA_DIR": str(tmp_path / "var")})
    assert again.exit_code == 0 and again.output.strip() == key


def test_the_keys_command_prints_configured_keys(tmp_path: Path) -> None:
    env = {"AVATARSYNTH_DATA_DIR": str(tmp_path), "AVATARSYNTH_API_KEYS": "one, two"}
    result = CliRunner().invoke(cli, ["keys"], env=env)
    assert result.exit_code == 0 and result.output.split() == ["one", "two"]
    assert not (tmp_path / "api-key").exists()


def test_the_operation_follows_its_job(client: TestClient) -> None:
    created = client.put(f"{JOB}/job-1", params=V, json=body())
    operation = created.headers["Operation-Id"]
    finished(client, f"{JOB}/job-1?api-version=2024-08-01")
    answer = client.get(f"/avatar/operations/{operation}", params=V)
    assert answer.json() == {"id": operation, "status": "Succeeded"}
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    assert client.get(f"/avatar/operations/{operation}", params=V, headers=other).status_code == 404


def test_a_chosen_operation_id_is_kept(client: TestClient) -> None:
    created = client.put(f"{JOB}/job-1", params=V, json=body(), headers={"Operation-Id": "my-op-1"})
    assert created.headers["Operation-Id"] == "my-op-1"
    assert created.headers["Operation-Location"].endswith(
        "/avatar/operations/my-op-1?api-version=2024-08-01"
    )
    retry = client.put(f"{JOB}/job-1", params=V, json=body(), headers={"Operation-Id": "my-op-1"})
    assert retry.status_code == 201 and retry.json()["internalId"] == created.json()["internalId"]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)  # runner threads of this node
def test_a_job_left_running_by_this_node_runs_again_after_a_restart(
    make_client: Any,
) -> None:
    first = make_client()
    services = first.app.state.services
    services.jobs.scheduler.stop()  # the "crash": nothing will finish what was claimed
    assert first.put(f"{JOB}/job-1", params=V, json=body()).status_code == 201
    claimed = services.store.claim(services.jobs.scheduler.node, lease_s=3600)
    assert claimed is not None
    assert first.get(f"{JOB}/job-1", params=V).json()["status"] == "Running"
    first.__exit__(None, None, None)
    second = make_client()  # same data directory, same node id
    job = finished(second, f"{JOB}/job-1?api-version=2024-08-01")
    assert job["status"] == "Succeeded" and job["outputs"]


@pytest.mark.parametrize("mode", ["embedded"], indirect=True)  # Celery's: tests/tasks
def test_a_job_whose_worker_stopped_renewing_runs_elsewhere(make_client: Any) -> None:
    client = make_client(lease_s=0.5)
    services = client.app.state.services
    services.jobs.scheduler.stop()
    client.put(f"{JOB}/job-1", params=V, json=body())
    assert services.store.claim("a-node-that-died", lease_s=0.2) is not None
    rescuer = make_client(lease_s=0.5)
    assert finished(rescuer, f"{JOB}/job-1?api-version=2024-08-01")["status"] == "Succeeded"


def test_a_key_sees_only_its_own_jobs_in_lists(client: TestClient) -> None:
    other = {"Ocp-Apim-Subscription-Key": OTHER_KEY}
    client.put(f"{JOB}/mine-1", params=V, json=body())
    client.put(f"{JOB}/theirs-1", params=V, json=body(), headers=other)
    assert [j["id"] for j in client.get(JOB, params=V).json()["value"]] == ["mine-1"]
    mine = {"Ocp-Apim-Subscription-Key": KEY}
    theirs = client.get(JOB, params=V, headers=other).json()["value"]
    assert [j["id"] for j in theirs] == ["theirs-1"]
    assert client.get(f"{JOB}/theirs-1", params=V, headers=mine).status_code == 404


def test_the_openapi_document_describes_every_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/avatar/batchsyntheses/{job_id}" in paths
    assert "/texttospeech/batchsyntheses/{job_id}" in paths
    assert "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar" in paths
