"""Retention: a finished job and its files go at ``lastActionDateTime + timeToLiveInHours``."""

from __future__ import annotations

import logging
import threading

from avatarsynth.jobs._store import JobStore, utcnow
from avatarsynth.storage import Storage

_LOG = logging.getLogger(__name__)


def sweep(store: JobStore, storage: Storage) -> int:
    """Delete every expired job with its files; returns how many went."""
    expired = store.expired(utcnow())
    for job in expired:
        storage.delete_prefix(job.internal_id)
        store.remove(job.internal_id)
    if expired:
        _LOG.info("Retention removed %d expired job(s)", len(expired))
    return len(expired)


class Sweeper:
    """Runs :func:`sweep` every ``interval_s`` seconds in a background thread."""

    def __init__(self, store: JobStore, storage: Storage, interval_s: float) -> None:
        self.store, self.storage, self.interval_s = store, storage, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        """Start sweeping in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current sweep."""
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                sweep(self.store, self.storage)
            except Exception:  # a passing database error must not end retention for good
                _LOG.exception("Retention sweep failed")
