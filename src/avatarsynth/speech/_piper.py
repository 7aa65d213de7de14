"""The Piper neural engine: text in one language → audio and exact phone lengths in samples.

The voice model is loaded once per process, on first use. Its phonemizer (espeak-ng, inside
piper) is switched to the language of each span, so that the en-US voice reads other languages
with their own pronunciation until native voices exist for them.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from piper import PiperVoice, SynthesisConfig
from piper.const import BOS, EOS, PAD

from avatarsynth.errors import SpeechError
from avatarsynth.speech import _espeakbridge
from avatarsynth.speech._catalog import espeak_candidates
from avatarsynth.speech._onnx import onnx_errors
from avatarsynth.speech._phones import RawPhone, fold
from avatarsynth.speech._prepared import prepare_piper, source_model

FALLBACK_ESPEAK_VOICE = "en-us"


@dataclass(frozen=True)
class Chunk:
    """One sentence of audio as the engine made it."""

    samples: npt.NDArray[np.float32]
    phones: list[RawPhone]


@functools.cache
def _base_voice() -> PiperVoice:
    _, config = source_model()
    with onnx_errors("The Piper voice could not be loaded"):
        return PiperVoice.load(prepare_piper(), config)


@functools.cache
def espeak_voice(locale: str) -> str | None:
    """The phonemizer voice (Piper's own espeak-ng) for ``locale``, or ``None`` if none."""
    with _espeakbridge.LOCK:
        for candidate in espeak_candidates(locale):
            try:
                _espeakbridge.select(candidate)
            except RuntimeError:
                continue
            return candidate
    return None


@functools.cache
def _voice_for(espeak_name: str) -> PiperVoice:
    base = _base_voice()
    return dataclasses.replace(
        base, config=dataclasses.replace(base.config, espeak_voice=espeak_name)
    )


def phonemize(text: str, espeak_name: str) -> list[list[str]]:
    """Text → phoneme code points per sentence, as the voice will speak them."""
    voice = _voice_for(espeak_name)
    known = voice.config.phoneme_id_map
    with _espeakbridge.LOCK:  # piper's phonemizer sets the voice and reads espeak-ng itself
        sentences = voice.phonemize(text)
    return [[p for p in sentence if p in known] for sentence in sentences]


def _phone_lengths(
    voice: PiperVoice, phonemes: list[str], id_samples: npt.NDArray[np.int64]
) -> list[int]:
    """Sum the sample counts of the ids each phoneme produced (with its padding)."""
    id_map, pad = voice.config.phoneme_id_map, voice.config.phoneme_id_map[PAD]
    lengths, position = [], 0
    for phoneme in itertools.chain([BOS], phonemes, [EOS]):
        width = len(id_map[phoneme]) + (len(pad) if phoneme != EOS else 0)
        lengths.append(int(id_samples[position : position + width].sum()))
        position += width
    return lengths


def synthesize(text: str, espeak_name: str, rate: float, volume: float) -> Iterator[Chunk]:
    """Speak ``text``; one chunk per sentence the phonemizer finds."""
    voice = _voice_for(espeak_name)
    config = SynthesisConfig(length_scale=voice.config.length_scale / rate, normalize_audio=False)
    for phonemes in phonemize(text, espeak_name):
        if not phonemes:
            continue
        ids = voice.phonemes_to_ids(phonemes)
        with onnx_errors(f"Piper failed to synthesize '{text[:40]}'"):
            audio, id_samples = voice.phoneme_ids_to_audio(ids, config, include_alignments=True)
        if id_samples is None or len(id_samples) != len(ids):
            raise SpeechError("The voice model gives no phoneme alignments; prepare it again.")
        lengths = _phone_lengths(voice, phonemes, id_samples)
        samples = np.clip(np.asarray(audio, dtype=np.float32) * volume, -1.0, 1.0)
        yield Chunk(samples, fold([BOS, *phonemes, EOS], lengths))
