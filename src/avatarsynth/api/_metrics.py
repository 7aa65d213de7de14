"""``GET /metrics``: Prometheus text, behind the API key like every other route.

An operator who would rather not hand the scraper a key sets ``METRICS_PORT``: the metrics
are then served there, without a key, on ``METRICS_HOST`` (bind it where only operators
reach), and this route does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Response
from starlette.concurrency import run_in_threadpool

from avatarsynth.api._services import OwnerDep, Services
from avatarsynth.jobs import queue_census
from avatarsynth.telemetry import CONTENT_TYPE, QueueCensus, exposition, serve_metrics


def census(services: Services) -> QueueCensus:
    """The queue's gauges, read from this installation's job database."""
    return lambda: queue_census(services.store)


def install(app: FastAPI, services: Services) -> None:
    """Add ``/metrics`` to the app unless the metrics have a port of their own."""
    if services.settings.metrics_port:
        return

    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics(_owner: OwnerDep) -> Response:
        """Counters, histograms and the queue's gauges (the database read off the loop)."""
        body = await run_in_threadpool(exposition, census(services))
        return Response(body, media_type=CONTENT_TYPE)


def start_port(services: Services) -> Callable[[], None] | None:
    """Serve the metrics on ``METRICS_PORT`` when set; the function that stops it."""
    settings = services.settings
    if not settings.metrics_port:
        return None
    return serve_metrics(settings.metrics_host, settings.metrics_port, census(services))
