"""Results written into the caller's Azure Blob Storage container (``destinationContainerUrl``).

The caller gives a container URL with a SAS token that allows writing; each result file is
uploaded to ``{destinationPath}/{job id}/{file}`` with plain Blob REST calls (Put Blob, or Put
Block and Put Block List for files too large for one request), so no Azure SDK is needed. The
URL is the caller's, so it is treated like a background image URL: https to public addresses
only, unless the operator allows otherwise (``avatarsynth.fetch``). Transient failures are
retried; a container that refuses the writes fails the job with the storage service's answer.
"""

from __future__ import annotations

import base64
import http.client
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from avatarsynth.errors import DeliveryError, InvalidRequest
from avatarsynth.fetch import FetchPolicy, check_source, connect

API_VERSION = "2021-08-06"
_BLOCK_BYTES = 8 * 1024 * 1024
_SINGLE_PUT_BYTES = 32 * 1024 * 1024
_ATTEMPTS = 3
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,200}$")
_TYPES = {
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".jpg": "image/jpeg",
    ".json": "application/json",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
}


@dataclass(frozen=True)
class Destination:
    """A container SAS URL and the folder inside it (``destinationPath``, may be empty)."""

    container_url: str
    path: str = ""

    def folder(self, job_id: str) -> str:
        """Where a job's files go, relative to the container: what ``outputs.result`` names."""
        return f"{self.path}/{job_id}" if self.path else job_id

    def blob_url(self, name: str) -> str:
        """The URL of one blob: the container's path, the blob name, then the SAS query."""
        parts = urlsplit(self.container_url)
        path = f"{parts.path.rstrip('/')}/{quote(name)}"
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def check_destination(container_url: str, path: str, policy: FetchPolicy) -> None:
    """Refuse before the job runs what can never be written to; raises ``InvalidRequest``."""
    check_source(container_url, policy)
    parts = urlsplit(container_url)
    if not parts.query or "sig=" not in parts.query:
        raise InvalidRequest(
            "destinationContainerUrl needs a SAS token (…?sv=…&sig=…) that allows writing."
        )
    if path and not all(_SEGMENT.match(part) for part in path.split("/")):
        raise InvalidRequest(
            "destinationPath must be folder names (letters, digits, '.', '-', '_', spaces) "
            "joined by '/', with no '..' and no leading '/'."
        )


def _send(url: str, policy: FetchPolicy, body: bytes, headers: dict[str, str]) -> None:
    """One PUT, retried on connection errors and 5xx answers."""
    for attempt in range(_ATTEMPTS):
        connection, target = connect(url, policy)
        try:
            connection.request("PUT", target, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(2048).decode("utf-8", "replace")
            if response.status in (200, 201):
                return
            if response.status < 500:
                raise DeliveryError(
                    f"The destination container refused a write (HTTP {response.status}): "
                    f"{_error_code(answer)}",
                    status=response.status,
                )
        except (OSError, http.client.HTTPException) as exc:
            if attempt == _ATTEMPTS - 1:
                raise DeliveryError(f"Could not reach the destination container: {exc}") from exc
        finally:
            connection.close()
        time.sleep(0.5 * 2**attempt)
    raise DeliveryError("The destination container kept failing (HTTP 5xx).")


def _error_code(answer: str) -> str:
    found = re.search(r"<Code>([^<]+)</Code>", answer)
    return found.group(1) if found else answer[:200]


def _upload(url: str, source: Path, policy: FetchPolicy) -> None:
    size = source.stat().st_size
    kind = _TYPES.get(source.suffix.lower(), "application/octet-stream")
    common = {"x-ms-version": API_VERSION}
    if size <= _SINGLE_PUT_BYTES:
        headers = {**common, "x-ms-blob-type": "BlockBlob", "x-ms-blob-content-type": kind}
        _send(url, policy, source.read_bytes(), headers)
        return
    ids: list[str] = []
    with source.open("rb") as file:
        while block := file.read(_BLOCK_BYTES):
            block_id = base64.b64encode(f"{len(ids):08d}".encode()).decode()
            _send(f"{url}&comp=block&blockid={quote(block_id)}", policy, block, common)
            ids.append(block_id)
    listing = "".join(f"<Latest>{block_id}</Latest>" for block_id in ids)
    body = f'<?xml version="1.0" encoding="utf-8"?><BlockList>{listing}</BlockList>'.encode()
    _send(f"{url}&comp=blocklist", policy, body, {**common, "x-ms-blob-content-type": kind})


def deliver(
    destination: Destination, job_id: str, files: Iterable[tuple[str, Path]], policy: FetchPolicy
) -> str:
    """Upload every (name, file) into the job's folder; returns that folder."""
    folder = destination.folder(job_id)
    for name, source in files:
        _upload(destination.blob_url(f"{folder}/{name}"), source, policy)
    return folder
