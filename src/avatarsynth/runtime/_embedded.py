"""Embedded mode's scheduler: runner threads in the API process feeding its worker processes."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from avatarsynth.config import Settings
from avatarsynth.dispatch import Dispatcher, ProcessDispatcher, RenderFn
from avatarsynth.jobs import JobRunner, JobStore, clear_work_dir, fetch_policy
from avatarsynth.storage import Storage


class Embedded:
    """The ``Scheduler`` of a single process: its runner threads claim jobs from the store and
    hand their renders to ``dispatcher``; ``warm`` (if any) starts the worker processes in the
    background when the server starts, so the first job does not wait for model loading."""

    def __init__(
        self,
        runner: JobRunner,
        dispatcher: Dispatcher,
        warm: Callable[[], object] | None = None,
    ) -> None:
        self.runner, self.dispatcher, self.warm = runner, dispatcher, warm

    @property
    def node(self) -> str:
        """This installation's lease-owner name (kept across restarts)."""
        return self.runner.node

    def start(self) -> None:
        if self.warm is not None:
            threading.Thread(target=self.warm, daemon=True).start()
        self.runner.start()

    def stop(self) -> None:
        """Running renders get the grace period, then are handed back (``JobRunner.stop``);
        whatever still runs in the worker processes after that is ended with them."""
        self.runner.stop()
        self.dispatcher.close(wait=False)

    def submitted(self, internal_id: str) -> None:
        self.runner.submitted(internal_id)

    def readiness(self) -> Mapping[str, Callable[[], object]]:
        """Nothing to reach beyond the database and the result store."""
        return {}

    def periodic(self) -> Mapping[str, Callable[[], object]]:
        """Nothing: a restart releases this node's jobs, and leases bring back a dead one's."""
        return {}


def embedded(
    settings: Settings,
    store: JobStore,
    storage: Storage,
    render: RenderFn,
    dispatcher: Dispatcher | None = None,
) -> Embedded:
    """Runner threads here feeding ``settings.workers`` worker processes here that run
    ``render`` (or ``dispatcher``, a test's); scratch files of a killed process are cleared."""
    work = settings.data_dir / "work"
    clear_work_dir(work)
    warm: Callable[[], object] | None = None
    if dispatcher is None:
        pool = ProcessDispatcher(settings.workers, render_fn=render)
        dispatcher, warm = pool, pool.warm
    runner = JobRunner(
        store,
        storage,
        dispatcher,
        node=_node_id(settings.data_dir),
        work_dir=work,
        threads=settings.workers,
        lease_s=settings.lease_s,
        fetch_policy=fetch_policy(settings),
        grace_s=settings.shutdown_grace_s,
        reserve_bytes=settings.min_free_disk_mb * 1024 * 1024,
    )
    return Embedded(runner, dispatcher, warm)


def _node_id(data_dir: Path) -> str:
    """A stable name for this installation, so a restart recognises its own running jobs."""
    path = data_dir / "node-id"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(str(uuid.uuid4()))
    return path.read_text().strip()
