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
