"""``create_app(settings)``: the whole service, built from one settings object."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI

from avatarsynth import __version__, pipeline
from avatarsynth.api import _console, _errors, _health, _openapi
from avatarsynth.api._auth import KeyRing, load_keys
from avatarsynth.api._request_id import RequestIdMiddleware
from avatarsynth.api._routes_avatars import router as avatars_router
from avatarsynth.api._routes_batch import AUDIO, AVATAR, router_for
from avatarsynth.api._routes_files import router as files_router
from avatarsynth.api._routes_legacy import router as legacy_router
from avatarsynth.api._routes_voices import router as voices_router
from avatarsynth.api._services import Scheduler, Services
from avatarsynth.api._webhooks import Webhooks
from avatarsynth.api._webhooks import router as webhooks_router
from avatarsynth.config import Settings
from avatarsynth.dispatch import Dispatcher, ProcessDispatcher
from avatarsynth.jobs import (
    JobRunner,
    JobStore,
    Sweeper,
    clear_work_dir,
    fetch_policy,
    open_database,
)
from avatarsynth.pipeline import AnyRequest
from avatarsynth.storage import Storage, UrlSigner, load_secret, open_storage

_LOG = logging.getLogger("avatarsynth")


def _node_id(data_dir: Path) -> str:
    """A stable name for this installation, so a restart recognises its own running jobs."""
    path = data_dir / "node-id"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(str(uuid.uuid4()))
    return path.read_text().strip()


def _scheduler(
    settings: Settings, store: JobStore, storage: Storage, dispatcher: Dispatcher | None
) -> tuple[Scheduler, Dispatcher | None]:
    """Celery when a broker is configured (this process then renders nothing and keeps no
    state); else runner threads here feeding worker processes here."""
    if settings.broker_url:
        from avatarsynth.tasks import CeleryScheduler

        return CeleryScheduler(settings, store), None
    chunked = partial(pipeline.begin, chunk_s=settings.chunk_s)
    workers = dispatcher or ProcessDispatcher(settings.workers, render_fn=chunked)
    work = settings.data_dir / "work"
    clear_work_dir(work)
    runner = JobRunner(
        store,
        storage,
        workers,
        node=_node_id(settings.data_dir),
        work_dir=work,
        threads=settings.workers,
        lease_s=settings.lease_s,
        fetch_policy=fetch_policy(settings),
    )
    return runner, workers


def _services(
    settings: Settings, dispatcher: Dispatcher | None, check: Callable[[AnyRequest], object]
) -> tuple[Services, Dispatcher | None]:
    keys, generated = load_keys(settings.api_keys, settings.data_dir)
    if generated:
        _LOG.warning(
            "Generated an API key (kept in %s): %s", settings.data_dir / "api-key", keys[0]
        )
    store = JobStore(open_database(settings.sqlalchemy_url))
    storage = open_storage(settings)
    scheduler, workers = _scheduler(settings, store, storage, dispatcher)
    services = Services(
        settings=settings,
        keys=KeyRing(keys),
        store=store,
        storage=storage,
        signer=UrlSigner(load_secret(settings.signing_secret, settings.data_dir)),
        scheduler=scheduler,
        check=check,
    )
    return services, workers


def _sweeper(services: Services) -> Sweeper:
    """Retention, and in Celery mode the re-dispatch of lost tasks: one process at a time."""
    extra: dict[str, Callable[[], object]] = {}
    redispatch = getattr(services.scheduler, "redispatch", None)
    if redispatch is not None:
        extra["redispatch"] = redispatch
    return Sweeper(
        services.store, services.storage, services.settings.sweep_interval_s, extra=extra
    )


def create_app(
    settings: Settings,
    *,
    dispatcher: Dispatcher | None = None,
    check: Callable[[AnyRequest], object] = pipeline.check,
) -> FastAPI:
    """The service: routes, auth, job store, storage and workers, from ``settings``."""
    services, workers = _services(settings, dispatcher, check)
    sweeper = _sweeper(services)
    webhooks = Webhooks(services)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Workers and sweeper run only while the server does; running renders finish first."""
        if isinstance(workers, ProcessDispatcher):
            threading.Thread(target=workers.warm, daemon=True).start()
        services.scheduler.start()
        sweeper.start()
        webhooks.start()
        yield
        webhooks.stop()
        sweeper.stop()
        services.scheduler.stop()
        if workers is not None:
            workers.close()
        services.store.engine.dispose()

    app = FastAPI(
        title="avatarsynth",
        version=__version__,
        lifespan=lifespan,
        description="Azure-compatible text-to-speech avatar batch synthesis, self-hosted.",
        docs_url=None,  # served by _openapi from local files
        redoc_url=None,
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
        webhooks_router,
    )
    for router in routers:
        app.include_router(router)

    _health.install(app)
    _console.install(app)
    _openapi.install(app)

    return app
