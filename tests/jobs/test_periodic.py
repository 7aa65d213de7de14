"""Periodic work runs in one process at a time (lease rows), and Celery mode's re-dispatch
finds exactly the jobs whose task was lost or whose worker died; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import update

from avatarsynth.jobs import Job, JobStore, Periodic, Status, utcnow
from tests.jobs.conftest import new_job


def test_one_holder_at_a_time_until_its_lease_runs_out(store: JobStore) -> None:
    assert store.try_lock("retention", "api-1", ttl_s=60)
    assert store.try_lock("retention", "api-1", ttl_s=60)  # renewing one's own
    assert not store.try_lock("retention", "api-2", ttl_s=60)
    assert store.try_lock("redispatch", "api-2", ttl_s=60)  # another kind of work
    store.unlock("retention", "api-1")
    assert store.try_lock("retention", "api-2", ttl_s=0.01)
    time.sleep(0.05)  # api-2 died holding it: its lease runs out
    assert store.try_lock("retention", "api-3", ttl_s=60)


def test_racing_processes_never_run_the_same_work_at_once(store: JobStore) -> None:
    inside, most, rounds = [0], [0], [0]
    guard = threading.Lock()

    def work() -> None:
        with guard:
            inside[0] += 1
            rounds[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.01)
        with guard:
            inside[0] -= 1

    apis = [Periodic(store, 1.0, {"retention": work}, holder=f"api-{i}") for i in range(4)]

    def loop(periodic: Periodic) -> None:
        for _ in range(15):
            periodic.run_once()

    threads = [threading.Thread(target=loop, args=(api,)) for api in apis]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1 and rounds[0] >= 1


def _age(store: JobStore, internal_id: str, **columns: object) -> None:
    with store.session() as session, session.begin():
        session.execute(update(Job).where(Job.internal_id == internal_id).values(**columns))


def test_redispatch_finds_unsent_lost_and_orphaned_jobs_only(store: JobStore) -> None:
    now = utcnow()
    for name in ("fresh", "unsent", "sent", "lost", "orphan", "alive", "done"):
        store.create(new_job(name), name)
    store.mark_dispatched(["fresh", "sent", "alive", "done"])
    _age(store, "unsent", created_at=now - timedelta(seconds=30))  # its API died before sending
    _age(store, "lost", created_at=now - timedelta(hours=1), dispatched_at=now - timedelta(hours=1))
    for name in ("orphan", "alive", "done"):
        assert store.claim_job(name, f"worker-{name}", lease_s=60) is not None
    _age(store, "orphan", lease_expires_at=now - timedelta(seconds=1))  # its worker died
    job = store.by_internal_id("done")
    assert job is not None
    store.finish(job, "worker-done", Status.SUCCEEDED, "{}")
    assert store.to_dispatch(utcnow(), again_after_s=300) == ["lost", "unsent", "orphan"]
    store.mark_dispatched(["unsent", "lost", "orphan"])
    assert store.to_dispatch(utcnow(), again_after_s=300) == []


def test_a_named_claim_takes_waiting_or_abandoned_jobs_only(store: JobStore) -> None:
    store.create(new_job("one"), "one")
    first = store.claim_job("one", "worker-a", lease_s=60)
    assert first is not None and first.status == Status.RUNNING and first.attempts == 1
    assert store.claim_job("one", "worker-b", lease_s=60) is None  # a live worker holds it
    _age(store, "one", lease_expires_at=utcnow() - timedelta(seconds=1))
    second = store.claim_job("one", "worker-b", lease_s=60)
    assert second is not None and second.lease_owner == "worker-b" and second.attempts == 2
    assert not store.finish(first, "worker-a", Status.SUCCEEDED, "{}")  # taken over
    assert store.finish(second, "worker-b", Status.SUCCEEDED, "{}")
    assert store.claim_job("one", "worker-c", lease_s=60) is None  # finished
    assert store.claim_job("never-there", "worker-c", lease_s=60) is None
