"""SSML → segments, with a hardened parser.

The parser refuses DTDs, entity declarations and external references (defusedxml), so entity
bombs fail fast; nesting is limited. Supported: ``speak``, ``voice``, ``p``, ``s``, ``break``,
``prosody``, ``emphasis``, ``say-as``, ``sub``, ``lang``, ``bookmark``, ``phoneme`` (IPA),
``mstts:express-as``, ``mstts:silence``. Any other element is spoken as its text and reported
in the warnings: text is never dropped silently. ``audio`` is refused (no files are fetched).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from avatarsynth.errors import InvalidScript
from avatarsynth.script._prosody import pitch_factor, rate_factor, volume_factor
from avatarsynth.script._sayas import NotReadable, expand
from avatarsynth.script._text import clean
from avatarsynth.script._utterance import Bookmark, Pause, Prosody, Segment, Speak

MAX_DEPTH = 32
MAX_BREAK_S = 20.0
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Azure's strengths, in seconds.
_BREAK_STRENGTHS = {
    "none": 0.0,
    "x-weak": 0.25,
    "weak": 0.5,
    "medium": 0.75,
    "strong": 1.0,
    "x-strong": 1.25,
}
_SENTENCE_GAP_S = 0.0


@dataclass(frozen=True)
class _Context:
    """What applies to text at one point of the document."""

    voice: str
    prosody: Prosody = field(default_factory=Prosody)
    lang: str | None = None


@dataclass
class _Walk:
    """Accumulates segments while the tree is walked in document order."""

    segments: list[Segment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def say(self, text: str, context: _Context) -> None:
        text = clean(text)
        last = self.segments[-1] if self.segments else None
        if (
            isinstance(last, Speak)
            and last.phonemes is None
            and (last.voice, last.prosody, last.lang)
            == (context.voice, context.prosody, context.lang)
        ):
            if not last.text.endswith(" ") or text.strip():
                self.segments[-1] = replace(last, text=last.text + text)
        elif text.strip():
            self.segments.append(Speak(text.lstrip(), context.voice, context.prosody, context.lang))

    def boundary(self) -> None:
        """End the current run of text (a paragraph or sentence ends here)."""
        if self.segments and isinstance(self.segments[-1], Speak):
            self.segments.append(Pause(_SENTENCE_GAP_S))


def _local(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1].lower()


def _parse_xml(document: str) -> ET.Element:
    try:
        root: ET.Element = fromstring(
            document, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise InvalidScript(
            "SSML must not contain a DTD, entity declarations or external references."
        ) from exc
    except ET.ParseError as exc:
        raise InvalidScript(f"SSML is not well-formed XML: {exc}.") from exc
    if _local(root.tag) != "speak":
        raise InvalidScript(
            f"SSML must have <speak> as its root element, not <{_local(root.tag)}>."
        )
    _check_depth(root)
    return root


def _check_depth(root: ET.Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidScript(f"SSML is nested deeper than {MAX_DEPTH} elements.")
        stack.extend((child, depth + 1) for child in element)


def parse_duration_s(value: str) -> float | None:
    """``500ms``, ``1.5s`` or a bare number of milliseconds; ``None`` when unreadable."""
    text = value.strip().lower()
    scale = 1.0
    if text.endswith("ms"):
        text, scale = text[:-2], 0.001
    elif text.endswith("s"):
        text = text[:-1]
    else:
        scale = 0.001
    try:
        seconds = float(text) * scale
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _break(element: ET.Element, walk: _Walk) -> None:
    time = element.get("time")
    if time is not None:
        seconds = parse_duration_s(time)
        if seconds is None:
            raise InvalidScript(f'<break time="{time}"> is not a duration such as "500ms" or "1s".')
    else:
        strength = (element.get("strength") or "medium").lower()
        if strength not in _BREAK_STRENGTHS:
            raise InvalidScript(
                f'<break strength="{strength}"> must be one of {", ".join(_BREAK_STRENGTHS)}.'
            )
        seconds = _BREAK_STRENGTHS[strength]
    if seconds > MAX_BREAK_S:
        walk.warnings.append(f"A {seconds:g} s break was shortened to {MAX_BREAK_S:g} s.")
        seconds = MAX_BREAK_S
    walk.segments.append(Pause(seconds))


def _prosody(element: ET.Element, context: _Context) -> _Context:
    base = context.prosody
    rate = rate_factor(element.get("rate"))
    pitch = pitch_factor(element.get("pitch"))
    volume = volume_factor(element.get("volume"))
    return replace(
        context,
        prosody=Prosody(
            rate=base.rate * rate if rate is not None else base.rate,
            pitch=base.pitch * pitch if pitch is not None else base.pitch,
            volume=base.volume * volume if volume is not None else base.volume,
        ),
    )


def _voice(element: ET.Element, context: _Context) -> _Context:
    name = (element.get("name") or "").strip()
    if not name:
        raise InvalidScript(
            '<voice> needs a name attribute, e.g. name="en-US-AvaMultilingualNeural".'
        )
    return _Context(voice=name)


def _lang(element: ET.Element, context: _Context) -> _Context:
    return replace(context, lang=element.get(_XML_LANG) or context.lang)


def _language(context: _Context) -> str:
    """The language spoken here: ``<lang>``, else the voice name's locale prefix."""
    return (context.lang or context.voice).split("-")[0].lower()


def _say_as(element: ET.Element, context: _Context, walk: _Walk) -> None:
    text = "".join(element.itertext())
    kind = element.get("interpret-as") or ""
    try:
        read = expand(text, kind, element.get("format") or "", _language(context) == "en")
    except KeyError:
        walk.warnings.append(f'<say-as interpret-as="{kind}"> is not supported; spoken as written.')
        read = text
    except NotReadable:
        walk.warnings.append(f'"{text}" is not a valid {kind}; spoken as written.')
        read = text
    walk.say(read, context)


# mstts:express-as styles heard as prosody: (rate, pitch, volume) at styledegree 1.
_STYLES = {
    "cheerful": (1.08, 1.08, 1.05),
    "excited": (1.15, 1.12, 1.15),
    "friendly": (1.03, 1.05, 1.0),
    "hopeful": (1.0, 1.05, 1.0),
    "sad": (0.88, 0.94, 0.85),
    "depressed": (0.82, 0.9, 0.8),
    "angry": (1.1, 1.03, 1.25),
    "shouting": (1.05, 1.08, 1.4),
    "whispering": (0.92, 1.0, 0.45),
    "terrified": (1.2, 1.15, 1.0),
    "calm": (0.92, 0.97, 0.9),
    "gentle": (0.93, 0.98, 0.85),
    "serious": (0.95, 0.95, 1.0),
    "newscast": (1.05, 1.0, 1.05),
    "narration-relaxed": (0.95, 1.0, 1.0),
}


def _express_as(element: ET.Element, context: _Context) -> _Context:
    style = (element.get("style") or "").lower()
    rate, pitch, volume = _STYLES.get(style, (1.0, 1.0, 1.0))
    try:
        degree = min(max(float(element.get("styledegree") or 1.0), 0.01), 2.0)
    except ValueError:
        degree = 1.0
    base = context.prosody
    return replace(
        context,
        prosody=Prosody(
            rate=base.rate * (1 + (rate - 1) * degree),
            pitch=base.pitch * (1 + (pitch - 1) * degree),
            volume=base.volume * (1 + (volume - 1) * degree),
        ),
    )


def _style_note(element: ET.Element) -> str:
    """Local voices have no speaking styles: a known one is approximated, others are plain."""
    style = (element.get("style") or "").lower()
    if style in _STYLES:
        return (
            f'Style "{style}" has no voice of its own here; '
            "it was approximated by rate, pitch and volume."
        )
    return f'Style "{style}" is not available here; the text was spoken plainly.'


def _phoneme(element: ET.Element, context: _Context, walk: _Walk) -> None:
    text = "".join(element.itertext())
    alphabet = (element.get("alphabet") or "ipa").lower()
    ipa = (element.get("ph") or "").strip()
    if alphabet != "ipa" or not ipa:
        walk.warnings.append(
            f'<phoneme alphabet="{alphabet}"> needs IPA in ph; the text was read instead.'
        )
        walk.say(text, context)
        return
    written = clean(text).strip() or ipa
    walk.segments.append(Speak(written, context.voice, context.prosody, context.lang, ipa))


def _silence(element: ET.Element, walk: _Walk) -> None:
    seconds = parse_duration_s(element.get("value") or "")
    if seconds is None:
        raise InvalidScript('<mstts:silence> needs a value such as value="200ms".')
    walk.segments.append(Pause(min(seconds, MAX_BREAK_S)))


# Elements whose only effect is on the context of the text inside them.
_CONTEXTS: dict[str, Callable[[ET.Element, _Context], _Context]] = {
    "speak": lambda element, context: context,
    "voice": _voice,
    "prosody": _prosody,
    "lang": _lang,
    "emphasis": lambda element, context: context,
    "express-as": _express_as,
    "p": lambda element, context: context,
    "s": lambda element, context: context,
}
_BOUNDARIES = frozenset({"p", "s"})


def _children(element: ET.Element, context: _Context, walk: _Walk) -> None:
    if element.text:
        walk.say(element.text, context)
    for child in element:
        _element(child, context, walk)
        if child.tail:
            walk.say(child.tail, context)


def _element(element: ET.Element, context: _Context, walk: _Walk) -> None:
    name = _local(element.tag)
    if name == "break":
        _break(element, walk)
    elif name == "bookmark":
        walk.segments.append(Bookmark((element.get("mark") or "").strip()))
    elif name == "silence":
        _silence(element, walk)
    elif name == "say-as":
        _say_as(element, context, walk)
    elif name == "phoneme":
        _phoneme(element, context, walk)
    elif name == "sub":
        walk.say(element.get("alias") or "".join(element.itertext()), context)
    elif name == "audio":
        raise InvalidScript("<audio> is not allowed: avatarsynth does not fetch audio files.")
    elif name in _CONTEXTS:
        if name == "express-as":
            walk.warnings.append(_style_note(element))
        if name in _BOUNDARIES:
            walk.boundary()
        _children(element, _CONTEXTS[name](element, context), walk)
        if name in _BOUNDARIES:
            walk.boundary()
    else:
        walk.warnings.append(f"<{name}> is not supported; its text was spoken as written.")
        _children(element, context, walk)


def _trimmed(segments: list[Segment]) -> Iterator[Segment]:
    """Trim text runs and drop the zero-length pauses left by boundaries at either end."""
    start = next((i for i, s in enumerate(segments) if not _is_gap(s)), len(segments))
    end = len(segments)
    while end > start and _is_gap(segments[end - 1]):
        end -= 1
    for segment in segments[start:end]:
        yield replace(segment, text=segment.text.strip()) if isinstance(segment, Speak) else segment


def _is_gap(segment: Segment) -> bool:
    return isinstance(segment, Pause) and segment.duration_s == 0.0


def parse_ssml(
    document: str, default_voice: str, prosody: Prosody
) -> tuple[tuple[Segment, ...], tuple[str, ...]]:
    """Parse an SSML document; text outside any ``<voice>`` uses ``default_voice``."""
    root = _parse_xml(document)
    walk = _Walk()
    _element(root, _Context(voice=default_voice, prosody=prosody, lang=root.get(_XML_LANG)), walk)
    segments = tuple(_trimmed(walk.segments))
    if not any(isinstance(s, Speak) for s in segments):
        raise InvalidScript("The SSML document contains no text to speak.")
    if any(isinstance(s, Speak) and not s.voice for s in segments):
        raise InvalidScript(
            'Text must be inside a <voice name="…"> element (or set synthesisConfig.voice).'
        )
    return segments, tuple(dict.fromkeys(walk.warnings))
