"""Calendar time of a scenario: the start instant plus simulated seconds, in
the scenario's IANA time zone, across daylight-saving changes.

Hand derivations (EU rule: summer time from the last Sunday of March 01:00
UTC to the last Sunday of October 01:00 UTC; Berlin is UTC+1, in summer UTC+2):
- 2026-03-29 is the last Sunday of March. Start Sat 28.03. 12:00 CET = 11:00
  UTC; + 24 h = Sun 29.03. 11:00 UTC, after 01:00 UTC, so UTC+2: 13:00 CEST.
  A fixed +01:00 offset shows 12:00.
- 2026-10-25 is the last Sunday of October. Start Sat 24.10. 12:00 CEST =
  10:00 UTC; + 24 h = Sun 25.10. 10:00 UTC, after 01:00 UTC, so UTC+1: 11:00 CET.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from simulator.model.schema import Scenario, ScenarioBundle
from simulator.readwrite.io import load_bundle
from simulator.terms.wallclock import abbreviation, at, localize, place, short, stamp, zone

BERLIN = zone("Europe/Berlin")
DST = Path(__file__).resolve().parent / "data" / "dst" / "scenario.yaml"
HOUR = 3600


def test_spring_forward_day_later_is_13_cest_not_12() -> None:
    start = place(datetime(2026, 3, 28, 12, 0), BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 3, 28, 11, 0, tzinfo=UTC)
    later = at(start, 24 * HOUR)
    assert (later.hour, later.minute, later.tzname()) == (13, 0, "CEST")
    assert stamp(later) == "Sun 2026-03-29 13:00 CEST"
    assert stamp(later, "de") == "So 29.03.2026 13:00 MESZ"
    # The two ways that are an hour off: a fixed offset, and Python's
    # wall-clock addition on a zoned datetime.
    fixed = datetime(2026, 3, 28, 12, tzinfo=timezone(timedelta(hours=1)))
    assert (fixed + timedelta(hours=24)).hour == 12
    assert (start + timedelta(hours=24)).hour == 12


def test_the_skipped_hour_and_the_repeated_hour() -> None:
    start = place(datetime(2026, 3, 28, 12, 0), BERLIN)
    # 13 h after the start is 00:00 UTC, 01:00 CET; an hour later the clocks
    # jump: 14 h is 03:00 CEST, 02:xx never shows.
    assert stamp(at(start, 13 * HOUR)) == "Sun 2026-03-29 01:00 CET"
    assert stamp(at(start, 14 * HOUR)) == "Sun 2026-03-29 03:00 CEST"
    autumn = place(datetime(2026, 10, 24, 12, 0), BERLIN)  # 10:00 UTC
    # 14 h: 00:00 UTC = 02:00 CEST; 15 h: 01:00 UTC = 02:00 CET (the hour repeats).
    assert stamp(at(autumn, 14 * HOUR)) == "Sun 2026-10-25 02:00 CEST"
    assert stamp(at(autumn, 15 * HOUR)) == "Sun 2026-10-25 02:00 CET"
    assert stamp(at(autumn, 24 * HOUR)) == "Sun 2026-10-25 11:00 CET"


def test_a_start_without_offset_is_read_in_the_zone() -> None:
    assert place(datetime(2026, 2, 16, 6), BERLIN).isoformat() == "2026-02-16T06:00:00+01:00"
    assert place(datetime(2026, 7, 1, 6), BERLIN).isoformat() == "2026-07-01T06:00:00+02:00"
    new_york = place(datetime(2026, 7, 1, 6), zone("America/New_York"))
    assert new_york.isoformat() == "2026-07-01T06:00:00-04:00"


def test_times_the_clocks_skip_or_repeat_are_refused() -> None:
    with pytest.raises(ValueError, match=r"'2026-03-29T02:30' does not exist in 'Europe/Berlin'"):
        localize(datetime(2026, 3, 29, 2, 30), BERLIN)
    with pytest.raises(ValueError, match=r"happens twice .* '\+02:00' or '\+01:00'"):
        localize(datetime(2026, 10, 25, 2, 30), BERLIN)
    # Just outside: fine.
    assert localize(datetime(2026, 3, 29, 3, 0), BERLIN).tzname() == "CEST"
    assert localize(datetime(2026, 10, 25, 3, 0), BERLIN).tzname() == "CET"


def test_an_offset_keeps_the_instant_and_must_fit_the_zone() -> None:
    summer = datetime(2026, 7, 1, 6, tzinfo=timezone(timedelta(hours=2)))
    assert place(summer, BERLIN) == summer and place(summer, BERLIN).tzinfo is BERLIN
    utc = datetime(2026, 7, 1, 4, tzinfo=UTC)  # UTC is always accepted: 06:00 CEST
    assert stamp(place(utc, BERLIN)) == "Wed 2026-07-01 06:00 CEST"
    winter_offset = datetime(2026, 7, 1, 6, tzinfo=timezone(timedelta(hours=1)))
    with pytest.raises(ValueError, match=r"offset '\+01:00' is not .* \('\+02:00'\): write "
                       r"'2026-07-01T07:00:00\+02:00'"):  # fmt: skip
        place(winter_offset, BERLIN)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Europe/Berln", "did you mean 'Europe/Berlin'?"),
        ("europe/berlin", "did you mean 'Europe/Berlin'?"),
        ("/etc/passwd", "unknown time zone '/etc/passwd'"),  # never a path to open
        ("../../etc/passwd", "unknown time zone"),
        ("", "unknown time zone ''"),
        ("x" * 5000, "unknown time zone 'xxxx"),
    ],
)
def test_unknown_zones(name: str, message: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone") as caught:
        zone(name)
    assert message in str(caught.value)
    assert len(str(caught.value)) < 300


def test_abbreviations() -> None:
    summer = datetime(2026, 7, 1, 12, tzinfo=BERLIN)
    assert (abbreviation(summer), abbreviation(summer, "de")) == ("CEST", "MESZ")
    winter = datetime(2026, 1, 1, 12, tzinfo=BERLIN)
    assert (abbreviation(winter), abbreviation(winter, "de")) == ("CET", "MEZ")
    kolkata = datetime(2026, 1, 1, 12, tzinfo=zone("Asia/Kolkata"))
    assert abbreviation(kolkata) == "IST"
    # A zone whose tz data has only a number: named by its offset.
    assert abbreviation(datetime(2026, 1, 1, 12, tzinfo=zone("Asia/Dubai"))) == "UTC+04:00"
    assert short(at(place(datetime(2026, 3, 28, 12), BERLIN), 24 * HOUR), "de") == (
        "So 29.03. 13:00 MESZ"
    )


def test_scenario_start_and_timezone_fields() -> None:
    base = {"scenario": {"id": "s", "title": "S"}, "company": "c.yaml"}
    default = Scenario.model_validate(base)
    assert default.timezone == "Europe/Berlin"
    assert default.start.isoformat() == "2026-01-05T08:00:00+01:00"  # the default start, in Berlin
    s = Scenario.model_validate({**base, "start": "2026-03-28T12:00", "timezone": "Europe/Berlin"})
    assert s.start.tzinfo is BERLIN
    # The stored form (JSON) and a process pool (pickle) keep instant and zone.
    again = Scenario.model_validate_json(s.model_dump_json())
    assert again.start == s.start and again.start.tzinfo is BERLIN
    assert json.loads(s.model_dump_json())["start"] == "2026-03-28T12:00:00+01:00"
    assert pickle.loads(pickle.dumps(s)).start.tzinfo is BERLIN
    lisbon = Scenario.model_validate({**base, "start": "2026-03-28T12:00", "timezone": "Europe/Lisbon"})
    assert stamp(at(lisbon.start, 24 * HOUR)) == "Sun 2026-03-29 13:00 WEST"


def test_the_dst_scenario_file() -> None:
    bundle: ScenarioBundle = load_bundle(DST)
    assert bundle.scenario.start.isoformat() == "2026-03-28T12:00:00+01:00"
    assert stamp(at(bundle.scenario.start, bundle.scenario.horizon)) == "Mon 2026-03-30 13:00 CEST"
