"""Azure's error envelope for every failure, from one place.

``{"error": {"code", "message", "target"?}}`` with the status Azure uses for the code and an
``x-ms-error-code`` header equal to it. Errors the service explains (the ``AvatarsynthError``
tree) keep their message; anything else becomes a 500 without internals (``_request_id``, the
outermost layer of our own, catches it so that the 500 still carries a request id).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from avatarsynth.errors import AvatarsynthError, TooManyRequests

STATUS_OF = {
    "BadRequest": 400,
    "BadArgument": 400,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotFound": 404,
    "MethodNotAllowed": 405,
    "Conflict": 409,
    "UnsupportedMediaType": 415,
    "TooManyRequests": 429,
    "InternalServerError": 500,
    "ServiceUnavailable": 503,
}
_CODE_OF_STATUS = {404: "NotFound", 405: "MethodNotAllowed", 415: "UnsupportedMediaType"}


def envelope(
    code: str, message: str, target: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one way an error leaves the service."""
    error = {"code": code, "message": message}
    if target:
        error["target"] = target
    return JSONResponse(
        {"error": error},
        status_code=STATUS_OF.get(code, 500),
        headers={"x-ms-error-code": code, **(headers or {})},
    )


async def _known(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AvatarsynthError)
    headers = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, TooManyRequests) else None
    return envelope(exc.code, exc.message, exc.target, headers)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _CODE_OF_STATUS.get(exc.status_code, "BadRequest")
    message = "No such route." if exc.status_code == 404 else str(exc.detail)
    return envelope(code, message)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
    return envelope(
        "BadArgument", f"{where or 'The request'}: {first.get('msg', 'is invalid')}.", where
    )


def install(app: FastAPI) -> None:
    """Route every kind of failure to the envelope."""
    app.add_exception_handler(AvatarsynthError, _known)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
