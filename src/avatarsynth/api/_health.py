"""Liveness and readiness, for load balancers and orchestrators; neither needs a key.

``/healthz`` says only that the process answers. ``/readyz`` checks what a request needs: the
job database, the broker (Celery mode) and the result store; a 503 in Azure's error envelope
names what failed, so one probe tells an operator where to look.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from avatarsynth.api._errors import envelope
from avatarsynth.api._services import Services


def install(app: FastAPI) -> None:
    """Add both probes to the app."""

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Readiness: database, broker and result store answer (checked off the loop)."""
        services: Services = app.state.services
        failed = await run_in_threadpool(services.jobs.unready)
        if failed:
            return envelope(
                "ServiceUnavailable",
                f"Not ready: cannot reach the {', the '.join(failed)}.",
                target=",".join(failed),
            )
        return JSONResponse({"status": "ready"})
