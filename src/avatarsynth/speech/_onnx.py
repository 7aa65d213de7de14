"""The one place where onnxruntime's exceptions become :class:`SpeechError`.

onnxruntime raises its own untyped errors (``RuntimeException``, ``Fail``, plain
``RuntimeError``) from loading and from running a session; both neural engines call it only
inside :func:`onnx_errors`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from avatarsynth.errors import SpeechError


@contextmanager
def onnx_errors(what: str) -> Iterator[None]:
    """Translate anything onnxruntime raises into ``SpeechError("<what>: …")``."""
    try:
        yield
    except SpeechError:
        raise
    except Exception as exc:  # onnxruntime's exception types are not importable API
        raise SpeechError(f"{what}: {exc}") from exc
