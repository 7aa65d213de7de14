"""Result URLs: signed, expiring, key-free, ranged, and dead once the job is gone."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.conftest import V, body, finished

from avatarsynth.jobs import Job, sweep, utcnow

JOB = "/avatar/batchsyntheses"


def _done(client: TestClient, job_id: str = "job-1", **payload: Any) -> dict[str, Any]:
    assert client.put(f"{JOB}/{job_id}", params=V, json={**body(), **payload}).status_code == 201
    return finished(client, f"{JOB}/{job_id}?api-version=2024-08-01")


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


def test_urls_are_absolute_and_work_with_or_without_a_key(client: TestClient) -> None:
    job = _done(client)
    url = job["outputs"]["result"]
    assert url.startswith("http://testserver/results/") and "/0001.mp4?" in url
    anonymous = TestClient(client.app)
    plain = anonymous.get(url)
    assert plain.status_code == 200 and plain.content.startswith(b"\x00\x00\x00\x18ftyp")
    assert plain.headers["accept-ranges"] == "bytes"
    assert client.get(url).content == plain.content  # the key sent anyway is ignored
    assert anonymous.get(job["outputs"]["summary"]).json()["status"] == "Succeeded"


def test_the_public_url_setting_names_the_host(make_client: Any) -> None:
    client = make_client(public_url="https://avatars.example.org/base/")
    job = _done(client)
    assert job["outputs"]["result"].startswith("https://avatars.example.org/base/results/")


def test_range_requests_get_206_with_the_bytes_asked_for(client: TestClient) -> None:
    url = _done(client)["outputs"]["result"]
    whole = client.get(url).content
    part = client.get(url, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206
    assert part.content == whole[4:12] == b"ftypmp42"
    assert part.headers["content-range"] == f"bytes 4-11/{len(whole)}"
    tail = client.get(url, headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == whole[-5:]
    beyond = client.get(url, headers={"Range": f"bytes={len(whole) + 10}-"})
    assert beyond.status_code == 416


def test_a_tampered_or_expired_signature_is_refused(client: TestClient) -> None:
    url = _done(client)["outputs"]["result"]
    query = parse_qs(urlsplit(url).query)
    sig, se = query["sig"][0], query["se"][0]
    for bad in (
        _with_query(url, sig=sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB")),
        _with_query(url, se=str(int(se) + 3600)),
        _with_query(url, se="1000", sig=sig),
        url.split("?")[0],
        url.replace("0001.mp4", "summary.json"),
    ):
        response = client.get(bad)
        assert response.status_code in (403, 404)
        assert response.json()["error"]["code"] in ("Forbidden", "NotFound")


def test_an_expired_url_stops_working(client: TestClient) -> None:
    url = _done(client)["outputs"]["result"]
    services = client.app.state.services  # type: ignore[attr-defined]
    key = urlsplit(url).path.removeprefix("/results/")
    stale = services.signer.sign(key, 60, now=0)
    assert client.get(_with_query(url, **stale)).status_code in (403, 404)


def test_deleting_a_job_kills_its_urls(client: TestClient) -> None:
    job = _done(client)
    assert client.delete(f"{JOB}/job-1", params=V).status_code == 204
    for url in job["outputs"].values():
        assert client.get(url).status_code == 404


def test_the_retention_sweep_removes_expired_jobs_and_their_urls(client: TestClient) -> None:
    job = _done(client)
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.store.session() as session, session.begin():
        session.execute(update(Job).values(expires_at=utcnow()))
    assert sweep(services.store, services.storage) == 1
    assert client.get(job["outputs"]["result"]).status_code == 404
    assert client.get(f"{JOB}/job-1", params=V).status_code == 404


def test_expiry_is_last_action_plus_time_to_live(client: TestClient) -> None:
    job = _done(client, properties={"timeToLiveInHours": 2})
    assert job["properties"]["timeToLiveInHours"] == 2
    services = client.app.state.services  # type: ignore[attr-defined]
    row = services.store.by_internal_id(job["internalId"])
    assert (row.expires_at - row.last_action_at).total_seconds() == 7200
