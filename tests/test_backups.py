"""Data loss of destroyed data assets (simulator/engine/backups.py), derived by hand.

The schedule: backups at offset + k × interval for every whole k (also before
the start), offline copies at offset + k × offline_interval; none taken while
the asset is down; the loss runs from the last good backup to the moment the
asset went down.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_bundle

from simulator.engine.backups import last_taken, scheduled_at_or_before
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.model.commands import Restore

H = 3600
D = 24 * H


def losses(records: list[Record]) -> list[tuple[str | None, float, float]]:
    """(asset, hours into the run, hours lost) of every data-loss record."""
    return [(r.asset, r.t / H, float(r.detail or 0)) for r in records if r.event == "data_loss"]


def db(backup: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    asset: dict[str, Any] = {"id": "db", "kind": "data", **extra}
    if backup is not None:
        asset["backup"] = backup
    return asset


def outage(at: str, assets: list[str], duration: str | None = None) -> dict[str, Any]:
    hazard: dict[str, Any] = {"type": "outage", "assets": assets}
    if duration:
        hazard["duration"] = duration
    return {"at": at, "hazard": hazard}


def run(assets: list[dict[str, Any]], hazards: list[dict[str, Any]]) -> list[Record]:
    sim = Simulation(make_bundle(assets, hazards=hazards, horizon="20d"))
    sim.run()
    return sim.records


# --- the schedule ---------------------------------------------------------------


def test_the_schedule_runs_before_the_start() -> None:
    """Daily at 2 h: at 1 h the last backup was at 2 − 24 = −22 h; at 26 h it
    is the one at 26 h itself; at 25 h the one at 2 h."""
    assert scheduled_at_or_before(1 * H, D, 2 * H) == -22 * H
    assert scheduled_at_or_before(26 * H, D, 2 * H) == 26 * H
    assert scheduled_at_or_before(25 * H, D, 2 * H) == 2 * H


def test_no_backup_is_taken_while_the_asset_is_down() -> None:
    """Daily at 0 h; down 20–30 h and 40–50 h. At 60 h: the 48 h backup fell
    in the second stretch, so the last is 24 h — which fell in the first, so
    it is 0 h. A backup due in the very second the asset came back (30 h in
    a schedule at 6 h, 30 h, ...) is taken."""
    assert last_taken(60 * H, D, 0, [(20 * H, 30 * H), (40 * H, 50 * H)]) == 0
    assert last_taken(60 * H, D, 0, [(40 * H, 50 * H)]) == 24 * H
    assert last_taken(40 * H, D, 6 * H, [(20 * H, 30 * H)]) == 30 * H


# --- the engine -----------------------------------------------------------------


def test_the_scenario_start_is_no_backup_unless_scheduled() -> None:
    """Daily at 2 h, destroyed at 1 h: 23 h lost (since −22 h), not 1 h. The
    same at 29 h: 3 h (since 26 h). With offset 0, destroyed at 1 h: 1 h
    (the schedule puts a backup at the start)."""
    late = run([db({"interval": "24h", "offset": "2h"})], [outage("1h", ["db"])])
    assert losses(late) == [("db", 1.0, 23.0)]
    later = run([db({"interval": "24h", "offset": "2h"})], [outage("29h", ["db"])])
    assert losses(later) == [("db", 29.0, 3.0)]
    at_start = run([db({"interval": "24h"})], [outage("1h", ["db"])])
    assert losses(at_start) == [("db", 1.0, 1.0)]


def test_offline_copies_follow_the_offset() -> None:
    """Daily backups into domain `corp`, weekly offline copies, both at 2 h.
    The attacker compromises `corp`: only offline copies count. Destroyed at
    8 d = 192 h: the offline copies were at 2 h and 170 h, so 22 h lost (not
    192 mod 168 = 24 h). Destroyed at 1 h: the last copy was at 2 − 168 =
    −166 h, so 167 h lost (the start is no backup)."""
    backup = {"interval": "24h", "offset": "2h", "domain": "corp", "offline_interval": "1w"}
    for at, lost in ((192 * H, 22.0), (1 * H, 167.0)):
        sim = Simulation(make_bundle([db(backup)], horizon="20d"))
        sim.advance(at)
        sim.damage("db", 0.0, "attack", until_restored=True, compromised=frozenset({"corp"}))
        assert losses(sim.records) == [("db", at / H, lost)]


def test_loss_counts_from_when_the_host_took_the_data_down() -> None:
    """`db` needs `host`. The host fails at 20 h until restored by hand; the
    database is encrypted at 22 h. Nothing was written after 20 h: daily
    backups at 0 h → 20 h lost (not 22 h)."""
    assets = [{"id": "host", "kind": "it_system"},
              db({"interval": "24h"}, needs=[{"all_of": ["host"]}])]  # fmt: skip
    records = run(assets, [outage("20h", ["host"]), outage("22h", ["db"])])
    assert losses(records) == [("db", 22.0, 20.0)]


def test_a_backup_missed_while_the_host_was_down() -> None:
    """The host is down 20–30 h (timed), so the database too: the 24 h backup
    is not taken. Destroyed at 35 h: the last backup is at 0 h → 35 h lost."""
    assets = [{"id": "host", "kind": "it_system"},
              db({"interval": "24h"}, needs=[{"all_of": ["host"]}])]  # fmt: skip
    records = run(assets, [outage("20h", ["host"], "10h"), outage("35h", ["db"])])
    assert losses(records) == [("db", 35.0, 35.0)]


def test_destroyed_again_after_a_restore() -> None:
    """Daily backups at 0 h. Destroyed at 23 h (23 h lost), restored by hand at
    30 h (back to the 0 h backup; the 24 h backup fell while it was down),
    destroyed again at 40 h: the data written since it came back, 30–40 h,
    is lost: 10 h (not 40 h, which would count 0–23 h twice)."""
    sim = Simulation(make_bundle([db({"interval": "24h"})], horizon="3d",
                                 hazards=[outage("23h", ["db"]), outage("40h", ["db"])]))  # fmt: skip
    sim.advance(30 * H)
    sim.inject(Restore(action="restore", asset="db"))
    sim.run()
    assert losses(sim.records) == [("db", 23.0, 23.0), ("db", 40.0, 10.0)]


def test_destroyed_twice_in_one_outage_loses_once() -> None:
    """Encrypted at 10 h (10 h lost since the 0 h backup), still down when a
    second hazard destroys it at 15 h: nothing was written in between, so
    no second loss."""
    records = run([db({"interval": "24h"})], [outage("10h", ["db"]), outage("15h", ["db"])])
    assert losses(records) == [("db", 10.0, 10.0)]


def test_without_a_backup_everything_since_the_start_is_lost() -> None:
    assert losses(run([db()], [outage("30h", ["db"])])) == [("db", 30.0, 30.0)]


@pytest.mark.parametrize("recovery", [None, {"time": "1d"}])
def test_flooded_data_counts_from_when_the_water_came(recovery: dict[str, Any] | None) -> None:
    """Gauge readings 5 m at 0 h, 7 m at 40 h, 5 m at 80 h; the database is
    flooded from 6 m: the water reaches it at 20 h and falls below at 60 h.
    Daily backups at 0 h: the 0 h backup is the last good one (none at 24 h or
    48 h, it was under water), so 20 h are lost, recorded at 20 h — not
    60 mod 24 = 12 h when the water falls and the restore starts."""
    extra: dict[str, Any] = {"flood": {"gauge": "g", "level": 6.0, "cleanup": "1d"}}
    if recovery is not None:
        extra["recovery"] = recovery
    hydrograph = [{"at": "0h", "level": 5.0}, {"at": "40h", "level": 7.0}, {"at": "80h", "level": 5.0}]
    flood = {"at": "0min", "hazard": {"type": "flood", "gauge": "g", "hydrograph": hydrograph}}
    records = run([db({"interval": "24h"}, **extra)], [flood])
    assert losses(records) == [("db", 20.0, 20.0)]
    back = [(r.t / H, r.after) for r in records if r.event == "state" and r.asset == "db"]
    assert back == [(20.0, 0.0), (84.0, 1.0)]  # 60 h + 1 d clean-up or repair
