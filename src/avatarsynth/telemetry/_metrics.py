"""What an operator alerts on, in Prometheus' text format (``prometheus-client``).

Counters and histograms are made on first use, not at import, so a process can first choose
where they live. One process (tests, ``serve`` without render processes): in its memory.
Several (``avatarsynth worker``'s prefork children, ``serve``'s render processes): each
process writes its own memory-mapped files in one folder (:func:`enable_multiprocess`,
called before anything counts), and a scrape adds them up. Gauges of the queue (waiting,
running, the oldest waiting job's age) are read from the job database when scraped, so every
API process reports the whole installation's queue, not its own share of it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

CONTENT_TYPE = CONTENT_TYPE_LATEST
_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Metrics:
    """Every counter and histogram of avatarsynth (names as Prometheus shows them)."""

    jobs_created: Counter
    jobs_succeeded: Counter
    jobs_failed: Counter
    render_seconds: Counter
    video_seconds: Counter
    http_requests: Counter
    http_latency: Histogram
    webhook_deliveries: Counter
    storage_errors: Counter


@cache
def metrics() -> Metrics:
    """The process's metrics, made on first use (after :func:`enable_multiprocess`)."""
    disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created: noise
    return Metrics(
        Counter(
            "avatarsynth_jobs_created", "Jobs accepted (201), by kind (avatar, audio …).", ["kind"]
        ),
        Counter("avatarsynth_jobs_succeeded", "Jobs that ended Succeeded."),
        Counter(
            "avatarsynth_jobs_failed",
            "Jobs that ended Failed, by error code (InsufficientStorage, BadArgument …).",
            ["reason"],
        ),
        Counter(
            "avatarsynth_render_seconds",
            "Seconds worker processes spent rendering (speech, drawing, encoding, joining).",
        ),
        Counter(
            "avatarsynth_video_seconds",
            "Seconds of video and audio produced; divided by render seconds: real-time factor.",
        ),
        Counter(
            "avatarsynth_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
        ),
        Histogram(
            "avatarsynth_http_request_duration_seconds",
            "Time to answer an HTTP request (to its last byte), by route and method.",
            ["route", "method"],
            buckets=_LATENCY_BUCKETS,
        ),
        Counter(
            "avatarsynth_webhook_deliveries",
            "Webhook notifications sent, by outcome (delivered, failed).",
            ["outcome"],
        ),
        Counter(
            "avatarsynth_storage_errors",
            "Result store operations that failed, by operation (put, get, delete …).",
            ["operation"],
        ),
    )


@contextmanager
def rendering() -> Iterator[None]:
    """Count the block's wall time as render seconds (wherever the rendering runs)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        metrics().render_seconds.inc(time.perf_counter() - started)


def enable_multiprocess(directory: Path) -> None:
    """Count in files under ``directory`` (emptied first) in this process and every process
    it starts later. Must run before the first metric is touched; child processes find the
    folder through the environment."""
    if metrics.cache_info().currsize:
        raise RuntimeError("metrics were made before multiprocess mode was chosen")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[_ENV] = str(directory)
    atexit.register(_remove, directory, os.getpid())
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]


def _remove(directory: Path, owner_pid: int) -> None:
    """At exit of the process that chose the folder (not of a forked child): delete it."""
    if os.getpid() == owner_pid:
        shutil.rmtree(directory, ignore_errors=True)


QueueCensus = Callable[[], tuple[int, int, float | None]]
"""Reads (waiting, running, age in seconds of the oldest waiting job or None) from the store."""


class _QueueCollector(Collector):
    """The queue's gauges, read from the job database at scrape time."""

    def __init__(self, census: QueueCensus) -> None:
        self._census = census

    def collect(self) -> Iterable[Metric]:
        waiting, running, oldest_s = self._census()
        yield GaugeMetricFamily("avatarsynth_jobs_waiting", "Jobs accepted, not started.", waiting)
        yield GaugeMetricFamily("avatarsynth_jobs_running", "Jobs being rendered.", running)
        yield GaugeMetricFamily(
            "avatarsynth_oldest_waiting_job_age_seconds",
            "How long the oldest waiting job has waited (0 when none waits).",
            oldest_s or 0.0,
        )


class _Everything(Collector):
    """This process's metrics (or all processes' files), then the queue's gauges."""

    def __init__(self, census: QueueCensus | None) -> None:
        self._queue = _QueueCollector(census) if census is not None else None

    def collect(self) -> Iterable[Metric]:
        directory = os.environ.get(_ENV)
        if directory:
            files = CollectorRegistry()
            MultiProcessCollector(files, directory)  # type: ignore[no-untyped-call]
            yield from files.collect()
        else:
            yield from REGISTRY.collect()
        if self._queue is not None:
            yield from self._queue.collect()


def exposition(census: QueueCensus | None = None) -> bytes:
    """The text a scrape gets: counters and histograms, and the queue when ``census`` is given."""
    metrics()  # every family appears, at zero, from the first scrape
    return generate_latest(_Everything(census))


def serve_metrics(host: str, port: int, census: QueueCensus | None = None) -> Callable[[], None]:
    """``/metrics`` on a port of its own (no key: bind it where only operators reach);
    returns the function that stops it."""
    from prometheus_client import start_http_server

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Everything(census))
    server, thread = start_http_server(port, addr=host, registry=registry)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
