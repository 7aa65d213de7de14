"""The api-version query parameter of the current API: required, and one of the known ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from avatarsynth.errors import InvalidRequest

API_VERSIONS = ("2024-08-01", "2024-04-15-preview")
"""Same shapes under both names; the preview name is what older Azure samples still send."""

ApiVersion = Annotated[str | None, Query(alias="api-version")]


def checked_version(value: str | None) -> str:
    """The version asked for; a missing or unknown one is a 400 (Azure answers the same)."""
    if value is None:
        raise InvalidRequest("The api-version query parameter is required.", target="api-version")
    if value not in API_VERSIONS:
        raise InvalidRequest(
            f"api-version '{value}' is not supported; use one of {', '.join(API_VERSIONS)}.",
            target="api-version",
        )
    return value
