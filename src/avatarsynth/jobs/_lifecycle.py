"""The one state machine of a job, and the only code that assigns a status.

    NotStarted ──claim──> Running ──finish──> Succeeded
                                   └─fail───> Failed

Every change is a compare-and-set UPDATE (``WHERE status = expected``), so two workers racing
for a job, or a worker finishing a job that was deleted meanwhile, cannot both win: the loser
sees ``False`` and backs off. ``lastActionDateTime`` moves with every change, in the same
statement.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from avatarsynth.jobs._models import Job


class Status(enum.StrEnum):
    """Azure's job statuses."""

    NOT_STARTED = "NotStarted"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


FINISHED = frozenset({Status.SUCCEEDED, Status.FAILED})
_LEGAL = frozenset(
    {
        (Status.NOT_STARTED, Status.RUNNING),
        (Status.RUNNING, Status.SUCCEEDED),
        (Status.RUNNING, Status.FAILED),
    }
)


class IllegalTransition(RuntimeError):
    """A programming error: code asked for a change the state machine does not have."""


def transition(
    session: Session,
    internal_id: str,
    expected: Status,
    to: Status,
    now: datetime,
    *,
    held_by: str | None = None,
    **columns: Any,
) -> bool:
    """Move a job from ``expected`` to ``to``, with other columns; ``False`` if it was not.

    ``held_by`` also requires the job's lease to be that worker's, so a worker whose job was
    taken over meanwhile cannot finish it under the new owner's feet.
    """
    if (expected, to) not in _LEGAL:
        raise IllegalTransition(f"{expected} → {to}")
    conditions = [Job.internal_id == internal_id, Job.status == expected.value]
    if held_by is not None:
        conditions.append(Job.lease_owner == held_by)
    result = session.execute(
        update(Job).where(*conditions).values(status=to.value, last_action_at=now, **columns)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def record_failure(
    session: Session,
    internal_id: str,
    now: datetime,
    code: str,
    message: str,
    *,
    held_by: str | None = None,
    **columns: Any,
) -> bool:
    """Fail a running job with its error, in the same statement as the status change."""
    return transition(
        session,
        internal_id,
        Status.RUNNING,
        Status.FAILED,
        now,
        held_by=held_by,
        error_code=code,
        error_message=message,
        **columns,
    )
