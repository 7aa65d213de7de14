"""Result files in a local directory (the embedded default).

Keys are relative paths of safe segments (``{job}/0001.mp4``); anything that could climb out of
the root is refused before the file system sees it. Writes are atomic: a file appears whole or
not at all, so a crash mid-write never leaves a truncated video behind a signed URL.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

from avatarsynth.errors import NotFound

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _checked(key: str) -> tuple[str, ...]:
    parts = tuple(key.split("/"))
    if not parts or any(not _SEGMENT.match(p) or ".." in p for p in parts):
        raise NotFound(f"No result file '{key}'.")
    return parts


class LocalStorage:
    """A directory tree of result files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*_checked(key))

    def put_file(self, key: str, source: Path) -> int:
        """Move ``source`` into place under ``key``; return its size."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        shutil.move(source, partial)
        os.replace(partial, target)
        return target.stat().st_size

    def put_bytes(self, key: str, data: bytes) -> int:
        """Write ``data`` under ``key`` atomically; return its size."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.partial")
        partial.write_bytes(data)
        os.replace(partial, target)
        return len(data)

    def local_path(self, key: str) -> Path:
        """The file behind ``key``; raises ``NotFound`` when there is none."""
        path = self._path(key)
        if not path.is_file():
            raise NotFound(f"No result file '{key}'.")
        return path

    def keys(self, prefix: str) -> list[str]:
        """Every key under a folder prefix, sorted."""
        folder = self._path(prefix)
        if not folder.is_dir():
            return []
        return sorted(
            "/".join((prefix, *p.relative_to(folder).parts))
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )

    def delete_prefix(self, prefix: str) -> None:
        """Remove a job's folder and everything in it (absent is fine)."""
        shutil.rmtree(self._path(prefix), ignore_errors=True)
