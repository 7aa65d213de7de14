"""One settings object, read from ``AVATARSYNTH_*`` environment variables and passed down.

Nothing reads the environment at import time: :func:`load_settings` is called by the entry
points (CLI, test fixtures) and the resulting object travels as an argument.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set. Defaults give the embedded mode of ``make serve``."""

    model_config = SettingsConfigDict(env_prefix="AVATARSYNTH_", frozen=True)

    data_dir: Path = Field(
        default=Path("var"), description="Root of local state: database, results, generated key."
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means SQLite at DATA_DIR/avatarsynth.db."
    )
    api_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="Comma-separated API keys; empty means one generated key."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = Field(
        default="", description="Base URL clients reach us at; empty means the request's own."
    )
    workers: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        ge=1,
        description="Worker processes that render jobs (default: one per core).",
    )
    signing_secret: str = Field(
        default="", description="HMAC secret for result URLs; empty means one stored in DATA_DIR."
    )
    result_url_ttl_s: int = Field(default=24 * 3600, ge=60)
    sweep_interval_s: float = Field(default=60.0, gt=0)
    lease_s: float = Field(
        default=30.0, gt=0, description="How long a claimed job is owned without a heartbeat."
    )
    max_running_jobs: int = Field(default=200, ge=1)
    background_dir: Path | None = Field(
        default=None,
        description="Folder of background images a request may name without a URL.",
    )
    portrait_dir: Path | None = Field(
        default=None,
        description="Operator folder of portrait images ({name}.jpg/.png/.webp) that every key "
        "may use as photo avatars.",
    )
    portrait_registration: bool = Field(
        default=True,
        description="Whether API keys may register their own portraits (PUT /avatar/photos).",
    )
    fetch_allow_http: bool = Field(
        default=False, description="Let backgroundImage be a plain http URL (https always is)."
    )
    fetch_allow_private: bool = Field(
        default=False,
        description="Let fetched URLs reach private and loopback addresses (trusted networks).",
    )
    fetch_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    storage_url: str = Field(
        default="",
        description="s3://bucket/prefix keeps results in an S3-compatible store; "
        "empty means files under DATA_DIR/results.",
    )
    s3_endpoint_url: str = Field(
        default="", description="S3 endpoint (MinIO, SeaweedFS …); empty means AWS."
    )
    s3_region: str = Field(default="", description="S3 region; empty means boto3's default.")
    s3_access_key_id: str = Field(
        default="", description="S3 access key; empty means boto3's credential chain."
    )
    s3_secret_access_key: str = Field(default="", description="S3 secret key.")
    s3_addressing_style: Literal["path", "virtual", "auto"] = Field(
        default="path", description="Bucket in the path (most self-hosted stores) or host name."
    )
    result_urls: Literal["api", "presigned"] = Field(
        default="api",
        description="Result URLs signed by the API (which streams the file), or presigned "
        "S3 URLs (S3 storage only; clients then fetch from the store directly).",
    )
    broker_url: str = Field(
        default="",
        description="redis://… or amqp://… runs jobs on Celery workers (`avatarsynth worker`); "
        "empty means worker processes inside the API process.",
    )
    queue: str = Field(
        default="avatarsynth",
        description="Celery queue the jobs' tasks go to; a long video's chunk tasks go to "
        "QUEUE.chunks, which every worker consumes too.",
    )
    chunk_s: float = Field(
        default=45.0,
        ge=3.0,
        le=300.0,
        description="Target length of the chunks a long video is rendered in (cut at pauses "
        "between two thirds and four thirds of it); videos up to four thirds of it render "
        "whole.",
    )
    task_visibility_timeout_s: int = Field(
        default=3600,
        ge=10,
        description="Redis broker: an unacknowledged task is redelivered after this long.",
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        description="Celery mode: a job whose workers died this many times fails instead of "
        "being rendered again (an input that crashes its worker cannot loop forever).",
    )
    redispatch_after_s: float = Field(
        default=300.0,
        gt=0,
        description="Celery mode: a job still waiting this long after its task was sent is "
        "sent again (a lost message); duplicates are harmless.",
    )

    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Log lines as text for a person, or one JSON object per line for a log "
        "shipper; both carry the request and job ids.",
    )
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="0: /metrics on the API's port, behind the API key. A port: /metrics "
        "there without a key (on METRICS_HOST, for operators only) and not on the API's; "
        "`avatarsynth worker` serves its own metrics only this way.",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Interface of the metrics port (METRICS_PORT)."
    )
    shutdown_grace_s: float = Field(
        default=25.0,
        ge=0,
        description="On SIGTERM, how long running renders may take to finish; past it they "
        "are handed back unfinished and rendered again by another worker (or after a "
        "restart) at once.",
    )
    min_free_disk_mb: int = Field(
        default=64,
        ge=0,
        description="Disk space a render must leave free in the scratch folder: a job whose "
        "expected output does not fit is refused before it starts (InsufficientStorage).",
    )

    @field_validator("storage_url")
    @classmethod
    def _storage_scheme(cls, value: str) -> str:
        """Only S3 URLs (or nothing) are understood; say so at start-up, not at first use."""
        if value and not value.startswith("s3://"):
            raise ValueError("must be empty or s3://bucket/prefix")
        return value

    @field_validator("broker_url")
    @classmethod
    def _broker_scheme(cls, value: str) -> str:
        """Celery's Redis and AMQP transports are the tested ones."""
        if value and not value.startswith(("redis://", "rediss://", "amqp://", "amqps://")):
            raise ValueError("must be empty, redis://… or amqp://…")
        return value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        """The environment gives one comma-separated string."""
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to a SQLite file under the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'avatarsynth.db'}"

    @property
    def chunk_queue(self) -> str:
        """Celery mode: where a long video's chunk tasks go (every worker consumes it)."""
        return f"{self.queue}.chunks"

    @property
    def portraits_dir(self) -> Path:
        """Where registered portraits are kept."""
        return self.data_dir / "portraits"

    @property
    def results_dir(self) -> Path:
        """Where the local storage backend keeps result files."""
        return self.data_dir / "results"


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; keyword arguments win over it (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
