"""The reference company scenarios/dairy (Sächsische Molkerei).

Every file validates, every scenario runs deterministically and produces the
headline results documented in scenarios/README.md (the test reads the table
between `<!-- dairy-headlines -->` markers, so docs and assertions cannot
drift apart), the company is big enough, and a single failure of one
non-utility asset stays local (van Eeten et al. 2011: real cascades are
short) — the worst case is documented between `<!-- dairy-cascade -->`
markers.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from simulator.analysis.metrics import summarize
from simulator.engine.compiled import Model, compile_model
from simulator.engine.records import Record
from simulator.engine.simulation import Simulation
from simulator.model.commands import Down
from simulator.model.schema import AssetKind, Scenario, ScenarioBundle
from simulator.readwrite.io import load_bundle, load_company, validate_file
from simulator.terms.durations import format_duration

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DAIRY = SCENARIOS / "dairy"
README = SCENARIOS / "README.md"
NAMES = ["ransomware", "blackout", "flood", "supply", "pandemic", "compound"]

H = 3600
CASCADE_DOWN = 72 * H  # each asset fails for three days ...
CASCADE_WATCH = 96 * H  # ... and we count what went down within four
CASCADE_BOUND = 0.25  # at most this share of all assets


# --------------------------------------------------------------------------- helpers


def headline(bundle: ScenarioBundle, records: list[Record]) -> dict[str, str]:
    """The figures of the README table for one plain run, as the table writes them."""
    summary = summarize(bundle, records, bundle.scenario.horizon)
    ps = summary.processes
    worst = max(ps, key=lambda p: p.below_mbco_h or 0.0)  # first in file order on ties
    losses = [p.data_loss_h for p in ps if p.data_loss_h is not None]
    return {
        "seed": str(bundle.scenario.seed),
        "horizon": format_duration(bundle.scenario.horizon),
        "RTO breached": str(sum(bool(p.rto_breached) for p in ps)),
        "MTPD breached": str(sum(bool(p.mtpd_breached) for p in ps)),
        "impact EUR": f"{sum(p.impact_eur for p in ps):,.0f}",
        "most h below MBCO": f"{worst.below_mbco_h or 0.0:.1f}",
        "process": worst.id,
        "data lost h": f"{max(losses):.1f}" if losses else "–",
        "RPO breached": str(sum(bool(p.rpo_breached) for p in ps)),
    }


def marked_table(marker: str) -> list[dict[str, str]]:
    """The rows of the Markdown table between `<!-- marker -->` and `<!-- /marker -->`."""
    found = re.search(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", README.read_text(), re.S)
    assert found, f"no <!-- {marker} --> table in {README}"
    lines = [line.strip().strip("|") for line in found.group(1).strip().splitlines()]
    rows = [[c.strip().strip("`") for c in line.split("|")] for line in lines]
    header, body = rows[0], [r for r in rows[1:] if not set("".join(r)) <= set("-: ")]
    return [dict(zip(header, r, strict=True)) for r in body]


@cache
def bundle(name: str) -> ScenarioBundle:
    return load_bundle(DAIRY / f"{name}.yaml")


@cache
def plain_run(name: str) -> tuple[Record, ...]:
    sim = Simulation(bundle(name))
    sim.run()
    assert sim.now == sim.horizon
    return tuple(sim.records)


@cache
def company_model() -> Model:
    """The dairy with an empty scenario: no hazards, no injects."""
    scenario = Scenario.model_validate(
        {"scenario": {"id": "single-failure", "title": "t"}, "company": "company.yaml",
         "horizon": CASCADE_WATCH}
    )  # fmt: skip
    return compile_model(
        ScenarioBundle(scenario=scenario, company=load_company(DAIRY / "company.yaml"))
    )


def single_failure(model: Model, asset: str) -> set[str]:
    """Assets that go down within CASCADE_WATCH when `asset` fails at 0 for CASCADE_DOWN."""
    sim = Simulation(model)
    sim.inject(Down(action="down", asset=asset, duration=CASCADE_DOWN))
    sim.advance(CASCADE_WATCH)
    return {r.asset for r in sim.records if r.event == "state" and r.state == "down" and r.asset}


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("path", sorted(DAIRY.glob("*.yaml")), ids=lambda p: p.name)
def test_every_dairy_file_validates(path: Path) -> None:
    assert [str(p) for p in validate_file(path)] == []


def test_there_are_six_scenarios() -> None:
    assert sorted(p.stem for p in DAIRY.glob("*.yaml")) == sorted([*NAMES, "company"])


def test_company_size_and_bia() -> None:
    company = load_company(DAIRY / "company.yaml")
    assert len(company.assets) >= 80
    processes = [a for a in company.assets if a.kind is AssetKind.business_process]
    assert len(processes) >= 12
    for p in processes:
        assert p.bia is not None and p.bia.rto <= p.bia.mtpd
        assert p.bia.impact_per_hour is not None or p.bia.impact
    assert sum(p.bia is not None and p.bia.rpo is not None for p in processes) >= 4
    # every asset is named in German and English
    for a in company.assets:
        assert a.name is not None and not isinstance(a.name, str) and a.name.de and a.name.en, a.id


@pytest.mark.parametrize("name", NAMES)
def test_scenario_shape(name: str) -> None:
    s = bundle(name).scenario
    assert not isinstance(s.scenario.narrative, str | None)
    assert s.scenario.narrative.de and s.scenario.narrative.en
    assert s.start.utcoffset() is not None
    assert s.horizon <= 60 * 86400
    assert 8 <= len(s.injects) <= 15
    for inject in s.injects:
        assert not isinstance(inject.title, str) and inject.title.de and inject.title.en
        assert (
            not isinstance(inject.message, str | None) and inject.message.de and inject.message.en
        )
    assert s.actions and s.objectives and s.hazards


def test_flood_alarms_release_untimed_injects() -> None:
    """Every flood trigger names an untimed inject, and the plain run releases
    it exactly when the water reached its level (the crest is drawn, so a
    low flood leaves the highest alarms unplayed)."""
    for name in ("flood", "compound"):
        s = bundle(name).scenario
        untimed = {i.id for i in s.injects if i.at is None}
        triggers = [t for h in s.hazards if h.hazard.type == "flood" for t in h.hazard.triggers]
        assert triggers and {t.inject for t in triggers} <= untimed
        records = plain_run(name)
        highest = max(float(r.detail or 0) for r in records if r.event == "gauge")
        released = {r.cause for r in records if r.event == "inject"}
        for t in triggers:
            assert (f"inject:{t.inject}" in released) == (t.level <= highest), (name, t)


# --------------------------------------------------------------------------- runs


@pytest.mark.parametrize("name", NAMES)
def test_scenario_is_deterministic(name: str) -> None:
    again = Simulation(bundle(name))
    again.run()
    assert tuple(again.records) == plain_run(name)


def test_headline_table_lists_every_scenario() -> None:
    assert [row["scenario"] for row in marked_table("dairy-headlines")] == [
        f"{n}.yaml" for n in NAMES
    ]


@pytest.mark.parametrize("name", NAMES)
def test_documented_headline_results(name: str) -> None:
    rows = {row["scenario"]: row for row in marked_table("dairy-headlines")}
    documented = {k: v for k, v in rows[f"{name}.yaml"].items() if k != "scenario"}
    assert headline(bundle(name), list(plain_run(name))) == documented


def test_ransomware_encrypts_the_backups_in_the_domain() -> None:
    """Norsk Hydro lesson: the backup store is a domain member, so only the
    weekly offline copy is good — the ERP loses everything since it."""
    records = plain_run("ransomware")
    lost = {r.asset: float(r.detail or 0) for r in records if r.event == "data_loss"}
    # Encrypted after the 4 d dwell and the drawn encryption time (4-60 min);
    # the only good copy is the offline one at the start.
    encrypted = next(r.t for r in records if r.event == "encrypted" and r.asset == "erp_db")
    assert 4 * 86400 + 4 * 60 <= encrypted <= 4 * 86400 + 3600
    assert lost["erp_db"] == pytest.approx(encrypted / 3600, abs=1e-4)
    assert {"lep_scada", "pirna_scada", "backup_store"} <= {
        r.asset for r in records if r.event == "compromised"
    }


# --------------------------------------------------------------------------- calibration


def test_single_failures_stay_local() -> None:
    """No single failure of a non-utility asset takes down more than a quarter
    of the company; the worst case is the one documented in the README."""
    model = company_model()
    n = model.size
    worst: tuple[int, str] = (0, "")
    for asset in model.bundle.company.assets:
        if asset.kind is AssetKind.utility:
            continue
        down = single_failure(model, asset.id)
        assert len(down) <= CASCADE_BOUND * n, (asset.id, sorted(down))
        worst = max(worst, (len(down), asset.id), key=lambda w: w[0])
    [documented] = marked_table("dairy-cascade")
    assert documented == {
        "worst single failure": worst[1],
        "assets down": f"{worst[0]} of {n}",
        "share": f"{worst[0] / n:.1%}",
    }
