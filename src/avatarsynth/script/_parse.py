"""Text or SSML → :class:`Utterance`: the script stage's one entry point."""

from __future__ import annotations

import enum
from collections.abc import Callable

from avatarsynth.errors import InvalidScript
from avatarsynth.script._prosody import ProsodyRequest, pitch_factor, rate_factor, volume_factor
from avatarsynth.script._ssml import parse_ssml
from avatarsynth.script._text import clean
from avatarsynth.script._utterance import Pause, Prosody, Segment, Speak, Utterance

MAX_INPUT_CHARACTERS = 100_000


class InputKind(enum.StrEnum):
    """How an input's content is written (Azure's ``inputKind``)."""

    PLAIN_TEXT = "PlainText"
    SSML = "SSML"


def _prosody(request: ProsodyRequest) -> Prosody:
    """Unreadable values fall back to the default, as Azure ignores them."""
    return Prosody(
        rate=rate_factor(request.rate) or 1.0,
        pitch=pitch_factor(request.pitch) or 1.0,
        volume=v if (v := volume_factor(request.volume)) is not None else 1.0,
    )


def _parse_plain(
    content: str, voice: str, prosody: Prosody
) -> tuple[tuple[Segment, ...], tuple[str, ...]]:
    """Paragraphs are separated by line breaks (Azure documents ``\\r\\n``)."""
    if not voice:
        raise InvalidScript("Plain text needs synthesisConfig.voice.")
    paragraphs = [p for line in content.splitlines() if (p := clean(line).strip())]
    if not paragraphs:
        raise InvalidScript("The input has no text to speak.")
    segments: list[Segment] = []
    for paragraph in paragraphs:
        if segments:
            segments.append(Pause(0.0))
        segments.append(Speak(paragraph, voice, prosody))
    return tuple(segments), ()


_PARSERS: dict[
    InputKind, Callable[[str, str, Prosody], tuple[tuple[Segment, ...], tuple[str, ...]]]
] = {
    InputKind.PLAIN_TEXT: _parse_plain,
    InputKind.SSML: parse_ssml,
}


def parse(
    content: str,
    kind: InputKind,
    voice: str = "",
    prosody: ProsodyRequest | None = None,
) -> Utterance:
    """Turn one input into what is to be said; raises :class:`InvalidScript` when it cannot be."""
    if len(content) > MAX_INPUT_CHARACTERS:
        raise InvalidScript(
            f"An input may hold at most {MAX_INPUT_CHARACTERS} characters; "
            f"this one has {len(content)}."
        )
    segments, warnings = _PARSERS[kind](content, voice, _prosody(prosody or ProsodyRequest()))
    return Utterance(segments=segments, warnings=warnings)
