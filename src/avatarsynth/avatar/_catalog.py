"""Azure's standard avatars (character × style) as looks, and the lookup by name.

A character is one record of what stays the same across styles (face, skin, hair); each style
is an outfit and a pose. Names match case-insensitively, as Azure's service does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from avatarsynth.avatar import _hair
from avatarsynth.avatar._look import Hair, Look, Outfit, Rgb
from avatarsynth.errors import UnknownAvatar


@dataclass(frozen=True)
class _Character:
    """What a character keeps in every style."""

    skin: Rgb
    hair_colour: Rgb
    hair: Hair
    iris: Rgb
    lips: Rgb
    face_width_px: float
    jaw_width_px: float
    brow_weight_px: float
    blush_alpha: int = 44


_NAVY, _CHARCOAL, _WHITE, _BLACK = (44, 58, 92), (58, 62, 70), (244, 244, 240), (34, 34, 40)

_CHARACTERS: dict[str, _Character] = {
    "harry": _Character(
        (233, 190, 160),
        (120, 78, 44),
        _hair.SHORT,
        (70, 110, 150),
        (190, 112, 104),
        120,
        92,
        10,
        blush_alpha=14,
    ),
    "jeff": _Character(
        (176, 122, 88),
        (40, 32, 30),
        _hair.CROP,
        (70, 48, 34),
        (150, 86, 76),
        124,
        100,
        11,
        blush_alpha=14,
    ),
    "lisa": _Character(
        (241, 200, 172), (92, 52, 34), _hair.BOB, (88, 62, 40), (200, 100, 104), 116, 82, 8
    ),
    "lori": _Character(
        (214, 164, 128), (196, 146, 84), _hair.BUN, (70, 120, 96), (196, 98, 98), 114, 80, 8
    ),
    "max": _Character(
        (198, 146, 108),
        (52, 40, 34),
        _hair.CURLY,
        (60, 44, 34),
        (168, 96, 88),
        122,
        96,
        11,
        blush_alpha=14,
    ),
    "meg": _Character(
        (122, 80, 58), (30, 24, 24), _hair.LONG, (56, 38, 28), (150, 80, 80), 114, 82, 8
    ),
}

_OUTFITS: dict[str, dict[str, Outfit]] = {
    "harry": {
        "business": Outfit((236, 240, 246), "shirt", jacket=_NAVY, tie=(150, 40, 50)),
        "casual": Outfit((88, 142, 118), "crew"),
        "youthful": Outfit((232, 146, 64), "crew"),
    },
    "jeff": {
        "business": Outfit((230, 236, 244), "shirt", jacket=(92, 98, 110)),
        "formal": Outfit(_WHITE, "shirt", jacket=_BLACK, tie=_BLACK),
    },
    "lisa": {
        "casual-sitting": Outfit((64, 140, 150), "v"),
        "graceful-sitting": Outfit((176, 70, 92), "v"),
        "graceful-standing": Outfit((176, 70, 92), "v"),
        "technical-sitting": Outfit((232, 234, 238), "shirt", jacket=(78, 92, 120)),
        "technical-standing": Outfit((232, 234, 238), "shirt", jacket=(78, 92, 120)),
    },
    "lori": {
        "casual": Outfit((226, 180, 90), "crew"),
        "graceful": Outfit((120, 96, 160), "v"),
        "formal": Outfit(_WHITE, "shirt", jacket=_CHARCOAL),
    },
    "max": {
        "business": Outfit((222, 232, 244), "shirt", jacket=(70, 84, 70)),
        "casual": Outfit((180, 72, 60), "crew"),
        "formal": Outfit(_WHITE, "shirt", jacket=_NAVY, tie=(40, 60, 120)),
    },
    "meg": {
        "formal": Outfit(_WHITE, "shirt", jacket=_BLACK),
        "casual": Outfit((240, 200, 90), "crew"),
        "business": Outfit((236, 236, 240), "shirt", jacket=(150, 60, 70)),
    },
}


def catalog() -> dict[str, tuple[str, ...]]:
    """Every character name and its style names, in Azure's spelling (lower case)."""
    return {name: tuple(styles) for name, styles in _OUTFITS.items()}


def find_look(character: str, style: str) -> Look:
    """The look of ``character`` in ``style``; raises :class:`UnknownAvatar` naming the options."""
    name, style_name = character.strip().lower(), style.strip().lower()
    if name not in _CHARACTERS:
        raise UnknownAvatar(
            f"Unknown avatar character '{character}'; use one of: {', '.join(_OUTFITS)}.",
            target="properties.avatarConfig.talkingAvatarCharacter",
        )
    styles = _OUTFITS[name]
    if style_name not in styles:
        raise UnknownAvatar(
            f"Unknown style '{style}' for avatar '{name}'; use one of: {', '.join(styles)}.",
            target="properties.avatarConfig.talkingAvatarStyle",
        )
    return _look(name, style_name, _CHARACTERS[name], styles[style_name])


def _look(name: str, style: str, base: _Character, outfit: Outfit) -> Look:
    look = Look(
        character=name,
        style=style,
        skin=base.skin,
        hair_colour=base.hair_colour,
        hair=base.hair,
        outfit=outfit,
        iris=base.iris,
        lips=base.lips,
        face_width_px=base.face_width_px,
        jaw_width_px=base.jaw_width_px,
        brow_weight_px=base.brow_weight_px,
        blush_alpha=base.blush_alpha,
    )
    return replace(look, standing=style.endswith("-standing"))
