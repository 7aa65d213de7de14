"""Result files in a local directory (the embedded default).

Writes go to a temporary name and are renamed into place, which is atomic on one file system.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from avatarsynth.errors import NotFound
from avatarsynth.storage._base import checked, served


class LocalStorage:
    """A directory tree of result files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*checked(key))

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

    def local_copy(self, key: str, scratch: Path) -> Path:
        """The file itself: no copy needed."""
        return self.local_path(key)

    def get_bytes(self, key: str) -> bytes:
        """A whole file's bytes."""
        return self.local_path(key).read_bytes()

    def keys(self, prefix: str) -> list[str]:
        """Every key under a folder prefix, sorted; hidden files and folders (partial writes,
        work in progress) are left out."""
        folder = self._path(prefix)
        if not folder.is_dir():
            return []
        found = (p.relative_to(folder).parts for p in folder.rglob("*") if p.is_file())
        return sorted(
            "/".join((prefix, *parts))
            for parts in found
            if not any(part.startswith(".") for part in parts)
        )

    def delete_prefix(self, prefix: str) -> None:
        """Remove a job's folder and everything in it (absent is fine)."""
        shutil.rmtree(self._path(prefix), ignore_errors=True)

    def presigned_url(self, key: str, ttl_s: int) -> str | None:
        """A directory has no URLs of its own: the API serves its files (never hidden ones)."""
        served(key)
        return None

    def download(self, key: str, range_header: str | None) -> Path:
        """The file itself: the API's file response serves its ranges (never a hidden one)."""
        served(key)
        return self.local_path(key)

    def check(self) -> None:
        """The root must exist (or be creatable) and be writable."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise OSError(f"{self.root} is not writable")
