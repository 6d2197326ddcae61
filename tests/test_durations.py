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
    "text", ["2", "", "Tage", "2 Tagx", "2 m", "3 Stdx", "2 days", "2dd", "30 Minx", "-2h", "2 S"]
)
def test_anything_else_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
    assert not re.match(DURATION_PATTERN, text)


def test_format_stays_english_and_round_trips() -> None:
    assert format_duration(parse_duration("1 Tag 12 Std")) == "1d12h"
