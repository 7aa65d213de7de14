"""``/avatar/photos``: portraits registered as photo avatars, per API key (an extension: Azure
makes custom photo avatars through its portal, behind a consent process).

``PUT /avatar/photos/{name}`` with the image as the body (JPEG, PNG or WebP) checks and
registers it; ``GET /avatar/photos`` lists the key's portraits and the operator's shared ones,
each with a signed preview URL; ``DELETE`` removes one of the key's own. A job then uses it as
``talkingAvatarCharacter`` with ``photoAvatarBaseModel: "vasa-1"``. A portrait is the
operator's responsibility: registrations are logged, and the operator can turn them off
(``AVATARSYNTH_PORTRAIT_REGISTRATION=false``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from avatarsynth.api._services import OwnerDep, ServicesDep, read_body
from avatarsynth.errors import InvalidRequest, NotFound
from avatarsynth.photo import MAX_PORTRAIT_BYTES
from avatarsynth.portraits import Entry, portrait_name

router = APIRouter(prefix="/avatar/photos")


def _signed(name: str, owner: str) -> str:
    return f"portrait/{owner}/{name}"


def _entry(request: Request, services: ServicesDep, owner: str, entry: Entry) -> dict[str, Any]:
    query = services.signer.sign(_signed(entry.name, owner), services.settings.result_url_ttl_s)
    url = (
        f"{services.base_url(request)}/avatar/photos/{entry.name}/preview.png"
        f"?o={owner}&se={query['se']}&sig={query['sig']}"
    )
    return {"name": entry.name, "shared": entry.shared, "previewUrl": url}


@router.put("/{name}", status_code=201)
async def register(
    name: str, request: Request, services: ServicesDep, owner: OwnerDep
) -> dict[str, Any]:
    """Check the image and register it as ``name`` for this key; a 400 stores nothing."""
    data = await read_body(request, MAX_PORTRAIT_BYTES)
    if not data:
        raise InvalidRequest("Send the portrait image as the request body.", target="portrait")
    entry = await run_in_threadpool(services.portraits.register, owner, name, data)
    return _entry(request, services, owner, entry)


@router.get("")
def listing(request: Request, services: ServicesDep, owner: OwnerDep) -> dict[str, Any]:
    """The key's portraits, then the operator's shared ones."""
    entries = services.portraits.entries(owner)
    return {"photos": [_entry(request, services, owner, entry) for entry in entries]}


@router.get("/{name}")
def one(name: str, request: Request, services: ServicesDep, owner: OwnerDep) -> dict[str, Any]:
    """One portrait this key may use."""
    canonical = portrait_name(name)
    for entry in services.portraits.entries(owner):
        if entry.name == canonical:
            return _entry(request, services, owner, entry)
    raise NotFound(f"No portrait named '{name}' is available to this key.")


@router.delete("/{name}", status_code=204)
def delete(name: str, services: ServicesDep, owner: OwnerDep) -> Response:
    """Remove one of the key's own portraits."""
    services.portraits.delete(owner, name)
    return Response(status_code=204)


@router.get("/{name}/preview.png")
def preview(
    name: str,
    services: ServicesDep,
    o: Annotated[str, Query()] = "",
    se: Annotated[str, Query()] = "",
    sig: Annotated[str, Query()] = "",
) -> Response:
    """The framed portrait as PNG; a bad or expired signature is a 404."""
    if not services.signer.valid(_signed(name, o), se, sig):
        raise NotFound("The preview does not exist or its URL has expired.")
    try:
        return Response(services.portraits.preview(o, name), media_type="image/png")
    except (InvalidRequest, OSError) as exc:
        raise NotFound("The preview does not exist or its URL has expired.") from exc
