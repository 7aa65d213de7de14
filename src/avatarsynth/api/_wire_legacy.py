"""Jobs as the 3.1-preview1 talking-avatar API shows them (spec §1), kept apart from the table
model. Fields that are ``None`` are left out of the JSON."""

from __future__ import annotations

from fastapi import Request
from pydantic import Field

from avatarsynth.api._services import Services
from avatarsynth.api._wire_common import ErrorDetail, Outputs, Wire, error, outputs, timestamp
from avatarsynth.api._wire_common import totals as totals_of
from avatarsynth.jobs import Job, JobSpec


class SynthesisConfig(Wire):
    voice: str
    style: str | None = None
    rate: str | None = None
    pitch: str | None = None
    volume: str | None = None


class BillingDetails(Wire):
    neural: int
    custom_neural: int


class Properties(Wire):
    audio_size: int | None = None
    duration_in_ticks: int | None = None
    duration: str | None = None
    succeeded_audio_count: int | None = None
    failed_audio_count: int | None = None
    billing_details: BillingDetails | None = None
    time_to_live: str
    talking_avatar_character: str
    talking_avatar_style: str
    video_format: str
    video_codec: str
    subtitle_type: str
    background_color: str
    k_bitrate: int
    customized: bool
    error: ErrorDetail | None = None


class LegacyJob(Wire):
    """One job."""

    id: str
    display_name: str | None
    description: str | None = None
    status: str
    text_type: str
    created_date_time: str
    last_action_date_time: str
    custom_voices: dict[str, str]
    synthesis_config: SynthesisConfig | None = None
    properties: Properties
    custom_properties: dict[str, str] | None = None
    outputs: Outputs | None = None


class LegacyJobPage(Wire):
    """A page of jobs, newest first, as the 3.1 API lists them."""

    values: list[LegacyJob]
    next_link: str | None = Field(default=None, serialization_alias="@nextLink")


def iso_duration(hours: int) -> str:
    """``744`` → ``P31D``, ``36`` → ``P1DT12H``."""
    days, rest = divmod(hours, 24)
    return "P" + (f"{days}D" if days else "") + (f"T{rest}H" if rest else "") if hours else "PT0H"


def _seconds(duration_ms: int) -> str:
    """``2520`` → ``PT2.52S``."""
    return f"PT{duration_ms / 1000:.3f}".rstrip("0").rstrip(".") + "S"


def _properties(job: Job, spec: JobSpec) -> Properties:
    avatar, totals = spec.avatar, totals_of(job)
    figures = {}
    if totals is not None:
        figures = {
            "audio_size": totals.size_bytes,
            "duration_in_ticks": totals.duration_ms * 10_000,
            "duration": _seconds(totals.duration_ms),
            "succeeded_audio_count": totals.succeeded,
            "failed_audio_count": totals.failed,
            "billing_details": BillingDetails(neural=totals.neural_characters, custom_neural=0),
        }
    return Properties(
        **figures,  # type: ignore[arg-type]
        time_to_live=iso_duration(spec.ttl_hours),
        talking_avatar_character=avatar.character,
        talking_avatar_style=avatar.style,
        video_format=avatar.video_format,
        video_codec=avatar.video_codec,
        subtitle_type=avatar.subtitle_type,
        background_color=avatar.background_color,
        k_bitrate=avatar.bitrate_kbps,
        customized=avatar.customized,
        error=error(job),
    )


def legacy_job(job: Job, request: Request, services: Services) -> LegacyJob:
    """A job in the shape of the 3.1-preview1 talking-avatar API."""
    spec = JobSpec.from_json(job.spec)
    synthesis = spec.synthesis
    return LegacyJob(
        id=job.job_id,
        display_name=spec.display_name,
        description=spec.description,
        status=job.status,
        text_type=spec.input_kind,
        created_date_time=timestamp(job.created_at),
        last_action_date_time=timestamp(job.last_action_at),
        custom_voices=spec.custom_voices,
        synthesis_config=SynthesisConfig(**vars(synthesis)) if synthesis else None,
        properties=_properties(job, spec),
        custom_properties=spec.custom_properties or None,
        outputs=outputs(job, request, services),
    )
