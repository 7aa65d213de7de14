"""The state machine: only legal moves, each a compare-and-set that stamps lastActionDateTime."""

from __future__ import annotations

from datetime import timedelta

import pytest

from avatarsynth.jobs import JobStore, Status, transition, utcnow
from avatarsynth.jobs._lifecycle import IllegalTransition, record_failure
from tests.jobs.conftest import new_job


@pytest.mark.parametrize(
    ("expected", "to"),
    [
        (Status.NOT_STARTED, Status.SUCCEEDED),
        (Status.NOT_STARTED, Status.FAILED),
        (Status.SUCCEEDED, Status.RUNNING),
        (Status.FAILED, Status.SUCCEEDED),
        (Status.RUNNING, Status.NOT_STARTED),
    ],
)
def test_illegal_moves_are_refused_before_the_database_sees_them(
    store: JobStore, expected: Status, to: Status
) -> None:
    with store.session() as session, pytest.raises(IllegalTransition):
        transition(session, "any", expected, to, utcnow())


def test_a_move_happens_only_from_the_expected_status(store: JobStore) -> None:
    job, _ = store.create(new_job(), "internal-1")
    later = utcnow() + timedelta(seconds=5)
    with store.session() as session, session.begin():
        assert transition(session, "internal-1", Status.NOT_STARTED, Status.RUNNING, later)
    with store.session() as session, session.begin():
        assert not transition(session, "internal-1", Status.NOT_STARTED, Status.RUNNING, later)
    moved = store.by_internal_id("internal-1")
    assert moved is not None and moved.status == "Running"
    assert moved.last_action_at == later and moved.created_at == job.created_at


def test_record_failure_writes_status_and_error_together(store: JobStore) -> None:
    store.create(new_job(), "internal-1")
    now = utcnow()
    with store.session() as session, session.begin():
        assert not record_failure(session, "internal-1", now, "BadArgument", "not running")
        transition(session, "internal-1", Status.NOT_STARTED, Status.RUNNING, now)
        assert record_failure(session, "internal-1", now, "InternalServerError", "it broke")
    failed = store.by_internal_id("internal-1")
    assert failed is not None and failed.status == "Failed"
    assert (failed.error_code, failed.error_message) == ("InternalServerError", "it broke")
