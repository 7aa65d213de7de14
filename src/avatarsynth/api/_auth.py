"""API keys: ``Ocp-Apim-Subscription-Key: <key>`` or ``Authorization: Bearer <key>``.

With no key configured the first start generates one and keeps it in the data directory: the
service never runs open. A job belongs to the hash of the key that created it.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path

from fastapi import Request

from avatarsynth.errors import Unauthorized
from avatarsynth.jobs import owner_of


def load_keys(configured: tuple[str, ...], data_dir: Path) -> tuple[tuple[str, ...], bool]:
    """The configured keys, else the generated one; the flag says it was generated now."""
    if configured:
        return configured, False
    path = data_dir / "api-key"
    if path.exists():
        return (path.read_text().strip(),), False
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(secrets.token_hex(16) + "\n")
    partial.chmod(0o600)
    partial.replace(path)
    return (path.read_text().strip(),), True


class KeyRing:
    """Checks a request's credential against the configured keys."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self._keys = keys

    def owner(self, request: Request) -> str:
        """The owner (key hash) of the request; raises ``Unauthorized``."""
        given = request.headers.get("ocp-apim-subscription-key", "").strip()
        if not given:  # an empty key header (some clients always send one) defers to Bearer
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            given = token.strip() if scheme.lower() == "bearer" else ""
        if not given:
            raise Unauthorized(
                "Missing credential: send Ocp-Apim-Subscription-Key or Authorization: Bearer."
            )
        for key in self._keys:
            if hmac.compare_digest(key.encode(), given.encode()):
                return owner_of(key)
        raise Unauthorized("Access denied: the key is not valid for this service.")
