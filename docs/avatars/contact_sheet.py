"""Draw a character's mouth shapes side by side: ``python docs/avatars/contact_sheet.py lisa``.

Writes docs/avatars/<character>.png, the face at 1080p for one sound of each mouth shape, so
that a change to the rig can be judged at a glance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import skia

from avatarsynth.avatar import catalog, find_look
from avatarsynth.avatar._pose import FramePose
from avatarsynth.avatar._scene import make_scene
from avatarsynth.performance import pose_for

SOUNDS = ("_", "ɑ", "æ", "ɛ", "iː", "ɪ", "ə", "ɔ", "oʊ", "uː", "w", "m", "f", "θ", "l", "s",
          "ʃ", "ɹ", "k", "t")
CELL_W, CELL_H, COLUMNS = 260, 200, 5


def _pose(symbol: str) -> FramePose:
    p = pose_for(symbol)
    return FramePose(p.jaw_open, p.lip_spread, p.lip_round, p.lips_pressed, p.teeth_on_lip,
                     p.tongue_up, 0, 0, 0, 0, 0, 0, 0, 0)


def sheet(character: str) -> skia.Image:
    look = find_look(character, catalog()[character][0])
    scene = make_scene(look, 1920, 1080, (236, 232, 226, 255))
    rows = -(-len(SOUNDS) // COLUMNS)
    surface = skia.Surface(CELL_W * COLUMNS, (CELL_H + 40) * rows)
    canvas = surface.getCanvas()
    canvas.clear(skia.ColorWHITE)
    font = skia.Font(skia.Typeface.MakeFromName("DejaVu Sans", skia.FontStyle.Normal()), 26)
    for index, symbol in enumerate(SOUNDS):
        x, y = (index % COLUMNS) * CELL_W, (index // COLUMNS) * (CELL_H + 40)
        canvas.save()
        canvas.clipRect(skia.Rect.MakeXYWH(x, y, CELL_W, CELL_H))
        canvas.translate(x - 960 + CELL_W / 2, y - 480 + CELL_H / 2 + 20)
        scene.draw(canvas, _pose(symbol))
        canvas.restore()
        label = "silence" if symbol == "_" else f"/{symbol}/"
        canvas.drawString(label, x + 12, y + CELL_H + 30, font, skia.Paint(Color=skia.ColorBLACK))
    return surface.makeImageSnapshot()


if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else "lisa"
    out = Path(__file__).with_name(f"{name}.png")
    sheet(name).save(str(out), skia.kPNG)
    print(out)
