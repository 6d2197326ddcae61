"""Figures (simulator.analysis.plots) built from hand-written record streams."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs

from simulator.analysis.montecarlo import MonteCarloResult, Outcome, statistics, wilson
from simulator.analysis.plots import (
    breach_probability_figure,
    convergence_figure,
    downtime_distribution_figure,
    impact_figure,
    process_capacity_figure,
    running_breach_estimate,
    sweep_figure,
    timeline_figure,
    timeline_html,
    tornado_figure,
)
from simulator.analysis.sweep import Sensitivity, SweepPoint
from simulator.engine.records import Record, State, state_of
from simulator.model.schema import Company, Scenario, ScenarioBundle

H = 3600
HORIZON = 48 * H
DATA = Path(__file__).resolve().parent / "data"


def make_bundle() -> ScenarioBundle:
    company = Company.model_validate(
        {
            "company": {"id": "acme", "name": "ACME"},
            "assets": [
                # deliberately not in kind order: the timeline sorts rows by kind
                {
                    "id": "orders",
                    "kind": "business_process",
                    "name": {"de": "Auftragsannahme", "en": "Order entry"},
                    "needs": [{"all_of": ["erp"]}],
                    "bia": {"rto": "4h", "mtpd": "24h", "mbco": 0.5, "impact_per_hour": 1000},
                },
                {
                    "id": "erp",
                    "kind": "application",
                    "name": "ERP",
                    "needs": [{"all_of": ["power"]}],
                },
                {"id": "power", "kind": "utility", "name": {"en": "Grid power"}},
                {"id": "hq", "kind": "site", "name": "Head office"},  # never hit
                {"id": "dr", "kind": "site", "name": "DR site", "standby": {}},  # never used
                {
                    "id": "billing",
                    "kind": "business_process",
                    "bia": {"rto": "1d", "mtpd": "3d", "mbco": 0.3},
                },
            ],
        }
    )
    scenario = Scenario.model_validate(
        {
            "scenario": {"id": "blackout", "title": {"en": "Blackout", "de": "Stromausfall"}},
            "company": "company.yaml",
            "start": "2026-03-02T06:30:00",
            "horizon": "48h",
        }
    )
    return ScenarioBundle(scenario=scenario, company=company)


def state(seq: int, hours: float, asset: str, before: float, after: float) -> Record:
    st: State = state_of(after)
    return Record(seq, round(hours * H), "state", asset, before, after, st, "test")


def make_records() -> list[Record]:
    return [
        Record(0, round(0.5 * H), "inject", cause="inject:storm", detail="Storm warning"),
        state(1, 1, "power", 1.0, 0.0),
        state(2, 1, "erp", 1.0, 0.0),
        state(3, 1, "orders", 1.0, 0.0),
        Record(4, 2 * H, "decision", cause="decision:1", detail="Switch to paper forms"),
        state(5, 3, "power", 0.0, 1.0),
        state(6, 3, "orders", 0.0, 0.6),
        state(7, 4, "erp", 0.0, 1.0),
        state(8, 6, "orders", 0.6, 1.0),
        Record(9, 30 * H, "inject", cause="inject:all-clear", detail="All clear"),
    ]


def bars(fig: Any) -> dict[str, Any]:
    return {t.name: t for t in fig.data if t.type == "bar"}


def dotted_lines(fig: Any) -> list[Any]:
    return [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dot"]


def rows_of(trace: Any) -> list[tuple[str, float, float]]:
    return [
        (y, round(b, 4), round(x, 4)) for y, b, x in zip(trace.y, trace.base, trace.x, strict=True)
    ]


# --------------------------------------------------------------------------- timeline


def test_timeline_bars_per_state() -> None:
    fig = timeline_figure(make_bundle(), make_records(), HORIZON)
    by_state = bars(fig)
    assert list(by_state) == ["up", "degraded", "down"]  # one trace per state present
    assert all(t.orientation == "h" for t in by_state.values())
    assert rows_of(by_state["down"]) == [
        ("Grid power", 1.0, 2.0),
        ("ERP", 1.0, 3.0),
        ("Order entry", 1.0, 2.0),
    ]
    assert rows_of(by_state["degraded"]) == [("Order entry", 3.0, 3.0)]
    assert rows_of(by_state["up"]) == [
        ("Grid power", 0.0, 1.0),
        ("Grid power", 3.0, 45.0),
        ("ERP", 0.0, 1.0),
        ("ERP", 4.0, 44.0),
        ("Order entry", 0.0, 1.0),
        ("Order entry", 6.0, 42.0),
    ]


def test_timeline_rows_affected_only_sorted_by_kind() -> None:
    fig = timeline_figure(make_bundle(), make_records(), HORIZON)
    assert list(fig.layout.yaxis.categoryarray) == ["Grid power", "ERP", "Order entry"]
    assert fig.layout.yaxis.autorange == "reversed"  # first row on top
    assert fig.layout.barmode == "overlay"


def test_timeline_all_assets() -> None:
    fig = timeline_figure(make_bundle(), make_records(), HORIZON, all_assets=True)
    assert list(fig.layout.yaxis.categoryarray) == [
        "Head office",
        "DR site",
        "Grid power",
        "ERP",
        "Order entry",
        "billing",  # no name: the id
    ]
    assert list(bars(fig)) == ["up", "degraded", "down", "standby"]
    assert rows_of(bars(fig)["standby"]) == [("DR site", 0.0, 48.0)]


def test_timeline_event_lines() -> None:
    records = make_records()
    fig = timeline_figure(make_bundle(), records, HORIZON)
    lines = dotted_lines(fig)
    marked = [r for r in records if r.event in ("inject", "decision")]
    assert len(lines) == len(marked) == 3
    assert [s.x0 for s in lines] == [0.5, 2.0, 30.0]
    assert all(s.x0 == s.x1 and s.yref == "paper" for s in lines)
    hovers = [a.hovertext for a in fig.layout.annotations if a.hovertext]
    assert len(hovers) == 3
    assert "storm" in hovers[0] and "Storm warning" in hovers[0]
    assert "Switch to paper forms" in hovers[1]
    assert "2026-03-02 08:30" in hovers[1]  # the clock time of 2 h after the start


def test_timeline_injects_only_count() -> None:
    records = [r for r in make_records() if r.event != "decision"]
    fig = timeline_figure(make_bundle(), records, HORIZON)
    assert len(dotted_lines(fig)) == sum(r.event == "inject" for r in records) == 2


def test_timeline_title_axis_and_hover() -> None:
    fig = timeline_figure(make_bundle(), make_records(), HORIZON)
    assert "Blackout" in fig.layout.title.text
    assert "2026-03-02 06:30" in fig.layout.title.text
    assert tuple(fig.layout.xaxis.range) == (0, 48.0)
    down = bars(fig)["down"]
    name, aid, st, cap, start, end = down.customdata[2]
    assert (name, aid, st, cap) == ("Order entry", "orders", "down", "0%")
    assert start.startswith("1.00 h") and end.startswith("3.00 h")
    degraded = bars(fig)["degraded"]
    assert degraded.customdata[0][3] == "60%"
    json.loads(fig.to_json())  # serialisable without numpy


def test_timeline_german() -> None:
    fig = timeline_figure(make_bundle(), make_records(), HORIZON, lang="de")
    assert "Auftragsannahme" in fig.layout.yaxis.categoryarray
    assert "Stromausfall" in fig.layout.title.text
    assert list(bars(fig)) == ["in Betrieb", "eingeschränkt", "ausgefallen"]
    assert fig.layout.xaxis.title.text == "Stunden seit Start; Uhrzeiten Europe/Berlin"


def test_time_axis_and_hovers_across_the_spring_clock_change() -> None:
    """tests/data/dst: start Sat 28.03.2026 12:00 CET (11:00 UTC). Hour 24 is
    Sun 11:00 UTC = 13:00 CEST (not 12:00: the clocks went forward at 01:00
    UTC). wan_b is down from 12 h (Sun 00:00 CET) to 16 h (03:00 UTC = 05:00
    CEST); wan_a from 20 h (07:00 UTC = 09:00 CEST) to 30 h (17:00 UTC = 19:00 CEST)."""
    from simulator.engine.simulation import Simulation
    from simulator.readwrite.io import load_bundle

    bundle = load_bundle(DATA / "dst" / "scenario.yaml")
    sim = Simulation(bundle)
    sim.advance(bundle.scenario.horizon)
    fig = timeline_figure(bundle, sim.records, bundle.scenario.horizon)
    axis = fig.layout.xaxis
    # 48 h: a tick every 6 h; the axis stays in elapsed hours.
    assert list(axis.tickvals) == [0, 6, 12, 18, 24, 30, 36, 42, 48]
    ticks = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    assert ticks[0] == "0 h<br>Sat 28/03 12:00 CET"
    assert ticks[12] == "12 h<br>Sun 29/03 00:00 CET"
    assert ticks[18] == "18 h<br>Sun 29/03 07:00 CEST"
    assert ticks[24] == "24 h<br>Sun 29/03 13:00 CEST"
    assert ticks[48] == "48 h<br>Mon 30/03 13:00 CEST"
    assert axis.title.text == "hours since start; clock times Europe/Berlin"
    assert "Sat 2026-03-28 12:00 CET" in fig.layout.title.text
    down = {c[1]: (c[4], c[5]) for c in bars(fig)["down"].customdata}
    assert down["wan_b"] == ("12.00 h (Sun 2026-03-29 00:00 CET)",
                             "16.00 h (Sun 2026-03-29 05:00 CEST)")  # fmt: skip
    assert down["wan_a"] == ("20.00 h (Sun 2026-03-29 09:00 CEST)",
                             "30.00 h (Sun 2026-03-29 19:00 CEST)")  # fmt: skip
    german = timeline_figure(bundle, sim.records, bundle.scenario.horizon, lang="de").layout.xaxis
    assert german.ticktext[4] == "24 h<br>So 29.03. 13:00 MESZ"
    impact = impact_figure(bundle, sim.records, bundle.scenario.horizon)
    assert impact.layout.xaxis.ticktext[4] == "24 h<br>Sun 29/03 13:00 CEST"


def test_timeline_nothing_happened() -> None:
    fig = timeline_figure(make_bundle(), [], HORIZON)
    assert not bars(fig)
    assert not dotted_lines(fig)
    assert any("No asset" in (a.text or "") for a in fig.layout.annotations)


# --------------------------------------------------------------------------- capacity, impact


def test_process_capacity_figure() -> None:
    fig = process_capacity_figure(make_bundle(), make_records(), HORIZON)
    assert len(fig.data) == 4  # two processes with a BIA: capacity + MBCO each
    orders, orders_mbco, billing, billing_mbco = fig.data
    assert orders.name == "Order entry"
    assert list(orders.x) == [0.0, 1.0, 3.0, 6.0, 48.0]
    assert list(orders.y) == [1.0, 0.0, 0.6, 1.0, 1.0]
    assert orders.line.shape == "hv"
    assert orders_mbco.line.dash == "dash"
    assert list(orders_mbco.y) == [0.5, 0.5] and list(orders_mbco.x) == [0.0, 48.0]
    assert orders_mbco.line.color == orders.line.color
    assert list(billing.y) == [1.0, 1.0]
    assert list(billing_mbco.y) == [0.3, 0.3]
    assert len(dotted_lines(fig)) == 3


def test_impact_figure() -> None:
    fig = impact_figure(make_bundle(), make_records(), HORIZON)
    (total,) = fig.data
    # orders: 2 h down at 1000/h, then 3 h at 0.4 x 1000/h
    assert list(total.x) == [0.0, 1.0, 3.0, 6.0, 48.0]
    assert list(total.y) == [0.0, 0.0, 2000.0, 3200.0, 3200.0]
    assert len(dotted_lines(fig)) == 3


# --------------------------------------------------------------------------- HTML export


@pytest.fixture(scope="module")
def page() -> str:
    return timeline_html(timeline_figure(make_bundle(), make_records(), HORIZON))


def test_html_is_a_complete_document(page: str) -> None:
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert page.rstrip().endswith("</html>")
    assert "<title>Blackout" in page
    assert "Plotly.newPlot" in page


def test_html_inlines_plotlyjs_no_cdn(page: str) -> None:
    bundle_js = get_plotlyjs()
    assert len(bundle_js) > 1_000_000
    assert bundle_js in page  # plotly.js itself is inlined, verbatim
    assert "plotly.js v" in page
    # plotly.js carries default URLs for map/geo traces (topojson on cdn.plot.ly, map icons);
    # these are never fetched for bar and line charts. Everything else must be CDN-free.
    rest = page.replace(bundle_js, "")
    assert "cdn.plot.ly" not in rest
    assert "https://cdn" not in rest
    assert "<script src" not in rest.lower()
    assert "mathjax" not in rest.lower().replace("mathjaxconfig: 'local'", "")


# --------------------------------------------------------------------------- Monte Carlo figures

# orders: down 2, 30, 10, 50 h (MTPD 24 h: breached in replications 1 and 3); billing untouched
ORDERS_DOWN = [2.0, 30.0, 10.0, 50.0]


def mc_result() -> MonteCarloResult:
    outcomes = []
    for i, down in enumerate(ORDERS_DOWN):
        outcomes.append(Outcome(i, "orders", down > 4, down > 24, down, down, down * 1000))
        outcomes.append(Outcome(i, "billing", False, False, 0.0, 0.0, 0.0))
    return MonteCarloResult(len(ORDERS_DOWN), 1, outcomes, statistics(outcomes))


def test_breach_probability_bars_with_intervals() -> None:
    result = mc_result()
    fig = breach_probability_figure(result, bundle=make_bundle())
    rto, mtpd = fig.data
    assert (rto.name, mtpd.name) == ("RTO breach", "MTPD breach")
    assert list(rto.x) == ["Order entry", "billing"]  # names from the bundle, ids otherwise
    assert list(rto.y) == [0.75, 0.0] and list(mtpd.y) == [0.5, 0.0]
    lo, hi = wilson(2, 4)
    assert mtpd.error_y.array[0] == pytest.approx(hi - 0.5)
    assert mtpd.error_y.arrayminus[0] == pytest.approx(0.5 - lo)
    assert mtpd.error_y.array[1] == pytest.approx(wilson(0, 4)[1])  # 0 breaches: still a bound
    assert fig.layout.barmode == "group"
    assert list(breach_probability_figure(result).data[0].x) == ["orders", "billing"]
    json.loads(fig.to_json())


def test_downtime_boxes_for_hit_processes_only() -> None:
    fig = downtime_distribution_figure(mc_result())
    (box,) = fig.data  # billing was never down: no box
    assert box.type == "box" and box.name == "orders"
    assert list(box.x) == ORDERS_DOWN  # in replication order
    impact = downtime_distribution_figure(mc_result(), metric="impact_eur")
    assert list(impact.data[0].x) == [d * 1000 for d in ORDERS_DOWN]
    assert impact.layout.xaxis.title.text == "impact (EUR)"
    with pytest.raises(ValueError):
        downtime_distribution_figure(mc_result(), metric="worst")


def test_downtime_histogram_with_rto_and_mtpd() -> None:
    fig = downtime_distribution_figure(mc_result(), "orders", bundle=make_bundle())
    (hist,) = fig.data
    assert hist.type == "histogram" and list(hist.x) == ORDERS_DOWN
    assert sorted(s.x0 for s in fig.layout.shapes) == [4.0, 24.0]  # RTO 4 h, MTPD 24 h
    assert "Order entry" in fig.layout.title.text and "4 replications" in fig.layout.title.text
    assert not downtime_distribution_figure(mc_result(), "orders").layout.shapes  # no bundle
    with pytest.raises(KeyError):
        downtime_distribution_figure(mc_result(), "nope")


def test_nothing_hit_says_so() -> None:
    outcomes = [Outcome(0, "billing", False, False, 0.0, 0.0, 0.0)]
    fig = downtime_distribution_figure(MonteCarloResult(1, 0, outcomes, statistics(outcomes)))
    assert not fig.data
    assert any("No process" in (a.text or "") for a in fig.layout.annotations)


def test_convergence_running_estimate_and_band() -> None:
    rows = running_breach_estimate(mc_result(), "orders")
    assert [n for n, *_ in rows] == [1, 2, 3, 4]
    assert [p for _, p, _, _ in rows] == [0.0, 0.5, 1 / 3, 0.5]
    assert [(lo, hi) for _, _, lo, hi in rows] == [wilson(0, 1), wilson(1, 2), wilson(1, 3), wilson(2, 4)]
    assert [p for _, p, _, _ in running_breach_estimate(mc_result(), "orders", "rto")] == [0.0, 0.5, 2 / 3, 0.75]
    fig = convergence_figure(mc_result(), "orders")
    upper, lower, estimate = fig.data
    assert list(estimate.x) == [1, 2, 3, 4] and list(estimate.y) == [0.0, 0.5, 1 / 3, 0.5]
    assert list(upper.y) == [r[3] for r in rows] and list(lower.y) == [r[2] for r in rows]
    assert lower.fill == "tonexty"  # the band between the two bounds
    assert "MTPD" in fig.layout.title.text and "orders" in fig.layout.title.text
    assert "Order entry" in convergence_figure(mc_result(), "orders", bundle=make_bundle()).layout.title.text
    with pytest.raises(ValueError):
        running_breach_estimate(mc_result(), "orders", "rpo")
    with pytest.raises(KeyError):
        running_breach_estimate(mc_result(), "nope")


def test_tornado_bars_from_the_base() -> None:
    bars = [
        Sensitivity("assets.plant.needs.power.buffers.fuel.capacity", "12h", "48h", 900.0, 100.0, 400.0),
        Sensitivity("teams.it_admins.size", 1, 3, 450.0, 380.0, 400.0),
    ]
    fig = tornado_figure(bars, "impact EUR")
    low, high = fig.data
    assert list(low.y) == list(high.y) == list(fig.layout.yaxis.categoryarray)
    assert low.y[0] == "plant.needs.power.buffers.fuel.capacity (12h – 48h)"
    assert low.y[1] == "it_admins.size (1 – 3)"
    assert list(low.base) == [400.0, 400.0]
    assert list(low.x) == [500.0, 50.0] and list(high.x) == [-300.0, -20.0]
    assert fig.layout.yaxis.autorange == "reversed"  # largest swing on top
    assert fig.layout.shapes[0].x0 == 400.0  # the base as a vertical line
    assert fig.layout.xaxis.title.text == "impact EUR"


def sweep_points() -> list[SweepPoint]:
    """A 2 x 2 grid: fuel (a duration) x team size; P(MTPD breach) per point."""
    points = []
    for size, breaches in ((1, (3, 1)), (2, (2, 0))):
        for fuel, k in zip(("48h", "12h"), breaches[::-1], strict=True):  # given out of order
            outcomes = [Outcome(i, "orders", True, i < k, 1.0, 1.0, 1.0) for i in range(4)]
            values = {"assets.plant.needs.power.buffers.fuel.capacity": fuel, "teams.it_admins.size": size}
            points.append(SweepPoint(values, MonteCarloResult(4, 0, outcomes, statistics(outcomes))))
    return points


def test_sweep_lines_per_other_parameter() -> None:
    fuel = "assets.plant.needs.power.buffers.fuel.capacity"
    fig = sweep_figure(sweep_points(), fuel, "orders", target=0.05)
    one, two = fig.data
    assert (one.name, two.name) == ("it_admins.size = 1", "it_admins.size = 2")
    assert list(one.x) == [12.0, 48.0]  # durations in hours, sorted
    assert list(one.y) == [0.75, 0.25] and list(two.y) == [0.5, 0.0]
    assert two.error_y.array[1] == pytest.approx(wilson(0, 4)[1])
    assert fig.layout.xaxis.title.text.endswith("(h)")
    assert fig.layout.shapes[0].y0 == 0.05  # the target line
    size = sweep_figure(sweep_points(), "teams.it_admins.size", "orders", metric="impact_eur_mean")
    assert [list(t.x) for t in size.data] == [[1.0, 2.0], [1.0, 2.0]]
    assert all(t.error_y.array is None for t in size.data)  # no interval for a mean here
