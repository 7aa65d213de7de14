"""``create_app(settings, jobs)``: the HTTP face of a job service built by the runtime."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from avatarsynth import __version__
from avatarsynth.api import _errors, _health, _metrics
from avatarsynth.api._auth import KeyRing, load_keys
from avatarsynth.api._request_id import RequestIdMiddleware
from avatarsynth.api._routes_avatars import router as avatars_router
from avatarsynth.api._routes_batch import AUDIO, AVATAR, router_for
from avatarsynth.api._routes_files import router as files_router
from avatarsynth.api._routes_legacy import router as legacy_router
from avatarsynth.api._routes_photos import router as photos_router
from avatarsynth.api._routes_voices import router as voices_router
from avatarsynth.api._services import Services
from avatarsynth.config import Settings
from avatarsynth.jobs import JobService
from avatarsynth.portraits import Portraits
from avatarsynth.storage import UrlSigner, load_secret
from avatarsynth.telemetry import register_secret

_LOG = logging.getLogger("avatarsynth")


def _services(settings: Settings, jobs: JobService) -> Services:
    keys, generated = load_keys(settings.api_keys, settings.data_dir)
    if generated:  # never the key itself: logs are shipped and read by many
        _LOG.warning("Generated an API key; `avatarsynth keys` prints it")
    secret = load_secret(settings.signing_secret, settings.data_dir)
    register_secret(*keys, secret.decode(), settings.s3_secret_access_key)
    portraits = Portraits(
        settings.portraits_dir, settings.portrait_dir, settings.portrait_registration
    )
    return Services(
        settings=settings,
        keys=KeyRing(keys),
        signer=UrlSigner(secret),
        jobs=jobs,
        portraits=portraits,
    )


def create_app(settings: Settings, jobs: JobService) -> FastAPI:
    """The service: routes, auth and signed URLs from ``settings``, in front of ``jobs``
    (``avatarsynth.runtime.build(settings).service()``), which runs while the server does."""
    services = _services(settings, jobs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Jobs run and are swept only while the server runs. At shutdown (after in-flight
        requests are answered) running renders get the grace period, then are handed back."""
        stop_metrics = _metrics.start_port(services)
        jobs.start()
        yield
        jobs.stop()
        if stop_metrics is not None:
            stop_metrics()

    app = FastAPI(
        title="avatarsynth",
        version=__version__,
        lifespan=lifespan,
        description="Azure-compatible text-to-speech avatar batch synthesis, self-hosted.",
    )
    app.state.services = services
    app.add_middleware(RequestIdMiddleware)
    _errors.install(app)
    routers = (
        router_for(AVATAR),
        router_for(AUDIO),
        legacy_router,
        files_router,
        voices_router,
        avatars_router,
        photos_router,
    )
    for router in routers:
        app.include_router(router)

    _health.install(app)
    _metrics.install(app, services)

    return app
