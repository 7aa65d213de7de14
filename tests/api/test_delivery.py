"""Results written into an Azure Blob container (destinationContainerUrl), against Azurite,
Microsoft's storage emulator, started here on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient, ContainerSasPermissions, generate_container_sas
from fastapi.testclient import TestClient
from tests.api.conftest import V, body, finished

from avatarsynth.delivery import Destination, deliver
from avatarsynth.errors import DeliveryError
from avatarsynth.fetch import FetchPolicy

AZURITE = Path(__file__).parents[2] / ".tools" / "node_modules" / ".bin" / "azurite-blob"
ACCOUNT = "devstoreaccount1"
KEY = (  # Azurite's published development key
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
LOOPBACK = FetchPolicy(allow_http=True, allow_private=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlobServiceClient]:
    assert AZURITE.exists(), f"{AZURITE} is missing: run `make install` (npm install azurite)"
    port = _free_port()
    folder = tmp_path_factory.mktemp("azurite")
    process = subprocess.Popen(
        [
            str(AZURITE),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            str(port),
            "--location",
            str(folder),
            "--silent",
            "--skipApiVersionCheck",
            "--loose",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{ACCOUNT}"
    client = BlobServiceClient(url, credential={"account_name": ACCOUNT, "account_key": KEY})
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError("Azurite did not start") from None
            time.sleep(0.1)
    yield client
    process.terminate()
    process.wait(timeout=10)


def _container(client: BlobServiceClient, name: str, permission: str = "cw") -> str:
    """A new container and a SAS URL for it with ``permission``."""
    client.create_container(name)
    token = generate_container_sas(
        ACCOUNT,
        name,
        account_key=KEY,
        permission=ContainerSasPermissions.from_string(permission),
        expiry=datetime.now(UTC) + timedelta(hours=1),
    )
    return f"{client.url.rstrip('/')}/{name}?{token}"


@pytest.mark.slow
def test_files_land_in_the_folder_large_ones_in_blocks(
    azurite: BlobServiceClient, tmp_path: Path
) -> None:
    small, large = tmp_path / "0001.mp4", tmp_path / "big.bin"
    small.write_bytes(b"video" * 100)
    large.write_bytes(bytes(range(256)) * (136 * 1024))  # 34 MB: Put Block + Put Block List
    destination = Destination(_container(azurite, "direct"), "renders/week 1")
    folder = deliver(destination, "job-1", [("0001.mp4", small), ("big.bin", large)], LOOPBACK)
    assert folder == "renders/week 1/job-1"
    container = azurite.get_container_client("direct")
    names = sorted(b.name for b in container.list_blobs())
    assert names == ["renders/week 1/job-1/0001.mp4", "renders/week 1/job-1/big.bin"]
    blob = container.get_blob_client("renders/week 1/job-1/0001.mp4")
    assert blob.get_blob_properties().content_settings.content_type == "video/mp4"
    big = container.download_blob("renders/week 1/job-1/big.bin").readall()
    assert big == large.read_bytes()


def test_a_read_only_sas_is_refused_as_forbidden(
    azurite: BlobServiceClient, tmp_path: Path
) -> None:
    source = tmp_path / "0001.mp4"
    source.write_bytes(b"x")
    destination = Destination(_container(azurite, "readonly", permission="r"))
    with pytest.raises(DeliveryError) as caught:
        deliver(destination, "job-2", [("0001.mp4", source)], LOOPBACK)
    assert caught.value.code == "Forbidden"


def test_a_job_writes_its_results_into_the_container(
    azurite: BlobServiceClient, make_client: Any
) -> None:
    client: TestClient = make_client(fetch_allow_http=True, fetch_allow_private=True)
    name = f"results-{uuid.uuid4().hex[:8]}"  # a module's Azurite serves both modes
    sas = _container(azurite, name)
    payload = body("First.")
    payload["inputs"].append({"content": "Second."})
    payload["properties"] = {"destinationContainerUrl": sas, "destinationPath": "team/videos"}
    created = client.put("/avatar/batchsyntheses/to-blob", params=V, json=payload)
    assert created.status_code == 201, created.text
    assert "destinationContainerUrl" not in created.text  # a secret: never echoed
    job = finished(client, "/avatar/batchsyntheses/to-blob?api-version=2024-08-01")
    assert job["status"] == "Succeeded", job
    assert job["outputs"]["result"] == "team/videos/to-blob"
    container = azurite.get_container_client(name)
    names = {b.name.rsplit("/", 1)[-1] for b in container.list_blobs("team/videos/to-blob/")}
    assert {"0001.mp4", "0002.mp4", "summary.json"} <= names


def test_a_container_url_without_a_sas_or_to_a_private_host_is_a_400(client: TestClient) -> None:
    for url in ("https://example.blob.core.windows.net/c", "https://10.0.0.1/c?sv=1&sig=x"):
        payload = {**body(), "properties": {"destinationContainerUrl": url}}
        response = client.put("/avatar/batchsyntheses/no-sas", params=V, json=payload)
        assert response.status_code == 400, url
        assert response.json()["error"]["target"] == "properties.destinationContainerUrl"
    path_only = {**body(), "properties": {"destinationPath": "a"}}
    response = client.put("/avatar/batchsyntheses/no-sas", params=V, json=path_only)
    assert response.status_code == 400
