"""The espeak-ng engine (``espeakng-loader`` wheel: the library and its data), for every
locale without a neural voice.

espeak-ng reports PHONEME and WORD events at exact sample positions through its synth callback,
so its timings are read, never guessed. The library keeps global state: one lock serialises
its use within a process, and it is initialised once, on first use.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from dataclasses import dataclass, field

import espeakng_loader
import numpy as np
import numpy.typing as npt

from avatarsynth.errors import SpeechError
from avatarsynth.speech._phones import RawPhone, fold

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_PHONEME_IPA = 0x0002
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_END_OF_LIST, _EVENT_WORD, _EVENT_PHONEME = 0, 1, 7
_PARAMETER_RATE, _PARAMETER_VOLUME, _PARAMETER_PITCH = 1, 2, 3
_DEFAULT_WPM, _DEFAULT_PITCH = 175, 50
_GENDERS = {"male": 1, "female": 2}
_LOCK = threading.Lock()


class _EventId(ctypes.Union):
    _fields_ = (("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8))


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    )


class _VoiceSpec(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class _Capture:
    """What one synthesis call delivered through the callback."""

    audio: list[npt.NDArray[np.int16]] = field(default_factory=list)
    phones: list[tuple[str, int]] = field(default_factory=list)
    words: list[tuple[int, int, int]] = field(default_factory=list)

    def receive(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        if count > 0:
            self.audio.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events[index].type != _EVENT_END_OF_LIST:
            event = events[index]
            if event.type == _EVENT_PHONEME:
                self.phones.append((event.id.string.decode("utf-8", "replace"), event.sample))
            elif event.type == _EVENT_WORD:
                self.words.append((event.text_position - 1, event.length, event.sample))
            index += 1
        return 0


class _Library:
    """The loaded library with its callback kept alive."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.sample_rate = int(
            self.lib.espeak_Initialize(
                _AUDIO_OUTPUT_SYNCHRONOUS,
                0,
                espeakng_loader.get_data_path().encode(),
                _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA,
            )
        )
        if self.sample_rate <= 0:
            raise SpeechError("espeak-ng could not be initialised.")
        self.capture = _Capture()
        self.callback = _Callback(
            lambda wav, count, events: self.capture.receive(wav, count, events)
        )
        self.lib.espeak_SetSynthCallback(self.callback)


@functools.cache
def _library() -> _Library:
    return _Library()


def sample_rate() -> int:
    """espeak-ng's output rate (22050 Hz)."""
    return _library().sample_rate


@functools.cache
def has_language(language: str) -> bool:
    """Whether espeak-ng has a voice for this language code (``de``, ``pt-br``, ``cmn``…)."""
    with _LOCK:
        return bool(_library().lib.espeak_SetVoiceByName(language.encode()) == 0)


def _select(library: _Library, language: str, gender: str) -> None:
    spec = _VoiceSpec(languages=language.encode(), gender=_GENDERS.get(gender.lower(), 0))
    if library.lib.espeak_SetVoiceByProperties(ctypes.byref(spec)) != 0:
        raise SpeechError(f"espeak-ng has no voice for '{language}'.")


def _set_prosody(library: _Library, rate: float, pitch: float, volume: float) -> None:
    library.lib.espeak_SetParameter(_PARAMETER_RATE, round(_DEFAULT_WPM * rate), 0)
    library.lib.espeak_SetParameter(_PARAMETER_PITCH, min(99, round(_DEFAULT_PITCH * pitch)), 0)
    library.lib.espeak_SetParameter(_PARAMETER_VOLUME, round(100 * volume), 0)


def _run(library: _Library, text: str) -> _Capture:
    library.capture = _Capture()
    encoded = text.encode("utf-8")
    status = library.lib.espeak_Synth(
        encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
    )
    if status != 0:
        raise SpeechError(f"espeak-ng failed to synthesize (status {status}).")
    return library.capture


def _phones(capture: _Capture, total: int) -> list[RawPhone]:
    """Events mark where each phone starts; it lasts until the next one (or the end).

    An event with no symbol is a pause. A multi-symbol phone (``ˈuː``, ``ts``) shares its
    length among its code points, which ``fold`` then regroups.
    """
    starts = [(symbol or "_", sample) for symbol, sample in capture.phones]
    if not starts or starts[0][1] > 0:
        starts.insert(0, ("^", 0))
    symbols: list[str] = []
    lengths: list[int] = []
    for (symbol, start), (_, end) in zip(starts, [*starts[1:], ("$", total)], strict=True):
        length = max(end - start, 0)
        if symbol == "_" and length == 0:
            continue
        shares = [length // len(symbol)] * len(symbol)
        shares[-1] += length - sum(shares)
        symbols.extend(symbol)
        lengths.extend(shares)
    return fold(symbols, lengths)


def _words(text: str, capture: _Capture, total: int) -> list[tuple[str, int, int]]:
    """Each word runs from its event to the next word's; the caller trims trailing pauses."""
    ends = [sample for _, _, sample in capture.words[1:]] + [total]
    return [
        (text[start : start + length], sample, end)
        for (start, length, sample), end in zip(capture.words, ends, strict=True)
    ]


def speak(
    text: str, language: str, gender: str, rate: float, pitch: float, volume: float
) -> tuple[npt.NDArray[np.float32], list[RawPhone], list[tuple[str, int, int]]]:
    """Synthesize one run of plain text: audio, phones, and words with sample spans."""
    with _LOCK:
        library = _library()
        _select(library, language, gender)
        _set_prosody(library, rate, pitch, volume)
        capture = _run(library, text)
    audio = np.concatenate(capture.audio) if capture.audio else np.zeros(0, dtype=np.int16)
    total = len(audio)
    samples = audio.astype(np.float32) / 32768.0
    return samples, _phones(capture, total), _words(text, capture, total)
