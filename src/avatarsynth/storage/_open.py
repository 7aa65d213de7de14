"""The store the settings name: a local directory by default, an S3 bucket for ``s3://``."""

from __future__ import annotations

from avatarsynth.config import Settings
from avatarsynth.storage._base import Storage
from avatarsynth.storage._counted import CountedStorage
from avatarsynth.storage._local import LocalStorage
from avatarsynth.storage._s3 import S3Location, S3Storage


def open_storage(settings: Settings) -> Storage:
    """Build the configured store (its failures counted); an S3 bucket that does not exist
    yet is created."""
    if not settings.storage_url:
        return CountedStorage(LocalStorage(settings.results_dir))
    bucket, prefix = S3Location.parse_url(settings.storage_url)
    storage = S3Storage(
        S3Location(
            bucket=bucket,
            prefix=prefix,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region or None,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=settings.s3_secret_access_key or None,
            addressing_style=settings.s3_addressing_style,
            presign=settings.result_urls == "presigned",
        )
    )
    storage.ensure_bucket()
    return CountedStorage(storage)
