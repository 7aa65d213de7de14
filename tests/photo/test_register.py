"""Registering a portrait: the public-domain test portrait is accepted and measured once;
photos the presenter cannot animate are refused, each with a message saying why."""

from __future__ import annotations

import hashlib
import struct
import subprocess
import sys
import zlib
from importlib import metadata

import cv2
import numpy as np
import pytest

from avatarsynth.errors import InvalidRequest
from avatarsynth.photo import Portrait, register
from tests.fixtures import ASTRONAUT

ASTRONAUT_SHA256 = "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"


def _png(bgr: np.ndarray) -> bytes:
    return bytes(cv2.imencode(".png", bgr)[1].tobytes())


def _astronaut() -> np.ndarray:
    return np.asarray(cv2.imread(str(ASTRONAUT)), np.uint8)


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def _jpeg_shot_sideways(bgr: np.ndarray) -> bytes:
    """The photo as a phone stores it when held sideways: pixels turned a quarter left, and an
    EXIF orientation tag (6: turn right to view) in an APP1 segment after the JPEG's SOI."""
    turned = cv2.rotate(bgr, cv2.ROTATE_90_COUNTERCLOCKWISE)
    jpeg = bytes(cv2.imencode(".jpg", turned, [cv2.IMWRITE_JPEG_QUALITY, 95])[1].tobytes())
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0)  # Orientation, SHORT, 1 value: 6
    tiff = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + struct.pack(">I", 0)
    app1 = b"Exif\0\0" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def test_the_test_portrait_is_the_public_domain_one() -> None:
    assert hashlib.sha256(ASTRONAUT.read_bytes()).hexdigest() == ASTRONAUT_SHA256


def test_the_astronaut_registers_head_and_shoulders(portrait: Portrait) -> None:
    side = portrait.side
    assert portrait.rgb.shape == (side, side, 3) and side >= 256
    points = portrait.landmarks
    assert points.shape == (478, 2)
    face_height = points[152, 1] - points[10, 1]
    assert 0.3 < face_height / side < 0.42  # head and shoulders, not a close-up
    assert portrait.person[side // 2, side // 2] > 200  # her face is the person
    assert portrait.person[5, 5] < 50  # the studio backdrop is not
    assert portrait.interior[..., 3].sum() > 0  # she smiles with her teeth showing
    eye = points[159].astype(int)
    assert np.abs(portrait.closed_eyes.astype(int) - portrait.rgb.astype(int)).sum() > 0
    assert np.array_equal(portrait.closed_eyes[5, 5], portrait.rgb[5, 5])
    assert not np.array_equal(portrait.closed_eyes[eye[1], eye[0]], portrait.rgb[eye[1], eye[0]])


def test_a_portrait_survives_storage(portrait: Portrait) -> None:
    again = Portrait.from_bytes(portrait.to_bytes())
    assert np.array_equal(again.rgb, portrait.rgb)
    assert np.array_equal(again.landmarks, portrait.landmarks)
    assert again.cavity_rgb == portrait.cavity_rgb
    assert portrait.preview_png().startswith(b"\x89PNG")


def test_a_photo_shot_sideways_registers_upright(portrait: Portrait) -> None:
    """Phones store a sideways shot's pixels turned, with an EXIF orientation: the portrait is
    the upright face, framed as the upright file is."""
    turned = register(_jpeg_shot_sideways(_astronaut()))
    forehead, chin = turned.landmarks[10], turned.landmarks[152]
    assert chin[1] - forehead[1] > 0.3 * turned.side  # upright, not lying on its side
    scale = turned.side / portrait.side
    drift = np.abs(turned.landmarks / scale - portrait.landmarks).max()
    assert drift < 0.02 * portrait.side


def test_mediapipe_runs_from_its_wheel_with_numpy_2_and_no_network() -> None:
    """The face models load from the installed wheel with every socket refused."""
    assert metadata.version("mediapipe") == "0.10.21"
    assert int(np.__version__.split(".")[0]) >= 2
    script = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('no network in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from avatarsynth.photo import register\n"
        f"register(open({str(ASTRONAUT)!r}, 'rb').read())\n"
        "print('registered')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert "registered" in result.stdout, result.stderr[-2000:]


REFUSALS = {
    "not an image": (lambda: b"Dear operator, here is my photo.", "not a PNG, JPEG, WebP or GIF"),
    "a decompression bomb": (lambda: _bomb_png(60_000, 60_000), "60000×60000 pixels"),
    "an oversized file": (lambda: b"\0" * (21 * 1024 * 1024), "over 20 MB"),
    "no face": (lambda: _png(np.full((400, 400, 3), 128, np.uint8)), "No face"),
    "two faces": (lambda: _png(np.hstack([_astronaut(), _astronaut()])), "2 faces"),
    "a small face": (lambda: _png(cv2.resize(_astronaut(), (160, 160))), "too small"),
    "a tilted face": (
        lambda: _png(
            cv2.warpAffine(
                _astronaut(),
                cv2.getRotationMatrix2D((225, 130), 40, 1),
                (512, 512),
                borderMode=cv2.BORDER_REPLICATE,
            )
        ),
        "turned too far",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_unusable_photos_are_refused_saying_why(case: str) -> None:
    make, expected = REFUSALS[case]
    with pytest.raises(InvalidRequest, match=expected):
        register(make())


def test_closed_eyes_are_refused(portrait: Portrait) -> None:
    shut = cv2.cvtColor(portrait.closed_eyes, cv2.COLOR_RGB2BGR)
    with pytest.raises(InvalidRequest, match="eyes are closed"):
        register(_png(shut))
