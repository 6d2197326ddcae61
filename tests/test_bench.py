"""The benchmarks run (their figures are read by people, never asserted).

Each module under bench/ is imported, so a renamed library module breaks a
test rather than the next person's measurement; the engine's smoke run
prints its goal lines."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHES = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "__init__")


def test_there_are_benchmarks() -> None:
    assert {"engine", "load", "montecarlo", "web"} <= set(BENCHES)


@pytest.mark.parametrize("name", BENCHES)
def test_a_benchmark_imports(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None)) or name == "load"


def test_the_engine_benchmark_runs() -> None:
    done = subprocess.run([sys.executable, "bench/engine.py", "--quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for goal in ("hop cost vs bare SimPy event (1k)", "speed-up vs descendants-only recompute",
                 "load+validate+compile JSON (1k)", "cycle in a 1k company found in",
                 "engine state:"):  # fmt: skip
        assert goal in done.stdout


def test_the_fair_baseline_counts_what_it_recomputes() -> None:
    """grid -> server (all_of); app needs server or standby (any_of, k 1,
    each share 1). A grid outage changes grid and server; app keeps its
    standby: 3 recomputed (grid and its descendants), 2 changes, and the
    heal the same. A standby outage: 2 recomputed (standby, app), 1 change
    (standby), twice. (changes, recomputed) by hand: (4, 6) and (2, 4)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import engine as bench  # bench/engine.py

    nm = bench.NaiveModel(
        ["grid", "server", "standby", "app"],
        [(), ((False, 1, (0,), (1.0,)),), (), ((True, 1, (1, 2), (1.0, 1.0)),)],
        {"grid": 0, "server": 1, "standby": 2, "app": 3},
    )
    grid = [(0, 0, 0, 0.0), (60, 1, 0, -1.0)]
    standby = [(0, 0, 2, 0.0), (60, 1, 2, -1.0)]
    assert bench.descendants_run(nm, grid) == (4, 6)
    assert bench.descendants_run(nm, standby) == (2, 4)
    assert bench.naive_run(nm, grid) == 4 and bench.naive_run(nm, standby) == 2
