"""Speech made once per test session and shared: the neural engines load once per process, and
the texts are short, because Kokoro costs about 1.5 CPU-seconds per second of audio."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from avatarsynth.script import InputKind, parse
from avatarsynth.speech import Speech, synthesize

Speak = Callable[[str, str], Speech]


def ssml(body: str, voice: str) -> str:
    return f'<speak version="1.0" xml:lang="en-US"><voice name="{voice}">{body}</voice></speak>'


@pytest.fixture(scope="session")
def spoken() -> Speak:
    """``spoken(body, voice)``: SSML body in one voice, synthesised once per session."""
    made: dict[tuple[str, str], Speech] = {}

    def speak(body: str, voice: str) -> Speech:
        if (body, voice) not in made:
            made[body, voice] = synthesize(parse(ssml(body, voice), InputKind.SSML))
        return made[body, voice]

    return speak
