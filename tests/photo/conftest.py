"""A registered public-domain portrait, and helpers to build performances and read frames."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from avatarsynth.avatar import Frame
from avatarsynth.performance import Head, Mouth, Performance
from avatarsynth.photo import Portrait, register

ASTRONAUT = Path(__file__).parent / "data" / "astronaut.png"


@pytest.fixture(scope="session")
def portrait() -> Portrait:
    """The astronaut portrait, registered once for the session."""
    return register(ASTRONAUT.read_bytes())


def still(n_frames: int = 2, fps: int = 25, **channels: float) -> Performance:
    """A performance holding the given channels (by name) for every frame, the rest at 0."""

    def curve(name: str) -> np.ndarray:
        return np.full(n_frames, channels.get(name, 0.0), np.float32)

    mouth = Mouth(*(curve(name) for name in Mouth.__dataclass_fields__))
    head = Head(*(curve(name) for name in Head.__dataclass_fields__))
    return Performance(fps, n_frames, mouth, head, curve("breath"))


def rgb_of(frame: Frame, width: int, height: int) -> np.ndarray:
    """An I420 frame (alpha plane dropped) as RGB, BT.709 limited range."""
    yuv = frame[: height * 3 // 2]
    return np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420), np.uint8)
