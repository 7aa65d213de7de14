"""Azure's how-to page "Obtain batch synthesis results", its commands run verbatim with curl."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import av
import httpx2
import pytest

from tests.e2e.conftest import API_KEY, Server, wait_for
from tests.fixtures import LEGACY, legacy_body

pytestmark = pytest.mark.slow


def curl(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=60, check=True
    )


def test_the_documented_legacy_flow_works_verbatim(
    server: Server, client: httpx2.Client, tmp_path: Path
) -> None:
    text = "Hi, I'm a virtual assistant created by Microsoft."
    created = client.post(LEGACY, json=legacy_body(text))
    assert created.status_code == 201, created.text
    job_id = created.json()["id"]
    job = wait_for(client, f"{LEGACY}/{job_id}")
    assert job["status"] == "Succeeded", job
    outputs = job["outputs"]
    assert isinstance(outputs, dict)

    curl(
        f'curl -v -X GET "{outputs["result"]}" '
        f'-H "Ocp-Apim-Subscription-Key: {API_KEY}" > output.mp4',
        tmp_path,
    )
    with av.open(str(tmp_path / "output.mp4")) as container:
        assert container.streams.video[0].frames > 25
        assert len(container.streams.audio) == 1

    curl(
        f'curl -v -X GET "{outputs["summary"]}" '
        f'-H "Ocp-Apim-Subscription-Key: {API_KEY}" > summary.json',
        tmp_path,
    )
    summary = json.loads((tmp_path / "summary.json").read_text())
    (entry,) = summary["results"]
    assert entry["status"] == "Succeeded"
    assert entry["videoFileName"] == f"{job_id}/0001.mp4"
    assert entry["TalkingAvatarCharacter"] == "lisa"
    assert entry["TalkingAvatarStyle"] == "graceful-sitting"
    assert entry["billingDetails"]["Neural"] == str(len(text))
    assert isinstance(entry["billingDetails"]["TalkingAvatarDuration"], str)

    deleted = curl(
        f'curl -v -X DELETE "{server.url}{LEGACY}/{job_id}" '
        f'-H "Ocp-Apim-Subscription-Key: {API_KEY}"',
        tmp_path,
    )
    assert "HTTP/1.1 204 No Content" in deleted.stderr
    assert httpx2.get(outputs["result"], timeout=30).status_code == 404
