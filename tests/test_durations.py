"""Durations as people type them, in English and German units."""

from __future__ import annotations

import re

import pytest

from simulator.terms.durations import DURATION_PATTERN, format_duration, parse_duration

# (text, seconds), worked out by hand.
SPELLINGS = [
    ("2d", 2 * 86400),
    ("3h", 3 * 3600),
    ("30min", 30 * 60),
    ("1d12h", 86400 + 12 * 3600),
    ("90s", 90),
    ("2 Tage", 2 * 86400),
    ("1 Tag", 86400),
    ("3 Std", 3 * 3600),
    ("3 Std.", 3 * 3600),
    ("4 Stunden", 4 * 3600),
    ("1 Stunde", 3600),
    ("30 Min", 30 * 60),
    ("1 Minute", 60),
    ("45 Minuten", 45 * 60),
    ("1 Tag 12 Std", 86400 + 12 * 3600),
    ("90 Sek", 90),
    ("10 Sekunden", 10),
    ("2 Wochen", 2 * 604800),
    ("1 Woche", 604800),
    ("1.5 Std", 5400),
    ("1,5 Std", 5400),  # the German decimal comma (QA 8): 1,5 Std == 1.5h == 90 min
    ("1.5h", 90 * 60),
    ("0,25 h", 15 * 60),
    ("2,5 Tage", 2 * 86400 + 12 * 3600),
    ("1 Tag 1,5 Std", 86400 + 5400),
    ("2 Std 30 Min", 2 * 3600 + 30 * 60),
    ("2 Tg. 4 Std.", 2 * 86400 + 4 * 3600),  # as the German console prints durations
    ("1 Tg", 86400),
    ("  3 std  ", 3 * 3600),  # lower case and spaces around
]


@pytest.mark.parametrize(("text", "seconds"), SPELLINGS)
def test_english_and_german_units(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    # The browser checks the form with the schema's pattern: it must agree.
    assert re.match(DURATION_PATTERN, text)


@pytest.mark.parametrize(
    "text", ["2", "", "Tage", "2 Tagx", "2 m", "3 Stdx", "2 days", "2dd", "30 Minx", "-2h", "2 S",
             ",5 Std", "1, 5 Std", "1,5"]
)
def test_anything_else_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
    assert not re.match(DURATION_PATTERN, text)


def test_format_stays_english_and_round_trips() -> None:
    assert format_duration(parse_duration("1 Tag 12 Std")) == "1d12h"


# Numbers a reader could take two ways, and what the message says (by hand).
AMBIGUOUS = [
    ("1,5,3 Std", "'1,5,3' has more than one decimal mark"),
    ("1.000,5 Std", "'1.000,5' has more than one decimal mark"),
    ("1,000.5 min", "'1,000.5' has more than one decimal mark"),
    ("1.000 Min", "'1.000' could mean '1000' or '1'"),
    ("2,500 Std", "'2,500' could mean '2500' or '2,5'"),
    ("1 Tag 2,250 Std", "'2,250' could mean '2250' or '2,25'"),
]


@pytest.mark.parametrize(("text", "said"), AMBIGUOUS)
def test_thousands_separators_are_refused_with_a_clear_message(text: str, said: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_duration(text)
    assert str(refused.value).startswith(f"not a duration: {text!r}; {said}")
    assert "no thousands separators" in str(refused.value)


def test_the_ambiguity_messages_speak_german() -> None:
    from simulator.terms.messages import translate

    for text, german in (
        ("1,5,3 Std", "keine Dauer: '1,5,3 Std'; '1,5,3' hat mehr als ein Dezimalzeichen: bitte "
         "ein Komma oder einen Punkt schreiben, z. B. '1,5 Std' oder '1.5h' "
         "(keine Tausendertrennzeichen)"),
        ("2,500 Std", "keine Dauer: '2,500 Std'; '2,500' kann '2500' oder '2,5' bedeuten: bitte "
         "das Gemeinte schreiben (ohne Tausendertrennzeichen)"),
    ):  # fmt: skip
        with pytest.raises(ValueError) as refused:
            parse_duration(text)
        assert translate(str(refused.value), "de") == german


def test_a_leading_zero_or_more_digits_are_plain_decimals() -> None:
    """'0,125' and '12,5' cannot be thousands; only 1-999 and a mark before
    exactly three digits can."""
    assert parse_duration("0,125 h") == 450
    assert parse_duration("12,5 min") == 750
    assert parse_duration("1,25 h") == 4500
    assert parse_duration("1111.000 s") == 1111
