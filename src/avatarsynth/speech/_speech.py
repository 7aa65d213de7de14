"""Audio plus what was said when: the output of the speech stage.

Every time is in seconds on one clock that starts at the first audio sample. Phones tile the
audio from 0 to its end with no gap or overlap; pauses are phones with the symbol ``SILENCE``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SILENCE = "_"


@dataclass(frozen=True)
class Phone:
    """One speech sound (IPA, modifiers such as stress and length folded in) or ``SILENCE``."""

    symbol: str
    start_s: float
    end_s: float
    stressed: bool = False


@dataclass(frozen=True)
class Span:
    """A word or sentence as written in the input, with when it is heard."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Mark:
    """A bookmark reached at ``time_s``."""

    name: str
    time_s: float


@dataclass(frozen=True, eq=False)
class Speech:
    """Mono float32 audio in [-1, 1] and its timeline."""

    samples: npt.NDArray[np.float32]
    sample_rate: int
    phones: tuple[Phone, ...]
    words: tuple[Span, ...]
    sentences: tuple[Span, ...]
    marks: tuple[Mark, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        """Length of the audio."""
        return len(self.samples) / self.sample_rate
