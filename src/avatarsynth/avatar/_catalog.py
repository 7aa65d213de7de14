"""The characters, read from ``data/``: one TOML file per character, hairstyles and gestures.

A character file holds what stays the same across styles (skin, hair, eyes, face shape) and a
table per style (posture, outfit, gesture set). Adding ``data/characters/ada.toml`` adds the
avatar ``ada`` with no code. Names match case-insensitively, as Azure's service does. A style
plays Azure's gestures for it (``data/azure-gestures.tsv``, Azure's own table) and the set of
our own its data names. A character Azure gives no style has one style named ``""``: an
omitted or empty ``talkingAvatarStyle`` finds it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from avatarsynth.avatar._look import ArmPose, Hair, HandShape, Look, Outfit, Points
from avatarsynth.avatar._moves import build_gesture
from avatarsynth.errors import UnknownAvatar
from avatarsynth.frame import rgb

_DATA = resources.files("avatarsynth.avatar") / "data"


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((_DATA / name).read_text(encoding="utf-8"))


def _points(rows: list[list[float]]) -> Points:
    return tuple((float(x), float(y)) for x, y in rows)


def _arm(row: list[Any]) -> ArmPose:
    upper, fore, hand, shape = row
    return ArmPose(float(upper), float(fore), float(hand), str(shape))


@cache
def _hairstyles() -> dict[str, Hair]:
    return {
        name: Hair(_points(t["back"]), _points(t["front"]), t.get("covers_ears", False))
        for name, t in _toml("hair.toml").items()
    }


@cache
def _motion() -> dict[str, Any]:
    return _toml("gestures.toml")


@cache
def _azure_names() -> dict[tuple[str, str], tuple[str, ...]]:
    """Azure's gesture names per (character, style), in the table's order."""
    names: dict[tuple[str, str], tuple[str, ...]] = {}
    lines = (_DATA / "azure-gestures.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        character, style, gesture = line.split("\t")
        names[character, style] = (*names.get((character, style), ()), gesture)
    return names


def _hand(table: dict[str, Any]) -> HandShape:
    f0, f1, f2, f3, f4 = (float(value) for value in table["fingers"])
    return HandShape(
        (f0, f1, f2, f3, f4),
        float(table.get("spread", 6.0)),
        bool(table.get("flip", False)),
        float(table.get("thumb", 40.0)),
    )


def _outfit(style: dict[str, Any]) -> Outfit:
    optional = {key: rgb(style[key]) for key in ("jacket", "tie", "legs") if key in style}
    return Outfit(
        top=rgb(style["top"]),
        neckline=style.get("neckline", "crew"),
        sleeves=style.get("sleeves", "long"),
        skirt=style.get("skirt", False),
        **optional,
    )


def _look(character: str, style_name: str, person: dict[str, Any]) -> Look:
    style = person["styles"][style_name]
    motion = _motion()
    posture = style.get("posture", "sitting")
    rest = motion["rest"][style.get("rest", posture)]
    names = dict.fromkeys(
        (*_azure_names().get((character, style_name), ()), *motion["sets"][style["gestures"]])
    )
    gestures = {
        name: build_gesture(name, motion["gestures"][name], motion["motions"]) for name in names
    }
    return Look(
        character=character,
        style=style_name,
        skin=rgb(person["skin"]),
        hair_colour=rgb(person["hair_colour"]),
        hair=_hairstyles()[person["hair"]],
        outfit=_outfit(style),
        iris=rgb(person["iris"]),
        lips=rgb(person["lips"]),
        face_width_px=float(person["face_width"]),
        jaw_width_px=float(person["jaw_width"]),
        brow_weight_px=float(person["brow_weight"]),
        blush_alpha=int(person.get("blush_alpha", 44)),
        posture=posture,
        rest=(_arm(rest["left"]), _arm(rest["right"])),
        gestures=gestures,
        hands={name: _hand(table) for name, table in motion["hands"].items()},
    )


@cache
def _people() -> dict[str, dict[str, Any]]:
    folder = _DATA / "characters"
    files = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))
    return {name.removesuffix(".toml"): _toml(f"characters/{name}") for name in files}


def catalog() -> dict[str, tuple[str, ...]]:
    """Every character name and its style names, in Azure's spelling (lower case)."""
    return {name: tuple(person["styles"]) for name, person in _people().items()}


def default_voice(character: str) -> str:
    """The Azure voice a character speaks with when a client names none (its ``voice`` key)."""
    name = character.strip().lower()
    person = _people().get(name)
    if person is None:
        find_look(character, "")  # raises UnknownAvatar with the list of characters
    return str(_people()[name]["voice"])


@cache
def _cached_look(character: str, style: str) -> Look:
    return _look(character, style, _people()[character])


def find_look(character: str, style: str) -> Look:
    """The look of ``character`` in ``style``; raises :class:`UnknownAvatar` naming the options."""
    name, style_name = character.strip().lower(), style.strip().lower()
    people = _people()
    if name not in people:
        raise UnknownAvatar(
            f"Unknown avatar character '{character}'; use one of: {', '.join(people)}.",
            option="character",
        )
    styles = people[name]["styles"]
    if not style_name and "" not in styles:
        raise UnknownAvatar(
            f"Avatar '{name}' needs a talkingAvatarStyle; use one of: {', '.join(styles)}.",
            option="style",
        )
    if style_name not in styles:
        raise UnknownAvatar(
            f"Unknown style '{style}' for avatar '{name}'; "
            + (f"use one of: {', '.join(styles)}." if any(styles) else "it has no styles."),
            option="style",
        )
    return _cached_look(name, style_name)
