"""Piper's espeak-ng (``piper.espeakbridge``), which both neural engines phonemize with.

espeak-ng keeps its voice and translator in global state, so two threads phonemizing at once
(two jobs on a Celery worker's threads, a sentence spoken ahead) can read each other's
language or context, and a wrong phonemization is then cached. Every use holds :data:`LOCK`.
(The espeak-ng *engine*, ``_espeak``, loads a library of its own with its own lock.)
"""

from __future__ import annotations

import threading

from piper import espeakbridge
from piper.phonemize_espeak import ESPEAK_DATA_DIR

LOCK = threading.Lock()


def clauses(text: str, voice: str) -> list[tuple[str, str, bool]]:
    """espeak-ng's phonemes of ``text`` in ``voice``: (phonemes, terminator, end of sentence)
    per clause; ``RuntimeError`` if it has no such voice."""
    with LOCK:
        select(voice)
        return list(espeakbridge.get_phonemes(text))


def select(voice: str) -> None:
    """Make ``voice`` espeak-ng's current one (the caller holds :data:`LOCK`)."""
    espeakbridge.initialize(str(ESPEAK_DATA_DIR))
    espeakbridge.set_voice(voice)
