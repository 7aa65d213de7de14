"""Logs an on-call engineer can search: every line knows its request and job.

The ids travel in context variables, set where they become known (the request id by the API's
middleware, a job's ids by whoever works on it) and read by a filter on the root handler, so
no call site passes them along. ``AVATARSYNTH_LOG_FORMAT=json`` writes one JSON object per
line (for a log shipper); the default is text for a person at a terminal, with the same ids
appended. Every line, either format, passes through :func:`~._redact.redact` last.

    with bind(job_id=job.job_id, internal_id=job.internal_id), timed("render", input=1):
        ...  # every line logged here carries both ids; the block logs its stage and duration
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

from avatarsynth.telemetry._redact import redact

LogFormat = Literal["text", "json"]
FIELDS = ("request_id", "job_id", "internal_id", "stage")
"""Context carried by every line where known (JSON keys; text appends them as key=value)."""
_context: dict[str, ContextVar[str | None]] = {
    name: ContextVar(f"avatarsynth_{name}", default=None) for name in FIELDS
}
_LOG = logging.getLogger("avatarsynth")
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", *FIELDS}


@contextmanager
def bind(**fields: str | None) -> Iterator[None]:
    """Within the block, every log line of this thread (or task) carries ``fields``."""
    tokens = [(_context[name], _context[name].set(value)) for name, value in fields.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current(name: str) -> str | None:
    """A bound field's value here (``request_id`` …), or ``None``."""
    return _context[name].get()


@contextmanager
def timed(stage: str, **extra: object) -> Iterator[None]:
    """Bind ``stage`` and log its end with ``duration_s`` and its outcome: ``done``, or the
    exception that ended it (``RenderError``, ``Released`` at a shutdown …)."""
    started = time.perf_counter()
    outcome = "done"
    with bind(stage=stage):
        try:
            yield
        except BaseException as exc:
            outcome = type(exc).__name__
            raise
        finally:
            duration = round(time.perf_counter() - started, 4)
            _LOG.info(
                "%s %s in %.3f s",
                stage,
                outcome,
                duration,
                extra={"duration_s": duration, "outcome": outcome, **extra},
            )


class ContextFilter(logging.Filter):
    """Copies the bound fields onto each record (so formatters and tests can read them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _context.items():
            if getattr(record, name, None) is None:
                setattr(record, name, var.get())
        return True


def _extras(record: logging.LogRecord) -> dict[str, object]:
    """The bound fields and a call's ``extra={…}``: what a line says beyond its message."""
    found = {name: getattr(record, name, None) for name in FIELDS}
    found.update((k, v) for k, v in record.__dict__.items() if k not in _STANDARD)
    return {k: v for k, v in found.items() if v is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, stage, duration …"""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(line, default=str, ensure_ascii=False))


class TextFormatter(logging.Formatter):
    """The classic line, with the bound ids and extras appended as ``key=value``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        return f"{line} [{extras}]" if extras else line

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    """One handler on the root logger for the whole process (libraries' lines included)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
