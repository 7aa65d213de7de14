"""The web console at ``/``: plain HTML, CSS and JavaScript shipped in the package (no build
step), a client of the public API like any other. It keeps the key in the tab's session
storage and sends it as ``Ocp-Apim-Subscription-Key``; the page itself needs no key."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

_FILES = Path(__file__).parent / "console"
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; "
    "img-src 'self' data: blob: https:; media-src 'self' blob: https:; connect-src 'self' https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
"""Scripts, styles and fonts from this server only (the service runs offline); result files
may come from an S3 store's presigned URLs, so media and images may also be https."""


def install(app: FastAPI) -> None:
    """Serve the console's page at ``/`` and its files under ``/console/``."""

    @app.get("/", include_in_schema=False)
    def console() -> FileResponse:
        return FileResponse(
            _FILES / "index.html",
            headers={"Content-Security-Policy": _POLICY, "Cache-Control": "no-cache"},
        )

    app.mount("/console", StaticFiles(directory=_FILES), name="console")
