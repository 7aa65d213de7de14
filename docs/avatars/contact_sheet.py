"""Draw a character's mouth shapes side by side: ``python docs/avatars/contact_sheet.py lisa``.

Writes docs/avatars/<character>.png, the face at 1080p for one sound of each mouth shape, so
that a change to the rig can be judged at a glance; ``... contact_sheet.py cast`` writes
docs/avatars/cast.png, every character and style at a quarter of 1080p.
"""

from __future__ import annotations

import sys
from pathlib import Path

import skia

from avatarsynth.avatar import catalog, find_look, mouth_box
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import make_scene
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
    "k",
    "t",
)
CELL_W, CELL_H, COLUMNS = 260, 200, 5


def _pose(symbol: str) -> FramePose:
    p = pose_for(symbol)
    return FramePose(
        p.jaw_open,
        p.lip_spread,
        p.lip_round,
        p.lips_pressed,
        p.teeth_on_lip,
        p.tongue_up,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    )


def sheet(character: str) -> skia.Image:
    look = find_look(character, catalog()[character][0])
    scene = make_scene(look, 1920, 1080, (236, 232, 226, 255))
    mouth = mouth_box(1920, 1080)
    centre_x, centre_y = (mouth.left + mouth.right) / 2, (mouth.top + mouth.bottom) / 2
    rows = -(-len(SOUNDS) // COLUMNS)
    surface = skia.Surface(CELL_W * COLUMNS, (CELL_H + 40) * rows)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    font = skia.Font(skia.Typeface.MakeFromName("DejaVu Sans", skia.FontStyle.Normal()), 26)
    for index, symbol in enumerate(SOUNDS):
        x, y = (index % COLUMNS) * CELL_W, (index // COLUMNS) * (CELL_H + 40)
        canvas.save()
        canvas.clipRect(skia.Rect.MakeXYWH(x, y, CELL_W, CELL_H))
        canvas.translate(x - centre_x + CELL_W / 2, y - centre_y + CELL_H / 2 + 30)
        scene.draw(canvas, _pose(symbol))
        canvas.restore()
        label = "silence" if symbol == "_" else f"/{symbol}/"
        canvas.drawString(label, x + 12, y + CELL_H + 30, font, skia.Paint(Color=skia.ColorBLACK))
    return surface.makeImageSnapshot()


def cast() -> skia.Image:
    looks = [find_look(name, style) for name, styles in catalog().items() for style in styles]
    width, height, columns = 480, 270, 6
    surface = skia.Surface(width * columns, height * -(-len(looks) // columns))
    canvas = surface.getCanvas()
    font = skia.Font(skia.Typeface.MakeFromName("DejaVu Sans", skia.FontStyle.Normal()), 16)
    for index, look in enumerate(looks):
        x, y = (index % columns) * width, (index // columns) * height
        scene = make_scene(look, 1920, 1080, (225, 232, 240, 255))
        canvas.save()
        canvas.translate(x, y)
        canvas.scale(0.25, 0.25)
        canvas.clipRect(skia.Rect(0, 0, 1920, 1080))
        scene.draw(canvas, _pose("ɛ"))
        canvas.restore()
        canvas.drawString(f"{look.character} {look.style}", x + 8, y + 20, font, skia.Paint())
    return surface.makeImageSnapshot()


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "lisa"
    out = Path(__file__).with_name(f"{name}.png")
    (cast() if name == "cast" else sheet(name)).save(str(out), skia.kPNG)
    print(out)
