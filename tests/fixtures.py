"""Data and helpers that several test modules share. Test modules import them from here, never
from one another, so a helper is not hidden among another file's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from avatarsynth.frame import Frame
from avatarsynth.performance import Head, Mouth, Performance

SAMPLE_RATE = 22050
GERMAN_REPORT = (
    "Der Quartalsbericht zeigt ein stetiges Wachstum in allen Regionen.",
    "Unsere Teams haben zwei Büros eröffnet und vierzig Ingenieure eingestellt.",
    "Die Kunden sagen, dass der Support schneller antwortet als je zuvor.",
    "Im nächsten Frühjahr bringen wir drei Produkte für kleine Firmen heraus.",
    "Vielen Dank für die harte Arbeit, die diese Ergebnisse möglich gemacht hat.",
)
"""Five German sentences that espeak-ng speaks in about 19 s: long videos, cheaply."""


def tone(seconds: float) -> np.ndarray:
    """A 220 Hz sine, as the audio of test videos."""
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def grey_frames(count: int, width: int, height: int) -> list[Frame]:
    """Mid-grey opaque frames."""
    return [np.full((height * 3 // 2, width), 128, dtype=np.uint8) for _ in range(count)]


SENTENCES = {  # one sentence per language an engine serves
    "de-DE": "Guten Morgen, wie geht es dir heute?",
    "fr-FR": "Bonjour, comment allez-vous aujourd'hui?",
    "es-ES": "Hola, ¿cómo estás hoy?",
    "it-IT": "Buongiorno, come stai oggi?",
    "pt-BR": "Bom dia, como você está hoje?",
    "zh-CN": "你好，今天天气很好。",
    "ja-JP": "こんにちは、今日はいい天気ですね。",
    "ar-EG": "مرحبا، كيف حالك اليوم؟",
    "hi-IN": "नमस्ते, आज आप कैसे हैं?",
    "ru-RU": "Здравствуйте, как ваши дела сегодня?",
}


LEGACY = "/api/texttospeech/3.1-preview1/batchsynthesis/talkingavatar"


def legacy_body(text: str = "Hi, I'm a virtual assistant.", **properties: Any) -> dict[str, Any]:
    """The body of Azure's legacy Python sample."""
    return {
        "displayName": "Simple avatar synthesis",
        "description": "Simple avatar synthesis description",
        "textType": "PlainText",
        "synthesisConfig": {"voice": "en-US-JennyNeural"},
        "customVoices": {},
        "inputs": [{"text": text}],
        "properties": {
            "customized": False,
            "talkingAvatarCharacter": "lisa",
            "talkingAvatarStyle": "graceful-sitting",
            "videoFormat": "mp4",
            "videoCodec": "h264",
            "subtitleType": "soft_embedded",
            "backgroundColor": "#FFFFFFFF",
            **properties,
        },
    }


ASTRONAUT = Path(__file__).parent / "photo" / "data" / "astronaut.png"
"""A public-domain NASA portrait (see photo/data/PROVENANCE.md): the photo avatars' test face."""


def still(n_frames: int = 2, fps: int = 25, **channels: float) -> Performance:
    """A performance holding the given channels (by name) for every frame, the rest at 0."""

    def curve(name: str) -> np.ndarray:
        return np.full(n_frames, channels.get(name, 0.0), np.float32)

    mouth = Mouth(*(curve(name) for name in Mouth.__dataclass_fields__))
    head = Head(*(curve(name) for name in Head.__dataclass_fields__))
    return Performance(fps, n_frames, mouth, head, curve("breath"), curve("sway"))


def rgb_of(frame: Frame, width: int, height: int) -> np.ndarray:
    """An I420 frame (alpha plane dropped) as RGB (OpenCV's BT.601 matrix: for looking)."""
    yuv = frame[: height * 3 // 2]
    return np.asarray(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420), np.uint8)
