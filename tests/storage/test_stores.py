"""Every result store keeps the same promises: a local directory and an S3 bucket (SeaweedFS,
started by the test setup) are checked by the same tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import httpx2
import pytest
from botocore.exceptions import ClientError

from avatarsynth.config import load_settings
from avatarsynth.errors import NotFound
from avatarsynth.storage import (
    CountedStorage,
    Download,
    LocalStorage,
    S3Storage,
    Storage,
    open_storage,
)
from tests.services import SeaweedFS


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "results")
        return
    s3: SeaweedFS = request.getfixturevalue("s3_server")
    settings = load_settings(data_dir=tmp_path, **s3.storage_settings(f"t-{uuid.uuid4().hex}"))
    opened = open_storage(settings)
    assert isinstance(opened, CountedStorage)  # its failures are counted for operators
    yield opened.inner


def _body(found: Download | Path) -> bytes:
    if isinstance(found, Path):
        return found.read_bytes()
    return b"".join(found.chunks)


def test_files_and_bytes_land_whole_and_list_by_folder(store: Storage, tmp_path: Path) -> None:
    source = tmp_path / "scratch.mp4"
    source.write_bytes(b"video" * 1000)
    assert store.put_file("job/0001.mp4", source) == 5000
    assert not source.exists()  # moved into the store
    assert store.put_bytes("job/summary.json", b"{}") == 2
    store.put_bytes("other/summary.json", b"{}")
    assert store.keys("job") == ["job/0001.mp4", "job/summary.json"]
    assert store.get_bytes("job/0001.mp4") == b"video" * 1000
    assert _body(store.download("job/0001.mp4", None)) == b"video" * 1000


def test_a_local_copy_has_the_contents(store: Storage, tmp_path: Path) -> None:
    store.put_bytes("job/0001.mp4", b"video bytes")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert store.local_copy("job/0001.mp4", scratch).read_bytes() == b"video bytes"
    with pytest.raises(NotFound):
        store.local_copy("job/0002.mp4", scratch)


def test_a_second_write_replaces_the_first_whole(store: Storage) -> None:
    store.put_bytes("job/0001.mp4", b"first render, longer than the second")
    store.put_bytes("job/0001.mp4", b"second")
    assert store.keys("job") == ["job/0001.mp4"]
    assert store.get_bytes("job/0001.mp4") == b"second"


def test_deleting_a_folder_takes_everything_in_it_and_only_that(store: Storage) -> None:
    for name in ("0001.mp4", "0002.mp4", "summary.json"):
        store.put_bytes(f"job/{name}", b"x")
    store.put_bytes("job2/0001.mp4", b"y")
    store.delete_prefix("job")
    store.delete_prefix("never-there")
    assert store.keys("job") == []
    assert store.keys("job2") == ["job2/0001.mp4"]
    with pytest.raises(NotFound):
        store.get_bytes("job/0001.mp4")
    with pytest.raises(NotFound):
        store.download("job/0001.mp4", None)


def test_keys_that_could_climb_out_are_refused(store: Storage) -> None:
    for key in ("../etc/passwd", "job/../../x", "/abs", "job//x", "..", ".", "job/.."):
        with pytest.raises(NotFound):
            store.put_bytes(key, b"x")


def test_hidden_work_is_kept_but_never_listed_or_served(store: Storage, tmp_path: Path) -> None:
    store.put_bytes("job/0001.mp4", b"video")
    store.put_bytes("job/.chunks/plan/0000.mp4", b"segment")
    source = tmp_path / "segment"
    source.write_bytes(b"segment 1")
    store.put_file("job/.chunks/plan/0001.mp4", source)
    assert store.keys("job") == ["job/0001.mp4"]
    assert store.get_bytes("job/.chunks/plan/0000.mp4") == b"segment"
    copy = store.local_copy("job/.chunks/plan/0001.mp4", tmp_path / "scratch")
    assert copy.read_bytes() == b"segment 1"
    with pytest.raises(NotFound):
        store.download("job/.chunks/plan/0000.mp4", None)
    with pytest.raises(NotFound):
        store.presigned_url("job/.chunks/plan/0000.mp4", 60)
    store.delete_prefix("job/.chunks/plan")
    with pytest.raises(NotFound):
        store.get_bytes("job/.chunks/plan/0000.mp4")
    store.put_bytes("job/.chunks/plan/0000.mp4", b"segment")
    store.delete_prefix("job")  # a deleted job takes its hidden work with it
    with pytest.raises(NotFound):
        store.get_bytes("job/.chunks/plan/0000.mp4")


def test_the_readiness_check_passes_until_the_store_is_gone(
    store: Storage, request: pytest.FixtureRequest
) -> None:
    store.check()
    if isinstance(store, LocalStorage):
        store.root.rmdir()
        store.root.write_bytes(b"")  # a file where the folder must be: it cannot be made
    else:
        assert isinstance(store, S3Storage)
        s3: SeaweedFS = request.getfixturevalue("s3_server")
        client = boto3.client(
            "s3",
            endpoint_url=s3.endpoint,
            region_name="us-east-1",
            aws_access_key_id=s3.access_key,
            aws_secret_access_key=s3.secret_key,
        )
        client.delete_bucket(Bucket=store.location.bucket)
    with pytest.raises((OSError, ClientError)):
        store.check()


def test_s3_streams_byte_ranges(s3_server: SeaweedFS, tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, **s3_server.storage_settings("ranges"))
    store = open_storage(settings)
    store.put_bytes("job/0001.mp4", bytes(range(256)) * 4)
    found = store.download("job/0001.mp4", "bytes=10-19")
    assert isinstance(found, Download) and found.status == 206
    assert found.headers["Content-Range"] == "bytes 10-19/1024"
    assert b"".join(found.chunks) == bytes(range(10, 20))


def test_presigned_urls_fetch_from_the_store_without_credentials(
    s3_server: SeaweedFS, tmp_path: Path
) -> None:
    signed = load_settings(
        data_dir=tmp_path, result_urls="presigned", **s3_server.storage_settings("presigned")
    )
    opened = open_storage(signed)
    assert isinstance(opened, CountedStorage)
    store = opened.inner
    assert isinstance(store, S3Storage)
    store.put_bytes("job/0001.mp4", b"video bytes")
    url = store.presigned_url("job/0001.mp4", 60)
    assert url is not None and url.startswith(s3_server.endpoint)
    assert httpx2.get(url).content == b"video bytes"
    unsigned = url.split("?", 1)[0]
    assert httpx2.get(unsigned).status_code == 403  # the bucket itself is not public
    default = load_settings(data_dir=tmp_path, **s3_server.storage_settings("plain-urls"))
    plain = open_storage(default)
    assert plain.presigned_url("job/0001.mp4", 60) is None  # API-signed URLs by default


def test_a_storage_url_that_is_not_s3_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        load_settings(data_dir=tmp_path, storage_url="gs://bucket/x")
