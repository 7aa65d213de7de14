"""A failed store operation is counted for operators; a missing file is not a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from avatarsynth.errors import NotFound
from avatarsynth.storage import CountedStorage, LocalStorage
from avatarsynth.telemetry import metrics


def _errors(operation: str) -> float:
    return metrics().storage_errors.labels(operation)._value.get()


def test_failures_are_counted_by_operation_and_missing_files_are_not(tmp_path: Path) -> None:
    blocked = tmp_path / "results"
    blocked.write_text("a file where the store's folder should be")
    storage = CountedStorage(LocalStorage(blocked))
    puts, gets = _errors("put"), _errors("get")
    with pytest.raises(OSError):
        storage.put_bytes("job/summary.json", b"{}")
    assert _errors("put") == puts + 1
    working = CountedStorage(LocalStorage(tmp_path / "other"))
    with pytest.raises(NotFound):
        working.get_bytes("job/missing.json")
    assert _errors("get") == gets
    assert working.put_bytes("job/a.json", b"{}") == 2 and working.get_bytes("job/a.json") == b"{}"
