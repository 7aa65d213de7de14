"""Every response carries a fresh ``apim-request-id``, errors of our own making included; every
request is counted, timed and logged under that id.

A pure ASGI middleware rather than an exception handler for ``Exception``: Starlette answers
those from its outermost middleware, past anything that could add the header, and Azure's C#
sample crashes on an error without it. So this layer is both the request id and the last net
that turns an unexpected exception into the envelope (a 500 with no internals). Being
outermost, it also sees every request's route, status and time to the last byte: the HTTP
metrics and the access log line (the path without its query string, which may hold a
signature) come from here, and every line logged while the request runs carries its id.
"""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from avatarsynth.api._errors import envelope
from avatarsynth.telemetry import bind, metrics

_LOG = logging.getLogger(__name__)
_ACCESS = logging.getLogger("avatarsynth.access")


class RequestIdMiddleware:
    """Adds ``apim-request-id`` to every HTTP response and turns crashes into the envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        started, status = time.perf_counter(), 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal response_started, status
            if message["type"] == "http.response.start":
                response_started, status = True, message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"apim-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        with bind(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                _LOG.exception("Unhandled error on %s %s", scope.get("method"), scope.get("path"))
                if response_started:  # the status line is out: all we can do is cut it short
                    raise
                response = envelope(
                    "InternalServerError", "The service failed to handle the request."
                )
                await response(scope, receive, send_with_id)
            finally:
                _observe(scope, status, time.perf_counter() - started)


def _observe(scope: Scope, status: int, duration_s: float) -> None:
    """Count, time and log one answered request under its route's template."""
    route = getattr(scope.get("route"), "path", None) or "unmatched"
    method = scope.get("method", "")
    metrics().http_requests.labels(route, method, str(status)).inc()
    metrics().http_latency.labels(route, method).observe(duration_s)
    _ACCESS.info(
        "%s %s %d in %.4f s",
        method,
        scope.get("path"),
        status,
        duration_s,
        extra={"route": route, "status": status, "duration_s": round(duration_s, 5)},
    )
