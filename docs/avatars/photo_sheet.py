"""Contact sheet of the photo presenter: ``python docs/avatars/photo_sheet.py [PORTRAIT]``.

Registers the portrait (the public-domain test astronaut by default) and writes
docs/avatars/photo.jpg: the face at rest, then the lower face for one sound of each mouth shape
at speaking size, then blink, glance, raised brows and the head turned and tilted, then the
same portrait framed at 1080p over a plain backdrop and cut out over a transparent one
(shown on a checkerboard), and a zoomed scene.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

from avatarsynth.performance import pose_for
from avatarsynth.photo import Portrait, Scene, register, render

sys.path.insert(0, str(Path(__file__).parents[2]))  # the repository, for the test helpers
from tests.fixtures import ASTRONAUT, rgb_of, still

SOUNDS = {
    "rest": "",
    "aa (father)": "ɑ",
    "ae (cat)": "æ",
    "eh (bed)": "ɛ",
    "iy (see)": "iː",
    "ah (about)": "ə",
    "ao (law)": "ɔ",
    "ow (go)": "oʊ",
    "uw (food)": "uː",
    "w": "w",
    "m b p": "m",
    "f v": "f",
    "th": "θ",
    "l": "l",
    "s z": "s",
    "sh": "ʃ",
    "r": "ɹ",
    "k g (velar)": "k",
}
MOVES = {
    "blink": {"eyelids_closed": 1.0},
    "half blink": {"eyelids_closed": 0.5},
    "glance": {"gaze_x": 0.6, "gaze_y": 0.25},
    "brows": {"brow_raise": 1.0},
    "turn+tilt": {"turn": 0.5, "tilt_deg": 2.0, "nod": 0.6},
    "tilt other way": {"turn": -0.5, "tilt_deg": -2.0},
}
TILE = 256


def _label(image: np.ndarray, text: str) -> np.ndarray:
    out = image.copy()
    cv2.rectangle(out, (0, 0), (out.shape[1], 22), (255, 255, 255), -1)
    cv2.putText(out, text, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return out


def _frame(portrait: Portrait, size: tuple[int, int] = (512, 512), **kw: object) -> np.ndarray:
    channels = {k: float(v) for k, v in kw.items() if isinstance(v, float | int)}
    scene = kw.get("scene")
    frames = render(still(1, **channels), portrait, *size, scene=scene)  # type: ignore[arg-type]
    return rgb_of(next(iter(frames)), *size)


def _mouth_crop(portrait: Portrait, rgb: np.ndarray) -> np.ndarray:
    scale = 512 / portrait.side
    cx, cy = portrait.landmarks[[13, 14]].mean(axis=0) * scale
    half = int(0.22 * 512)
    crop = rgb[int(cy) - 3 * half // 4 : int(cy) + 3 * half // 4, int(cx) - half : int(cx) + half]
    return cv2.resize(crop, (TILE, int(TILE * 0.75)), interpolation=cv2.INTER_CUBIC)


def _rows(portrait: Portrait) -> list[np.ndarray]:
    rest = _frame(portrait)
    mouths = []
    for name, sound in SOUNDS.items():
        shape = {k: v for k, v in vars(pose_for(sound)).items() if k != "dominance"}
        mouths.append(_label(_mouth_crop(portrait, _frame(portrait, **shape)), name))
    moves = [_label(cv2.resize(_frame(portrait, **m), (TILE, TILE)), n) for n, m in MOVES.items()]
    wide = _frame(portrait, (1920, 1080))
    zoomed = _frame(portrait, scene=Scene(zoom=1.6, position_y=0.25))
    framing = [
        _label(cv2.resize(wide, (TILE * 16 // 9 * 2, TILE * 2 // 1)), "1920x1080 framing"),
        _label(cv2.resize(zoomed, (TILE * 2, TILE * 2)), "scene zoom 1.6"),
        _label(cv2.resize(rest, (TILE * 2, TILE * 2)), "rest (the portrait)"),
    ]
    return [_grid(mouths, 6), _grid(moves, 6), np.hstack(framing)]


def _grid(tiles: list[np.ndarray], per_row: int) -> np.ndarray:
    blank = np.full_like(tiles[0], 255)
    tiles = tiles + [blank] * (-len(tiles) % per_row)
    return np.vstack([np.hstack(tiles[i : i + per_row]) for i in range(0, len(tiles), per_row)])


def main(path: Path) -> None:
    portrait = register(path.read_bytes())
    rows = _rows(portrait)
    width = max(row.shape[1] for row in rows)
    padded = [
        np.pad(r, ((0, 8), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows
    ]
    out = Path(__file__).parent / "photo.jpg"  # a photo: JPEG is a tenth of PNG's size
    sheet = cv2.cvtColor(np.vstack(padded), cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(out), sheet, [cv2.IMWRITE_JPEG_QUALITY, 90])
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ASTRONAUT)
