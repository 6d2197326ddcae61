"""The engine against hand-computed cases, determinism and incrementality."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import make_bundle

from simulator.engine.records import Record
from simulator.engine.simulation import CommandError, Simulation
from simulator.model.commands import (
    ActivateStandby,
    AddTeam,
    Down,
    Isolate,
    Restore,
    StartWorkaround,
)

H = 3600


def outage(at: str, assets: list[str], duration: str | None = None, capacity: float = 0.0) -> dict:
    hazard: dict[str, Any] = {"type": "outage", "assets": assets, "capacity": capacity}
    if duration:
        hazard["duration"] = duration
    return {"at": at, "hazard": hazard}


def changes(records: list[Record], asset: str) -> list[tuple[float, float]]:
    """(hours, capacity after) of every state change of `asset`."""
    return [(r.t / H, r.after) for r in records if r.event == "state" and r.asset == asset]  # type: ignore[misc]


def test_chain_with_delays() -> None:
    b = make_bundle(
        [
            {"id": "a", "kind": "utility"},
            {"id": "b", "kind": "it_system", "needs": [{"all_of": ["a"], "delay": "30min"}]},
            {"id": "c", "kind": "application", "needs": [{"all_of": ["b"], "delay": "1h"}]},
        ],
        hazards=[outage("1h", ["a"], "5h")],
    )
    recs = Simulation(b).run()
    assert changes(recs, "a") == [(1.0, 0.0), (6.0, 1.0)]
    assert changes(recs, "b") == [(1.5, 0.0), (6.0, 1.0)]
    assert changes(recs, "c") == [(2.5, 0.0), (6.0, 1.0)]


def test_loss_shorter_than_the_delay_has_no_impact() -> None:
    b = make_bundle(
        [
            {"id": "a", "kind": "utility"},
            {"id": "b", "kind": "site", "needs": [{"all_of": ["a"], "delay": "2h"}]},
        ],
        hazards=[outage("1h", ["a"], "90min")],
    )
    assert changes(Simulation(b).run(), "b") == []


def test_any_of_redundancy() -> None:
    assets = [
        {"id": "l1", "kind": "utility"},
        {"id": "l2", "kind": "utility"},
        {"id": "d", "kind": "application", "needs": [{"type": "cyber", "any_of": ["l1", "l2"]}]},
    ]
    one = make_bundle(assets, hazards=[outage("1h", ["l1"], "5h")])
    assert changes(Simulation(one).run(), "d") == []
    both = make_bundle(assets, hazards=[outage("1h", ["l1"], "5h"), outage("2h", ["l2"], "1h")])
    assert changes(Simulation(both).run(), "d") == [(2.0, 0.0), (3.0, 1.0)]


def test_k_of_n_and_pooled_shares() -> None:
    b = make_bundle(
        [
            {"id": "c1", "kind": "it_system"},
            {"id": "c2", "kind": "it_system"},
            {"id": "c3", "kind": "it_system"},
            {"id": "room", "kind": "site", "needs": [{"k_of_n": {"k": 2, "of": ["c1", "c2", "c3"]}}]},
            {"id": "s1", "kind": "supplier"},
            {"id": "s2", "kind": "supplier"},
            {
                "id": "plant",
                "kind": "site",
                "needs": [{"any_of": [{"asset": "s1", "share": 0.6}, {"asset": "s2", "share": 0.6}]}],
            },
        ],
        hazards=[outage("1h", ["c1"], "10h"), outage("2h", ["c2"], "1h"), outage("3h", ["s1"], "1h")],
    )
    recs = Simulation(b).run()
    assert changes(recs, "room") == [(2.0, 0.5), (3.0, 1.0)]
    assert changes(recs, "plant") == [(3.0, 0.6), (4.0, 1.0)]


def test_ups_bridges_then_the_site_restarts() -> None:
    """A 30-minute UPS under a 2-hour blackout: down from 0:30 until power
    returns plus the 15-minute restart."""
    b = make_bundle(
        [
            {"id": "grid", "kind": "utility", "utility": "power"},
            {
                "id": "site",
                "kind": "site",
                "restart": "15min",
                "needs": [{"all_of": ["grid"], "buffers": [{"id": "ups", "capacity": "30min"}]}],
            },
        ],
        hazards=[outage("0min", ["grid"], "2h")],
    )
    recs = Simulation(b).run()
    assert changes(recs, "site") == [(0.5, 0.0), (2.25, 1.0)]
    assert [(r.t, r.detail) for r in recs if r.event == "buffer_empty"] == [(1800, "ups")]


def generator_site(fuel: str, resupply: dict | None = None) -> list[dict]:
    buffer: dict[str, Any] = {"id": "fuel", "capacity": fuel, "via": "generator"}
    if resupply:
        buffer["resupply"] = resupply
    return [
        {"id": "grid", "kind": "utility"},
        {"id": "generator", "kind": "utility"},
        {"id": "fuel_supplier", "kind": "supplier"},
        {"id": "truck", "kind": "logistics", "needs": [{"all_of": ["fuel_supplier"]}]},
        {"id": "site", "kind": "site", "needs": [{"all_of": ["grid"], "buffers": [buffer]}]},
    ]


def test_generator_fuel_runs_out() -> None:
    b = make_bundle(generator_site("8h"), hazards=[outage("0min", ["grid"], "12h")])
    assert changes(Simulation(b).run(), "site") == [(8.0, 0.0), (12.0, 1.0)]


def test_a_broken_generator_cannot_burn_its_fuel() -> None:
    b = make_bundle(
        generator_site("8h"),
        hazards=[outage("0min", ["grid"], "12h"), outage("3h", ["generator"], "2h")],
    )
    assert changes(Simulation(b).run(), "site") == [(3.0, 0.0), (5.0, 1.0), (10.0, 0.0), (12.0, 1.0)]


def test_refuelling_keeps_the_generator_running() -> None:
    resupply = {"by": "truck", "amount": "8h", "lead_time": "2h", "reorder_at": "4h"}
    b = make_bundle(generator_site("8h", resupply), hazards=[outage("0min", ["grid"], "20h")])
    recs = Simulation(b).run()
    assert changes(recs, "site") == []
    assert [r.t / H for r in recs if r.event == "resupply"] == [6.0, 12.0, 18.0]


def test_refuelling_fails_while_the_supplier_is_down() -> None:
    resupply = {"by": "truck", "amount": "8h", "lead_time": "2h", "reorder_at": "4h"}
    b = make_bundle(
        generator_site("8h", resupply),
        hazards=[outage("0min", ["grid"], "20h"), outage("1h", ["fuel_supplier"], "2d")],
    )
    assert changes(Simulation(b).run(), "site") == [(8.0, 0.0), (20.0, 1.0)]


def test_stock_cover_against_a_longer_supplier_outage() -> None:
    """3 days of stock against a 5-day supplier outage: 2 days down."""
    b = make_bundle(
        [
            {"id": "supplier", "kind": "supplier"},
            {
                "id": "production",
                "kind": "business_process",
                "needs": [{"all_of": ["supplier"], "buffers": [{"id": "stock", "capacity": "3d"}]}],
                "bia": {"rto": "1d", "mtpd": "3d"},
            },
        ],
        hazards=[outage("1d", ["supplier"], "5d")],
    )
    assert changes(Simulation(b).run(), "production") == [(96.0, 0.0), (144.0, 1.0)]


def test_partial_supply_stretches_the_stock() -> None:
    b = make_bundle(
        [
            {"id": "supplier", "kind": "supplier"},
            {
                "id": "line",
                "kind": "site",
                "needs": [{"all_of": ["supplier"], "buffers": [{"id": "stock", "capacity": "2d"}]}],
            },
        ],
        hazards=[outage("0min", ["supplier"], "10d", capacity=0.5)],
    )
    # half the supply: the stock covers the other half for twice as long
    assert changes(Simulation(b).run(), "line") == [(96.0, 0.5), (240.0, 1.0)]


def restore_bundle(rto_a: str, rto_b: str) -> Any:
    recovery = {"time": "2h", "team": "admins"}
    return make_bundle(
        [
            {"id": "a", "kind": "application", "recovery": recovery},
            {"id": "b", "kind": "application", "recovery": recovery},
            {"id": "c", "kind": "application", "recovery": recovery},
            {"id": "pa", "kind": "business_process", "needs": [{"all_of": ["a"]}],
             "bia": {"rto": rto_a, "mtpd": "5d"}},
            {"id": "pb", "kind": "business_process", "needs": [{"all_of": ["b"]}],
             "bia": {"rto": rto_b, "mtpd": "5d"}},
        ],
        teams={"admins": {"size": 1}},
        hazards=[outage("0min", ["c"]), outage("1h", ["a"]), outage("1h", ["b"])],
    )  # fmt: skip


def test_restores_compete_for_one_team_in_rto_order() -> None:
    recs = Simulation(restore_bundle("4h", "24h")).run()
    done = {r.asset: r.t / H for r in recs if r.event == "restore_done"}
    assert done == {"c": 2.0, "a": 4.0, "b": 6.0}
    recs = Simulation(restore_bundle("24h", "4h")).run()
    done = {r.asset: r.t / H for r in recs if r.event == "restore_done"}
    assert done == {"c": 2.0, "b": 4.0, "a": 6.0}


def test_more_team_members_restore_in_parallel() -> None:
    sim = Simulation(restore_bundle("4h", "24h"))
    sim.advance(H)
    sim.inject(AddTeam(action="add_team", team="admins", count=2))
    recs = sim.run()
    done = {r.asset: r.t / H for r in sim.records if r.event == "restore_done"}
    assert done == {"c": 2.0, "a": 3.0, "b": 3.0}
    assert recs  # the restores happened after the inject


def test_restore_waits_for_what_it_requires() -> None:
    b = make_bundle(
        [
            {"id": "ad", "kind": "application"},
            {"id": "erp", "kind": "application",
             "recovery": {"time": "3h", "requires": ["ad"]}},
        ],
        hazards=[outage("0min", ["ad"], "5h"), outage("1h", ["erp"])],
    )  # fmt: skip
    assert changes(Simulation(b).run(), "erp") == [(1.0, 0.0), (8.0, 1.0)]


def test_standby_takes_over_after_its_lead_time() -> None:
    b = make_bundle(
        [
            {"id": "dc", "kind": "it_system"},
            {"id": "dr", "kind": "it_system", "standby": {"lead_time": "4h", "capacity": 0.8}},
            {"id": "app", "kind": "application", "needs": [{"any_of": ["dc", "dr"]}]},
        ],
        hazards=[outage("0min", ["dc"])],
    )
    sim = Simulation(b)
    sim.advance(H)
    assert sim.snapshot().state["dr"] == "standby"
    sim.apply(ActivateStandby(action="activate_standby", asset="dr"))
    sim.run()
    assert changes(sim.records, "app") == [(0.0, 0.0), (5.0, 0.8)]
    assert sim.snapshot().state["dr"] == "degraded"


def test_workaround_covers_only_its_needs() -> None:
    b = make_bundle(
        [
            {"id": "erp", "kind": "application"},
            {"id": "staff", "kind": "staff"},
            {
                "id": "orders",
                "kind": "business_process",
                "needs": [{"id": "erp", "all_of": ["erp"]}, {"id": "people", "all_of": ["staff"]}],
                "bia": {"rto": "4h", "mtpd": "1d", "mbco": 0.3},
                "workaround": {"capacity": 0.4, "lead_time": "1h", "covers": ["erp"]},
            },
        ],
        hazards=[outage("0min", ["erp"], "10h"), outage("5h", ["staff"], "1h")],
    )
    sim = Simulation(b)
    sim.advance(H)
    sim.apply(StartWorkaround(action="start_workaround", process="orders"))
    sim.run()
    assert changes(sim.records, "orders") == [(0.0, 0.0), (2.0, 0.4), (5.0, 0.0), (6.0, 0.4), (10.0, 1.0)]


def test_isolation_cuts_dependencies_of_its_type_only() -> None:
    b = make_bundle(
        [
            {"id": "power", "kind": "utility"},
            {"id": "segment", "kind": "it_system", "needs": [{"type": "physical", "all_of": ["power"]}]},
            {"id": "app", "kind": "application", "needs": [{"type": "cyber", "all_of": ["segment"]}]},
            {"id": "lamp", "kind": "site", "needs": [{"type": "physical", "all_of": ["segment"]}]},
        ]
    )
    sim = Simulation(b)
    sim.advance(H)
    sim.inject(Isolate(action="isolate", asset="segment", types=["cyber"]))
    snap = sim.snapshot()
    assert (snap.state["app"], snap.state["lamp"], snap.state["segment"]) == ("down", "up", "up")
    assert snap.isolated == {"segment"}


def test_restore_command_and_data_loss_since_last_backup() -> None:
    b = make_bundle(
        [{"id": "db", "kind": "data", "backup": {"interval": "24h", "offset": "2h"}}],
        hazards=[outage("1d5h", ["db"])],
    )
    sim = Simulation(b)
    sim.advance(30 * H)
    loss = [r for r in sim.records if r.event == "data_loss"]
    assert [(r.asset, r.detail) for r in loss] == [("db", "3.0")]
    sim.inject(Restore(action="restore", asset="db"))
    assert changes(sim.records, "db") == [(29.0, 0.0), (30.0, 1.0)]


def test_a_bad_command_changes_nothing() -> None:
    sim = Simulation(make_bundle([{"id": "a", "kind": "site"}]))
    before = list(sim.records)
    with pytest.raises(CommandError) as err:
        sim.inject(Down(action="down", asset="nope"))
    assert err.value.field == "asset"
    with pytest.raises(CommandError):
        sim.apply(ActivateStandby(action="activate_standby", asset="a"))
    assert sim.records == before


def example_path() -> Path:
    return Path(__file__).parent.parent / "scenarios" / "example" / "scenario.yaml"


def jsonl(records: list[Record]) -> str:
    return "".join(json.dumps(r.to_dict()) + "\n" for r in records)


def load_example() -> Any:
    from simulator.readwrite.io import load_bundle

    return load_bundle(example_path())


def test_same_seed_same_records_in_any_chunking() -> None:
    bundle = load_example()
    first, second = Simulation(bundle), Simulation(bundle)
    first.run()
    second.run()
    whole = jsonl(first.records)
    assert whole == jsonl(second.records)
    sim, rng = Simulation(bundle), random.Random(5)
    while sim.now < sim.horizon:
        sim.advance(sim.now + rng.randint(1, 20 * H))
    assert jsonl(sim.records) == whole


def test_same_records_in_another_process() -> None:
    code = (
        "import json,sys; from simulator.readwrite.io import load_bundle; from simulator.engine.simulation import Simulation;"
        f"sim = Simulation(load_bundle({str(example_path())!r})); recs = sim.run();"
        "sys.stdout.write(''.join(json.dumps(r.to_dict()) + '\\n' for r in recs))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == jsonl(Simulation(load_example()).run())


def test_seed_changes_random_restore_times() -> None:
    bundle = load_example()
    restores = {
        seed: [r.t for r in Simulation(bundle, seed).run() if r.event == "restore_done"]
        for seed in (1, 2, 3)
    }
    assert len({tuple(v) for v in restores.values()}) > 1


def wide_company(extra: int) -> Any:
    """A small chain plus `extra` unrelated assets."""
    assets = [
        {"id": "grid", "kind": "utility"},
        {"id": "site", "kind": "site", "needs": [{"all_of": ["grid"]}]},
        {"id": "app", "kind": "application", "needs": [{"all_of": ["site"], "delay": "10min"}]},
    ]
    for i in range(extra):
        assets.append({"id": f"x{i}", "kind": "site"})
        assets.append({"id": f"y{i}", "kind": "application", "needs": [{"all_of": [f"x{i}"]}]})
    return make_bundle(assets, hazards=[outage("1h", ["grid"], "2h")])


def test_cost_follows_affected_assets_not_company_size() -> None:
    small, large = Simulation(wide_company(10)), Simulation(wide_company(5000))
    small.run()
    large.run()
    assert small.stats == large.stats
    # No timers wait in the queue while nothing is failing.
    assert len(large.env._queue) == 0


def test_an_idle_standby_burns_no_fuel() -> None:
    b = make_bundle(
        [
            {"id": "fuel", "kind": "supplier"},
            {"id": "gen", "kind": "utility", "standby": {"lead_time": "1h"},
             "needs": [{"all_of": ["fuel"], "buffers": [{"id": "tank", "capacity": "10h"}]}]},
        ],
        hazards=[outage("0min", ["fuel"])],
    )  # fmt: skip
    sim = Simulation(b)
    sim.advance(20 * H)
    sim.apply(ActivateStandby(action="activate_standby", asset="gen"))
    sim.run()
    assert changes(sim.records, "gen") == [(21.0, 1.0), (31.0, 0.0)]  # a full tank after 20 h idle


def test_a_restore_waits_again_if_what_it_requires_fails_while_it_queues() -> None:
    b = make_bundle(
        [
            {"id": "z", "kind": "it_system", "recovery": {"time": "5h", "team": "t"}},
            {"id": "y", "kind": "it_system", "recovery": {"time": "10h"}},
            {"id": "x", "kind": "it_system", "recovery": {"time": "1h", "team": "t", "requires": ["y"]}},
            # z serves a process with an RTO, x none: z takes the only member at 0 h
            {"id": "p", "kind": "business_process", "needs": [{"all_of": ["z"]}], "bia": {"rto": "4h", "mtpd": "1d"}},
        ],
        teams={"t": {"size": 1}},
        hazards=[outage("0min", ["z"]), outage("0min", ["x"]), outage("1h", ["y"])],
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    assert changes(sim.records, "y") == [(1.0, 0.0), (11.0, 1.0)]
    assert changes(sim.records, "x") == [(0.0, 0.0), (12.0, 1.0)]  # not at 6 h while y is down


def test_restores_that_others_require_inherit_their_priority() -> None:
    b = make_bundle(
        [
            {"id": "noise", "kind": "it_system", "recovery": {"time": "1h", "team": "t"}},
            {"id": "backup", "kind": "it_system", "recovery": {"time": "1h", "team": "t"}},
            {"id": "erp", "kind": "application", "recovery": {"time": "1h", "team": "t", "requires": ["backup"]}},
            {"id": "orders", "kind": "business_process", "needs": [{"all_of": ["erp"]}], "bia": {"rto": "4h", "mtpd": "1d"}},
            {"id": "busy", "kind": "it_system", "recovery": {"time": "1h", "team": "t"}},
        ],
        teams={"t": {"size": 1}},
        hazards=[outage("0min", ["busy"]), outage("10min", ["noise"]), outage("10min", ["backup"]), outage("10min", ["erp"])],
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    done = [r.asset for r in sim.records if r.event == "restore_done"]
    # backup jumps the queue (erp's restore needs it). erp itself can ask only once
    # backup is up, at 2 h — the instant the admin finishes the backup: the member
    # freed and the restore that became due in that instant are matched by
    # priority at its end, so erp (4 h RTO) goes before noise (no process)
    assert done == ["busy", "backup", "erp", "noise"]


# --- overtime and hazards that must fit the company -----------------------------------------


def _with_horizon(bundle: Any, horizon: int) -> Any:
    scenario = bundle.scenario.model_copy(update={"horizon": horizon})
    return bundle.model_copy(update={"scenario": scenario})


def test_extending_the_horizon_plays_as_if_it_had_been_longer() -> None:
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(Path(__file__).resolve().parent.parent / "scenarios/dairy/blackout.yaml")
    # The blackout starts at 30 min and the grid stays out for hours: a run cut
    # at 2 h and extended by a day must match a 26 h run record for record.
    short = Simulation(_with_horizon(bundle, 2 * H), 5)
    short.run()
    assert short.now == 2 * H
    cut = len(short.records)
    short.extend(24 * H)
    assert short.horizon == 26 * H
    short.run()
    long = Simulation(_with_horizon(bundle, 26 * H), 5)
    long.run()
    assert len(short.records) > cut  # the overtime produced something
    assert [r.to_dict() for r in short.records] == [r.to_dict() for r in long.records]


def test_extension_is_bounded() -> None:
    from simulator.engine.simulation import MAX_HORIZON

    b = make_bundle([{"id": "a", "kind": "utility"}], horizon="7d")
    sim = Simulation(b)
    for bad in (0, -60):
        with pytest.raises(CommandError) as e:
            sim.extend(bad)
        assert e.value.field == "by"
    with pytest.raises(CommandError) as e:
        sim.extend(MAX_HORIZON - 7 * 86400 + 1)
    assert e.value.field == "by" and "3650 days" in e.value.message
    assert sim.horizon == 7 * 86400  # a refused extension changes nothing
    sim.extend(MAX_HORIZON - 7 * 86400)
    assert sim.horizon == MAX_HORIZON


def test_a_hazard_must_fit_the_company() -> None:
    from simulator.model.commands import StartHazard

    b = make_bundle([
        {"id": "grid", "kind": "utility"},
        {"id": "hall", "kind": "site", "flood": {"gauge": "elbe", "level": 7.0}},
        {"id": "erp", "kind": "application", "needs": [{"all_of": ["grid"]}]},
    ])  # fmt: skip
    sim = Simulation(b)

    def check(hazard: dict[str, Any]) -> CommandError | None:
        try:
            sim.validate(StartHazard(action="hazard", hazard=hazard))  # type: ignore[arg-type]
        except CommandError as e:
            return e
        return None

    flood = {"type": "flood", "hydrograph": "dresden-2002"}
    assert check({**flood, "gauge": "elbe"}) is None
    e = check({**flood, "gauge": "rhine"})
    assert e is not None and e.field == "hazard.gauge"
    assert "'rhine'" in e.message and "'elbe'" in e.message
    assert check({"type": "ransomware", "entry": "erp"}) is None
    for not_it in ("grid", "hall"):
        e = check({"type": "ransomware", "entry": not_it})
        assert e is not None and e.field == "hazard.entry" and "it_system" in e.message


def test_a_hazard_the_company_has_nothing_for_is_refused_on_its_type() -> None:
    from simulator.model.commands import StartHazard

    # no gauge, no IT, no staff pool: only the grid and a hall
    b = make_bundle([{"id": "grid", "kind": "utility"},
                     {"id": "hall", "kind": "site", "needs": [{"all_of": ["grid"]}]}])  # fmt: skip
    sim = Simulation(b)
    refused = {
        "flood": {"type": "flood", "gauge": "elbe", "hydrograph": "dresden-2002"},
        "ransomware": {"type": "ransomware", "entry": "grid"},
        "staff_absence": {"type": "staff_absence", "staff": ["hall"]},
    }
    for kind, hazard in refused.items():
        with pytest.raises(CommandError) as e:
            sim.validate(StartHazard(action="hazard", hazard=hazard))  # type: ignore[arg-type]
        assert e.value.field == "hazard.type", kind
        assert "the company has none" in e.value.message, kind
    sim.validate(StartHazard(action="hazard", hazard={"type": "outage", "assets": ["hall"]}))  # type: ignore[arg-type]
