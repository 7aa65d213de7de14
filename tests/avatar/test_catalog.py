"""Characters and styles are found by Azure's names; a wrong name says which names exist."""

from __future__ import annotations

import pytest

from avatarsynth.avatar import catalog, find_look
from avatarsynth.errors import UnknownAvatar

AZURE = {
    "celine": ("",),
    "harry": ("business", "casual", "youthful"),
    "jeff": ("business", "formal"),
    "lisa": (
        "casual-sitting",
        "graceful-sitting",
        "graceful-standing",
        "technical-sitting",
        "technical-standing",
    ),
    "lori": ("casual", "graceful", "formal"),
    "malik": ("",),
    "max": ("business", "casual", "formal"),
    "meg": ("formal", "casual", "business"),
    "nia": ("",),
    "rowan": ("",),
}
NO_STYLE = ("rowan", "celine", "nia", "malik")


def test_the_catalog_is_azures_standard_avatars() -> None:
    assert catalog() == AZURE


def test_names_match_whatever_their_case() -> None:
    look = find_look("Lisa", "Casual-Sitting")
    assert (look.character, look.style) == ("lisa", "casual-sitting")


def test_an_unknown_character_lists_the_characters() -> None:
    with pytest.raises(UnknownAvatar) as caught:
        find_look("bob", "casual")
    assert all(name in caught.value.message for name in AZURE)
    assert caught.value.option == "character"


def test_an_unknown_style_lists_that_characters_styles() -> None:
    with pytest.raises(UnknownAvatar) as caught:
        find_look("jeff", "casual")
    assert "business" in caught.value.message and "formal" in caught.value.message
    assert caught.value.option == "style"


def test_characters_are_told_apart() -> None:
    looks = [find_look(name, styles[0]) for name, styles in AZURE.items()]
    assert len({(look.skin, look.hair_colour, look.hair) for look in looks}) == len(looks)


@pytest.mark.parametrize("name", NO_STYLE)
def test_the_full_body_characters_need_no_style_and_take_gestures(name: str) -> None:
    look = find_look(name.title(), " ")
    assert look.style == "" and look.standing
    assert {"hello", "thanks", "123", "show-left-1"} <= set(look.gestures)


def test_a_styled_character_without_a_style_lists_its_styles() -> None:
    with pytest.raises(UnknownAvatar, match="business, formal") as caught:
        find_look("jeff", "")
    assert caught.value.option == "style"
    with pytest.raises(UnknownAvatar, match="no styles"):
        find_look("nia", "casual")
