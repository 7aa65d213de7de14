"""Every result store's failures, counted for operators (``avatarsynth_storage_errors_total``).

A wrapper rather than a counter in each backend: one place sees every operation of whichever
store is configured. A missing file (``NotFound``) is an answer, not a failure of the store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from avatarsynth.errors import NotFound
from avatarsynth.storage._base import Download, Storage
from avatarsynth.telemetry import metrics

T = TypeVar("T")


class CountedStorage:
    """A :class:`Storage` that counts the failed operations of the one it wraps."""

    def __init__(self, inner: Storage) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        """Anything beyond the protocol (a backend's own helpers) is the inner store's."""
        return getattr(self.inner, name)

    def _counted(self, operation: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except NotFound:
            raise
        except Exception:
            metrics().storage_errors.labels(operation).inc()
            raise

    def put_file(self, key: str, source: Path) -> int:
        return self._counted("put", lambda: self.inner.put_file(key, source))

    def put_bytes(self, key: str, data: bytes) -> int:
        return self._counted("put", lambda: self.inner.put_bytes(key, data))

    def get_bytes(self, key: str) -> bytes:
        return self._counted("get", lambda: self.inner.get_bytes(key))

    def keys(self, prefix: str) -> list[str]:
        return self._counted("list", lambda: self.inner.keys(prefix))

    def local_copy(self, key: str, scratch: Path) -> Path:
        return self._counted("get", lambda: self.inner.local_copy(key, scratch))

    def delete_prefix(self, prefix: str) -> None:
        self._counted("delete", lambda: self.inner.delete_prefix(prefix))

    def presigned_url(self, key: str, ttl_s: int) -> str | None:
        return self._counted("presign", lambda: self.inner.presigned_url(key, ttl_s))

    def download(self, key: str, range_header: str | None) -> Download | Path:
        return self._counted("get", lambda: self.inner.download(key, range_header))

    def check(self) -> None:
        self._counted("check", self.inner.check)
