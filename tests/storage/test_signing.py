"""Signed result URLs: valid until they expire, useless for another key or when tampered."""

from __future__ import annotations

import stat
from pathlib import Path

from avatarsynth.storage import UrlSigner, load_secret

NOW = 1_800_000_000.0


def test_a_signature_is_valid_for_its_key_until_it_expires() -> None:
    signer = UrlSigner(b"secret")
    query = signer.sign("job/0001.mp4", 60, now=NOW)
    assert query["se"] == str(int(NOW) + 60)
    assert signer.valid("job/0001.mp4", query["se"], query["sig"], now=NOW + 60)
    assert not signer.valid("job/0001.mp4", query["se"], query["sig"], now=NOW + 61)


def test_tampering_with_key_expiry_or_signature_fails() -> None:
    signer = UrlSigner(b"secret")
    query = signer.sign("job/0001.mp4", 60, now=NOW)
    assert not signer.valid("job/0002.mp4", query["se"], query["sig"], now=NOW)
    assert not signer.valid("job/0001.mp4", str(int(query["se"]) + 1), query["sig"], now=NOW)
    assert not signer.valid("job/0001.mp4", query["se"], query["sig"][:-1] + "A", now=NOW)
    assert not signer.valid("job/0001.mp4", "-5", query["sig"], now=NOW)
    assert not signer.valid("job/0001.mp4", "", "", now=NOW)
    assert not signer.valid("job/0001.mp4", "²", query["sig"], now=NOW)  # a digit, not a number
    assert not UrlSigner(b"other").valid("job/0001.mp4", query["se"], query["sig"], now=NOW)


def test_the_generated_secret_is_made_once_and_private(tmp_path: Path) -> None:
    first = load_secret("", tmp_path / "var")
    assert load_secret("", tmp_path / "var") == first and len(first) >= 32
    mode = (tmp_path / "var" / "signing-secret").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_configured_secret_wins(tmp_path: Path) -> None:
    assert load_secret("configured", tmp_path) == b"configured"
    assert not (tmp_path / "signing-secret").exists()
