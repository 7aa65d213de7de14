"""Secrets never reach a log line: one guard that every formatted line passes through.

Two nets. Known secrets (API keys, the URL-signing secret, S3 and broker credentials) are
registered at start-up and replaced wherever they appear, whatever the text around them. And
shapes that carry a credential whoever wrote them are masked: a signed URL's signature and
expiry-bound tokens (``sig=``, ``X-Amz-Signature=``, ``X-Amz-Credential=``, ``Signature=``,
an Azure SAS token's fields), a password in a URL (``scheme://user:password@host``) and a
subscription-key header. A library that logs a presigned URL or a broker URL is covered by the
second net; a key printed anywhere by the first.
"""

from __future__ import annotations

import re
import threading

MASK = "***"
_MIN_SECRET_CHARS = 6
"""Shorter "secrets" (a test's ``x``) would mask ordinary words: they are not registered."""

_SHAPES = (
    # Query parameters of signed URLs: ours (sig), S3 presigned, Azure SAS.
    re.compile(
        r"(?i)(?<![A-Za-z0-9_-])((?:sig|signature|x-amz-signature|x-amz-credential|"
        r"x-amz-security-token|awsaccesskeyid|sv|skoid|sktid|skt|ske|sks|skv)=)[^&\s\"'<>]+"
    ),
    # A password in a URL's user info.
    re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^:/@\s\"']*:)[^@\s\"'/]+(?=@)"),
    # A key sent as a header, as a client library may log it.
    re.compile(r"(?i)(ocp-apim-subscription-key[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
)

_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(*values: str) -> None:
    """Mask these values in every later log line (empty and very short ones are ignored)."""
    with _lock:
        _secrets.update(v for v in values if len(v) >= _MIN_SECRET_CHARS)


def redact(text: str) -> str:
    """``text`` with every registered secret and every credential-shaped field masked."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    for shape in _SHAPES:
        text = shape.sub(lambda match: match.group(1) + MASK, text)
    return text
