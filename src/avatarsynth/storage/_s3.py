"""Result files in any S3-compatible bucket (AWS S3, MinIO, SeaweedFS, Ceph …), via boto3.

An S3 PUT is atomic: an object appears whole or not at all, and a second PUT of the same key
replaces it whole. So a redelivered render that uploads its output again overwrites its own
file and never leaves a mix of two. Keys live under the URL's prefix:
``s3://bucket/prefix`` keeps ``{job}/0001.mp4`` at ``prefix/{job}/0001.mp4``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from avatarsynth.errors import NotFound
from avatarsynth.storage._base import Download, checked, hidden, served

_CHUNK = 256 * 1024
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


@dataclass(frozen=True)
class S3Location:
    """Where results go and how to reach the store."""

    bucket: str
    prefix: str
    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    addressing_style: str = "path"
    presign: bool = False

    @staticmethod
    def parse_url(url: str) -> tuple[str, str]:
        """``s3://bucket/some/prefix`` → (bucket, prefix without slashes at either end)."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"A storage URL looks like s3://bucket/prefix, not {url!r}")
        return parts.netloc, parts.path.strip("/")


def _missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code", "")) in _MISSING


class S3Storage:
    """Result files as objects in one bucket, under one prefix."""

    def __init__(self, location: S3Location) -> None:
        self.location = location
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=location.endpoint_url,
            region_name=location.region,
            aws_access_key_id=location.access_key_id,
            aws_secret_access_key=location.secret_access_key,
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": location.addressing_style},
                retries={"max_attempts": 5, "mode": "standard"},
            ),
        )

    def _object(self, key: str) -> str:
        name = "/".join(checked(key))
        return f"{self.location.prefix}/{name}" if self.location.prefix else name

    def _folder(self, prefix: str) -> str:
        return self._object(prefix) + "/"

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist yet (a fresh MinIO or SeaweedFS)."""
        try:
            self._client.head_bucket(Bucket=self.location.bucket)
        except ClientError as exc:
            if not _missing(exc):
                raise
            self._client.create_bucket(Bucket=self.location.bucket)

    def put_file(self, key: str, source: Path) -> int:
        """Upload ``source`` (multipart when large: still one atomic object), then drop it."""
        size = source.stat().st_size
        self._client.upload_file(str(source), self.location.bucket, self._object(key))
        source.unlink(missing_ok=True)
        return size

    def put_bytes(self, key: str, data: bytes) -> int:
        """One PUT: atomic."""
        self._client.put_object(Bucket=self.location.bucket, Key=self._object(key), Body=data)
        return len(data)

    def _get(self, key: str, **extra: str) -> Any:
        try:
            return self._client.get_object(
                Bucket=self.location.bucket, Key=self._object(key), **extra
            )
        except ClientError as exc:
            if _missing(exc):
                raise NotFound(f"No result file '{key}'.") from exc
            raise

    def local_copy(self, key: str, scratch: Path) -> Path:
        """Download the object into ``scratch`` (multipart, streamed to disk)."""
        target = scratch.joinpath(*checked(key))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._client.download_file(self.location.bucket, self._object(key), str(target))
        except ClientError as exc:
            if _missing(exc):
                raise NotFound(f"No result file '{key}'.") from exc
            raise
        return target

    def get_bytes(self, key: str) -> bytes:
        """A whole object's bytes."""
        data: bytes = self._get(key)["Body"].read()
        return data

    def keys(self, prefix: str) -> list[str]:
        """Every key under a folder prefix, sorted; hidden ones (work in progress) left out."""
        return [key for key in self._all_keys(prefix) if not hidden(key)]

    def _all_keys(self, prefix: str) -> list[str]:
        folder = self._folder(prefix)
        found = []
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=folder
        )
        for page in pages:
            found += [f"{prefix}/{o['Key'][len(folder) :]}" for o in page.get("Contents", [])]
        return sorted(found)

    def delete_prefix(self, prefix: str) -> None:
        """Delete a job's objects, a thousand per request."""
        names = [self._object(key) for key in self._all_keys(prefix)]
        for start in range(0, len(names), 1000):
            batch = [{"Key": name} for name in names[start : start + 1000]]
            self._client.delete_objects(
                Bucket=self.location.bucket, Delete={"Objects": batch, "Quiet": True}
            )

    def presigned_url(self, key: str, ttl_s: int) -> str | None:
        """A presigned GET when so configured; else the API's own signed URL is used."""
        served(key)
        if not self.location.presign:
            return None
        url: str = self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.location.bucket, "Key": self._object(key)},
            ExpiresIn=ttl_s,
        )
        return url

    def download(self, key: str, range_header: str | None) -> Download:
        """Stream the object; a ``Range`` goes to the store, which answers it (206)."""
        served(key)
        extra = {"Range": range_header} if range_header else {}
        try:
            found = self._get(key, **extra)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) == "InvalidRange":
                return Download(416, iter(()), {})
            raise
        headers = {"Content-Length": str(found["ContentLength"]), "Accept-Ranges": "bytes"}
        if found.get("ContentRange"):
            headers["Content-Range"] = found["ContentRange"]
        status = 206 if found.get("ContentRange") else 200
        return Download(status, _chunks(found["Body"]), headers)

    def check(self) -> None:
        """The bucket must answer."""
        self._client.head_bucket(Bucket=self.location.bucket)


def _chunks(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(_CHUNK)
    finally:
        body.close()
