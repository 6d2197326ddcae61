"""Every bundled scenario validates and runs; documented results hold.

Expected results live in scenarios/README.md between `<!-- expected: FILE -->`
and `<!-- /expected -->` markers, so the documentation and the assertions
cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.analysis.metrics import summarize
from simulator.engine.simulation import Simulation
from simulator.readwrite.io import load_bundle, validate_file

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
README = SCENARIOS / "README.md"


def scenario_files() -> list[Path]:
    """Files with a top-level `company:` path: scenarios (the rest are companies)."""
    return sorted(
        p for p in SCENARIOS.rglob("*.yaml")
        if re.search(r"^company:\s*\S+\.(yaml|json)\s*$", p.read_text(), re.M)
    )  # fmt: skip


def test_there_are_scenarios() -> None:
    assert any(p.name == "scenario.yaml" for p in scenario_files())


@pytest.mark.parametrize("path", sorted(SCENARIOS.rglob("*.yaml")), ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_every_file_validates(path: Path) -> None:
    assert [str(p) for p in validate_file(path)] == []


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: str(p.relative_to(SCENARIOS)))
def test_every_scenario_runs_to_its_horizon(path: Path) -> None:
    sim = Simulation(load_bundle(path))
    sim.run()
    assert sim.now == sim.horizon
    assert sim.records == sorted(sim.records, key=lambda r: (r.t, r.seq))


def expected_tables() -> dict[str, list[dict[str, str]]]:
    tables: dict[str, list[dict[str, str]]] = {}
    for name, body in re.findall(r"<!-- expected: (\S+) -->\n(.*?)<!-- /expected -->", README.read_text(), re.S):
        rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in body.strip().splitlines()]
        header, rows = rows[0], [r for r in rows[1:] if not set("".join(r)) <= set("-")]
        tables[name] = [dict(zip(header, r, strict=True)) for r in rows]
    return tables


def shown(value: object) -> str:
    """A summary figure as the README writes it."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@pytest.mark.parametrize("name", sorted(expected_tables()))
def test_documented_results(name: str) -> None:
    bundle = load_bundle(SCENARIOS / name)
    sim = Simulation(bundle)
    sim.run()
    summary = summarize(bundle, sim.records, sim.horizon)
    for row in expected_tables()[name]:
        p = summary.process(row["process"])
        assert shown(p.first_impact_h) == row["first impact h"]
        assert shown(p.below_mbco_h) == row["below MBCO h"]
        assert shown(p.rto_breached) == row["RTO breached"]
        assert shown(p.mtpd_breached) == row["MTPD breached"]
        assert shown(p.data_loss_h) == row["data lost h"]
        assert f"{p.impact_eur:.2f}" == row["impact EUR"]


def test_the_example_has_expectations() -> None:
    assert "example/scenario.yaml" in expected_tables()
