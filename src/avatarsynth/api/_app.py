"""``create_app(settings)``: the whole service, built from one settings object."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from avatarsynth import __version__, pipeline
from avatarsynth.api import _errors
from avatarsynth.api._auth import KeyRing, load_keys
from avatarsynth.api._request_id import RequestIdMiddleware
from avatarsynth.api._routes_batch import AUDIO, AVATAR, router_for
from avatarsynth.api._routes_files import router as files_router
from avatarsynth.api._routes_legacy import router as legacy_router
from avatarsynth.api._routes_voices import router as voices_router
from avatarsynth.api._services import Services
from avatarsynth.config import Settings
from avatarsynth.dispatch import Dispatcher, ProcessDispatcher
from avatarsynth.jobs import JobRunner, JobStore, Sweeper, clear_work_dir, open_database
from avatarsynth.pipeline import AnyRequest
from avatarsynth.storage import UrlSigner, load_secret, open_storage

_LOG = logging.getLogger("avatarsynth")


def _node_id(data_dir: Path) -> str:
    """A stable name for this installation, so a restart recognises its own running jobs."""
    path = data_dir / "node-id"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(str(uuid.uuid4()))
    return path.read_text().strip()


def _services(
    settings: Settings, dispatcher: Dispatcher, check: Callable[[AnyRequest], object]
) -> Services:
    keys, generated = load_keys(settings.api_keys, settings.data_dir)
    if generated:
        _LOG.warning(
            "Generated an API key (kept in %s): %s", settings.data_dir / "api-key", keys[0]
        )
    store = JobStore(open_database(settings.sqlalchemy_url))
    storage = open_storage(settings)
    work = settings.data_dir / "work"
    clear_work_dir(work)
    runner = JobRunner(
        store,
        storage,
        dispatcher,
        node=_node_id(settings.data_dir),
        work_dir=work,
        threads=settings.workers,
        lease_s=settings.lease_s,
    )
    return Services(
        settings=settings,
        keys=KeyRing(keys),
        store=store,
        storage=storage,
        signer=UrlSigner(load_secret(settings.signing_secret, settings.data_dir)),
        runner=runner,
        check=check,
    )


def create_app(
    settings: Settings,
    *,
    dispatcher: Dispatcher | None = None,
    check: Callable[[AnyRequest], object] = pipeline.validate,
) -> FastAPI:
    """The service: routes, auth, job store, storage and workers, from ``settings``."""
    workers = dispatcher or ProcessDispatcher(settings.workers)
    services = _services(settings, workers, check)
    sweeper = Sweeper(services.store, services.storage, settings.sweep_interval_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Workers and sweeper run only while the server does; running renders finish first."""
        if isinstance(workers, ProcessDispatcher):
            threading.Thread(target=workers.warm, daemon=True).start()
        services.runner.start()
        sweeper.start()
        yield
        sweeper.stop()
        services.runner.stop()
        workers.close()
        services.store.engine.dispose()

    app = FastAPI(
        title="avatarsynth",
        version=__version__,
        lifespan=lifespan,
        description="Azure-compatible text-to-speech avatar batch synthesis, self-hosted.",
    )
    app.state.services = services
    app.add_middleware(RequestIdMiddleware)
    _errors.install(app)
    routers = (router_for(AVATAR), router_for(AUDIO), legacy_router, files_router, voices_router)
    for router in routers:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness for load balancers and the e2e tests; needs no key."""
        return {"status": "ok"}

    return app
