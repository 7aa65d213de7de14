"""A client of a running avatarsynth server, for the command line: the same public API any
Azure client uses (key header, api-version 2024-08-01), over the standard library's HTTP.

>>> server = Remote("http://127.0.0.1:8000", key)
>>> job = server.create("intro-01", avatar_body("Hello!", voice="en-US-AvaMultilingualNeural"))
>>> server.download(server.get("intro-01")["outputs"]["result"], Path("intro.mp4"))
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

API_VERSION = "2024-08-01"
FINISHED = ("Succeeded", "Failed")


class RemoteError(Exception):
    """What the server answered (its code and message), or why it could not be reached."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Remote:
    """One server and the key to use with it."""

    url: str
    key: str
    timeout_s: float = 60.0

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url.rstrip('/')}{path}",
            data=data,
            method=method,
            headers={"Ocp-Apim-Subscription-Key": self.key, "Content-Type": "application/json"},
        )
        with _translated(self.url), urllib.request.urlopen(request, timeout=self.timeout_s) as got:
            raw = got.read()
        return json.loads(raw) if raw else None

    def create(self, job_id: str, body: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = self._send("PUT", _job_path(job_id), body)
        return found

    def get(self, job_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._send("GET", _job_path(job_id))
        return found

    def jobs(self, count: int = 100) -> list[dict[str, Any]]:
        """The newest ``count`` jobs (at most one page of 100)."""
        page = self._send(
            "GET", f"/avatar/batchsyntheses?api-version={API_VERSION}&maxpagesize={count}"
        )
        found: list[dict[str, Any]] = page["value"]
        return found

    def delete(self, job_id: str) -> None:
        self._send("DELETE", _job_path(job_id))

    def characters(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._send("GET", "/avatar/characters")["characters"]
        return found

    def download(self, url: str, path: Path) -> int:
        """A result file (a signed URL: no key sent) into ``path``, whole or not at all."""
        partial = path.with_name(f".{path.name}.partial")
        with (
            _translated(url),
            urllib.request.urlopen(url, timeout=self.timeout_s) as answer,
            partial.open("wb") as out,
        ):
            shutil.copyfileobj(answer, out, 1 << 20)
        partial.replace(path)
        return path.stat().st_size


@contextmanager
def _translated(url: str) -> Iterator[None]:
    """urllib's failures as a ``RemoteError`` in the server's terms (one place)."""
    try:
        yield
    except urllib.error.HTTPError as exc:
        raise _server_error(exc) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        where = urllib.parse.urlsplit(url)
        raise RemoteError(
            "Unreachable", f"Cannot reach the server at {where.scheme}://{where.netloc}."
        ) from exc


def _server_error(exc: urllib.error.HTTPError) -> RemoteError:
    try:
        error = json.loads(exc.read())["error"]
        return RemoteError(error["code"], error["message"])
    except (ValueError, KeyError, TypeError):
        return RemoteError(f"HTTP{exc.code}", f"The server answered {exc.code} {exc.reason}.")


def _job_path(job_id: str) -> str:
    return f"/avatar/batchsyntheses/{urllib.parse.quote(job_id, safe='')}?api-version={API_VERSION}"


def new_job_id(now: datetime | None = None) -> str:
    """``cli-20260315-102823-1a2b``: sortable, readable, unique enough for one key."""
    moment = now or datetime.now(UTC)
    return f"cli-{moment:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:4]}"


def avatar_body(
    script: str,
    *,
    voice: str,
    character: str = "lisa",
    style: str | None = None,
    container: str = "mp4",
    codec: str | None = None,
    subtitles: str = "soft_embedded",
    background: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """A 2024-08-01 create body for one script: SSML when it starts with ``<speak``."""
    ssml = script.lstrip().startswith("<speak")
    avatar: dict[str, Any] = {
        "talkingAvatarCharacter": character,
        "videoFormat": container,
        "subtitleType": subtitles,
        **({"talkingAvatarStyle": style} if style else {}),
        **({"videoCodec": codec} if codec else {}),
    }
    if background:
        key = (
            "backgroundColor"
            if background.startswith("#") or background == "transparent"
            else "backgroundImage"
        )
        avatar[key] = background
    body: dict[str, Any] = {
        "inputKind": "SSML" if ssml else "PlainText",
        "inputs": [{"content": script}],
        "avatarConfig": avatar,
        **({} if ssml else {"synthesisConfig": {"voice": voice}}),
        **({"description": description} if description else {}),
    }
    return body
