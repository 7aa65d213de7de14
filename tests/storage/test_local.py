"""Local result storage: atomic files, no way out of the root."""

from __future__ import annotations

from pathlib import Path

import pytest

from avatarsynth.errors import NotFound
from avatarsynth.storage import LocalStorage, UrlSigner


@pytest.mark.parametrize(
    "key", ["../outside", "job/../../x", "/etc/passwd", "job//x", ".hidden/x", ""]
)
def test_keys_cannot_climb_out_of_the_root(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "root")
    with pytest.raises(NotFound):
        storage.put_bytes(key, b"x")
    with pytest.raises(NotFound):
        storage.local_path(key)
    assert not (tmp_path / "outside").exists()


def test_files_appear_whole_and_leave_no_partial_behind(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    source = tmp_path / "scratch.mp4"
    source.write_bytes(b"v" * 1000)
    assert storage.put_file("job/0001.mp4", source) == 1000
    assert not source.exists()
    assert storage.keys("job") == ["job/0001.mp4"]
    storage.delete_prefix("job")
    with pytest.raises(NotFound):
        storage.local_path("job/0001.mp4")


def test_a_signature_covers_exactly_one_key_and_expiry() -> None:
    signer = UrlSigner(b"secret")
    query = signer.sign("job/0001.mp4", 60, now=1000)
    assert signer.valid("job/0001.mp4", query["se"], query["sig"], now=1000)
    assert not signer.valid("job/0002.mp4", query["se"], query["sig"], now=1000)
    assert not signer.valid("job/0001.mp4", str(int(query["se"]) + 1), query["sig"], now=1000)
    assert not signer.valid("job/0001.mp4", query["se"], query["sig"], now=1061)
    assert not UrlSigner(b"other").valid("job/0001.mp4", query["se"], query["sig"], now=1000)
