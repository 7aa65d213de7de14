"""Signed result URLs: no key needed, ranges served, and dead once expired, forged or deleted."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from tests.api.conftest import V, body, finished

JOB = "/avatar/batchsyntheses"


def done_job(client: TestClient, job_id: str = "files-job") -> dict[str, Any]:
    client.put(f"{JOB}/{job_id}", params=V, json=body("Ranges and signatures."))
    return finished(client, f"{JOB}/{job_id}?api-version=2024-08-01")


def test_result_urls_need_no_key_and_ignore_one_sent_anyway(client: TestClient) -> None:
    url = done_job(client)["outputs"]["result"]
    anonymous = TestClient(client.app)
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url, headers={"Ocp-Apim-Subscription-Key": "whatever"}).status_code == 200


def test_range_requests_are_served(client: TestClient) -> None:
    url = done_job(client)["outputs"]["result"]
    whole = client.get(url).content
    part = client.get(url, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206
    assert part.content == whole[4:12]
    assert part.headers["content-range"] == f"bytes 4-11/{len(whole)}"


def test_forged_or_expired_signatures_look_like_missing_files(client: TestClient) -> None:
    url = done_job(client)["outputs"]["result"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?se={query['se'][0]}&sig={query['sig'][0][:-2]}xx"
    later = f"{parts.path}?se={int(query['se'][0]) + 3600}&sig={query['sig'][0]}"
    other_file = f"{parts.path.replace('0001.mp4', 'summary.json')}?{parts.query}"
    for bad in (forged, later, other_file, parts.path):
        response = client.get(bad)
        assert response.status_code == 404, bad
        assert response.json()["error"]["code"] == "NotFound"


def test_urls_expire(make_client: Any) -> None:
    client = make_client(result_url_ttl_s=60)
    url = done_job(client)["outputs"]["result"]
    signer = client.app.state.services.signer
    parts = urlsplit(url)
    key = parts.path.removeprefix("/results/")
    query = parse_qs(parts.query)
    assert signer.valid(key, query["se"][0], query["sig"][0])
    assert not signer.valid(key, query["se"][0], query["sig"][0], now=time.time() + 61)
