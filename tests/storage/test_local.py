"""Local result storage: atomic writes, safe keys, whole-job deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from avatarsynth.errors import NotFound
from avatarsynth.storage import LocalStorage


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "results")


def test_put_bytes_and_file_land_whole_with_no_partial_left(
    storage: LocalStorage, tmp_path: Path
) -> None:
    assert storage.put_bytes("job/summary.json", b"{}") == 2
    source = tmp_path / "scratch.mp4"
    source.write_bytes(b"video" * 100)
    assert storage.put_file("job/0001.mp4", source) == 500
    assert not source.exists()
    assert storage.local_path("job/0001.mp4").read_bytes() == b"video" * 100
    assert sorted(p.name for p in (tmp_path / "results" / "job").iterdir()) == [
        "0001.mp4",
        "summary.json",
    ]


def test_a_second_put_replaces_the_first(storage: LocalStorage) -> None:
    storage.put_bytes("job/summary.json", b"old")
    storage.put_bytes("job/summary.json", b"new")
    assert storage.local_path("job/summary.json").read_bytes() == b"new"


def test_keys_lists_a_folder_and_delete_prefix_removes_it(storage: LocalStorage) -> None:
    storage.put_bytes("job/0002.mp4", b"2")
    storage.put_bytes("job/0001.mp4", b"1")
    storage.put_bytes("other/0001.mp4", b"x")
    assert storage.keys("job") == ["job/0001.mp4", "job/0002.mp4"]
    storage.delete_prefix("job")
    storage.delete_prefix("job")  # absent is fine
    assert storage.keys("job") == []
    with pytest.raises(NotFound):
        storage.local_path("job/0001.mp4")
    assert storage.local_path("other/0001.mp4").read_bytes() == b"x"


@pytest.mark.parametrize(
    "key",
    [
        "../secret",
        "job/../../etc/passwd",
        "/etc/passwd",
        "job//x",
        "..hidden/x",
        "job/..",
        "",
        "a\\b",
    ],
)
def test_keys_that_could_leave_the_root_are_refused(
    storage: LocalStorage, tmp_path: Path, key: str
) -> None:
    (tmp_path / "secret").write_text("no")
    with pytest.raises(NotFound):
        storage.local_path(key)
    with pytest.raises(NotFound):
        storage.put_bytes(key, b"x")
    with pytest.raises(NotFound):
        storage.delete_prefix(key)
    assert (tmp_path / "secret").read_text() == "no"


def test_a_missing_file_is_not_found(storage: LocalStorage) -> None:
    with pytest.raises(NotFound):
        storage.local_path("job/0001.mp4")
