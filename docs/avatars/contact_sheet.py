"""Contact sheets of the avatars: ``python docs/avatars/contact_sheet.py [NAME ...|cast]``.

Writes docs/avatars/<character>.png for each character named (all of them by default): every
style at rest, then the same styles caught in the middle of a gesture, then the face at 1080p
for one sound of each mouth shape; ``cast`` writes docs/avatars/cast.png, every character and
style at a quarter of 1080p. A change to the rig or to a character's data file can be judged
at a glance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import skia

from avatarsynth.avatar import ArmPose, Look, catalog, find_look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene
from avatarsynth.performance import pose_for

SOUNDS = (
    "_",
    "ɑ",
    "æ",
    "ɛ",
    "iː",
    "ɪ",
    "ə",
    "ɔ",
    "oʊ",
    "uː",
    "w",
    "m",
    "f",
    "θ",
    "l",
    "s",
    "ʃ",
    "ɹ",
)
BACKGROUND = (225, 232, 240, 255)
STYLE_W, STYLE_H = 480, 270
FACE_W, FACE_H = 160, 130
LABEL_H = 28


def _font(size: float) -> skia.Font:
    return skia.Font(skia.Typeface.MakeFromName("DejaVu Sans", skia.FontStyle.Normal()), size)


def _mouth(look: Look, symbol: str) -> FramePose:
    p = pose_for(symbol)
    moves = {
        "jaw_open": p.jaw_open,
        "lip_spread": p.lip_spread,
        "lip_round": p.lip_round,
        "lips_pressed": p.lips_pressed,
        "teeth_on_lip": p.teeth_on_lip,
        "tongue_up": p.tongue_up,
    }
    return FramePose.still(*look.rest, **moves)


def _mid_gesture(look: Look) -> tuple[str, FramePose]:
    """The look's first gesture at its second key: well under way, arm away from rest."""
    name = sorted(look.gestures)[0] if "wave-left-1" not in look.gestures else "wave-left-1"
    gesture = look.gestures[name]
    arm: ArmPose = gesture.keys[min(1, len(gesture.keys) - 1)][1]
    left = arm if gesture.side in ("left", "both") else look.rest[0]
    right = arm if gesture.side in ("right", "both") else look.rest[1]
    return name, FramePose.still(left, right, jaw_open=0.4, lip_spread=0.5)


def _frame(
    canvas: skia.Canvas, look: Look, pose: FramePose, x: float, y: float, label: str
) -> None:
    scene = make_scene(look, 1920, 1080, Backdrop(BACKGROUND))
    canvas.save()
    canvas.translate(x, y)
    canvas.clipRect(skia.Rect(0, 0, STYLE_W, STYLE_H))
    canvas.scale(STYLE_W / 1920, STYLE_H / 1080)
    scene.draw(canvas, pose)
    canvas.restore()
    canvas.drawString(label, x + 8, y + STYLE_H + 20, _font(16), skia.Paint())


def _face(canvas: skia.Canvas, look: Look, symbol: str, x: float, y: float) -> None:
    scene = make_scene(look, 1920, 1080, Backdrop(BACKGROUND))
    mouth = scene.mouth_box
    centre_x, centre_y = (mouth.left + mouth.right) / 2, (mouth.top + mouth.bottom) / 2
    canvas.save()
    canvas.translate(x, y)
    canvas.clipRect(skia.Rect(0, 0, FACE_W, FACE_H))
    canvas.translate(FACE_W / 2 - centre_x, FACE_H / 2 - centre_y + 20)
    scene.draw(canvas, _mouth(look, symbol))
    canvas.restore()
    label = "silence" if symbol == "_" else f"/{symbol}/"
    canvas.drawString(label, x + 6, y + FACE_H + 20, _font(15), skia.Paint())


def sheet(character: str) -> skia.Image:
    styles = catalog()[character]
    looks = [find_look(character, style) for style in styles]
    columns = max(len(looks), 3)
    faces_per_row = columns * STYLE_W // FACE_W
    face_rows = -(-len(SOUNDS) // faces_per_row)
    height = 40 + 2 * (STYLE_H + LABEL_H + 10) + face_rows * (FACE_H + LABEL_H)
    surface = skia.Surface(columns * STYLE_W, height)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    canvas.drawString(
        f"{character}: styles at rest, mid-gesture, and mouth shapes",
        8,
        28,
        _font(22),
        skia.Paint(),
    )
    for index, look in enumerate(looks):
        x = index * STYLE_W
        _frame(canvas, look, FramePose.still(*look.rest), x, 40, f"{look.style} ({look.posture})")
        name, pose = _mid_gesture(look)
        _frame(canvas, look, pose, x, 40 + STYLE_H + LABEL_H + 10, f"{look.style}: gesture.{name}")
    top = 40 + 2 * (STYLE_H + LABEL_H + 10)
    for index, symbol in enumerate(SOUNDS):
        row, column = divmod(index, faces_per_row)
        _face(canvas, looks[0], symbol, column * FACE_W, top + row * (FACE_H + LABEL_H))
    return surface.makeImageSnapshot()


def cast() -> skia.Image:
    looks = [find_look(name, style) for name, styles in catalog().items() for style in styles]
    columns = 6
    surface = skia.Surface(STYLE_W * columns, (STYLE_H + LABEL_H) * -(-len(looks) // columns))
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    for index, look in enumerate(looks):
        x, y = (index % columns) * STYLE_W, (index // columns) * (STYLE_H + LABEL_H)
        _frame(canvas, look, _mouth(look, "ɛ"), x, y, f"{look.character} {look.style}")
    return surface.makeImageSnapshot()


if __name__ == "__main__":
    for name in sys.argv[1:] or list(catalog()):
        out = Path(__file__).with_name(f"{name}.png")
        (cast() if name == "cast" else sheet(name)).save(str(out), skia.kPNG)
        print(out)
