"""Result downloads by signed URL alone, like Azure's SAS URLs: no key needed (a key sent
anyway is ignored), HTTP range requests served, and 404 once the job is deleted or expired."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from avatarsynth.api._services import ServicesDep
from avatarsynth.errors import NotFound

router = APIRouter(prefix="/results")
_MEDIA_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "json": "application/json"}
Signature = Annotated[str, Query()]


def _authorised(services: ServicesDep, key: str, se: str, sig: str) -> None:
    """A bad, expired or foreign signature looks exactly like a missing file."""
    internal_id = key.split("/", 1)[0]
    if (
        not services.signer.valid(key, se, sig)
        or services.store.by_internal_id(internal_id) is None
    ):
        raise NotFound("The result does not exist or its URL has expired.")


@router.get("/{internal_id}/{name}")
def download(
    internal_id: str,
    name: str,
    request: Request,
    services: ServicesDep,
    se: Signature = "",
    sig: Signature = "",
) -> Response:
    """One result file, with ``Range`` requests (206) served: a local file by the file
    response, an S3 object by the store itself, streamed through."""
    key = f"{internal_id}/{name}"
    _authorised(services, key, se, sig)
    found = services.storage.download(key, request.headers.get("range"))
    media_type = _MEDIA_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    if isinstance(found, Path):
        return FileResponse(found, media_type=media_type, filename=name)
    headers = {**found.headers, "Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(
        found.chunks, status_code=found.status, headers=headers, media_type=media_type
    )


@router.get("/{internal_id}")
def folder(
    internal_id: str,
    request: Request,
    services: ServicesDep,
    se: Signature = "",
    sig: Signature = "",
) -> dict[str, Any]:
    """A job with several inputs: its files, each with its own signed URL."""
    _authorised(services, internal_id, se, sig)
    files = services.storage.keys(internal_id)
    return {
        "files": [
            {"name": key.rsplit("/", 1)[-1], "url": services.result_url(request, key)}
            for key in files
        ]
    }
