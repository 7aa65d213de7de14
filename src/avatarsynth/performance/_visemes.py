"""Speech sounds → mouth poses.

The poses follow the articulation Azure's 22 visemes stand for, reduced to six parameters a
drawn mouth can show: how far the jaw drops, how wide or rounded the lips are, whether they
press together (p, b, m), whether the upper teeth rest on the lower lip (f, v) and whether the
tongue tip shows (th, l). ``dominance`` says how strongly a sound holds its shape against its
neighbours: lips must close for /p/ but /h/ or /k/ take the shape of the vowel around them.

Engines report IPA with modifiers folded in (``ɜː``, ``aɪ`` arrives as ``a`` then ``ɪ``), so a
sound is looked up by its first code point; symbols not in the table fall back to a neutral
vowel or consonant, never to silence.
"""

from __future__ import annotations

from dataclasses import dataclass

from avatarsynth.speech import SILENCE

CHANNELS = ("jaw_open", "lip_spread", "lip_round", "lips_pressed", "teeth_on_lip", "tongue_up")


@dataclass(frozen=True)
class Pose:
    """Target mouth parameters of one sound, and how strongly it holds them."""

    jaw_open: float = 0.0
    lip_spread: float = 0.0
    lip_round: float = 0.0
    lips_pressed: float = 0.0
    teeth_on_lip: float = 0.0
    tongue_up: float = 0.0
    dominance: float = 1.0

    def values(self) -> tuple[float, ...]:
        """The parameters in ``CHANNELS`` order."""
        return tuple(getattr(self, name) for name in CHANNELS)


REST = Pose(dominance=1.0)
_OPEN_VOWEL = Pose(jaw_open=0.85, lip_spread=0.3, dominance=1.2)
_MID_VOWEL = Pose(jaw_open=0.5, lip_spread=0.35)
_FRONT_VOWEL = Pose(jaw_open=0.45, lip_spread=0.7)
_CLOSE_VOWEL = Pose(jaw_open=0.22, lip_spread=0.9)
_ROUND_OPEN = Pose(jaw_open=0.7, lip_round=0.55, dominance=1.2)
_ROUND_MID = Pose(jaw_open=0.45, lip_round=0.8, dominance=1.4)
_ROUND_CLOSE = Pose(jaw_open=0.3, lip_round=1.0, dominance=1.6)
_SCHWA = Pose(jaw_open=0.4, lip_spread=0.2, dominance=0.7)
_BILABIAL = Pose(lips_pressed=1.0, dominance=4.0)
_LABIODENTAL = Pose(jaw_open=0.1, teeth_on_lip=1.0, dominance=3.0)
_DENTAL = Pose(jaw_open=0.25, lip_spread=0.3, tongue_up=1.0, dominance=2.0)
_LATERAL = Pose(jaw_open=0.35, lip_spread=0.3, tongue_up=0.8, dominance=1.5)
_ALVEOLAR = Pose(jaw_open=0.18, lip_spread=0.35, tongue_up=0.3, dominance=0.9)
_SIBILANT = Pose(jaw_open=0.1, lip_spread=0.65, dominance=1.5)
_POSTALVEOLAR = Pose(jaw_open=0.15, lip_round=0.65, dominance=1.5)
_VELAR = Pose(jaw_open=0.3, lip_spread=0.2, dominance=0.4)
_GLOTTAL = Pose(jaw_open=0.35, dominance=0.2)
_GLIDE_ROUND = Pose(jaw_open=0.12, lip_round=1.0, dominance=2.0)
_RHOTIC = Pose(jaw_open=0.25, lip_round=0.5, dominance=1.0)
_CONSONANT = Pose(jaw_open=0.2, lip_spread=0.2, dominance=0.8)

_GROUPS: tuple[tuple[str, Pose], ...] = (
    ("aɑæäɶ", _OPEN_VOWEL),
    ("ʌɐɜɞɘɵɤɨʉɯ", _MID_VOWEL),
    ("eɛ", _FRONT_VOWEL),
    ("iɪᵻj", _CLOSE_VOWEL),
    ("ɔɒ", _ROUND_OPEN),
    ("oøœ", _ROUND_MID),
    ("uʊyʏ", _ROUND_CLOSE),
    ("əɚɝ", _SCHWA),
    ("pbmɸβ", _BILABIAL),
    ("fvɱ", _LABIODENTAL),
    ("θð", _DENTAL),
    ("lɫɭʎʟ", _LATERAL),
    ("tdnɾɗʈɖɳ", _ALVEOLAR),
    ("szɕʑ", _SIBILANT),
    ("ʃʒʂʐ", _POSTALVEOLAR),
    ("kgŋxɣqɢχʁɡɲç", _VELAR),
    ("hɦʔʕħ", _GLOTTAL),
    ("wʍɥ", _GLIDE_ROUND),
    ("ɹrʀɻ", _RHOTIC),
)
_POSES = {char: pose for chars, pose in _GROUPS for char in chars}
_VOWELS = frozenset("aeiouyæɑɐɒɔəɘɵɛɜɞɪʊʌʏøœɶɨʉɯɤᵻɚɝä")


def pose_for(symbol: str) -> Pose:
    """The mouth pose of one phone symbol; ``SILENCE`` and unknown symbols never fail."""
    if symbol == SILENCE or not symbol:
        return REST
    head = symbol[0]
    if head in _POSES:
        return _POSES[head]
    return _MID_VOWEL if head in _VOWELS else _CONSONANT


def is_vowel(symbol: str) -> bool:
    """Whether a phone is a vowel, where stress (and so a nod) can land."""
    return bool(symbol) and symbol[0] in _VOWELS
