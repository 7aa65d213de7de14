"""What a finished job reports: per-input outcomes, totals, and both summary.json shapes."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from avatarsynth.jobs._spec import Flavor, JobSpec


@dataclass(frozen=True)
class InputOutcome:
    """One input's result: a file in storage, or an error."""

    index: int
    succeeded: bool
    key: str | None = None
    size_bytes: int = 0
    duration_s: float = 0.0
    billable_characters: int = 0
    warnings: tuple[str, ...] = ()
    error_code: str | None = None
    error_message: str | None = None

    @property
    def file_name(self) -> str:
        """``0001.mp4`` from the storage key."""
        return self.key.rsplit("/", 1)[-1] if self.key else ""


@dataclass(frozen=True)
class Totals:
    """The job's ``properties`` figures, as Azure reports them."""

    size_bytes: int
    duration_ms: int
    succeeded: int
    failed: int
    neural_characters: int
    avatar_seconds: int


@dataclass(frozen=True)
class JobResults:
    """Everything stored with a finished job."""

    outcomes: tuple[InputOutcome, ...]
    summary_key: str

    @property
    def totals(self) -> Totals:
        """Figures over the inputs that succeeded; failed inputs are only counted."""
        done = [o for o in self.outcomes if o.succeeded]
        seconds = sum(o.duration_s for o in done)
        return Totals(
            size_bytes=sum(o.size_bytes for o in done),
            duration_ms=round(seconds * 1000),
            succeeded=len(done),
            failed=len(self.outcomes) - len(done),
            neural_characters=sum(o.billable_characters for o in done),
            avatar_seconds=math.floor(seconds),
        )

    @property
    def result_key(self) -> str | None:
        """The video itself for one input; the job's folder for several (spec §5)."""
        done = [o for o in self.outcomes if o.succeeded]
        if not done:
            return None
        if len(self.outcomes) == 1:
            return done[0].key
        return done[0].key.rsplit("/", 1)[0] if done[0].key else None

    def to_json(self) -> str:
        """The form kept in the job table."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JobResults:
        """Rebuild what ``to_json`` stored."""
        data = json.loads(text)
        outcomes = tuple(
            InputOutcome(**{**o, "warnings": tuple(o["warnings"])}) for o in data["outcomes"]
        )
        return cls(outcomes, data["summary_key"])


def _entry(spec: JobSpec, job_id: str, outcome: InputOutcome) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "texts": [spec.inputs[outcome.index]],
        "status": "Succeeded" if outcome.succeeded else "Failed",
    }
    if outcome.succeeded:
        entry["videoFileName"] = f"{job_id}/{outcome.file_name}"
    else:
        entry["error"] = {"code": outcome.error_code, "message": outcome.error_message}
    entry["TalkingAvatarCharacter"] = spec.avatar.character
    entry["TalkingAvatarStyle"] = spec.avatar.style
    if spec.flavor is Flavor.LEGACY:
        entry["billingDetails"] = {
            "Neural": str(outcome.billable_characters),
            "TalkingAvatarDuration": str(math.floor(outcome.duration_s)),
        }
    if outcome.warnings:
        entry["warnings"] = list(outcome.warnings)
    return entry


def summary(
    spec: JobSpec, job_id: str, internal_id: str, outcomes: tuple[InputOutcome, ...]
) -> bytes:
    """summary.json: one entry per input, in input order (PascalCase avatar keys as Azure)."""
    succeeded = any(o.succeeded for o in outcomes)
    document = {
        "jobID": internal_id,
        "status": "Succeeded" if succeeded else "Failed",
        "results": [_entry(spec, job_id, o) for o in outcomes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
