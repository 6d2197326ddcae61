"""Calendar time of a scenario: simulated seconds as the clock on the wall.

Simulated time is whole seconds from the scenario start, a duration. The
calendar time at simulated second `t` is the start *instant* plus `t`
seconds, shown in the scenario's time zone (an IANA name, `Europe/Berlin`
unless the scenario names another). The zone's daylight-saving rules apply:
24 h after Saturday 28 March 2026 12:00 CET is Sunday 29 March 13:00 CEST.

Why not `start + timedelta(...)`: Python adds a timedelta to a zoned
datetime on the wall clock (12:00 + 24 h is 12:00 the next day, whatever the
clocks did in between), and a fixed UTC offset never changes at all. Both
put a scenario that crosses a clock change an hour off; `at` adds in UTC.

The zone data comes from the standard library's `zoneinfo`: the system's tz
database, else the `tzdata` package (a dependency, for machines without one).
Zone abbreviations are the tz database's (CET, CEST), in German the ones in
use in German (MEZ, MESZ).
"""

from __future__ import annotations

import difflib
import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "Europe/Berlin"
MAX_ZONE_NAME = 64  # the longest IANA name is 32 characters
_LAST = datetime(9999, 12, 30, tzinfo=UTC)  # calendar times stop here (absurd horizons)

_GERMAN_ABBREVIATIONS = {
    "CET": "MEZ", "CEST": "MESZ",  # mitteleuropäische (Sommer-)Zeit
    "WET": "WEZ", "WEST": "WESZ",
    "EET": "OEZ", "EEST": "OESZ",
}  # fmt: skip
_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
}


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo:
    """The time zone of an IANA name, e.g. 'Europe/Berlin'. Only names of the
    tz database are accepted (a name is never used as a path to open);
    ValueError says which name was meant where it can guess."""
    names = _zone_names()
    if len(name) <= MAX_ZONE_NAME and name in names:
        return ZoneInfo(name)
    message = f"unknown time zone {name[:MAX_ZONE_NAME]!r} (an IANA name such as 'Europe/Berlin')"
    by_case = {n.lower(): n for n in names}
    guess = by_case.get(name.lower()) or next(
        iter(difflib.get_close_matches(name[:MAX_ZONE_NAME], sorted(names), n=1)), None
    )
    if guess:
        message += f"; did you mean {guess!r}?"
    raise ValueError(message)


def _offset(dt: datetime) -> str:
    """'+01:00' for a datetime's UTC offset."""
    minutes = int((dt.utcoffset() or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time without offset read in `tz`. A time the clocks skip
    (spring forward) or pass twice (fall back) is refused with a ValueError
    that says what to write instead: guessing would move the start by an hour."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    written = f"{naive:%Y-%m-%dT%H:%M}"
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive.replace(fold=0):
        raise ValueError(
            f"{written!r} does not exist in {tz.key!r}: the clocks go forward that night "
            f"(write a time after the change)"
        )
    if first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{written!r} happens twice in {tz.key!r}: the clocks go back that night "
            f"(write the offset as well, {_offset(first)!r} or {_offset(second)!r})"
        )
    return first


def place(start: datetime, tz: ZoneInfo) -> datetime:
    """A scenario's start as an instant in its zone. Without an offset the time
    is read in the zone (`localize`). With one it names the instant; the offset
    must be UTC (Z, +00:00) or the zone's own at that instant, since an offset
    copied from another season (+01:00 in a Berlin July) would shift every
    clock time shown by an hour without anyone noticing. The caller checks the
    year range first (`schema.start_in_range`: near year 1 or 9999 it overflows)."""
    if start.tzinfo is None or start.utcoffset() is None:
        return localize(start, tz)
    there = start.astimezone(tz)
    offset = start.utcoffset()
    if offset and offset != there.utcoffset():
        raise ValueError(
            f"offset {_offset(start)!r} is not the offset of {tz.key!r} at that time "
            f"({_offset(there)!r}): write {there.isoformat()!r}, or the time without "
            f"an offset (it is then read in the time zone)"
        )
    return there


def at(start: datetime, seconds: float, tz: ZoneInfo | None = None) -> datetime:
    """The calendar time `seconds` after `start` (an aware datetime), in `tz`
    (default: the start's own zone). Added in UTC, so clock changes count."""
    zone_of = tz or start.tzinfo or UTC
    utc = start.astimezone(UTC)
    seconds = min(seconds, (_LAST - utc).total_seconds())
    return (utc + timedelta(seconds=seconds)).astimezone(zone_of)


def abbreviation(dt: datetime, lang: str = "en") -> str:
    """The zone's abbreviation at that time: 'CEST' ('MESZ' in German);
    'UTC+05:30' where the tz database has only a number ('+0530')."""
    name = dt.tzname() or ""
    if not name or name[0] in "+-":
        return f"UTC{_offset(dt)}"
    return _GERMAN_ABBREVIATIONS.get(name, name) if lang == "de" else name


def stamp(dt: datetime, lang: str = "en") -> str:
    """A calendar time with weekday and zone: 'Sun 2026-03-29 13:00 CEST',
    'So 29.03.2026 13:00 MESZ'."""
    day = _WEEKDAYS["de" if lang == "de" else "en"][dt.weekday()]
    if lang == "de":
        return f"{day} {dt:%d.%m.%Y %H:%M} {abbreviation(dt, lang)}"
    return f"{day} {dt:%Y-%m-%d %H:%M} {abbreviation(dt, lang)}"


def short(dt: datetime, lang: str = "en") -> str:
    """A calendar time for an axis tick: 'Sun 29/03 13:00 CEST', 'So 29.03. 13:00 MESZ'."""
    day = _WEEKDAYS["de" if lang == "de" else "en"][dt.weekday()]
    if lang == "de":
        return f"{day} {dt:%d.%m. %H:%M} {abbreviation(dt, lang)}"
    return f"{day} {dt:%d/%m %H:%M} {abbreviation(dt, lang)}"
