"""Lease rows: named locks with a holder and an expiry, for work that is not a whole job
(the retention sweep, a long video's chunks). A holder that stops renewing loses its row."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from avatarsynth.jobs._models import Lock
from avatarsynth.jobs._tables import Tables, utcnow

_A_SECOND = timedelta(seconds=1)


class LockRows(Tables):
    """Compare-and-set leases on rows of the lock table."""

    def try_lock(self, name: str, holder: str, ttl_s: float, *, create: bool = True) -> bool:
        """Hold the lease row ``name`` for ``ttl_s`` seconds if it is free, expired or ours
        already: a compare-and-set, so of several processes exactly one wins. With
        ``create=False`` a row that does not exist (see :meth:`open_locks`) is never won."""
        if create:
            self.open_locks([name])
        now = utcnow()
        with self._session.begin() as session:
            result = session.execute(
                update(Lock)
                .where(Lock.name == name, or_(Lock.holder == holder, Lock.expires_at < now))
                .values(holder=holder, expires_at=now + timedelta(seconds=ttl_s))
            )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def open_locks(self, names: list[str]) -> None:
        """Lease rows ``names``, free, for :meth:`try_lock` to compete for (existing rows are
        left as they are)."""
        now = utcnow()
        for name in names:
            try:
                with self._session.begin() as session:
                    if session.get(Lock, name) is None:
                        session.add(Lock(name=name, holder=None, expires_at=now - _A_SECOND))
            except IntegrityError:
                pass  # another process inserted the row first: it is there, as wanted

    def hand_lock(self, name: str, holder: str, to: str, ttl_s: float) -> bool:
        """Give our lease row to holder ``to`` for ``ttl_s`` seconds (a finished piece of work
        marked done); ``False`` when it was not ours (any more)."""
        with self._session.begin() as session:
            result = session.execute(
                update(Lock)
                .where(Lock.name == name, Lock.holder == holder)
                .values(holder=to, expires_at=utcnow() + timedelta(seconds=ttl_s))
            )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def lock_holders(self, prefix: str) -> dict[str, str | None]:
        """Every lease row whose name starts with ``prefix``: its live holder, or ``None``
        when it is free or its holder stopped renewing it."""
        now = utcnow()
        with self.session() as session:
            rows = session.execute(
                select(Lock.name, Lock.holder, Lock.expires_at).where(
                    Lock.name.startswith(prefix, autoescape=True)
                )
            )
            return {name: holder if expires >= now else None for name, holder, expires in rows}

    def drop_locks(self, prefix: str) -> None:
        """Delete the lease rows whose name starts with ``prefix`` (their work is over)."""
        with self._session.begin() as session:
            session.execute(delete(Lock).where(Lock.name.startswith(prefix, autoescape=True)))

    def unlock(self, name: str, holder: str) -> None:
        """Give the lease row back early (the work is done)."""
        with self._session.begin() as session:
            session.execute(
                update(Lock)
                .where(Lock.name == name, Lock.holder == holder)
                .values(holder=None, expires_at=utcnow())
            )
