"""The OpenAPI document with the real bodies, and ``/docs`` served from this process.

The routes read raw JSON (case-insensitive names, as Azure does) and write plain dicts, so
FastAPI alone would document every body as ``{}`` and a 422 that is never sent. Here each
route gets its request body, its success response and an error envelope on every error status
from ``_schemas``, in one table beside the routes it describes; a test holds the running app
to it. ``/docs`` is Swagger UI from the ``fastapi-offline`` package's files (the service runs
offline; FastAPI's own page loads Swagger UI from a CDN).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from avatarsynth.api import _schemas as s
from avatarsynth.api._routes_batch import AUDIO, AVATAR
from avatarsynth.api._routes_legacy import PREFIX as LEGACY

_SWAGGER_FILES = Path(fastapi_offline.__file__).parent / "static"
_ERROR_TEXT = {
    400: "Bad request: a missing or unsupported api-version, or a field that is wrong (target "
    "names it).",
    401: "Missing or wrong key.",
    404: "No such job, operation or file (or its URL expired).",
    409: "The id exists with another body.",
    429: "Too many unfinished jobs; see Retry-After.",
    500: "An unexpected failure (with a request id to report).",
}
_AUTH: list[dict[str, list[str]]] = [{"apiKey": []}, {"bearer": []}]
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@dataclass(frozen=True)
class Doc:
    """What one route takes and answers."""

    status: int
    answer: type[BaseModel] | dict[str, Any] | None
    """A model (JSON), media types to binary content, or None (no body)."""
    errors: tuple[int, ...]
    body: type[BaseModel] | dict[str, Any] | None = None
    """A model (JSON), or media types to binary content."""
    example: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: bool = True


_FILES = {t: _BINARY for t in ("video/mp4", "video/webm", "application/json", "*/*")}
_IMAGES = {t: _BINARY for t in ("image/jpeg", "image/png", "image/webp")}
_CREATED = {"Operation-Id": "The operation's id.", "Operation-Location": "Its absolute URL."}


def _batch(
    prefix: str,
    create: type[BaseModel],
    job: type[BaseModel],
    page: type[BaseModel],
    example: dict[str, Any] | None,
) -> dict[tuple[str, str], Doc]:
    one = f"{prefix}/batchsyntheses/{{job_id}}"
    return {
        ("put", one): Doc(201, job, (400, 401, 409, 429, 500), create, example, _CREATED),
        ("get", one): Doc(200, job, (400, 401, 404, 500)),
        ("delete", one): Doc(204, None, (400, 401, 404, 500)),
        ("get", f"{prefix}/batchsyntheses"): Doc(200, page, (400, 401, 500)),
        ("get", f"{prefix}/operations/{{operation_id}}"): Doc(
            200, s.Operation, (400, 401, 404, 500)
        ),
    }


DOCS: dict[tuple[str, str], Doc] = {
    **_batch(AVATAR.prefix, s.AvatarJobCreate, s.AvatarJob, s.AvatarJobList, s.EXAMPLE_CREATE),
    **_batch(AUDIO.prefix, s.AudioJobCreate, s.AudioJob, s.AudioJobList, None),
    ("post", LEGACY): Doc(
        201, s.LegacyJob, (400, 401, 429, 500), s.LegacyJobCreate, headers={"Location": "Job URL."}
    ),
    ("get", LEGACY): Doc(200, s.LegacyJobList, (400, 401, 500)),
    ("get", f"{LEGACY}/{{job_id}}"): Doc(200, s.LegacyJob, (401, 404, 500)),
    ("delete", f"{LEGACY}/{{job_id}}"): Doc(204, None, (401, 404, 500)),
    ("get", "/cognitiveservices/voices/list"): Doc(200, s.VoiceEntry, (401, 500)),
    ("get", "/avatar/characters"): Doc(200, s.Characters, (401, 500)),
    ("get", "/avatar/webhooks/secret"): Doc(200, s.WebhookSecret, (401, 500)),
    ("put", "/avatar/photos/{name}"): Doc(201, s.Portrait, (400, 401, 500), _IMAGES),
    ("get", "/avatar/photos"): Doc(200, s.Portraits, (401, 500)),
    ("get", "/avatar/photos/{name}"): Doc(200, s.Portrait, (400, 401, 404, 500)),
    ("delete", "/avatar/photos/{name}"): Doc(204, None, (400, 401, 404, 500)),
    ("get", "/avatar/photos/{name}/preview.png"): Doc(
        200, {"image/png": _BINARY}, (404, 500), auth=False
    ),
    ("get", "/avatar/characters/{character}/{style}/preview.png"): Doc(
        200, {"image/png": _BINARY}, (404, 500), auth=False
    ),
    ("get", "/avatar/characters/{character}/preview.png"): Doc(
        200, {"image/png": _BINARY}, (404, 500), auth=False
    ),
    ("get", "/results/{internal_id}/{name}"): Doc(200, _FILES, (404, 500), auth=False),
    ("get", "/results/{internal_id}"): Doc(200, s.ResultFolder, (404, 500), auth=False),
}
"""Every route in the schema; a route missing here is a test failure, not a silent ``{}``."""

_UNDOCUMENTED = Doc(200, {"application/json": {"schema": {}}}, (400, 401, 404, 500))
"""A route added without an entry above: still in the document (the test names it)."""

_LISTS = {"/cognitiveservices/voices/list"}
"""Routes whose answer is a JSON array of the model."""


_TAGS = (
    (f"{AVATAR.prefix}/characters", "Avatars and voices"),
    (f"{AVATAR.prefix}/webhooks", "Webhooks"),
    (f"{AVATAR.prefix}/photos", "Avatars and voices"),
    ("/cognitiveservices", "Avatars and voices"),
    (f"{AVATAR.prefix}/", "Avatar batch synthesis, 2024-08-01"),
    (f"{AUDIO.prefix}/", "Audio batch synthesis, 2024-04-01"),
    (LEGACY, "Talking avatar, 3.1-preview1"),
    ("/results", "Result files (signed URLs, no key)"),
)
"""Swagger UI's sections, by path prefix (the first that matches)."""

Refs = dict[str, dict[str, Any]]
"""Each model's ``$ref`` by its name."""


def _model_schemas() -> tuple[Refs, dict[str, Any]]:
    models = {doc.answer for doc in DOCS.values() if isinstance(doc.answer, type)}
    models |= {doc.body for doc in DOCS.values() if isinstance(doc.body, type)}
    models.add(s.ErrorEnvelope)
    refs, top = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    return {model.__name__: ref for (model, _), ref in refs.items()}, top.get("$defs", {})


def _answer(doc: Doc, path: str, refs: Refs) -> dict[str, Any]:
    if doc.answer is None:
        return {"description": "Done; no body."}
    if isinstance(doc.answer, dict):
        return {"description": "The file.", "content": doc.answer}
    schema = refs[doc.answer.__name__]
    if path in _LISTS:
        schema = {"type": "array", "items": schema}
    return {
        "description": doc.answer.__doc__ or "OK",
        "content": {"application/json": {"schema": schema}},
    }


def _responses(doc: Doc, path: str, refs: Refs) -> dict[str, Any]:
    ok = _answer(doc, path, refs)
    if doc.headers:
        ok["headers"] = {
            n: {"description": d, "schema": {"type": "string"}} for n, d in doc.headers.items()
        }
    responses: dict[str, Any] = {str(doc.status): ok}
    if path.startswith("/results/") and doc.answer is _FILES:
        responses["206"] = {"description": "The requested range.", "content": _FILES}
    envelope = {"schema": refs[s.ErrorEnvelope.__name__]}
    error_headers = {
        "x-ms-error-code": {"description": "Equals error.code.", "schema": {"type": "string"}}
    }
    for status in doc.errors:
        responses[str(status)] = {
            "description": _ERROR_TEXT[status],
            "headers": error_headers,
            "content": {"application/json": envelope},
        }
    return responses


def _document(operation: dict[str, Any], doc: Doc, path: str, refs: Refs) -> None:
    operation["responses"] = _responses(doc, path, refs)
    operation["tags"] = [next(tag for prefix, tag in _TAGS if path.startswith(prefix))]
    if isinstance(doc.body, dict):
        operation["requestBody"] = {"required": True, "content": doc.body}
    elif doc.body is not None:
        content: dict[str, Any] = {"schema": refs[doc.body.__name__]}
        if doc.example is not None:
            content["example"] = doc.example
        operation["requestBody"] = {"required": True, "content": {"application/json": content}}
    if doc.auth:
        operation["security"] = _AUTH
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "api-version":
            versions = AVATAR.versions if path.startswith(AVATAR.prefix) else AUDIO.versions
            parameter["required"] = True
            parameter["schema"] = {"type": "string", "enum": list(versions)}


def build(app: FastAPI) -> dict[str, Any]:
    """The document, built once: FastAPI's paths and parameters, our bodies and errors."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    refs, defs = _model_schemas()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            _document(operation, DOCS.get((method, path), _UNDOCUMENTED), path, refs)
    components = schema.setdefault("components", {})
    components["schemas"] = defs
    components["securitySchemes"] = {
        "apiKey": {"type": "apiKey", "in": "header", "name": "Ocp-Apim-Subscription-Key"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    app.openapi_schema = schema
    return schema


def install(app: FastAPI) -> None:
    """``/openapi.json`` with the bodies, ``/docs`` from local files."""
    app.openapi = lambda: build(app)  # type: ignore[method-assign]
    app.mount("/docs/static", StaticFiles(directory=_SWAGGER_FILES), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} API",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/console/icon.svg",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
