"""English text as it is read aloud: the table of cases the neural voices are given."""

from __future__ import annotations

import pytest

from avatarsynth.script import normalise_english, split_sentences

CASES = [
    # numbers and ordinals stay: espeak-ng reads them well
    ("We have 42 items and 2,500 users.", "We have 42 items and 2,500 users."),
    ("She came 21st.", "She came 21st."),
    # currency
    ("It cost $1.2 million.", "It cost 1.2 million dollars."),
    ("Pay $3.50 today.", "Pay 3 dollars and 50 cents today."),
    ("Only $1 left.", "Only 1 dollar left."),
    ("A €20 note and £5.", "A 20 euros note and 5 pounds."),
    # percentages
    ("Growth was 45% or 12.5 %.", "Growth was 45 percent or 12.5 percent."),
    # dates and years
    ("Born on 10/19/2016.", "Born on October 19th, 20 16."),
    ("Due 2024-03-05.", "Due March 5th, 20 24."),
    ("In 1990 and the 1990s.", "In 19 90 and the 19 90s."),
    ("In 1900.", "In 19 hundred."),
    # times
    ("Meet at 3:30 pm.", "Meet at 3 30 P M."),
    ("At 14:00 sharp.", "At 14 hundred sharp."),
    ("At 9 a.m. we start.", "At 9 A M we start."),
    # abbreviations
    ("Dr. Smith lives on Baker St. in town.", "Doctor Smith lives on Baker Street in town."),
    ("St. Paul met Mr. Lee and Mrs. Lee.", "Saint Paul met Mister Lee and Missus Lee."),
    ("Fruit, e.g. apples, i.e. food, etc.", "Fruit, for example apples, that is food, et cetera"),
    ("Red vs. blue", "Red versus blue"),
    # acronyms stay: espeak-ng spells them ("FBI") or reads them ("NASA")
    ("The FBI and NASA.", "The FBI and NASA."),
    # web and e-mail addresses
    ("See https://www.example.com/docs.", "See example dot com slash docs."),
    ("Mail anna.lee@example.org now.", "Mail anna dot lee at example dot org now."),
    ("Go to example.com or www.test-site.net!", "Go to example.com or test dash site dot net!"),
]


@pytest.mark.parametrize(("written", "read"), CASES)
def test_english_is_normalised_before_phonemes(written: str, read: str) -> None:
    assert normalise_english(written) == read


def test_titles_and_abbreviations_do_not_end_a_sentence() -> None:
    text = "Dr. Smith came. He saw St. Paul! Then e.g. this. It ended etc. Done."
    assert split_sentences(text) == [
        "Dr. Smith came.",
        "He saw St. Paul!",
        "Then e.g. this.",
        "It ended etc.",
        "Done.",
    ]
