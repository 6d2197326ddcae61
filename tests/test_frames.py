"""DataFrames (simulator.analysis.frames) hold the same figures as the objects they come from."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import make_bundle
from typer.testing import CliRunner

from simulator.analysis.frames import (
    asset_frame,
    outcomes_frame,
    process_frame,
    records_frame,
    stats_frame,
    sweep_frame,
    tornado_frame,
)
from simulator.analysis.metrics import summarize
from simulator.analysis.montecarlo import MonteCarloResult, monte_carlo
from simulator.analysis.sweep import sweep, tornado
from simulator.cli.app import app
from simulator.engine.simulation import Simulation
from simulator.model.schema import ScenarioBundle
from simulator.readwrite.io import load_bundle

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"
FUEL = "assets.site.needs.power.buffers.fuel.capacity"


def fuel_company() -> ScenarioBundle:
    """A site on grid power with a uniform(6 h, 60 h) blackout and a generator tank."""
    return make_bundle(
        [
            {"id": "grid", "kind": "utility", "recovery": {"time": {"dist": "uniform", "min": "6h", "max": "60h"}}},
            {"id": "site", "kind": "site", "needs": [{"id": "power", "all_of": ["grid"],
                                                     "buffers": [{"id": "fuel", "capacity": "12h"}]}]},
            {"id": "p", "kind": "business_process", "needs": [{"all_of": ["site"]}],
             "bia": {"rto": "4h", "mtpd": "12h", "impact_per_hour": 100}},
            {"id": "q", "kind": "business_process", "bia": {"rto": "1d", "mtpd": "2d"}},
        ],
        hazards=[{"at": "0min", "hazard": {"type": "outage", "assets": ["grid"]}}],
        horizon="5d",
    )  # fmt: skip


def plain(value: Any) -> Any:
    """A frame cell as the JSON value it stands for (NaN / <NA> -> None)."""
    if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


@pytest.fixture(scope="module")
def example_run() -> tuple[ScenarioBundle, Simulation]:
    bundle = load_bundle(EXAMPLE)
    sim = Simulation(bundle, seed=3)
    sim.run()
    return bundle, sim


@pytest.fixture(scope="module")
def result() -> MonteCarloResult:
    return monte_carlo(fuel_company(), 60, seed=5, workers=1)


# --------------------------------------------------------------------------- a run


def test_records_frame_one_row_per_record(example_run: tuple[ScenarioBundle, Simulation]) -> None:
    _, sim = example_run
    frame = records_frame(sim.records)
    assert list(frame.columns) == ["seq", "t", "t_h", "event", "asset", "before", "after",
                                   "state", "cause", "detail"]  # fmt: skip
    assert len(frame) == len(sim.records) > 10
    for record, (_, row) in zip(sim.records, frame.iterrows(), strict=True):
        assert {k: plain(row[k]) for k in record._fields} == record._asdict()
        assert row["t_h"] == record.t / 3600
    states = frame[frame.event == "state"]
    assert set(states.state) <= {"up", "degraded", "down", "standby"}


def test_records_frame_empty() -> None:
    frame = records_frame([])
    assert frame.empty and "t_h" in frame.columns


def test_process_frame_is_run_json(example_run: tuple[ScenarioBundle, Simulation]) -> None:
    """The same figures as `tabletop run --json` for the same scenario and seed."""
    bundle, sim = example_run
    out = CliRunner().invoke(app, ["run", str(EXAMPLE), "--json", "--seed", "3"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    frame = process_frame(summarize(bundle, sim.records, sim.horizon))
    assert list(frame.index) == [p["id"] for p in report["processes"]]
    for p in report["processes"]:
        row = frame.loc[p["id"]]
        assert {k: plain(row[k]) for k in frame.columns} == {k: v for k, v in p.items() if k != "id"}
    assert frame["mtpd_breached"].dtype == "boolean"
    assert frame["rto_breached"].any()  # the example breaches an RTO


def test_process_frame_names_and_missing_values(example_run: tuple[ScenarioBundle, Simulation]) -> None:
    bundle, sim = example_run
    summary = summarize(bundle, sim.records, sim.horizon)
    frame = process_frame(summary, bundle, lang="de")
    assert frame.columns[0] == "name"
    names = {a.id: a.name for a in bundle.company.assets}
    assert frame.loc["order_entry", "name"] == names["order_entry"].de  # type: ignore[union-attr]
    # no RPO or no data lost: <NA>, and boolean filters treat it as False
    no_rpo = [p.id for p in summary.processes if p.rpo_breached is None]
    assert no_rpo and all(frame.loc[i, "rpo_breached"] is pd.NA for i in no_rpo)
    assert len(frame[frame.rpo_breached]) == sum(bool(p.rpo_breached) for p in summary.processes)


def test_asset_frame_is_run_json(example_run: tuple[ScenarioBundle, Simulation]) -> None:
    bundle, sim = example_run
    summary = summarize(bundle, sim.records, sim.horizon)
    frame = asset_frame(summary, bundle)
    assert len(frame) == len(bundle.company.assets)
    for a in summary.assets:
        row = frame.loc[a.id]
        assert {k: plain(row[k]) for k in frame.columns if k != "name"} == {
            k: v for k, v in a.to_dict().items() if k != "id"}  # fmt: skip
    down = frame[frame.downtime_h > 0]
    assert set(down.index) == {a.id for a in summary.assets if a.downtime_h > 0} != set()


# --------------------------------------------------------------------------- Monte Carlo


def test_outcomes_frame(result: MonteCarloResult) -> None:
    frame = outcomes_frame(result)
    assert list(frame.columns) == ["replication", "process", "rto_breached", "mtpd_breached",
                                   "downtime_h", "below_mbco_h", "impact_eur"]  # fmt: skip
    assert len(frame) == 60 * 2 == len(result.outcomes)
    assert [tuple(plain(x) for x in row) for row in frame.itertuples(index=False)] == [
        (o.replication, o.process, o.rto_breached, o.mtpd_breached, o.downtime_h,
         o.below_mbco_h, o.impact_eur) for o in result.outcomes]  # fmt: skip
    p = frame[frame.process == "p"]
    # the pandas view agrees with the statistics of the result
    assert p.mtpd_breached.mean() == result.process("p").p_mtpd_breach
    assert p.downtime_h.quantile(0.5) == pytest.approx(result.process("p").downtime_h_p50)
    assert round(p.impact_eur.mean(), 2) == result.process("p").impact_eur_mean
    assert outcomes_frame(result.outcomes).equals(frame)


def test_stats_frame(result: MonteCarloResult) -> None:
    frame = stats_frame(result)
    assert list(frame.index) == ["p", "q"]
    for s in result.processes:
        row = frame.loc[s.id]
        assert row["p_mtpd_breach"] == s.p_mtpd_breach
        assert (row["p_mtpd_breach_lo"], row["p_mtpd_breach_hi"]) == s.p_mtpd_breach_ci
        assert (row["p_rto_breach_lo"], row["p_rto_breach_hi"]) == s.p_rto_breach_ci
        assert row["downtime_h_p90"] == s.downtime_h_p90
        assert row["impact_eur_p95"] == s.impact_eur_p95
    # P(U(6, 60) h blackout - 12 h fuel > 12 h MTPD) = P(U > 24) = 2/3
    assert 0.5 < frame.loc["p", "p_mtpd_breach"] < 0.8
    assert frame.loc["q", "p_mtpd_breach_hi"] < 0.1  # never touched: 0 with its interval
    assert not any(c.endswith("_ci") for c in frame.columns)


# --------------------------------------------------------------------------- sweeps, tornado


def test_sweep_frame() -> None:
    points = sweep(fuel_company(), {FUEL: ["6h", "24h", "2d"], "assets.p.bia.mtpd": ["12h", "1d"]},
                   20, seed=2, workers=1)  # fmt: skip
    frame = sweep_frame(points)
    assert len(frame) == 6 * 2  # grid points x processes
    assert list(frame.columns[:4]) == ["point", FUEL, "assets.p.bia.mtpd", "process"]
    assert sorted(set(frame[FUEL])) == [6.0, 24.0, 48.0]  # durations in hours
    p = frame[frame.process == "p"]
    for (_, row), point in zip(p.iterrows(), points, strict=True):
        stats = point.result.process("p")
        assert row["p_mtpd_breach"] == stats.p_mtpd_breach
        assert (row["p_mtpd_breach_lo"], row["p_mtpd_breach_hi"]) == stats.p_mtpd_breach_ci
    table = p.pivot(index=FUEL, columns="assets.p.bia.mtpd", values="p_mtpd_breach")
    assert list(table.index) == [6.0, 24.0, 48.0]
    assert list(table[12.0]) == sorted(table[12.0], reverse=True)  # more fuel, fewer breaches
    assert (table[24.0] <= table[12.0]).all()  # a longer MTPD is breached less often
    raw = sweep_frame(points, hours=False)
    assert list(raw[FUEL][:2]) == ["6h", "6h"]


def test_tornado_frame() -> None:
    bars = tornado(fuel_company(), {FUEL: ("6h", "48h"), "assets.p.bia.impact_per_hour": (90, 110)},
                   20, seed=1, workers=1)  # fmt: skip
    frame = tornado_frame(bars)
    assert list(frame.columns) == ["parameter", "low", "high", "at_low", "at_high", "base", "swing"]
    assert list(frame.parameter) == [b.parameter for b in bars]
    assert frame.swing.is_monotonic_decreasing
    assert frame.loc[0, "parameter"] == FUEL and frame.loc[0, "low"] == "6h"
    assert frame.loc[0, "swing"] == pytest.approx(abs(bars[0].at_high - bars[0].at_low))
