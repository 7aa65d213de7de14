"""A fresh machine: the voices prepare into an empty cache, and synthesis then needs no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from avatarsynth.errors import SpeechError

# Run in a child process: every socket connection fails, as with the network unplugged.
OFFLINE_SYNTHESIS = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network is unplugged")
socket.socket.connect = refuse
socket.create_connection = refuse
from avatarsynth.script import InputKind, parse
from avatarsynth.speech import synthesize
speech = synthesize(parse("Hello from an empty cache.", InputKind.PLAIN_TEXT,
                          "en-US-AvaMultilingualNeural"))
print(speech.sample_rate, round(speech.duration_s, 2))
"""


def _run(args: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_a_fresh_cache_prepares_and_then_speaks_offline(tmp_path: Path) -> None:
    cli = str(Path(sys.executable).with_name("avatarsynth"))
    prepared = _run([cli, "voices", "prepare"], tmp_path)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    assert len(list((tmp_path / "avatarsynth/voices/kokoro-v1.0").glob("*.bin"))) == 31
    spoken = _run([sys.executable, "-c", OFFLINE_SYNTHESIS], tmp_path)
    assert spoken.returncode == 0, spoken.stderr
    rate, seconds = spoken.stdout.split()
    assert rate == "24000" and float(seconds) > 1.0


def test_an_unprepared_cache_says_what_to_run(tmp_path: Path) -> None:
    from avatarsynth.speech._kokoro_files import model_path, require

    with pytest.raises(SpeechError, match="avatarsynth voices prepare"):
        require(model_path(tmp_path))


def test_a_tampered_voice_pack_is_refused(tmp_path: Path) -> None:
    import io
    import tarfile

    from avatarsynth.speech._kokoro_files import prepare_kokoro

    fake = tmp_path / "kokoro-js-1.2.1.tgz"
    with tarfile.open(fake, "w:gz") as archive:
        info = tarfile.TarInfo("package/voices/af_heart.bin")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"fake"))
    (tmp_path / "cache").mkdir()
    model = tmp_path / "cache/kokoro-v1.0"
    model.mkdir()
    (model / "kokoro-v1.0.int8.6e742170d309.durations.onnx").write_bytes(b"")
    with pytest.raises(SpeechError, match="sha256"):
        prepare_kokoro(tmp_path / "cache", fake)
