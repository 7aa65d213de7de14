"""The client commands against a real server: ``submit --wait -o`` writes a playable MP4, and
``jobs``, ``job`` and ``delete`` see and remove it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from tests.e2e.conftest import API_KEY, Server

pytestmark = pytest.mark.slow


def cli(served: Server, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``avatarsynth ARGS`` with the server and key from the environment, as a user sets them."""
    env = {**os.environ, "AVATARSYNTH_URL": served.url, "AVATARSYNTH_KEY": API_KEY}
    return subprocess.run(
        [sys.executable, "-m", "avatarsynth", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_submit_waits_and_writes_a_playable_mp4(served: Server, tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("Hello from the command line. This is the second sentence.\n")
    done = cli(
        served,
        "submit",
        "script.txt",
        "--character",
        "lisa",
        "--voice",
        "en-US-JennyNeural",
        "--id",
        "cli-test",
        "--wait",
        "-o",
        "out.mp4",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Succeeded" in done.stderr and "100%" in done.stderr

    with av.open(str(tmp_path / "out.mp4")) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.width, video.height) == ("h264", 1920, 1080)
        assert audio.codec_context.name == "aac"
        assert container.duration is not None and container.duration / av.time_base > 2.0
        frames = [frame.to_ndarray(format="gray") for frame in container.decode(video)]
    assert len(frames) > 50
    assert np.abs(frames[len(frames) // 2].astype(int) - frames[0].astype(int)).max() > 0

    listed = cli(served, "jobs", cwd=tmp_path)
    assert "cli-test" in listed.stdout and "Succeeded" in listed.stdout
    shown = json.loads(cli(served, "job", "cli-test", cwd=tmp_path).stdout)
    assert shown["avatarConfig"]["talkingAvatarCharacter"] == "lisa"
    assert shown["synthesisConfig"]["voice"] == "en-US-JennyNeural"
    assert cli(served, "delete", "cli-test", cwd=tmp_path).returncode == 0
    missing = cli(served, "job", "cli-test", cwd=tmp_path)
    assert missing.returncode == 2 and "NotFound" in missing.stderr


def test_a_wrong_key_is_the_servers_message(served: Server, tmp_path: Path) -> None:
    done = cli(served, "jobs", "--key", "wrong", cwd=tmp_path)
    assert done.returncode == 2
    assert "Unauthorized: Access denied" in done.stderr


def test_render_without_a_server_writes_webm_as_vp9(tmp_path: Path) -> None:
    """``avatarsynth render -o clip.webm``: the container follows the file name and the codec
    follows the container (h264 cannot go into WebM)."""
    done = subprocess.run(
        [sys.executable, "-m", "avatarsynth", "render", "Hello.", "-o", "clip.webm"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with av.open(str(tmp_path / "clip.webm")) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width) == ("vp9", 1920)
        assert sum(1 for _ in container.decode(video=0)) > 10
