"""Run summaries (simulator.analysis.metrics) against hand-computed figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.analysis.metrics import (
    ProcessSummary,
    asset_segments,
    capacity_series,
    impact_series,
    summarize,
)
from simulator.engine.records import Record, State, state_of
from simulator.model.schema import Company, Scenario, ScenarioBundle

H = 3600

PROCESS_KEYS = [
    "id",
    "first_impact_h",
    "downtime_h",
    "below_mbco_h",
    "restored_h",
    "rto_h",
    "mtpd_h",
    "rto_breached",
    "mtpd_breached",
    "impact_eur",
    "data_loss_h",
    "rpo_breached",
    "worst_capacity",
]
ASSET_KEYS = ["id", "kind", "first_down_h", "downtime_h", "min_capacity"]


def bundle(assets: list[dict[str, Any]], horizon: str = "48h") -> ScenarioBundle:
    company = Company.model_validate({"company": {"id": "acme", "name": "ACME"}, "assets": assets})
    scenario = Scenario.model_validate(
        {"scenario": {"id": "s", "title": "Test"}, "company": "company.yaml", "horizon": horizon}
    )
    return ScenarioBundle(scenario=scenario, company=company)


def process(pid: str = "proc", needs: list[str] | None = None, **bia: Any) -> dict[str, Any]:
    figures = {"rto": "4h", "mtpd": "24h", "mbco": 0.5, "impact_per_hour": 1000.0}
    figures.update(bia)
    asset: dict[str, Any] = {"id": pid, "kind": "business_process", "bia": figures}
    if needs:
        asset["needs"] = [{"all_of": needs}]
    return asset


class Stream:
    """Builds a record list in time order, tracking each asset's capacity."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.capacity: dict[str, float] = {}

    def set(
        self, hours: float, asset: str, after: float, state: State | None = None, before: float = 1
    ) -> Stream:
        prev = self.capacity.get(asset, before)
        self.capacity[asset] = after
        self.records.append(
            Record(
                seq=len(self.records),
                t=round(hours * H),
                event="state",
                asset=asset,
                before=prev,
                after=after,
                state=state or state_of(after),
                cause="test",
            )
        )
        return self

    def event(self, hours: float, event: str, asset: str | None = None, **kw: Any) -> Stream:
        self.records.append(
            Record(seq=len(self.records), t=round(hours * H), event=event, asset=asset, **kw)
        )
        return self


# --------------------------------------------------------------------------- the brief's example


def example() -> tuple[ScenarioBundle, list[Record]]:
    b = bundle([{"id": "power", "kind": "utility"}, process(needs=["power"])])
    s = Stream().set(1, "proc", 0.0).set(6, "proc", 0.6).set(10, "proc", 1.0)
    return b, s.records


def test_example_process_figures() -> None:
    b, records = example()
    p = summarize(b, records, 48 * H).process("proc")
    assert p == ProcessSummary(
        id="proc",
        first_impact_h=1.0,
        downtime_h=5.0,
        below_mbco_h=5.0,
        restored_h=6.0,
        rto_h=4.0,
        mtpd_h=24.0,
        rto_breached=True,
        mtpd_breached=False,
        impact_eur=6600.0,  # 5 h x 1000 + 4 h x 0.4 x 1000
        data_loss_h=None,
        rpo_breached=None,
        worst_capacity=0.0,
    )


def test_example_asset_figures() -> None:
    b, records = example()
    summary = summarize(b, records, 48 * H)
    proc = summary.asset("proc")
    assert (proc.kind, proc.first_down_h, proc.downtime_h, proc.min_capacity) == (
        "business_process",
        1.0,
        5.0,
        0.0,
    )
    power = summary.asset("power")  # never hit
    assert (power.first_down_h, power.downtime_h, power.min_capacity) == (None, 0.0, 1.0)


def test_to_dict_stable_keys_and_json() -> None:
    b, records = example()
    d = summarize(b, records, 48 * H).to_dict()
    assert list(d) == ["processes", "assets"]
    assert [list(p) for p in d["processes"]] == [PROCESS_KEYS]
    assert [list(a) for a in d["assets"]] == [ASSET_KEYS, ASSET_KEYS]
    assert [a["id"] for a in d["assets"]] == ["power", "proc"]  # file order
    assert json.loads(json.dumps(d)) == d


def test_impact_series_example() -> None:
    b, records = example()
    assert impact_series(b, records, 48 * H) == [
        (0, 0.0),
        (1 * H, 0.0),
        (6 * H, 5000.0),
        (10 * H, 6600.0),
        (48 * H, 6600.0),
    ]


# --------------------------------------------------------------------------- other cases


def test_never_hit_process() -> None:
    b = bundle([process()])
    p = summarize(b, [], 48 * H).process("proc")
    assert p.first_impact_h is None
    assert p.downtime_h == 0.0
    assert p.below_mbco_h == 0.0
    assert p.restored_h is None
    assert p.rto_breached is False
    assert p.mtpd_breached is False
    assert p.impact_eur == 0.0
    assert p.data_loss_h is None
    assert p.rpo_breached is None
    assert p.worst_capacity == 1.0
    assert impact_series(b, [], 48 * H) == [(0, 0.0), (48 * H, 0.0)]


def test_outage_running_into_horizon() -> None:
    b = bundle([process(rto="4h", mtpd="8h")])
    # a first outage of 1 h, restored, then one running from 40 h to the 48 h horizon
    s = Stream().set(2, "proc", 0.0).set(3, "proc", 1.0).set(40, "proc", 0.2)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert p.below_mbco_h == 9.0
    assert p.downtime_h == 1.0
    assert p.restored_h is None  # still below MBCO at the horizon
    assert p.rto_breached is True  # 8 h > 4 h
    assert p.mtpd_breached is False  # 8 h is not longer than the 8 h MTPD
    assert p.impact_eur == 1000 + 8 * 0.8 * 1000
    assert p.worst_capacity == 0.0


def test_outage_exactly_rto_is_no_breach() -> None:
    b = bundle([process(rto="4h", mtpd="8h")])
    s = Stream().set(1, "proc", 0.0).set(5, "proc", 1.0)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert (p.rto_breached, p.mtpd_breached, p.restored_h) == (False, False, 5.0)


def test_breach_judged_per_outage_not_in_total() -> None:
    b = bundle([process(rto="4h", mtpd="8h")])
    # 3 h + 3 h below MBCO, separated by a 1 h stretch at MBCO (0.5 is not below 0.5)
    s = Stream().set(1, "proc", 0.0).set(4, "proc", 0.5).set(5, "proc", 0.0).set(8, "proc", 1)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert (p.below_mbco_h, p.rto_breached, p.restored_h) == (6.0, False, 8.0)
    assert p.first_impact_h == 1.0


def test_degraded_above_mbco() -> None:
    b = bundle([process()])
    s = Stream().set(2, "proc", 0.75).set(6, "proc", 1.0)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert p.first_impact_h == 2.0
    assert (p.below_mbco_h, p.downtime_h, p.restored_h, p.rto_breached) == (0.0, 0.0, None, False)
    assert p.impact_eur == 1000.0  # 4 h x 0.25 x 1000
    assert p.worst_capacity == 0.75
    a = summarize(b, s.records, 48 * H).asset("proc")
    assert (a.first_down_h, a.downtime_h, a.min_capacity) == (None, 0.0, 0.75)


def test_step_curve_by_episode_age() -> None:
    curve = [{"after": "0h", "per_hour": 100.0}, {"after": "2h", "per_hour": 1000.0}]
    b = bundle([process(impact_per_hour=None, impact=curve)])
    s = (
        Stream()
        .set(1, "proc", 0.5)  # episode 1 starts at 1 h
        .set(2, "proc", 0.0)
        .set(5, "proc", 1.0)
        .set(10, "proc", 0.0)  # episode 2: its age starts again at 0
        .set(11, "proc", 1.0)
    )
    # [1,2) 0.5 lost at 100/h = 50; [2,3) at 100/h = 100; [3,5) at 1000/h = 2000; [10,11) 100
    p = summarize(b, s.records, 48 * H).process("proc")
    assert p.impact_eur == 2250.0
    series = impact_series(b, s.records, 48 * H)
    assert series[-1] == (48 * H, 2250.0)
    assert (3 * H, 150.0) in series  # the curve's step shows as a breakpoint


def test_step_curve_without_rate_at_first() -> None:
    # no step applies before the first one's `after`; steps are used in order of `after`
    curve = [{"after": "2h", "per_hour": 900.0}, {"after": "1h", "per_hour": 600.0}]
    b = bundle([process(impact_per_hour=None, impact=curve)])
    s = Stream().set(0.5, "proc", 0.0).set(3.5, "proc", 1.0)
    # age 0-1 h: nothing; 1-2 h: 600; 2-3 h: 900
    assert summarize(b, s.records, 48 * H).process("proc").impact_eur == 1500.0


def test_no_impact_figures_give_zero() -> None:
    b = bundle([process(impact_per_hour=None)])
    s = Stream().set(1, "proc", 0.0)
    assert summarize(b, s.records, 48 * H).process("proc").impact_eur == 0.0


def test_process_without_bia() -> None:
    b = bundle([{"id": "proc", "kind": "business_process"}])
    s = Stream().set(1, "proc", 0.0).set(2, "proc", 1.0)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert (p.first_impact_h, p.downtime_h, p.impact_eur) == (1.0, 1.0, 0.0)
    assert p.below_mbco_h is None and p.restored_h is None
    assert p.rto_h is None and p.mtpd_h is None
    assert p.rto_breached is None and p.mtpd_breached is None


def test_standby_asset() -> None:
    b = bundle(
        [
            {"id": "dr", "kind": "site", "standby": {"lead_time": "2h"}},
            {"id": "gen", "kind": "utility", "standby": {}},
        ]
    )
    s = (
        Stream()
        .set(2, "dr", 1.0, before=0.0)  # activated
        .set(5, "dr", 0.0, "down")  # lost
        .set(7, "dr", 1.0)
    )
    summary = summarize(b, s.records, 48 * H)
    gen = summary.asset("gen")  # never activated: standby, not down
    assert (gen.first_down_h, gen.downtime_h, gen.min_capacity) == (None, 0.0, 0.0)
    dr = summary.asset("dr")
    assert (dr.first_down_h, dr.downtime_h, dr.min_capacity) == (5.0, 2.0, 0.0)
    assert [x.state for x in asset_segments(b, s.records, 48 * H)["dr"]] == [
        "standby",
        "up",
        "down",
        "up",
    ]


def test_data_loss_over_ancestors() -> None:
    b = bundle(
        [
            {"id": "db", "kind": "data", "backup": {"interval": "4h"}},
            {"id": "files", "kind": "data"},
            {"id": "erp", "kind": "application", "needs": [{"all_of": ["db"]}]},
            process("orders", needs=["erp"], rpo="4h"),
            process("billing", needs=["erp", "files"]),  # no RPO
            process("other", rpo="1h"),  # stands on no data asset
            process("exact", needs=["files"], rpo="2h"),
        ]
    )
    s = (
        Stream()
        .event(3, "data_loss", "db", detail="6.5")
        .event(4, "data_loss", "db", detail="2")
        .event(5, "data_loss", "files", detail="2.0")
        .event(49, "data_loss", "files", detail="9")  # after the horizon
    )
    summary = summarize(b, s.records, 48 * H)
    orders = summary.process("orders")
    assert (orders.data_loss_h, orders.rpo_breached) == (6.5, True)
    billing = summary.process("billing")
    assert (billing.data_loss_h, billing.rpo_breached) == (6.5, None)
    other = summary.process("other")
    assert (other.data_loss_h, other.rpo_breached) == (None, None)
    exact = summary.process("exact")
    assert (exact.data_loss_h, exact.rpo_breached) == (2.0, False)  # equal to RPO: no breach


def test_records_at_or_after_horizon_are_ignored() -> None:
    b = bundle([process()], horizon="10h")
    s = Stream().set(8, "proc", 0.0).set(10, "proc", 1.0).set(12, "proc", 0.0)
    p = summarize(b, s.records, 10 * H).process("proc")
    assert (p.downtime_h, p.restored_h, p.rto_breached) == (2.0, None, False)


def test_same_instant_blip_is_not_an_outage() -> None:
    b = bundle([process()])
    s = Stream().set(3, "proc", 0.0).set(3, "proc", 1.0)
    p = summarize(b, s.records, 48 * H).process("proc")
    assert (p.first_impact_h, p.downtime_h, p.worst_capacity) == (None, 0.0, 1.0)
    assert capacity_series(s.records, "proc", 1.0) == [(0, 1.0)]


def test_records_out_of_order_rejected() -> None:
    b = bundle([process()])
    s = Stream().set(3, "proc", 0.0).set(1, "proc", 1.0)
    with pytest.raises(ValueError, match="time order"):
        summarize(b, s.records, 48 * H)


def test_capacity_series() -> None:
    s = Stream().set(1, "proc", 0.0).set(1, "proc", 0.3).set(6, "proc", 0.6).set(9, "x", 0.0)
    s.set(10, "proc", 1.0).set(50, "proc", 0.0)
    assert capacity_series(s.records, "proc", 1.0) == [
        (0, 1.0),
        (1 * H, 0.3),
        (6 * H, 0.6),
        (10 * H, 1.0),
        (50 * H, 0.0),
    ]
    assert capacity_series(s.records, "proc", 1.0, horizon=48 * H)[-2:] == [
        (10 * H, 1.0),
        (48 * H, 1.0),
    ]
    # a change at t=0 replaces the initial point
    s0 = Stream().set(0, "sb", 1.0, before=0.0)
    assert capacity_series(s0.records, "sb", 0.0) == [(0, 1.0)]


# --------------------------------------------------------------------------- against brute force

UNIT = 600  # every change on a 10-minute grid, so sampling each unit is exact
UNITS = 36  # a 6 h horizon


@settings(max_examples=150, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, UNITS + 2), st.sampled_from([0.0, 0.25, 0.5, 0.6, 1.0])),
        max_size=10,
    ),
    mbco=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
    rto_units=st.integers(0, 12),
    curve=st.booleans(),
)
def test_matches_brute_force(
    changes: list[tuple[int, float]], mbco: float, rto_units: int, curve: bool
) -> None:
    steps = [(0, 100.0), (3, 400.0), (7, 50.0)]  # (after in units, EUR per hour)
    bia: dict[str, Any] = {"rto": f"{rto_units * UNIT}s", "mtpd": "6h", "mbco": mbco}
    if curve:
        bia["impact_per_hour"] = None
        bia["impact"] = [{"after": f"{a * UNIT}s", "per_hour": r} for a, r in steps]
    b = bundle([process(**bia)], horizon="6h")
    s = Stream()
    for unit, cap in sorted(changes, key=lambda c: c[0]):
        s.set(unit * UNIT / H, "proc", cap)

    # brute force, one unit at a time
    caps = []
    cap = 1.0
    pending = sorted(changes, key=lambda c: c[0])
    for u in range(UNITS):
        for unit, c in pending:
            if unit == u:
                cap = c
        caps.append(cap)
    below = sum(1 for c in caps if c < mbco)
    down = sum(1 for c in caps if c == 0)
    runs, run = [], 0
    for c in caps:
        if c < mbco:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    if run:
        runs.append(run)
    eur, age = 0.0, -1
    for c in caps:
        age = age + 1 if c < 1 else -1
        if c < 1:
            rate = [r for a, r in steps if a <= age][-1] if curve else 1000.0
            eur += rate * (1 - c) * UNIT / H

    p = summarize(b, s.records, UNITS * UNIT).process("proc")
    assert p.below_mbco_h == round(below * UNIT / H, 4)
    assert p.downtime_h == round(down * UNIT / H, 4)
    assert p.rto_breached == any(r > rto_units for r in runs)
    assert p.worst_capacity == min(caps)
    assert p.impact_eur == pytest.approx(eur, abs=0.006)
    assert impact_series(b, s.records, UNITS * UNIT)[-1][1] == pytest.approx(eur, abs=0.006)
    first = next((u for u, c in enumerate(caps) if c < 1), None)
    assert p.first_impact_h == (None if first is None else round(first * UNIT / H, 4))
    restored = None
    for u in range(1, UNITS):
        if caps[u - 1] < mbco <= caps[u]:
            restored = u
    if caps[-1] < mbco:
        restored = None
    assert p.restored_h == (None if restored is None else round(restored * UNIT / H, 4))


@pytest.mark.parametrize("name", ["blackout", "ransomware", "flood"])
def test_the_prepared_process_summary_equals_the_full_one(name: str) -> None:
    """Monte Carlo's summariser (prepared once per company, reading only the
    processes' records) gives exactly `summarize`'s process figures -- data
    loss included (ransomware destroys data upstream of processes)."""
    from simulator.analysis.metrics import ProcessSummarizer
    from simulator.engine.compiled import compile_model
    from simulator.engine.simulation import Simulation
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(Path(__file__).resolve().parent.parent / "scenarios" / "dairy" / f"{name}.yaml")
    model = compile_model(bundle)
    summarizer = ProcessSummarizer(bundle)
    lost = 0
    for seed in range(4):
        sim = Simulation(model, seed)
        sim.run()
        for horizon in (sim.horizon // 3, sim.horizon):
            full = summarize(bundle, sim.records, horizon).processes
            assert summarizer.summarize(sim.records, horizon) == full
            lost += sum(1 for p in full if p.data_loss_h)
    if name == "ransomware":
        assert lost > 0  # the data-loss path was exercised
