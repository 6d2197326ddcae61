"""Monte Carlo: reproducible whatever the workers, right where computable by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_bundle
from typer.testing import CliRunner

from simulator.analysis.montecarlo import monte_carlo, percentile, replication_seed, wilson
from simulator.cli.app import app

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "example" / "scenario.yaml"


def uniform_outage(low: str = "10h", high: str = "50h") -> object:
    """A server restored after a uniform(low, high) time; the process on it has MTPD 40 h."""
    return make_bundle(
        [
            {"id": "server", "kind": "it_system",
             "recovery": {"time": {"dist": "uniform", "min": low, "max": high}}},
            {"id": "p", "kind": "business_process", "needs": [{"all_of": ["server"]}],
             "bia": {"rto": "20h", "mtpd": "40h", "impact_per_hour": 1000}},
        ],
        hazards=[{"at": "0min", "hazard": {"type": "outage", "assets": ["server"]}}],
        horizon="5d",
    )  # fmt: skip


def test_hand_computed_breach_probabilities_fall_in_their_intervals() -> None:
    p = monte_carlo(uniform_outage(), 1000, seed=3, workers=1).process("p")
    lo, hi = p.p_mtpd_breach_ci
    assert lo <= 0.25 <= hi  # P(U(10, 50) > 40) = 10/40
    lo, hi = p.p_rto_breach_ci
    assert lo <= 0.75 <= hi  # P(U(10, 50) > 20) = 30/40
    assert hi - lo < 0.06  # n = 1000 pins it down to a few percent
    assert 26 <= p.downtime_h_p50 <= 34  # median of U(10, 50) = 30
    assert 28_000 <= p.impact_eur_mean <= 32_000  # 1000 EUR/h x mean 30 h


def test_same_results_for_one_and_two_workers() -> None:
    bundle = uniform_outage()
    one = monte_carlo(bundle, 60, seed=9, workers=1)
    two = monte_carlo(bundle, 60, seed=9, workers=2)
    assert one.outcomes == two.outcomes
    assert one.to_dict() == two.to_dict()
    assert monte_carlo(bundle, 60, seed=10, workers=1).outcomes != one.outcomes


def test_same_results_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("dask.distributed")
    bundle = uniform_outage()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        on_dask = monte_carlo(bundle, 40, seed=9, executor=client.get_executor())
    assert on_dask.outcomes == monte_carlo(bundle, 40, seed=9, workers=1).outcomes


def test_replication_seeds_are_independent_of_the_count() -> None:
    assert [replication_seed(5, i) for i in range(3)] == [replication_seed(5, i) for i in range(3)]
    assert len({replication_seed(5, i) for i in range(1000)}) == 1000


def test_percentile_and_wilson() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 99) == 5
    lo, hi = wilson(0, 50)
    assert lo == 0.0 and 0.05 < hi < 0.08  # not [0, 0]: "rule of three"; exactly 0, not 3e-18
    lo, hi = wilson(50, 50)
    assert hi == 1.0 and 0.92 < lo < 0.95
    lo, hi = wilson(25, 100)
    assert lo < 0.25 < hi


def test_cli_json_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "reps.csv"
    result = CliRunner().invoke(app, ["montecarlo", str(EXAMPLE), "-n", "8", "--seed", "2",
                                      "--workers", "1", "--json", "--csv", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["n"], report["seed"]) == (8, 2)
    keys = {"id", "p_rto_breach", "p_mtpd_breach", "downtime_h_p50", "downtime_h_p90",
            "downtime_h_p99", "impact_eur_mean", "impact_eur_p95"}  # fmt: skip
    assert all(keys <= set(p) for p in report["processes"])
    lines = out.read_text().splitlines()
    assert lines[0].startswith("replication,process,")
    assert len(lines) == 1 + 8 * 3
