"""``GET /avatar/characters``: the avatars, their styles and gestures (an extension: Azure has
no way to list them). Preview images are served by signed URL, like results, so an ``<img>``
tag can show them without the key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from avatarsynth import avatar
from avatarsynth.api._services import OwnerDep, ServicesDep
from avatarsynth.errors import NotFound
from avatarsynth.video import EncodeOptions

router = APIRouter(prefix="/avatar/characters")
_DEFAULT = EncodeOptions()


def _preview_url(request: Request, services: ServicesDep, character: str, style: str) -> str:
    key = f"preview/{character}/{style}"
    query = services.signer.sign(key, services.settings.result_url_ttl_s)
    path = f"{character}/{style}" if style else character  # Azure's rowan… have no style
    return (
        f"{services.base_url(request)}/avatar/characters/{path}/preview.png"
        f"?se={query['se']}&sig={query['sig']}"
    )


def _style(request: Request, services: ServicesDep, character: str, style: str) -> dict[str, Any]:
    look = avatar.find_look(character, style)
    return {
        "name": style,
        "posture": look.posture,
        "gestures": sorted(look.gestures),
        "defaultResolution": {"width": _DEFAULT.width, "height": _DEFAULT.height},
        "previewUrl": _preview_url(request, services, character, style),
    }


@router.get("")
def characters(request: Request, services: ServicesDep, owner: OwnerDep) -> dict[str, Any]:
    """Every character with its styles; each style with its gestures and a preview image."""
    return {
        "characters": [
            {
                "name": name,
                "styles": [_style(request, services, name, style) for style in styles],
            }
            for name, styles in avatar.catalog().items()
        ]
    }


@router.get("/{character}/{style}/preview.png")
def preview(
    character: str,
    style: str,
    services: ServicesDep,
    se: Annotated[str, Query()] = "",
    sig: Annotated[str, Query()] = "",
) -> Response:
    """The style's still, 960×540 PNG; a bad or expired signature is a 404."""
    if not services.signer.valid(f"preview/{character}/{style}", se, sig):
        raise NotFound("The preview does not exist or its URL has expired.")
    return Response(avatar.preview_png(character, style), media_type="image/png")


@router.get("/{character}/preview.png")
def preview_without_style(
    character: str,
    services: ServicesDep,
    se: Annotated[str, Query()] = "",
    sig: Annotated[str, Query()] = "",
) -> Response:
    """The still of a character Azure gives no style (rowan, celine, nia, malik)."""
    return preview(character, "", services, se, sig)
