"""What every result store offers: the jobs and the API see only this.

Keys are relative paths of safe segments (``{job}/0001.mp4``); anything that could climb out of
the store's root is refused before any backend sees it. Writes are atomic in every backend: a
file appears whole or not at all, so a redelivered render overwrites its own output and a
crash never leaves a truncated video behind a result URL.

A segment starting with a dot (``{job}/.chunks/…``) is *hidden*: work in progress that
workers share (a long video's chunk segments in Celery mode). Hidden keys are written, read
and deleted like any other, but never listed by :meth:`Storage.keys` and never served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from avatarsynth.errors import NotFound

_SEGMENT = re.compile(r"^\.?[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def checked(key: str) -> tuple[str, ...]:
    """A key's segments; ``NotFound`` for anything that is not a plain relative path."""
    parts = tuple(key.split("/"))
    if not parts or any(not _SEGMENT.match(p) or ".." in p for p in parts):
        raise NotFound(f"No result file '{key}'.")
    return parts


def hidden(key: str) -> bool:
    """Whether a key is work in progress (a segment starts with a dot): never listed."""
    return any(part.startswith(".") for part in key.split("/"))


def served(key: str) -> tuple[str, ...]:
    """A key's segments if it may be downloaded; ``NotFound`` for hidden ones too."""
    parts = checked(key)
    if hidden(key):
        raise NotFound(f"No result file '{key}'.")
    return parts


@dataclass(frozen=True)
class Download:
    """A result file (or the asked-for range of it) as the API streams it to a client."""

    status: int
    chunks: Iterator[bytes]
    headers: dict[str, str] = field(default_factory=dict)


class Storage(Protocol):
    """A store of result files: a local directory or an S3-compatible bucket."""

    def put_file(self, key: str, source: Path) -> int:
        """Move ``source`` into the store under ``key`` (the source is consumed); its size."""
        ...

    def put_bytes(self, key: str, data: bytes) -> int:
        """Write ``data`` under ``key`` atomically; its size."""
        ...

    def get_bytes(self, key: str) -> bytes:
        """A whole (small) file: summaries, timings, files packed into results.zip."""
        ...

    def keys(self, prefix: str) -> list[str]:
        """Every key under a folder prefix, sorted (hidden ones left out)."""
        ...

    def local_copy(self, key: str, scratch: Path) -> Path:
        """A local file with the key's contents, for code that reads files (delivery to a
        caller's container): the file itself, or a download into the ``scratch`` folder."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Remove a job's folder and everything in it, hidden keys too (absent is fine)."""
        ...

    def presigned_url(self, key: str, ttl_s: int) -> str | None:
        """A URL the store itself serves for ``ttl_s`` seconds, or ``None`` when result URLs
        are the API's own (it then streams the file, see :meth:`download`)."""
        ...

    def download(self, key: str, range_header: str | None) -> Download | Path:
        """The file for an HTTP GET: a local path (the API's file response serves ranges), or
        a stream honouring the ``Range`` header; ``NotFound`` if absent."""
        ...

    def check(self) -> None:
        """Raise if the store cannot be reached (readiness probes)."""
        ...
