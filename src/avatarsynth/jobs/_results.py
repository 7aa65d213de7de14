"""What a finished job reports: per-input outcomes, totals, and both summary.json shapes."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from avatarsynth.jobs._spec import Flavor, JobSpec


@dataclass(frozen=True)
class InputOutcome:
    """One file's result (an input's, or all inputs' when audio is concatenated), or its error."""

    inputs: tuple[int, ...]
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
    result_key: str | None
    subtitle_key: str | None = None
    folder: str | None = None
    """With ``destinationContainerUrl``: the job's folder in the caller's container."""

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

    def to_json(self) -> str:
        """The form kept in the job table."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JobResults:
        """Rebuild what ``to_json`` stored."""
        data = json.loads(text)
        outcomes = tuple(
            InputOutcome(**{**o, "inputs": tuple(o["inputs"]), "warnings": tuple(o["warnings"])})
            for o in data["outcomes"]
        )
        return cls(
            outcomes,
            data["summary_key"],
            data["result_key"],
            data["subtitle_key"],
            data.get("folder"),
        )


def _status(outcome: InputOutcome) -> str:
    return "Succeeded" if outcome.succeeded else "Failed"


def _error(outcome: InputOutcome) -> dict[str, Any]:
    if outcome.succeeded:
        return {}
    return {"error": {"code": outcome.error_code, "message": outcome.error_message}}


def _warnings(outcome: InputOutcome) -> dict[str, Any]:
    return {"warnings": list(outcome.warnings)} if outcome.warnings else {}


def _video_entry(spec: JobSpec, job_id: str, outcome: InputOutcome) -> dict[str, Any]:
    assert spec.avatar is not None
    entry: dict[str, Any] = {
        "texts": [spec.inputs[i] for i in outcome.inputs],
        "status": _status(outcome),
        **({"videoFileName": f"{job_id}/{outcome.file_name}"} if outcome.succeeded else {}),
        **_error(outcome),
        "TalkingAvatarCharacter": spec.avatar.character,
        "TalkingAvatarStyle": spec.avatar.style,
    }
    if spec.flavor is Flavor.LEGACY:
        entry["billingDetails"] = {
            "Neural": str(outcome.billable_characters),
            "TalkingAvatarDuration": str(math.floor(outcome.duration_s)),
        }
    return {**entry, **_warnings(outcome)}


def _audio_entry(spec: JobSpec, job_id: str, outcome: InputOutcome) -> dict[str, Any]:
    """Audio summaries give numbers as strings, as Azure does."""
    entry: dict[str, Any] = {
        "contents": [spec.inputs[i] for i in outcome.inputs],
        "status": _status(outcome),
        **_error(outcome),
    }
    if outcome.succeeded:
        entry["audioFileName"] = outcome.file_name
        entry["properties"] = {
            "sizeInBytes": str(outcome.size_bytes),
            "durationInMilliseconds": str(round(outcome.duration_s * 1000)),
        }
    return {**entry, **_warnings(outcome)}


def summary(
    spec: JobSpec, job_id: str, internal_id: str, outcomes: tuple[InputOutcome, ...]
) -> bytes:
    """summary.json: one entry per result file, in input order."""
    entry = _audio_entry if spec.audio is not None else _video_entry
    document = {
        "jobID": internal_id,
        "status": "Succeeded" if any(o.succeeded for o in outcomes) else "Failed",
        "results": [entry(spec, job_id, o) for o in outcomes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()
