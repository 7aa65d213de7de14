"""Every response carries a fresh ``apim-request-id``, errors of our own making included.

A pure ASGI middleware rather than an exception handler for ``Exception``: Starlette answers
those from its outermost middleware, past anything that could add the header, and Azure's C#
sample crashes on an error without it. So this layer is both the request id and the last net
that turns an unexpected exception into the envelope (a 500 with no internals).
"""

from __future__ import annotations

import logging
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from avatarsynth.api._errors import envelope

_LOG = logging.getLogger(__name__)


class RequestIdMiddleware:
    """Adds ``apim-request-id`` to every HTTP response and turns crashes into the envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4()).encode()
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"apim-request-id", request_id))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            _LOG.exception("Unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # the status line is out; all we can do is cut the response short
                raise
            response = envelope("InternalServerError", "The service failed to handle the request.")
            await response(scope, receive, send_with_id)
