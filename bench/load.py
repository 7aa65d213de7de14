"""Load and soak over loopback: ``python bench/load.py [--soak-s 180]``.

A real ``avatarsynth serve`` (embedded: SQLite, two render processes rendering real short
jobs meanwhile), driven through its HTTP port:

1. Soak: one job created every ``--interval-s`` seconds for ``--soak-s`` seconds (the issue
   asks for an hour; the default is a shortened run, and says so), with the resident memory
   of the server and of each render process at the start and at the end.
2. 200 creates at once on 200 connections: every one answered 201, every job then found by
   GET (none lost), latency p50/p99, against 200 concurrent ``/healthz`` in the same run.
3. The queue topped up to 1000 waiting jobs while the workers render: GET of a job, p50/p99,
   against ``/healthz`` in the same run (the design's target: p99 under 20 ms).

Ratios are printed against ``/healthz`` (the plain reference: the same server, socket and
middleware, no database), so a slower machine moves both.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
from tests.e2e.conftest import API_KEY, API_VERSION, Server  # noqa: E402

JOB = "/avatar/batchsyntheses/{}?api-version=" + API_VERSION
BODY = {
    "inputKind": "PlainText",
    "synthesisConfig": {"voice": "en-US-AvaMultilingualNeural"},
    "inputs": [{"content": "Hello there."}],
    "avatarConfig": {"talkingAvatarCharacter": "lisa", "talkingAvatarStyle": "casual-sitting"},
}
HEADERS = {"Ocp-Apim-Subscription-Key": API_KEY}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def processes(root: int) -> dict[int, str]:
    """The server and every process below it (render processes, the resource tracker)."""
    found, todo = {root: "server"}, [root]
    while todo:
        parent = todo.pop()
        children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        for child in map(int, children):
            found[child] = "child"
            todo.append(child)
    return found


def memory(root: int) -> str:
    return ", ".join(f"{kind} {pid}: {rss_mb(pid):.0f} MB" for pid, kind in processes(root).items())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def timed(
    client: httpx2.AsyncClient, method: str, url: str, **kw: object
) -> tuple[int, float]:
    started = time.perf_counter()
    response = await client.request(method, url, **kw)  # type: ignore[arg-type]
    return response.status_code, time.perf_counter() - started


async def burst(
    url: str, n: int, method: str, make_url: object, body: object
) -> list[tuple[int, float]]:
    limits = httpx2.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx2.AsyncClient(base_url=url, headers=HEADERS, limits=limits, timeout=120) as c:
        calls = [timed(c, method, make_url(i), json=body) for i in range(n)]  # type: ignore[operator]
        return await asyncio.gather(*calls)


def warm_up(client: httpx2.Client) -> None:
    """Two jobs rendered first: models loaded and caches filled before memory is measured."""
    for n in range(2):
        assert client.put(JOB.format(f"warm-{n}"), json=BODY).status_code == 201
    for n in range(2):
        while client.get(JOB.format(f"warm-{n}")).json()["status"] != "Succeeded":
            time.sleep(0.5)


def soak(server: Server, client: httpx2.Client, seconds: float, interval_s: float) -> None:
    """Steady submissions; the memory of every process each minute (flat, or growing?)."""
    assert server.process is not None
    pid = server.process.pid
    print(f"soak start ({seconds:.0f} s, a job every {interval_s} s): {memory(pid)}")
    started = time.monotonic()
    ends, n, next_sample = started + seconds, 0, started + 60
    while time.monotonic() < ends:
        assert client.put(JOB.format(f"soak-{n}"), json=BODY).status_code == 201
        n += 1
        time.sleep(interval_s)
        if time.monotonic() >= next_sample:
            print(f"  after {time.monotonic() - started:.0f} s: {memory(pid)}")
            next_sample += 60
    done = sum(
        client.get(JOB.format(f"soak-{i}")).json()["status"] == "Succeeded" for i in range(n)
    )
    print(f"soak end: {n} jobs created, {done} succeeded by now; {memory(pid)}")


def creates(server: Server, client: httpx2.Client) -> None:
    answers = asyncio.run(burst(server.url, 200, "PUT", lambda i: JOB.format(f"burst-{i}"), BODY))
    health = asyncio.run(burst(server.url, 200, "GET", lambda i: "/healthz", None))
    ok = sum(status == 201 for status, _ in answers)
    found = sum(client.get(JOB.format(f"burst-{i}")).status_code == 200 for i in range(200))
    create_s, health_s = [s for _, s in answers], [s for _, s in health]
    print(
        f"200 concurrent creates: {ok} answered 201, {found} found afterwards; "
        f"p50 {pct(create_s, 0.5):.0f} ms, p99 {pct(create_s, 0.99):.0f} ms "
        f"(200 concurrent /healthz: p99 {pct(health_s, 0.99):.0f} ms; "
        f"ratio {pct(create_s, 0.99) / pct(health_s, 0.99):.1f})"
    )


def queued_gets(server: Server, client: httpx2.Client) -> None:
    waiting = 0
    for i in range(1000):
        assert client.put(JOB.format(f"queued-{i}"), json=BODY).status_code == 201
    gets, health = [], []
    for _ in range(500):
        started = time.perf_counter()
        client.get(JOB.format(f"queued-{random.randrange(1000)}")).raise_for_status()
        gets.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.get("/healthz").raise_for_status()
        health.append(time.perf_counter() - started)
    metrics = client.get("/metrics").text
    for line in metrics.splitlines():
        if line.startswith("avatarsynth_jobs_waiting "):
            waiting = int(float(line.split()[1]))
    print(
        f"GET of a job with {waiting} jobs waiting, workers rendering: "
        f"p50 {pct(gets, 0.5):.1f} ms, p99 {pct(gets, 0.99):.1f} ms "
        f"(/healthz p99 {pct(health, 0.99):.1f} ms; "
        f"ratio {pct(gets, 0.99) / pct(health, 0.99):.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soak-s", type=float, default=180.0)
    parser.add_argument("--interval-s", type=float, default=4.0)
    options = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="avatarsynth-load-"))
    env = {"AVATARSYNTH_MAX_RUNNING_JOBS": "5000", "AVATARSYNTH_SHUTDOWN_GRACE_S": "1"}
    server = Server(data_dir, env)
    server.start()
    try:
        with httpx2.Client(base_url=server.url, headers=HEADERS, timeout=60) as client:
            warm_up(client)
            soak(server, client, options.soak_s, options.interval_s)
            creates(server, client)
            queued_gets(server, client)
    finally:
        assert server.process is not None
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(60)


if __name__ == "__main__":
    main()
