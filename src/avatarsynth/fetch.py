"""Files a request points at (``backgroundImage``), fetched without trusting the address.

A URL in a request makes the server open a connection, so it must not reach what the caller
could not reach themselves: by default only ``https`` is allowed, and every address the host
name resolves to must be public (no loopback, private, link-local or metadata addresses). The
connection goes to the address that was checked, so a DNS answer that changes between the check
and the connection (rebinding) cannot redirect it. Redirects are followed a few times, each hop
checked again. Sizes are capped while reading, not only by ``Content-Length``.

A name without a scheme (``office.png``) is a file in the configured background folder; it may
not climb out of it.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from avatarsynth.errors import FetchError, InvalidRequest

_REDIRECTS = 3
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """What the server may fetch: set by the operator (``AVATARSYNTH_FETCH_*``)."""

    allow_http: bool = False
    allow_private: bool = False
    local_dir: Path | None = None
    max_bytes: int = 20 * 1024 * 1024
    timeout_s: float = 15.0


SAFE = FetchPolicy()
"""The policy when the operator sets none: https to public addresses only, no local folder."""


def _local_path(source: str, policy: FetchPolicy) -> Path:
    if policy.local_dir is None:
        raise InvalidRequest(
            f"'{source}' is not an http(s) URL, and no local background folder is configured "
            "(AVATARSYNTH_BACKGROUND_DIR)."
        )
    relative = PurePosixPath(source)
    if relative.is_absolute() or ".." in relative.parts or "\\" in source or not relative.parts:
        raise InvalidRequest(f"'{source}' must be a file name inside the background folder.")
    root = policy.local_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise InvalidRequest(f"'{source}' must be a file name inside the background folder.")
    return path


def check_source(source: str, policy: FetchPolicy) -> None:
    """Refuse, before any connection, what can never be fetched; raises ``InvalidRequest``."""
    parts = urlsplit(source)
    if not parts.scheme:
        _local_path(source, policy)
        return
    allowed = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme.lower() not in allowed:
        raise InvalidRequest(
            f"'{source}': only {' and '.join(allowed)} URLs can be fetched "
            "(or a file name in the configured background folder)."
        )
    if not parts.hostname:
        raise InvalidRequest(f"'{source}' has no host name.")
    if parts.username or parts.password:
        raise InvalidRequest(f"'{source}': credentials in URLs are not accepted; use a SAS URL.")
    if not policy.allow_private and _plainly_private(parts.hostname):
        raise InvalidRequest(f"'{source}' names a private or local address.")


def _plainly_private(host: str) -> bool:
    """A host that is private without asking DNS: an IP literal or ``localhost``. (Names are
    resolved and checked again when connecting.)"""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def _public_address(host: str, port: int, policy: FetchPolicy) -> str:
    """The first address of ``host``, once every address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"Cannot resolve '{host}': {exc.strerror}.") from exc
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if not policy.allow_private and not ipaddress.ip_address(address).is_global:
            raise FetchError(
                f"'{host}' resolves to {address}, a private or local address; the server does "
                "not fetch from its own network."
            )
    return addresses[0]


class _Pinned(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedPlain(http.client.HTTPConnection):
    """Plain HTTP to a checked address (only when the policy allows http)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _read(response: http.client.HTTPResponse, source: str, limit: int) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"'{source}' is {int(declared)} bytes; the limit is {limit}.")
    body = bytearray()
    while chunk := response.read(_CHUNK):
        body += chunk
        if len(body) > limit:
            raise FetchError(f"'{source}' is larger than the limit of {limit} bytes.")
    return bytes(body)


def connect(url: str, policy: FetchPolicy) -> tuple[http.client.HTTPConnection, str]:
    """A connection to the checked address of ``url``'s host, and the request target (path and
    query); raises ``FetchError`` for a host the policy does not allow."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme.lower() == "https"
    port = parts.port or (443 if secure else 80)
    address = _public_address(host, port, policy)
    kind = _Pinned if secure else _PinnedPlain
    path = parts.path or "/"
    return kind(
        host, port, address, policy.timeout_s
    ), f"{path}?{parts.query}" if parts.query else path


def _get(url: str, policy: FetchPolicy) -> tuple[int, str | None, bytes]:
    """One GET: (status, Location, body for a 200)."""
    connection, target = connect(url, policy)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        body = _read(response, url, policy.max_bytes) if response.status == 200 else b""
        return response.status, response.getheader("Location"), body
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"Could not fetch '{url}': {exc}.") from exc
    finally:
        connection.close()


def fetch(source: str, policy: FetchPolicy) -> bytes:
    """The bytes at ``source`` (a URL, or a name in the local folder); raises ``FetchError``."""
    try:
        check_source(source, policy)
        if not urlsplit(source).scheme:
            return _read_local(_local_path(source, policy), source, policy.max_bytes)
    except InvalidRequest as exc:
        raise FetchError(str(exc)) from exc
    url = source
    for _ in range(_REDIRECTS + 1):
        status, location, body = _get(url, policy)
        if status == 200:
            return body
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            try:
                check_source(url, policy)
            except InvalidRequest as exc:
                raise FetchError(f"Redirected to a URL that cannot be fetched: {exc}") from exc
            continue
        raise FetchError(f"Fetching '{url}' answered HTTP {status}.")
    raise FetchError(f"Fetching '{source}' was redirected more than {_REDIRECTS} times.")


def _read_local(path: Path, source: str, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise FetchError(f"'{source}' is {size} bytes; the limit is {limit}.")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"'{source}' is not in the background folder.") from exc
