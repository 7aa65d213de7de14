"""What both API versions' wire shapes share: timestamps, result URLs, a job's totals."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from avatarsynth.api._services import Services
from avatarsynth.jobs import Job, JobResults, Status, Totals


class Wire(BaseModel):
    """Base of every response schema: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class ErrorDetail(Wire):
    """``properties.error`` of a failed job."""

    code: str
    message: str


class Outputs(Wire):
    """Both URLs or none: strict clients fail on one without the other (spec §4)."""

    result: str
    summary: str


def timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with milliseconds and ``Z``, as Azure writes them."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def outputs(job: Job, request: Request, services: Services) -> Outputs | None:
    """Signed URLs of a finished job's result (video or folder) and summary."""
    if job.results is None:
        return None
    results = JobResults.from_json(job.results)
    if results.result_key is None:
        return None
    return Outputs(
        result=services.result_url(request, results.result_key),
        summary=services.result_url(request, results.summary_key),
    )


def totals(job: Job) -> Totals | None:
    """The figures of a finished job; ``None`` before it finishes."""
    return JobResults.from_json(job.results).totals if job.results is not None else None


def error(job: Job) -> ErrorDetail | None:
    """The error of a failed job."""
    if job.status != Status.FAILED.value:
        return None
    return ErrorDetail(
        code=job.error_code or "InternalServerError", message=job.error_message or ""
    )
