"""Result URLs that carry their own permission, like Azure's SAS URLs.

A URL names a key, an expiry (``se``, Unix seconds) and an HMAC-SHA256 signature of both
(``sig``). Anyone holding the URL may GET the file until it expires or the job is deleted;
nobody can forge one for another key or a later expiry without the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from pathlib import Path


def load_secret(configured: str, data_dir: Path) -> bytes:
    """The configured secret, else one generated once and kept in the data directory."""
    if configured:
        return configured.encode()
    path = data_dir / "signing-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(secrets.token_urlsafe(32))
        partial.chmod(0o600)
        partial.replace(path)
    return path.read_text().strip().encode()


class UrlSigner:
    """Signs and checks (key, expiry) pairs."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _digest(self, key: str, expires: int) -> str:
        mac = hmac.new(self._secret, f"{key}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")

    def derive(self, purpose: str) -> str:
        """Another secret for ``purpose`` (say, one owner's webhooks), so one stored secret
        serves every use and none reveals another."""
        return hmac.new(self._secret, f"derive:{purpose}".encode(), hashlib.sha256).hexdigest()

    def sign(self, key: str, ttl_s: int, now: float | None = None) -> dict[str, str]:
        """Query parameters that allow a GET of ``key`` for ``ttl_s`` seconds."""
        expires = int((time.time() if now is None else now) + ttl_s)
        return {"se": str(expires), "sig": self._digest(key, expires)}

    def valid(self, key: str, se: str, sig: str, now: float | None = None) -> bool:
        """Whether the signature is ours and not expired (compared in constant time)."""
        if not (se.isascii() and se.isdigit()):  # "²" is a digit to isdigit, not to int
            return False
        expires = int(se)
        fresh = expires >= (time.time() if now is None else now)
        return fresh and hmac.compare_digest(self._digest(key, expires), sig)
