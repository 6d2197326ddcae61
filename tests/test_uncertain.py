"""Uncertain hazards: random start times and parameters, each drawn from its
own named stream when the hazard starts (simulator/hazards/draw.py).

Expected values are derived by hand from the stream rule: the value of a
parameter at `<cause>/<field path>` is the distribution's draw from
`random.Random(stream_seed(seed, "<cause>/<field path>"))`.
"""

from __future__ import annotations

import random
from pathlib import Path

from conftest import make_bundle

from simulator.analysis.montecarlo import monte_carlo
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.engine.streams import Streams, stream_seed
from simulator.hazards.draw import draw
from simulator.hazards.flood import Flood
from simulator.hazards.power import PowerFailure
from simulator.hazards.supply import SupplyBreak
from simulator.readwrite.io import load_bundle
from simulator.terms.durations import Triangular

H = 3600
DAIRY = Path(__file__).resolve().parent.parent / "scenarios" / "dairy"


def rng(seed: int, name: str) -> random.Random:
    return random.Random(stream_seed(seed, name))


def changes(records: list[Record], asset: str) -> list[tuple[int, str | None]]:
    return [(r.t, r.state) for r in records if r.event == "state" and r.asset == asset]


# --------------------------------------------------------------------------- drawing


def test_each_distribution_is_drawn_from_the_stream_named_by_its_place() -> None:
    spec = PowerFailure.model_validate(
        {"type": "power_failure", "assets": ["grid"],
         "stages": [{"after": {"dist": "triangular", "min": "1h", "mode": "2h", "max": "6h"},
                     "share": 0.5},
                    {"after": "8h", "share": 1.0}],
         "stretch": {"dist": "uniform", "min": 1, "max": 2}},
        context={"from_file": True},
    )  # fmt: skip
    drawn = draw(spec, Streams(7), "hazard:blackout")
    assert isinstance(drawn.stages, list)
    first = round(rng(7, "hazard:blackout/stages/0/after").triangular(H, 6 * H, 2 * H))
    assert drawn.stages[0].after == first
    assert drawn.stages[1].after == 8 * H  # fixed values stay
    assert drawn.stretch == rng(7, "hazard:blackout/stretch").uniform(1, 2)
    assert isinstance(spec.stages, list)  # the spec itself keeps its distribution
    assert spec.stages[0].after == Triangular(dist="triangular", min=H, mode=2 * H, max=6 * H)


def test_a_spec_without_distributions_is_used_as_it_is() -> None:
    spec = PowerFailure(type="power_failure", assets=["grid"], duration=4 * H)
    assert draw(spec, Streams(1), "hazard:1") is spec


def test_making_one_parameter_random_leaves_the_others_draws_alone() -> None:
    """Streams are per parameter: a random share does not shift the duration."""
    duration = {"dist": "uniform", "min": "1d", "max": "5d"}
    fixed = SupplyBreak.model_validate(
        {"type": "supply_break", "assets": ["s"], "fraction": 0.3, "duration": duration},
        context={"from_file": True},
    )
    both = SupplyBreak.model_validate(
        {"type": "supply_break", "assets": ["s"], "duration": duration,
         "fraction": {"dist": "uniform", "min": 0.3, "max": 0.4}},
        context={"from_file": True},
    )  # fmt: skip
    a, b = draw(fixed, Streams(3), "hazard:co2"), draw(both, Streams(3), "hazard:co2")
    assert a.duration == b.duration == round(rng(3, "hazard:co2/duration").uniform(86400, 5 * 86400))
    assert a.fraction == 0.3 and b.fraction == rng(3, "hazard:co2/fraction").uniform(0.3, 0.4)


# --------------------------------------------------------------------------- in a run


def outage_at_random(seed: int) -> list[Record]:
    b = make_bundle(
        [{"id": "server", "kind": "it_system"}],
        hazards=[{"id": "crash", "at": {"dist": "uniform", "min": "1h", "max": "3h"},
                  "hazard": {"type": "outage", "assets": ["server"],
                             "duration": {"dist": "triangular", "min": "1h", "mode": "2h",
                                          "max": "5h"}}}],
        seed=seed,
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    return sim.records


def test_random_start_and_duration_follow_their_streams() -> None:
    for seed in (1, 2):
        at = round(rng(seed, "hazard:crash/at").uniform(H, 3 * H))
        lasts = round(rng(seed, "hazard:crash/duration").triangular(H, 5 * H, 2 * H))
        records = outage_at_random(seed)
        assert changes(records, "server") == [(at, "down"), (at + lasts, "up")]
        assert outage_at_random(seed) == records  # the same seed, the same run
    assert changes(outage_at_random(1), "server") != changes(outage_at_random(2), "server")


def test_stretch_scales_every_restoration_time() -> None:
    """Stages at 10 h (half of two feeds) and 20 h (all), stretched by 1.5:
    the first feed is back at 15 h, the second at 30 h."""
    b = make_bundle(
        [{"id": "fa", "kind": "utility"}, {"id": "fb", "kind": "utility"}],
        hazards=[{"at": "0h", "hazard": {
            "type": "power_failure", "assets": ["fa", "fb"], "stretch": 1.5,
            "stages": [{"after": "10h", "share": 0.5}, {"after": "20h", "share": 1.0}]}}],
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    assert changes(sim.records, "fa") == [(0, "down"), (15 * H, "up")]
    assert changes(sim.records, "fb") == [(0, "down"), (30 * H, "up")]


def test_flood_crest_and_its_time_reshape_the_hydrograph() -> None:
    """Readings 2 m at 0 h, 6 m at 10 h, 4 m at 20 h; crest 8 m at 5 h.
    Levels: the rise above 2 m scales by (8 - 2) / (6 - 2) = 1.5 -> 2, 8, 5 m.
    Times: the rise to the crest shrinks from 10 h to 5 h, the fall keeps its
    10 h -> 0, 5 h, 15 h. A cellar at 7 m floods at 0 + (7 - 2) / (8 - 2) x 5 h
    = 4 h 10 min and dries at 5 h + (8 - 7) / (8 - 5) x 10 h = 8 h 20 min."""
    hydrograph = [{"at": "0h", "level": 2.0}, {"at": "10h", "level": 6.0},
                  {"at": "20h", "level": 4.0}]  # fmt: skip
    spec = Flood.model_validate(
        {"type": "flood", "gauge": "g", "hydrograph": hydrograph, "crest": 8.0, "crest_at": "5h"},
        context={"from_file": True},
    )
    assert spec.readings() == [(0, 2.0), (5 * H, 8.0), (15 * H, 5.0)]
    b = make_bundle(
        [{"id": "cellar", "kind": "site", "flood": {"gauge": "g", "level": 7.0}}],
        hazards=[{"at": "0h", "hazard": {"type": "flood", "gauge": "g", "hydrograph": hydrograph,
                                         "crest": 8.0, "crest_at": "5h"}}],
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    assert changes(sim.records, "cellar") == [(15000, "down"), (30000, "up")]


def test_a_random_crest_floods_the_cellar_exactly_when_it_reaches_its_level() -> None:
    """Crest uniform between 6.5 and 7.5 m over a 2-6 m hydrograph; the cellar
    at 7 m floods in a replication if and only if its drawn crest is >= 7 m."""
    flooded = []
    for seed in range(1, 13):
        b = make_bundle(
            [{"id": "cellar", "kind": "site", "flood": {"gauge": "g", "level": 7.0}}],
            hazards=[{"id": "elbe", "hazard": {
                "type": "flood", "gauge": "g", "crest": {"dist": "uniform", "min": 6.5, "max": 7.5},
                "hydrograph": [{"at": "0h", "level": 2.0}, {"at": "10h", "level": 6.0},
                               {"at": "20h", "level": 2.0}]}}],
            seed=seed,
        )  # fmt: skip
        sim = Simulation(b)
        sim.run()
        crest = rng(seed, "hazard:elbe/crest").uniform(6.5, 7.5)
        down = any(state == "down" for _, state in changes(sim.records, "cellar"))
        assert down == (crest >= 7.0), (seed, crest)
        flooded.append(down)
    assert any(flooded) and not all(flooded)  # both kinds of flood occur


def test_random_parameters_of_an_injected_hazard_are_drawn_too() -> None:
    """A hazard started by an inject draws under its cause, "inject:<id>"."""
    b = make_bundle(
        [{"id": "supplier", "kind": "supplier"}],
        injects=[{"id": "fire", "at": "1h", "title": "Fire", "do": [{"action": "hazard", "hazard": {
            "type": "outage", "assets": ["supplier"],
            "duration": {"dist": "uniform", "min": "1d", "max": "3d"}}}]}],
        seed=5,
    )  # fmt: skip
    sim = Simulation(b)
    sim.run()
    lasts = round(rng(5, "inject:fire/duration").uniform(86400, 3 * 86400))
    assert changes(sim.records, "supplier") == [(H, "down"), (H + lasts, "up")]


# --------------------------------------------------------------------------- the dairy


def test_blackout_monte_carlo_shows_a_spread() -> None:
    """The Köpenick stages stretched by a log-normal factor: every replication
    draws another length, so the downtimes of the processes the blackout
    hits spread out (P50 < P90 < P99); a plain run stays one fixed draw."""
    bundle = load_bundle(DAIRY / "blackout.yaml")
    result = monte_carlo(bundle, n=40, seed=0, workers=1)
    hit = ["raw_milk_intake", "cheese_production", "yoghurt_production", "uht_production",
           "packaging", "cold_storage_dispatch", "quality_release", "pirna_production"]  # fmt: skip
    for process in hit:
        p = result.process(process)
        assert 0 < p.downtime_h_p50 < p.downtime_h_p90 < p.downtime_h_p99, process
    assert result.process("payroll").downtime_h_p99 == 0  # untouched processes stay at 0
