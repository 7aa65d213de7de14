"""The one adapter to MediaPipe: face detection, the 478-point face mesh, person segmentation.

MediaPipe 0.10.21 is the last release that bundles these models in its wheel (nothing is
fetched at run time). It is imported, and each model built, on first use, once per process;
its own warnings (it predates numpy 2 and the protobuf in use) are silenced here and nowhere
else, and its exceptions become :class:`RenderError`.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from avatarsynth.errors import RenderError

Image = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float32]

_LOCK = threading.Lock()
"""MediaPipe graphs are not safe to share between threads; registration is rare."""


@dataclass(frozen=True)
class Faces:
    """What the detector and the mesh found in one image, in its pixels."""

    detected: int
    """How many faces the detector saw with confidence."""
    landmarks: Points | None
    """(478, 3) x, y, z of the most prominent face, or None where the mesh found none."""


@contextmanager
def _mediapipe(action: str) -> Iterator[Any]:
    """Import MediaPipe quietly and turn its failures into :class:`RenderError`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import mediapipe

            yield mediapipe.solutions
        except (RuntimeError, ValueError) as exc:
            raise RenderError(f"Could not {action}: {exc}") from exc


@cache
def _models() -> dict[str, Any]:
    with _mediapipe("load the face models") as solutions:
        return {
            "detect": solutions.face_detection.FaceDetection(
                model_selection=1, min_detection_confidence=0.6
            ),
            "mesh": solutions.face_mesh.FaceMesh(
                static_image_mode=True, max_num_faces=1, refine_landmarks=True
            ),
            "segment": solutions.selfie_segmentation.SelfieSegmentation(model_selection=0),
        }


def find_faces(rgb: Image) -> Faces:
    """Count the faces in ``rgb`` and measure the most prominent one."""
    height, width = rgb.shape[:2]
    models = _models()
    with _LOCK, _mediapipe("find the face"):
        detections = models["detect"].process(rgb).detections or []
        meshes = models["mesh"].process(rgb).multi_face_landmarks or []
    if not meshes:
        return Faces(len(detections), None)
    points = np.array(
        [(p.x * width, p.y * height, p.z * width) for p in meshes[0].landmark], dtype=np.float32
    )
    return Faces(len(detections), points)


def segment(rgb: Image) -> Image:
    """How much each pixel belongs to the person, 0–255."""
    with _LOCK, _mediapipe("separate the person from the background"):
        mask = _models()["segment"].process(rgb).segmentation_mask
    return np.clip(np.asarray(mask) * 255.0 + 0.5, 0, 255).astype(np.uint8)
