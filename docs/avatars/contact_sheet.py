"""Contact sheets of the avatars: ``python docs/avatars/contact_sheet.py [NAME ...|cast|gestures]``.

Writes docs/avatars/<character>.png for each character named (all of them by default): every
style at rest, then the same styles caught in the middle of a gesture, then the face at 1080p
for one sound of each mouth shape; ``cast`` writes docs/avatars/cast.png, every character and
style at a quarter of 1080p; ``gestures`` writes docs/avatars/gestures/<character>-<style>.png,
every gesture of a style at its peak. A change to the rig or to a character's data file can be
judged at a glance.
"""

from __future__ import annotations

import sys
from dataclasses import fields, replace
from pathlib import Path

import skia

from avatarsynth.avatar import Look, catalog, find_look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import Backdrop, make_scene
from avatarsynth.performance import Mouth, pose_for

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
GESTURE_SIZE = (384, 216)
LABEL_H = 28


def _font(size: float) -> skia.Font:
    return skia.Font(skia.Typeface.MakeFromName("DejaVu Sans", skia.FontStyle.Normal()), size)


def _speaking(pose: FramePose, symbol: str) -> FramePose:
    """``pose`` with the mouth shaped for ``symbol``."""
    p = pose_for(symbol)
    mouth = Mouth(**{channel.name: float(getattr(p, channel.name)) for channel in fields(Mouth)})
    return replace(pose, mouth=mouth)


def _mouth(look: Look, symbol: str) -> FramePose:
    return _speaking(FramePose.still(*look.rest), symbol)


def peak(look: Look, name: str) -> FramePose:
    """The look holding gesture ``name`` at its peak, mid-word."""
    left, right = look.gestures[name].peak
    return _speaking(FramePose.still(left or look.rest[0], right or look.rest[1]), "ɛ")


def _mid_gesture(look: Look) -> tuple[str, FramePose]:
    """The look's first gesture (Azure's first name for the style) at its peak."""
    name = next(iter(look.gestures))
    return name, peak(look, name)


def _frame(
    canvas: skia.Canvas,
    look: Look,
    pose: FramePose,
    at: tuple[float, float],
    label: str,
    size: tuple[int, int] = (STYLE_W, STYLE_H),
) -> None:
    (x, y), (w, h) = at, size
    scene = make_scene(look, 1920, 1080, Backdrop(BACKGROUND))
    canvas.save()
    canvas.translate(x, y)
    canvas.clipRect(skia.Rect(0, 0, w, h))
    canvas.scale(w / 1920, h / 1080)
    scene.draw(canvas, pose)
    canvas.restore()
    canvas.drawString(label, x + 8, y + h + 20, _font(16), skia.Paint())


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
        _frame(
            canvas,
            look,
            FramePose.still(*look.rest),
            (x, 40),
            f"{look.style or '(no style)'} ({look.posture})",
        )
        name, pose = _mid_gesture(look)
        _frame(
            canvas,
            look,
            pose,
            (x, 40 + STYLE_H + LABEL_H + 10),
            f"{look.style or '(no style)'}: gesture.{name}",
        )
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
        _frame(canvas, look, _mouth(look, "ɛ"), (x, y), f"{look.character} {look.style}")
    return surface.makeImageSnapshot()


def gestures(look: Look) -> skia.Image:
    """Every gesture of ``look`` at its peak, named."""
    names = list(look.gestures)
    columns, (w, h) = 6, GESTURE_SIZE
    rows = -(-len(names) // columns)
    surface = skia.Surface(w * columns, 40 + (h + LABEL_H) * rows)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    title = f"{look.character} {look.style or '(no style)'}: every gesture at its peak"
    canvas.drawString(title, 8, 28, _font(22), skia.Paint())
    for index, name in enumerate(names):
        x, y = (index % columns) * w, 40 + (index // columns) * (h + LABEL_H)
        _frame(canvas, look, peak(look, name), (x, y), name, GESTURE_SIZE)
    return surface.makeImageSnapshot()


def _save(image: skia.Image, out: Path) -> None:
    out.parent.mkdir(exist_ok=True)
    image.save(str(out), skia.kPNG)
    print(out)


if __name__ == "__main__":
    here = Path(__file__).parent
    for name in sys.argv[1:] or list(catalog()):
        if name == "gestures":
            for character, styles in catalog().items():
                for style in styles:
                    look = find_look(character, style)
                    file = f"{character}-{style}.png" if style else f"{character}.png"
                    _save(gestures(look), here / "gestures" / file)
        else:
            _save(cast() if name == "cast" else sheet(name), here / f"{name}.png")
