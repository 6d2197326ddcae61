"""Monte Carlo: many replications of a scenario, and what they say.

Replication `i` of a run with base seed `s` uses the seed
`stream_seed(s, "replication/i")`: independent streams, the same for every
`i` whatever the number or kind of workers, so results are identical on one
core, a process pool or a Dask cluster. Work goes out in batches of
replications with the compiled model (not the NetworkX graph, not the YAML);
a process pool receives the model once per worker.
"""

from __future__ import annotations

import math
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from simulator.analysis.metrics import ProcessSummarizer
from simulator.engine.compiled import Model, compile_model
from simulator.engine.simulation import Simulation
from simulator.engine.streams import stream_seed
from simulator.model.schema import ScenarioBundle

Z95 = 1.959963984540054  # two-sided 95% normal quantile


@dataclass(frozen=True, slots=True)
class Outcome:
    """One process in one replication (hours; EUR)."""

    replication: int
    process: str
    rto_breached: bool
    mtpd_breached: bool
    downtime_h: float
    below_mbco_h: float
    impact_eur: float


def replication_seed(base: int, i: int) -> int:
    return stream_seed(base, f"replication/{i}")


def replicate(
    model: Model,
    base_seed: int,
    i: int,
    until: int | None = None,
    summarizer: ProcessSummarizer | None = None,
) -> list[Outcome]:
    """Run replication `i` and summarise each business process (`summarizer`:
    the company's, prepared once for all replications of a model)."""
    sim = Simulation(model, replication_seed(base_seed, i))
    horizon = sim.horizon if until is None else min(until, sim.horizon)
    sim.advance(horizon)
    processes = (summarizer or ProcessSummarizer(model.bundle)).summarize(sim.records, horizon)
    return [
        Outcome(i, p.id, bool(p.rto_breached), bool(p.mtpd_breached), p.downtime_h,
                p.below_mbco_h or 0.0, p.impact_eur)  # fmt: skip
        for p in processes
    ]


def _replicate_all(
    model: Model, base_seed: int, indices: Iterable[int], until: int | None
) -> list[Outcome]:
    summarizer = ProcessSummarizer(model.bundle)
    return [o for i in indices for o in replicate(model, base_seed, i, until, summarizer)]


# --- running in parallel ------------------------------------------------------------

_WORKER_MODEL: Model | None = None


def _init_worker(model_bytes: bytes) -> None:
    global _WORKER_MODEL
    _WORKER_MODEL = pickle.loads(model_bytes)


def _run_batch_in_worker(
    base_seed: int, indices: Sequence[int], until: int | None
) -> list[Outcome]:
    assert _WORKER_MODEL is not None
    return _replicate_all(_WORKER_MODEL, base_seed, indices, until)


def _run_batch(
    model_bytes: bytes, base_seed: int, indices: Sequence[int], until: int | None
) -> list[Outcome]:
    """A batch for an executor without initialisers (e.g. Dask): the model
    travels with the batch."""
    return _replicate_all(pickle.loads(model_bytes), base_seed, indices, until)


def _batches(n: int, parts: int) -> list[range]:
    size = max(1, math.ceil(n / parts))
    return [range(lo, min(n, lo + size)) for lo in range(0, n, size)]


def run_replications(
    source: ScenarioBundle | Model,
    n: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    until: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Outcomes of `n` replications, in replication order.

    `workers`: processes of a local pool (default: all cores; 1 runs here).
    `executor`: any concurrent.futures executor instead (e.g. a Dask client's
    `get_executor()`). `progress(k)` is called as replications complete.
    """
    model = source if isinstance(source, Model) else compile_model(source)
    if executor is None and (workers or os.cpu_count() or 1) <= 1:
        out: list[Outcome] = []
        summarizer = ProcessSummarizer(model.bundle)
        for i in range(n):
            out += replicate(model, seed, i, until, summarizer)
            if progress:
                progress(1)
        return out
    blob = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    if executor is not None:
        parts = _batches(n, 16)
        futures = [executor.submit(_run_batch, blob, seed, list(r), until) for r in parts]
        return _collect(futures, parts, progress)
    count = workers or os.cpu_count() or 1
    parts = _batches(n, count * 4)
    with ProcessPoolExecutor(count, initializer=_init_worker, initargs=(blob,)) as pool:
        futures = [pool.submit(_run_batch_in_worker, seed, list(r), until) for r in parts]
        return _collect(futures, parts, progress)


def _collect(futures: list[Any], parts: list[range], progress: Callable[[int], None] | None
             ) -> list[Outcome]:  # fmt: skip
    results: list[list[Outcome]] = []
    for future, part in zip(futures, parts, strict=True):
        results.append(future.result())
        if progress:
            progress(len(part))
    return [o for batch in results for o in batch]


# --- statistics -----------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between order statistics (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion: sound also near 0 and 1."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    # At 0 of n (n of n) the bound is exactly 0 (1); the floats left 3.5e-18.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


@dataclass(frozen=True, slots=True)
class ProcessStats:
    id: str
    p_rto_breach: float
    p_rto_breach_ci: tuple[float, float]
    p_mtpd_breach: float
    p_mtpd_breach_ci: tuple[float, float]
    downtime_h_p50: float
    downtime_h_p90: float
    downtime_h_p99: float
    below_mbco_h_p50: float
    below_mbco_h_p90: float
    impact_eur_mean: float
    impact_eur_p95: float

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["p_rto_breach_ci"] = list(self.p_rto_breach_ci)
        d["p_mtpd_breach_ci"] = list(self.p_mtpd_breach_ci)
        return d


def statistics(outcomes: Iterable[Outcome]) -> list[ProcessStats]:
    """Breach probabilities (with 95% Wilson intervals), downtime percentiles
    and impact per process, in the order the processes first appear."""
    by_process: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_process.setdefault(o.process, []).append(o)
    stats = []
    for process, rows in by_process.items():
        n = len(rows)
        rto = sum(o.rto_breached for o in rows)
        mtpd = sum(o.mtpd_breached for o in rows)
        down = [o.downtime_h for o in rows]
        below = [o.below_mbco_h for o in rows]
        impact = [o.impact_eur for o in rows]
        stats.append(ProcessStats(
            process, rto / n, wilson(rto, n), mtpd / n, wilson(mtpd, n),
            percentile(down, 50), percentile(down, 90), percentile(down, 99),
            percentile(below, 50), percentile(below, 90),
            round(sum(impact) / n, 2), round(percentile(impact, 95), 2),
        ))  # fmt: skip
    return stats


@dataclass(frozen=True)
class MonteCarloResult:
    n: int
    seed: int
    outcomes: list[Outcome]
    processes: list[ProcessStats]

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "seed": self.seed,
                "processes": [p.to_dict() for p in self.processes]}  # fmt: skip

    def process(self, process_id: str) -> ProcessStats:
        return next(p for p in self.processes if p.id == process_id)


def monte_carlo(
    source: ScenarioBundle | Model,
    n: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    until: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """`n` replications and their statistics per business process."""
    outcomes = run_replications(source, n, seed, workers=workers, executor=executor,
                                until=until, progress=progress)  # fmt: skip
    return MonteCarloResult(n, seed, outcomes, statistics(outcomes))
