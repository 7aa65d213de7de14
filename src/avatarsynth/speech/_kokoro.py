"""The Kokoro-82M neural engine (int8 ONNX, 24 kHz): phonemes → audio and exact phone lengths.

onnxruntime is called directly rather than through ``kokoro-onnx``: the model needs one extra
output (per-token durations) that the wrapper does not return, espeak-ng (inside piper, already
shipped) phonemizes, and the wrapper would add a second phonemizer stack for ~60 lines of glue.

The session is built once per process, from the prepared file (onnxruntime needs a path, not
bytes); voice packs load on first use. The model's ``durations`` output gives every token's
length in 600-sample frames; the audio is exactly their sum, so phones tile it (also after the
long silences at each end are shortened).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from importlib.resources import files

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from avatarsynth.errors import SpeechError
from avatarsynth.speech import _espeakbridge
from avatarsynth.speech._kokoro_files import (
    DURATIONS_OUTPUT,
    PACK_SHAPE,
    model_path,
    pack_path,
    require,
)
from avatarsynth.speech._onnx import onnx_errors
from avatarsynth.speech._phones import RawPhone, fold, is_silent
from avatarsynth.speech._prepared import cache_dir

SAMPLE_RATE = 24000
FRAME_SAMPLES = 600
MAX_TOKENS = 510
# espeak-ng symbols Kokoro was not trained on, as upstream's own phonemizer replaces them.
_REPLACE = str.maketrans({"r": "ɹ", "ʲ": "j", "x": "k", "ɬ": "l"})
_LANGUAGE_FLAG = re.compile(r"\([^)]*\)")
_LOAD_LOCK = threading.Lock()
# Kokoro starts every piece with about 350 ms of silence and ends it with about 400 ms; between
# two sentences that reads as a hesitation. Keep 100 ms before the first sound, 150 ms after.
_QUIET = 0.01
_KEEP_BEFORE, _KEEP_AFTER = SAMPLE_RATE // 10, SAMPLE_RATE * 3 // 20
_END_MARGIN = SAMPLE_RATE // 20


@functools.cache
def _vocab() -> dict[str, int]:
    text = files("avatarsynth.speech").joinpath("data/kokoro-vocab.json").read_text("utf-8")
    vocab: dict[str, int] = json.loads(text)
    return vocab


def session_options() -> ort.SessionOptions:
    """onnxruntime's options: one thread per inference. A server renders one job per core, so
    in a batch the cores are shared, and two threads on one inference then cost about a quarter
    more CPU for the same audio (the threads wait on each other between operators: 15.9 against
    12.6 CPU-s for one paragraph on a loaded machine); on an idle machine it is the same. The
    cores are used by speaking sentences side by side instead (``_engines.spoken_ahead``). The
    audio is the same either way."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return options


def _session() -> ort.InferenceSession:
    """The one session of this process (two threads may ask at once: it is built once)."""
    with _LOAD_LOCK:
        return _loaded_session()


@functools.cache
def _loaded_session() -> ort.InferenceSession:
    path = require(model_path(cache_dir()))
    with onnx_errors("The Kokoro model could not be loaded"):
        return ort.InferenceSession(
            str(path), session_options(), providers=["CPUExecutionProvider"]
        )


@functools.cache
def _pack(name: str) -> npt.NDArray[np.float32]:
    path = require(pack_path(cache_dir(), name))
    return np.fromfile(path, dtype="<f4").reshape(PACK_SHAPE)


@functools.lru_cache(maxsize=4096)
def phonemize(text: str, language: str) -> str:
    """Text → the IPA string Kokoro reads (stress marks and clause punctuation kept)."""
    clauses = _espeakbridge.clauses(text, language)
    spoken = " ".join(_LANGUAGE_FLAG.sub("", p) + t for p, t, _ in clauses)
    return known(spoken.translate(_REPLACE))


def known(ipa: str) -> str:
    """Only the symbols the model has tokens for (others would be dropped silently)."""
    vocab = _vocab()
    return "".join(c for c in ipa if c in vocab).strip()


def _chunks(ipa: str) -> list[str]:
    """Pieces of at most ``MAX_TOKENS - 2`` symbols, cut at word spaces."""
    pieces, current = [], ""
    for word in ipa.split(" "):
        if current and len(current) + 1 + len(word) > MAX_TOKENS - 2:
            pieces.append(current)
            current = ""
        current = f"{current} {word}" if current else word[: MAX_TOKENS - 2]
    return [*pieces, current] if current else pieces


def _infer(
    ipa: str, pack: str, speed: float
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]:
    tokens = [0, *(_vocab()[c] for c in ipa), 0]
    style = _pack(pack)[len(tokens) - 2]
    feeds = {
        "tokens": np.array([tokens], dtype=np.int64),
        "style": style,
        "speed": np.array([speed], dtype=np.float32),
    }
    with onnx_errors("Kokoro failed to synthesize"):
        audio, durations = _session().run(["audio", DURATIONS_OUTPUT], feeds)
    return np.asarray(audio, np.float32).ravel(), np.asarray(durations, np.int64).ravel()


def _end_on_the_sound(symbols: list[str], lengths: list[int], last_loud: int) -> None:
    """Kokoro's durations let a sentence's last sounds run ~250 ms past its audible end (the
    voice fades while the durations hold): give that excess to the closing pause, so the mouth
    shuts when the sound stops. Each sound keeps at least one 25 ms frame."""
    voiced = [i for i, symbol in enumerate(symbols) if not is_silent(symbol)]
    if not voiced:
        return
    excess = sum(lengths[: voiced[-1] + 1]) - (last_loud + _END_MARGIN)
    for index in reversed(voiced):
        if excess <= 0:
            break
        cut = min(excess, max(0, lengths[index] - FRAME_SAMPLES))
        lengths[index] -= cut
        lengths[-1] += cut
        excess -= cut


def _trimmed(
    samples: npt.NDArray[np.float32], symbols: list[str], lengths: list[int]
) -> npt.NDArray[np.float32]:
    """Shorten the silence at both ends, only inside the edge tokens' own lengths (which are
    changed in place), so the phones still tile what is left."""
    loud = np.flatnonzero(np.abs(samples) > _QUIET)
    if len(loud) == 0:
        return samples
    _end_on_the_sound(symbols, lengths, int(loud[-1]))
    head = min(max(0, int(loud[0]) - _KEEP_BEFORE), lengths[0])
    lengths[0] -= head
    tail = max(0, len(samples) - 1 - int(loud[-1]) - _KEEP_AFTER)
    for index in range(len(symbols) - 1, 0, -1):
        if not is_silent(symbols[index]) or tail == 0:
            break
        cut = min(tail, lengths[index])
        lengths[index] -= cut
        tail -= cut
    end = sum(lengths) + head
    return samples[head:end]


def speak_ipa(
    ipa: str, pack: str, speed: float, volume: float
) -> tuple[npt.NDArray[np.float32], list[RawPhone]]:
    """Pronounce IPA in one voice pack: audio at 24 kHz and its phones, tiling it exactly."""
    audio: list[npt.NDArray[np.float32]] = []
    phones: list[RawPhone] = []
    for piece in _chunks(known(ipa)):
        samples, durations = _infer(piece, pack, speed)
        symbols, lengths = ["^", *piece, "$"], [int(d) * FRAME_SAMPLES for d in durations]
        if sum(lengths) != len(samples) or len(lengths) != len(symbols):
            raise SpeechError("The Kokoro model gives no usable durations; prepare it again.")
        samples = _trimmed(samples, symbols, lengths)
        audio.append(np.clip(samples * volume, -1.0, 1.0))
        phones.extend(fold(symbols, lengths))
    joined = np.concatenate(audio) if audio else np.zeros(0, np.float32)
    return joined, phones
