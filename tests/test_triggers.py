"""Triggers on the simulated state and the players' decisions (simulator/engine/triggers.py).

Each case runs a small company whose figures make the moment a trigger must
fire easy to derive by hand; the derivation is in the comment beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.analysis.metrics import summarize
from simulator.engine.records import Record
from simulator.engine.simulation import CommandError, Simulation
from simulator.model.commands import Down
from simulator.model.schema import Company, Scenario, ScenarioBundle
from simulator.model.validation import check_company, check_scenario
from simulator.readwrite.io import load_bundle

H = 3600
REPO = Path(__file__).resolve().parent.parent

ASSETS: list[dict[str, Any]] = [
    {"id": "grid", "kind": "utility", "utility": "power"},
    {"id": "spare", "kind": "utility", "utility": "power"},
    {"id": "plant", "kind": "equipment",
     "needs": [{"all_of": ["grid"], "buffers": [{"id": "fuel", "capacity": "10h"}]}]},
    {"id": "server", "kind": "it_system", "needs": [{"all_of": ["grid"]}]},
    {"id": "db", "kind": "data", "needs": [{"all_of": ["server"]}],
     "backup": {"interval": "4h"}},
    {"id": "orders", "kind": "business_process", "needs": [{"type": "cyber", "all_of": ["db"]}],
     "bia": {"rto": "4h", "mtpd": "12h", "mbco": 0.5, "impact_per_hour": 1000}},
    {"id": "production", "kind": "business_process", "needs": [{"all_of": ["plant"]}],
     "bia": {"rto": "2h", "mtpd": "1d",
             "impact": [{"after": "0h", "per_hour": 1000}, {"after": "2h", "per_hour": 4000}]}},
]  # fmt: skip
ACTIONS = [{"id": "external_it", "title": "External IT",
            "do": [{"action": "restore", "asset": "server"}]}]  # fmt: skip


def outage(at: str, duration: str | None = None, capacity: float = 0.0,
           asset: str = "grid") -> dict[str, Any]:  # fmt: skip
    spec: dict[str, Any] = {"type": "outage", "assets": [asset], "capacity": capacity}
    if duration is not None:
        spec["duration"] = duration
    return {"at": at, "hazard": spec}


def bundle(
    triggers: list[dict[str, Any]],
    hazards: list[dict[str, Any]] | None = None,
    injects: list[dict[str, Any]] | None = None,
    assets: list[dict[str, Any]] | None = None,
    horizon: str = "3d",
) -> ScenarioBundle:
    """A scenario validated as files are, the cross-reference checks included."""
    ctx = {"from_file": True}
    company = Company.model_validate(
        {"company": {"id": "t", "name": "T"}, "assets": assets or ASSETS}, context=ctx
    )
    scenario = Scenario.model_validate(
        {"scenario": {"id": "s", "title": "t"}, "company": "c.yaml", "horizon": horizon,
         "hazards": hazards or [], "injects": injects or [], "actions": ACTIONS,
         "triggers": triggers},
        context=ctx,
    )  # fmt: skip
    assert check_company(company) == []
    assert check_scenario(scenario, company) == []
    return ScenarioBundle(scenario=scenario, company=company)


def trig(when: dict[str, Any], tid: str = "t", **extra: Any) -> dict[str, Any]:
    return {"id": tid, "when": when, "do": [{"notify": {"title": {"de": "Hinweis", "en": "Note"}}}],
            **extra}  # fmt: skip


def fired(records: list[Record], tid: str = "t") -> list[int]:
    return [r.t for r in records if r.event == "trigger" and r.cause == f"trigger:{tid}"]


def run(b: ScenarioBundle) -> list[Record]:
    """Every record of a run, those of the start included."""
    sim = Simulation(b)
    sim.run()
    return sim.records


# --- asset conditions -----------------------------------------------------------------


def test_asset_down_fires_once_when_it_goes_down() -> None:
    # The server needs the grid with no delay: down at 1 h, and again at 10 h;
    # a `once` trigger answers the first time only.
    b = bundle([trig({"asset": "server", "is": "down"})],
               [outage("1h", "5h"), outage("10h", "1h")])  # fmt: skip
    records = run(b)
    assert fired(records) == [1 * H]
    (record,) = [r for r in records if r.event == "trigger"]
    assert record.detail == "asset 'server' is down"


def test_restored_and_degraded() -> None:
    # Grid at 40 % from 1 h for 5 h: the server is degraded at 1 h (below 0.5,
    # not below 0.4: "below" is strict) and restored at 6 h.
    b = bundle(
        [trig({"asset": "server", "is": "restored"}, "back"),
         trig({"asset": "server", "is": "degraded"}, "weak"),
         trig({"asset": "server", "below": 0.5}, "half"),
         trig({"asset": "server", "below": 0.4}, "strict")],
        [outage("1h", "5h", capacity=0.4)],
    )  # fmt: skip
    records = run(b)
    assert fired(records, "back") == [6 * H]
    assert fired(records, "weak") == [1 * H]
    assert fired(records, "half") == [1 * H]
    assert fired(records, "strict") == []


# --- buffers --------------------------------------------------------------------------


def test_buffer_threshold_at_the_derived_second() -> None:
    # The plant's 10 h of fuel drain at the rate of the shortfall. Grid at 50 %
    # from 1 h: 0.5 h of cover per hour; at 3 h the grid fails: 9 h left,
    # draining at 1 per hour; 6 h left after 3 h more: 6 h = 21,600 s.
    b = bundle([trig({"asset": "plant", "buffer": "fuel", "below": "6h"})],
               [outage("1h", "2h", capacity=0.5), outage("3h", "1d")])  # fmt: skip
    assert fired(run(b)) == [6 * H]


def test_buffer_at_half_supply_only() -> None:
    # 50 % supply from 1 h on: 4 h of cover used after 8 h, at 9 h.
    b = bundle([trig({"asset": "plant", "buffer": "fuel", "below": "6h"})],
               [outage("1h", "2d", capacity=0.5)])  # fmt: skip
    assert fired(run(b)) == [9 * H]


# --- business processes -----------------------------------------------------------------


def test_below_mbco_and_rto_breach() -> None:
    # Orders stand on db on the server on the grid: below its MBCO at 1 h; the
    # outage lasts 5 h > RTO 4 h, so the RTO is breached at 1 h + 4 h = 5 h.
    # The MTPD (12 h) is not.
    b = bundle([trig({"process": "orders", "is": "below_mbco"}, "mbco"),
                trig({"process": "orders", "is": "rto_breached"}, "rto"),
                trig({"process": "orders", "is": "mtpd_breached"}, "mtpd")],
               [outage("1h", "5h")])  # fmt: skip
    records = run(b)
    assert fired(records, "mbco") == [1 * H]
    assert fired(records, "rto") == [5 * H]
    assert fired(records, "mtpd") == []


def test_back_at_exactly_the_rto_is_no_breach() -> None:
    # Out 4 h exactly: the run summary says "not breached", and so does the trigger.
    b = bundle([trig({"process": "orders", "is": "rto_breached"})], [outage("1h", "4h")])
    records = run(b)
    assert fired(records) == []
    assert summarize(b, records, b.scenario.horizon).process("orders").rto_breached is False


def test_data_lost() -> None:
    # Backups every 4 h (0, 4 h, 8 h ...); the database is destroyed at 5 h:
    # 1 h of data lost, and the orders stand on it.
    b = bundle([trig({"process": "orders", "is": "data_lost"})],
               injects=[{"id": "wipe", "at": "5h", "title": "Wiped",
                         "do": [{"action": "down", "asset": "db"}]}])  # fmt: skip
    records = run(b)
    assert [r.detail for r in records if r.event == "data_loss"] == ["1.0"]
    assert fired(records) == [5 * H]


def test_impact_flat_and_curve() -> None:
    # Orders: 1,000 EUR/h at capacity 0 from 1 h: 2,500 EUR after 2.5 h, at 3.5 h.
    # Production at 50 % from 1 h (the fuel lasts 20 h at half supply): the curve
    # gives 1,000 EUR/h for 2 h, then 4,000 EUR/h, halved: 1,000 EUR by 3 h,
    # then 2,000 EUR/h; 6,000 EUR after 2.5 h more, at 5.5 h.
    assets = [dict(a) for a in ASSETS]
    assets[2] = {"id": "plant", "kind": "equipment", "needs": [{"all_of": ["grid"]}]}
    b = bundle(
        [trig({"process": "orders", "impact_above": 2500}, "flat"),
         trig({"process": "production", "impact_above": 6000}, "curve")],
        [outage("1h", "2d", capacity=0.5, asset="plant"), outage("1h", "2d", asset="server")],
        assets=assets,
    )  # fmt: skip
    records = run(b)
    assert fired(records, "flat") == [int(3.5 * H)]
    assert fired(records, "curve") == [int(5.5 * H)]


# --- decisions ---------------------------------------------------------------------------


def test_action_not_taken_by_fires_at_the_deadline() -> None:
    b = bundle([trig({"action": "external_it", "not_taken_by": "8h"})])
    records = run(b)
    assert fired(records) == [8 * H]
    assert "action 'external_it' not taken by 8h" in {r.detail for r in records}


def test_a_decision_before_the_deadline_prevents_the_trigger() -> None:
    b = bundle([trig({"action": "external_it", "not_taken_by": "8h"}, "late"),
                trig({"action": "external_it"}, "taken")])  # fmt: skip
    sim = Simulation(b)
    sim.advance(7 * H)
    out = sim.action_taken("external_it")
    assert fired(out, "taken") == [7 * H]  # fires in the same call
    sim.run()
    assert fired(sim.records, "late") == []
    assert fired(sim.records, "taken") == [7 * H]


def test_unknown_action_is_refused() -> None:
    sim = Simulation(bundle([trig({"after": "1h"})]))
    with pytest.raises(CommandError) as caught:
        sim.action_taken("no_such")
    assert caught.value.field == "action"


# --- hazards -----------------------------------------------------------------------------


def test_hazard_detected_alarm_and_peak() -> None:
    # Ransomware from 1 h, detected 2 h later: 3 h. A flood from 1 h rising
    # linearly from 1 m to 5 m over 10 h, back to 1 m 10 h later: the 3 m alarm
    # at (3 - 1) / (5 - 1) x 10 h = 5 h after its start, 6 h; the crest at 11 h.
    assets = [*ASSETS, {"id": "cellar", "kind": "site", "flood": {"gauge": "river", "level": 4.0}}]
    flood = {"type": "flood", "gauge": "river", "alarms": {"AS1": 3.0},
             "hydrograph": [{"at": "0h", "level": 1.0}, {"at": "10h", "level": 5.0},
                            {"at": "20h", "level": 1.0}]}  # fmt: skip
    crypto = {"type": "ransomware", "entry": "server", "detect_after": "2h", "dwell": "1d"}
    b = bundle(
        [trig({"hazard": "crypto", "is": "detected"}, "found"),
         trig({"hazard": "water", "alarm": "AS1"}, "alarm"),
         trig({"hazard": "water", "is": "peak_passed"}, "crest"),
         trig({"hazard": "water", "is": "started"}, "start")],
        [{"id": "crypto", "at": "1h", "hazard": crypto}, {"id": "water", "at": "1h", "hazard": flood}],
        assets=assets,
    )  # fmt: skip
    records = run(b)
    assert fired(records, "found") == [3 * H]
    assert fired(records, "alarm") == [6 * H]
    assert fired(records, "crest") == [11 * H]
    assert fired(records, "start") == [1 * H]


# --- timing: delay, repeat, combinations --------------------------------------------------


def test_delay_needs_the_condition_to_hold_throughout() -> None:
    # Down at 1 h: with a 2 h delay it fires at 3 h if the server is still down.
    held = bundle([trig({"asset": "server", "is": "down"}, delay="2h")], [outage("1h", "5h")])
    assert fired(run(held)) == [3 * H]
    brief = bundle([trig({"asset": "server", "is": "down"}, delay="2h")], [outage("1h", "1h")])
    assert fired(run(brief)) == []


def test_repeat_with_minimum_interval() -> None:
    # Down at 1 h (fires), at 3 h (inside 4 h of the last: waits for 5 h, but
    # the server is back at 4 h, so nothing), at 10 h (fires).
    rule = trig({"asset": "server", "is": "down"}, once=False, min_interval="4h")
    b = bundle([rule], [outage("1h", "1h"), outage("3h", "1h"), outage("10h", "1h")])
    assert fired(run(b)) == [1 * H, 10 * H]
    # Down at 1 h (fires) and again at 3 h until 6 h: still down at 5 h, it fires then.
    b = bundle([rule], [outage("1h", "1h"), outage("3h", "3h")])
    assert fired(run(b)) == [1 * H, 5 * H]


def test_all_any_not() -> None:
    # Grid down 1 h .. 6 h. all: down and past 3 h -> 3 h. any: first of the
    # two -> 1 h. not: grid not up -> 1 h. not(all(...)) holds at 0 already.
    down = {"asset": "server", "is": "down"}
    b = bundle(
        [trig({"all": [down, {"after": "3h"}]}, "all"),
         trig({"any": [{"after": "2h"}, down]}, "any"),
         trig({"not": {"asset": "grid", "is": "up"}}, "not"),
         trig({"not": {"all": [down, {"after": "3h"}]}}, "nall")],
        [outage("1h", "5h")],
    )  # fmt: skip
    records = run(b)
    assert fired(records, "all") == [3 * H]
    assert fired(records, "any") == [1 * H]
    assert fired(records, "not") == [1 * H]
    assert fired(records, "nall") == [0]
    (any_record,) = [r for r in records if r.cause == "trigger:any"]
    assert any_record.detail == "asset 'server' is down"  # the part that holds


# --- what triggers do --------------------------------------------------------------------


def test_release_commands_and_own_when() -> None:
    # At 2 h the trigger releases "call" and takes the spare down; the inject
    # "late" waits for its own condition, not before its `at` (5 h); the
    # hazard "second" starts when the server is down, after 1 h of it.
    b = bundle(
        [{"id": "t", "when": {"after": "2h"},
          "do": [{"release": "call"}, {"action": "down", "asset": "spare"}]}],
        [outage("1h", "1d"),
         {"id": "second", "when": {"asset": "server", "is": "down"}, "delay": "1h",
          "hazard": {"type": "outage", "assets": ["plant"]}}],
        injects=[{"id": "call", "title": {"de": "Anruf", "en": "Call"}},
                 {"id": "late", "at": "5h", "when": {"asset": "server", "is": "down"},
                  "title": {"de": "Spät", "en": "Late"}}],
    )  # fmt: skip
    records = run(b)
    assert [(r.t, r.cause) for r in records if r.event == "inject"] == [
        (2 * H, "inject:call"), (5 * H, "inject:late")]  # fmt: skip
    assert [(r.t, r.cause) for r in records if r.event == "state" and r.asset == "spare"] == [
        (2 * H, "trigger:t")]  # fmt: skip
    assert [(r.t, r.cause) for r in records if r.event == "hazard"][1] == (2 * H, "hazard:second")
    assert fired(records, "inject:late") == [5 * H]


def test_released_by_hand_waits_no_more_and_facilitator_can_fire_or_disarm() -> None:
    b = bundle(
        [trig({"after": "2h"}, "a"), trig({"after": "3h"}, "b")],
        injects=[{"id": "late", "when": {"after": "4h"}, "title": "Late"}],
    )
    sim = Simulation(b, autoplay_msel=False)
    sim.advance(H)
    sim.release("late")
    out = sim.fire("b")
    assert fired(out, "b") == [H]
    assert out[0].detail == "fired by the facilitator"
    sim.disarm("a")
    sim.run()
    assert fired(sim.records, "a") == []
    assert fired(sim.records, "b") == [H]  # spent: `once`
    assert [r.t for r in sim.records if r.event == "inject"] == [H]
    with pytest.raises(CommandError):
        sim.disarm("nope")


# --- determinism and cost ----------------------------------------------------------------


def test_same_seed_same_records() -> None:
    b = load_bundle(REPO / "scenarios" / "example" / "scenario.yaml")
    assert b.scenario.triggers
    first = [json.dumps(r.to_dict()) for r in run(b)]
    again = [json.dumps(r.to_dict()) for r in run(b)]
    assert first == again
    assert any(r.startswith('{"seq"') and '"event":"trigger"' in r.replace(" ", "")
               for r in first)  # fmt: skip


def test_a_change_reevaluates_only_the_triggers_that_name_it() -> None:
    # 200 independent utilities, a trigger on each; one goes down. At the start
    # each trigger is evaluated once; the outage re-checks the one that names it.
    n = 200
    assets = [{"id": f"u{i}", "kind": "utility"} for i in range(n)]
    assets.append({"id": "server", "kind": "it_system"})  # the catalogue action's target
    b = bundle([trig({"asset": f"u{i}", "is": "down"}, f"t{i}") for i in range(n)],
               [outage("1h", "1h", asset="u7")], assets=assets)  # fmt: skip
    sim = Simulation(b)
    assert sim.watch is not None
    assert sim.watch.evaluations == n
    sim.run()
    assert sim.watch.evaluations == n + 2  # down at 1 h, up at 2 h: t7 twice
    assert fired(sim.records, "t7") == [H]


def test_inject_without_condition_plays_as_before() -> None:
    # No triggers: no watch, and a `down` inject by command still works.
    sim = Simulation(bundle([]))
    assert sim.watch is None
    sim.inject(Down(action="down", asset="server"))
    assert sim.snapshot().state["server"] == "down"


def test_a_stored_scenario_reads_back_with_its_conditions() -> None:
    # The server stores scenarios as JSON dumps: `is` and `not` must survive.
    from simulator.model.schema import Scenario

    b = load_bundle(REPO / "scenarios" / "example" / "scenario.yaml")
    dumped = b.scenario.model_dump(mode="json")
    assert dumped["triggers"][3]["when"]["is"] == "down"
    assert Scenario.model_validate(dumped) == b.scenario
