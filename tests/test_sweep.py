"""Changing scenarios in code, sweeps and sensitivity."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_bundle
from typer.testing import CliRunner

from simulator.analysis.sweep import sweep, tornado, with_parameters
from simulator.cli.app import app
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import load_bundle

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"
FUEL = "assets.plant.needs.power.buffers.fuel.capacity"


def test_with_parameters_changes_a_copy() -> None:
    bundle = load_bundle(EXAMPLE)
    changed = with_parameters(bundle, {FUEL: "48h", "teams.it_admins.size": 3,
                                       "assets.cloud_dr.standby.lead_time": "2h"})  # fmt: skip
    plant = next(a for a in changed.company.assets if a.id == "plant")
    assert plant.needs[0].buffers[1].capacity == 48 * 3600
    assert changed.company.teams["it_admins"].size == 3
    assert next(a for a in changed.company.assets if a.id == "cloud_dr").standby.lead_time == 7200  # type: ignore[union-attr]
    assert next(a for a in bundle.company.assets if a.id == "plant").needs[0].buffers[1].capacity == 24 * 3600


@pytest.mark.parametrize(("values", "message"), [
    ({FUEL: "-3h"}, f"<parameters>: {FUEL}: not a duration: '-3h'"),
    ({"assets.plnt.restart": "1h"}, "<parameters>: assets.plnt.restart: no 'plnt' along this path"),
    ({"teams.it_admins.size": 0}, "<parameters>: teams.it_admins.size: Input should be greater than or equal to 1"),
    ({"planet.x": 1}, "<parameters>: planet.x: a parameter starts with company., scenario., assets. or teams."),
])  # fmt: skip
def test_bad_parameters_are_named(values: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError) as err:
        with_parameters(load_bundle(EXAMPLE), values)
    assert str(err.value.problems[0]).startswith(message)


def fuel_company() -> object:
    """A site on grid power with a randomly long blackout and a generator tank."""
    return make_bundle(
        [
            {"id": "grid", "kind": "utility", "recovery": {"time": {"dist": "uniform", "min": "6h", "max": "60h"}}},
            {"id": "site", "kind": "site", "needs": [{"id": "power", "all_of": ["grid"],
                                                     "buffers": [{"id": "fuel", "capacity": "12h"}]}]},
            {"id": "p", "kind": "business_process", "needs": [{"all_of": ["site"]}],
             "bia": {"rto": "4h", "mtpd": "12h", "impact_per_hour": 100}},
        ],
        hazards=[{"at": "0min", "hazard": {"type": "outage", "assets": ["grid"]}}],
        horizon="5d",
    )  # fmt: skip


def test_more_fuel_never_raises_the_breach_probability() -> None:
    points = sweep(fuel_company(), {"assets.site.needs.power.buffers.fuel.capacity":
                                    ["6h", "12h", "24h", "36h", "48h", "60h"]}, 80, seed=4, workers=1)  # fmt: skip
    p = [pt.result.process("p").p_mtpd_breach for pt in points]
    assert p == sorted(p, reverse=True)
    assert p[0] > 0.5 and p[-1] == 0.0


def test_tornado_ranks_the_parameter_that_matters() -> None:
    bars = tornado(fuel_company(), {
        "assets.site.needs.power.buffers.fuel.capacity": ("6h", "48h"),
        "assets.p.bia.impact_per_hour": (90, 110),
    }, 40, seed=1, workers=1)  # fmt: skip
    assert bars[0].parameter == "assets.site.needs.power.buffers.fuel.capacity"
    assert bars[0].at_low > bars[0].base > bars[0].at_high


def test_cli_sweep(tmp_path: Path) -> None:
    out = tmp_path / "sweep.csv"
    result = CliRunner().invoke(app, ["sweep", str(EXAMPLE), "--param", f"{FUEL}=12h,48h",
                                      "-n", "4", "--workers", "1", "--csv", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = out.read_text().splitlines()
    assert rows[0].startswith(f"{FUEL},id,p_rto_breach")
    assert len(rows) == 1 + 2 * 3
    bad = CliRunner().invoke(app, ["sweep", str(EXAMPLE), "--param", f"{FUEL}=-1h"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
