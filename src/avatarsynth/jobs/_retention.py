"""Retention and other periodic work, run by every API process but by one at a time.

A finished job and its files go at ``lastActionDateTime + timeToLiveInHours``. Each kind of
periodic work is guarded by a lease row in the database (``JobStore.try_lock``): with several
API processes in front of one database, whoever holds the row runs the work and the others
skip that round. A holder that dies mid-sweep loses the row when its lease runs out.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping

from avatarsynth.jobs._store import JobStore
from avatarsynth.jobs._tables import utcnow
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


class Periodic:
    """Runs named pieces of work every ``interval_s`` seconds in a background thread, each
    only while this process holds its lease row."""

    def __init__(
        self,
        store: JobStore,
        interval_s: float,
        work: Mapping[str, Callable[[], object]],
        *,
        holder: str | None = None,
    ) -> None:
        self.store, self.interval_s, self.work = store, interval_s, dict(work)
        self.holder = holder or f"periodic-{uuid.uuid4().hex}"
        self.lease_s = max(60.0, 3 * interval_s)
        """Longer than any sweep takes: only a dead holder's lease runs out."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        """Start in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current round."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=10)

    def run_once(self) -> dict[str, bool]:
        """One round: which pieces of work this process ran (it held their lease)."""
        ran = {}
        for name, work in self.work.items():
            ran[name] = self.store.try_lock(name, self.holder, self.lease_s)
            if not ran[name]:
                continue
            try:
                work()
            finally:
                self.store.unlock(name, self.holder)
        return ran

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.run_once()
            except Exception:  # a passing database error must not end periodic work for good
                _LOG.exception("Periodic work failed")


class Sweeper(Periodic):
    """Retention every ``interval_s`` seconds, plus any other periodic work given."""

    def __init__(
        self,
        store: JobStore,
        storage: Storage,
        interval_s: float,
        *,
        holder: str | None = None,
        extra: Mapping[str, Callable[[], object]] | None = None,
    ) -> None:
        work: dict[str, Callable[[], object]] = {"retention": lambda: sweep(store, storage)}
        super().__init__(store, interval_s, {**work, **(extra or {})}, holder=holder)
