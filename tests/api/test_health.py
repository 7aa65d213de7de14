"""Liveness and readiness probes: no key needed; a 503 in the error envelope names what failed."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import boto3
import psycopg
from fastapi.testclient import TestClient
from tests.services import POSTGRES_ADMIN, SeaweedFS, free_port, postgres_database

from avatarsynth.api import create_app
from avatarsynth.config import load_settings
from avatarsynth.runtime import build


def test_both_probes_answer_without_a_key_when_all_is_well(make_client: Any) -> None:
    anonymous = TestClient(make_client().app)
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_readiness_names_each_service_that_cannot_be_reached(
    tmp_path: Path, s3_server: SeaweedFS
) -> None:
    bucket = f"ready-{uuid.uuid4().hex[:8]}"
    with postgres_database() as database_url:
        settings = load_settings(
            data_dir=tmp_path,
            api_keys=("k",),
            database_url=database_url,
            broker_url=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            **s3_server.storage_settings(bucket),
        )
        with TestClient(create_app(settings, build(settings).service())) as client:
            s3 = boto3.client(
                "s3",
                endpoint_url=s3_server.endpoint,
                aws_access_key_id=s3_server.access_key,
                aws_secret_access_key=s3_server.secret_key,
                region_name="us-east-1",
            )
            s3.delete_bucket(Bucket=bucket)
            response = client.get("/readyz")
            assert response.status_code == 503
            error = response.json()["error"]
            assert error["code"] == "ServiceUnavailable"
            assert error["target"] == "storage,broker"
            assert response.headers["x-ms-error-code"] == "ServiceUnavailable"
            assert client.get("/healthz").status_code == 200  # alive, just not ready
            # The database goes away under the running process.
            name = database_url.rsplit("/", 1)[1]
            with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            assert client.get("/readyz").json()["error"]["target"] == "database,storage,broker"
