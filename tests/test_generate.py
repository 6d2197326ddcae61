"""The synthetic company generator: deterministic, valid, layered, sparse."""

from __future__ import annotations

import functools
import random
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from simulator.model.generate import MIN_ASSETS, generate
from simulator.model.graph import build_graph
from simulator.model.schema import Company, Scenario
from simulator.readwrite.io import load_bundle
from simulator.terms.durations import parse_duration

FROM_FILE = {"from_file": True}


@functools.cache
def _generated(n: int, seed: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    return generate(n, seed=seed)


@functools.cache
def _company(n: int) -> Company:
    return Company.model_validate(_generated(n)[0], context=FROM_FILE)


def test_same_seed_gives_identical_dicts() -> None:
    assert generate(1000, seed=7) == generate(1000, seed=7)


def test_global_random_state_is_untouched() -> None:
    random.seed(12345)
    state = random.getstate()
    generate(MIN_ASSETS, seed=5)
    assert random.getstate() == state


def test_different_seed_gives_different_dicts() -> None:
    company_a, scenario_a = generate(1000, seed=1)
    company_b, scenario_b = generate(1000, seed=2)
    assert company_a["assets"] != company_b["assets"]
    assert scenario_a["hazards"] != scenario_b["hazards"]


@pytest.mark.parametrize("n", [MIN_ASSETS, 137, 1000, 10_000])
def test_asset_count_is_exact_and_ids_unique(n: int) -> None:
    company, _ = _generated(n)
    ids = [a["id"] for a in company["assets"]]
    assert len(ids) == n
    assert len(set(ids)) == n


def test_too_small_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(MIN_ASSETS - 1)


@pytest.mark.parametrize("n", [MIN_ASSETS, 1000])
def test_dicts_validate_as_files(n: int) -> None:
    company, scenario = _generated(n)
    parsed = Company.model_validate(company, context=FROM_FILE)
    assert len(parsed.assets) == n
    assert set(parsed.teams) == {"it_ops", "facility"}
    play = Scenario.model_validate(scenario, context=FROM_FILE)
    assert play.company == "company.yaml"
    assert play.horizon == parse_duration("365d")
    assert len(play.hazards) == n // 10


def test_dicts_round_trip_through_yaml() -> None:
    company, scenario = _generated(MIN_ASSETS)
    for d, model in ((company, Company), (scenario, Scenario)):
        text = yaml.safe_dump(d, sort_keys=False)
        assert "&id" not in text, "shared sub-dicts would be written as YAML anchors"
        back = yaml.safe_load(text)
        assert back == d
        model.model_validate(back, context=FROM_FILE)


@pytest.mark.parametrize("n", [MIN_ASSETS, 1000])
def test_files_load_with_every_cross_check(n: int, tmp_path: Path) -> None:
    """Written as YAML, the pair passes the loader's reference and cycle checks."""
    company, scenario = _generated(n)
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(company, sort_keys=False))
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False))
    bundle = load_bundle(tmp_path / "scenario.yaml")
    assert len(bundle.company.assets) == n
    assert len(bundle.scenario.hazards) == n // 10


def test_every_asset_kind_is_present() -> None:
    kinds = Counter(a.kind.value for a in _company(1000).assets)
    assert set(kinds) == {
        "site",
        "utility",
        "it_system",
        "application",
        "data",
        "supplier",
        "logistics",
        "staff",
        "business_process",
    }
    assert kinds["site"] == 5  # one per 200 assets
    assert kinds["business_process"] == 50  # 5 %


def test_company_uses_the_richer_dependency_features() -> None:
    needs = [need for asset in _company(1000).assets for need in asset.needs]
    assert any(n.k_of_n is not None and n.k_of_n.k == 2 and len(n.k_of_n.of) == 3 for n in needs)
    assert any(n.any_of is not None and len(n.any_of) == 2 for n in needs)
    assert any(n.delay > 0 for n in needs)
    assert any(b.id == "ups" and b.capacity == 1800 for n in needs for b in n.buffers)
    assets = _company(1000).assets
    assert any(a.recovery is not None and a.recovery.team == "it_ops" for a in assets)
    assert all(a.backup is not None for a in assets if a.kind.value == "data")


def test_bia_figures_are_in_range() -> None:
    processes = [a for a in _company(1000).assets if a.kind.value == "business_process"]
    for p in processes:
        assert p.bia is not None
        assert 4 * 3600 <= p.bia.rto <= 48 * 3600
        assert p.bia.mtpd >= p.bia.rto
        assert 0.3 <= p.bia.mbco <= 0.7
        assert p.bia.impact_per_hour is not None
        assert 1_000 <= p.bia.impact_per_hour <= 50_000


@pytest.mark.parametrize("n", [1000, 10_000])
def test_graph_is_a_sparse_dag(n: int) -> None:
    g = build_graph(_company(n))
    assert g.number_of_nodes() == n
    assert nx.is_directed_acyclic_graph(g)
    assert g.number_of_edges() / n < 6  # mean in-degree, independent of n
    assert max(d for _, d in g.in_degree()) <= 12


def test_processes_stand_on_site_utilities() -> None:
    company = _company(1000)
    g = build_graph(company)
    kinds = {a.id: a.kind.value for a in company.assets}
    for asset in company.assets:
        if asset.kind.value == "business_process":
            ancestors = nx.ancestors(g, asset.id)
            assert any(kinds[a] == "utility" for a in ancestors), asset.id
            assert any(kinds[a] == "site" for a in ancestors), asset.id


def test_failures_spread_over_the_horizon() -> None:
    _, scenario = generate(1000, seed=3, failures=400, horizon="30d")
    hazards = Scenario.model_validate(scenario, context=FROM_FILE).hazards
    assert len(hazards) == 400
    ats = [h.at for h in hazards]
    assert ats == sorted(ats)
    assert ats[0] >= 0 and ats[-1] < 30 * 86400
    assert min(ats) < 5 * 86400 and max(ats) > 25 * 86400
    for h in hazards:
        assert len(h.hazard.assets) == 1
        assert h.hazard.duration is not None
        assert 10 * 60 <= h.hazard.duration <= 3 * 86400
        assert h.hazard.duration % 60 == 0


def test_generate_100k_smoke() -> None:
    """The benchmark's largest size builds (its speed is measured in bench/, not here)."""
    company, scenario = generate(100_000, seed=0, failures=1000)
    assert len(company["assets"]) == 100_000
    assert len(scenario["hazards"]) == 1000
