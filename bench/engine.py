"""Engine benchmark: the cascade engine against a bare SimPy loop and a naive engine.

    .venv/bin/python bench/engine.py [--sizes 1000,10000,100000] [--failures 1000] [--quick]

For each size it generates a company (`simulator.model.generate`) with a fixed number
of random outages over a simulated year, runs the engine to the horizon and
measures, in the same run:

- the engine: wall time of `Simulation.run()`, SimPy events/s, hops/s, records;
- a bare SimPy loop scheduling as many events as the engine processed;
- a naive engine that recomputes every asset's capacity in topological order
  after each damage or heal (no delays, buffers or recovery; timing only).

- a descendants-only recompute, the fair baseline (issue 13 §3), with how
  many assets it recomputes per capacity that actually changes: the work an
  incremental engine could skip.

`--targets utility,site` plays the same number of outages on assets of those
kinds only (shared infrastructure, whose outages reach far) instead of on any
resource.

For the largest size it also measures the memory the engine state takes per
asset, and loading (bench/load.py: JSON and YAML files, each in a fresh
interpreter against the bare parse of the same file). The last lines are the ratios
against the goals. The machine may be shared and noisy: read the ratios, which
compare figures measured side by side, rather than the absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import graphlib
import io
import pstats
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import simpy  # noqa: E402

from bench.load import report as load_report  # noqa: E402
from simulator.model.gcpause import paused_gc  # noqa: E402
from simulator.model.generate import generate  # noqa: E402
from simulator.model.graph import providers_of  # noqa: E402
from simulator.model.schema import Company, Scenario, ScenarioBundle  # noqa: E402

FROM_FILE = {"from_file": True}
HEADLINE = 10_000
LARGE = 100_000
NAIVE_FULL_UP_TO = 10_000  # above this the naive engine runs a prefix of the events
NAIVE_PREFIX = 40
LONG_RUN_S = 10.0  # an engine run this long is not repeated

GOAL_HOP_VS_BARE = 3.0
GOAL_SPEEDUP_VS_NAIVE = 10.0
GOAL_SPEEDUP_VS_DESCENDANTS = 3.0  # the fair baseline (issue 13): a careful hand-written engine
GOAL_SCALING = 1.5
GOAL_BYTES_PER_ASSET = 300.0


# --- helpers -------------------------------------------------------------------------


def best_of(reps: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of `reps` calls of `fn` and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def bundle_of(company: dict[str, Any], scenario: dict[str, Any]) -> ScenarioBundle:
    return ScenarioBundle(
        scenario=Scenario.model_validate(scenario, context=FROM_FILE),
        company=Company.model_validate(company, context=FROM_FILE),
    )


def fmt_s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


# --- (b) bare SimPy ------------------------------------------------------------------


def _bare_process(env: simpy.Environment, delays: list[int]) -> Generator[simpy.Event, Any, None]:
    timeout = env.timeout
    for d in delays:
        yield timeout(d)


def _bare_plans(n_events: int, n_processes: int, horizon: int, seed: int) -> list[list[int]]:
    """Timeout lengths per process so that the run has `n_events` events:
    each process makes 1 Initialize event, its timeouts and 1 termination."""
    n_processes = max(1, min(n_processes, n_events // 3))
    timeouts = max(n_processes, n_events - 2 * n_processes)
    rng = random.Random(seed)
    plans = []
    for i in range(n_processes):
        k = timeouts // n_processes + (1 if i < timeouts % n_processes else 0)
        span = max(1, horizon // k)
        plans.append([rng.randint(1, 2 * span) for _ in range(k)])
    return plans


def bare_simpy(n_events: int, n_processes: int, horizon: int, seed: int = 0) -> tuple[float, int]:
    """Wall time and number of events of a bare SimPy run of about `n_events`
    events: `n_processes` processes, each doing timeouts of random length, so
    the event queue holds about as many entries as the engine's."""
    plans = _bare_plans(n_events, n_processes, horizon, seed)

    def run() -> None:
        env = simpy.Environment()
        for delays in plans:
            env.process(_bare_process(env, delays))
        env.run()

    wall, _ = best_of(3, run)
    return wall, sum(len(p) + 2 for p in plans)


def bare_simpy_stepped(n_events: int, n_processes: int, horizon: int) -> float:
    """µs per event of the same bare run driven by `env.step()` in a Python
    loop, as the engine's `advance` drives it (for information)."""
    plans = _bare_plans(n_events, n_processes, horizon, seed=1)

    def run() -> int:
        env = simpy.Environment()
        for delays in plans:
            env.process(_bare_process(env, delays))
        count = 0
        step, peek = env.step, env.peek
        while peek() < float("inf"):
            step()
            count += 1
        return count

    wall, count = best_of(3, run)
    return wall / max(1, int(count)) * 1e6


# --- (c) naive engine ----------------------------------------------------------------


@dataclass
class NaiveModel:
    """Assets in topological order with their needs as plain tuples:
    (pooled, k, providers, shares) with provider positions in that order."""

    ids: list[str]
    needs: list[tuple[tuple[bool, int, tuple[int, ...], tuple[float, ...]], ...]]
    position: dict[str, int] = field(default_factory=dict)


def naive_model(company: Company) -> NaiveModel:
    deps: dict[str, set[str]] = {}
    for asset in company.assets:
        deps[asset.id] = {p for need in asset.needs for p, _ in providers_of(need)}
    order = list(graphlib.TopologicalSorter(deps).static_order())
    position = {a: i for i, a in enumerate(order)}
    by_id = {a.id: a for a in company.assets}
    needs = []
    for aid in order:
        compiled = []
        for need in by_id[aid].needs:
            members = providers_of(need)
            pooled = need.all_of is None
            k = need.k_of_n.k if need.k_of_n is not None else 1
            compiled.append(
                (
                    pooled,
                    k,
                    tuple(position[p] for p, _ in members),
                    tuple(s for _, s in members),
                )
            )
        needs.append(tuple(compiled))
    return NaiveModel(order, needs, position)


def naive_events(scenario: Scenario, model: NaiveModel) -> list[tuple[int, int, int, float]]:
    """(time, order, asset position, capacity or -1 for a heal) of every damage and heal."""
    events = []
    for i, entry in enumerate(scenario.hazards):
        spec = entry.hazard
        for aid in spec.assets:
            a = model.position[aid]
            events.append((entry.at, 2 * i, a, spec.capacity))
            if spec.duration is not None:
                events.append((entry.at + spec.duration, 2 * i + 1, a, -1.0))
    events.sort()
    return [e for e in events if e[0] <= scenario.horizon]


def naive_run(model: NaiveModel, events: list[tuple[int, int, int, float]]) -> int:
    """Apply the events in order, recomputing every capacity after each one;
    returns the number of capacity changes seen."""
    n = len(model.ids)
    cap = [1.0] * n
    damage: list[list[float]] = [[] for _ in range(n)]
    needs = model.needs
    changes = 0
    for _, _, target, value in events:
        _hit(damage[target], value)
        for a in range(n):
            c = _capacity(a, cap, damage, needs)
            if c != cap[a]:
                cap[a] = c
                changes += 1
    return changes


def _capacity(a: int, cap: list[float], damage: list[list[float]],
              needs: list[tuple[tuple[bool, int, tuple[int, ...], tuple[float, ...]], ...]]
              ) -> float:  # fmt: skip
    """One asset's capacity from its own damage and its providers' capacities."""
    c = min(damage[a]) if damage[a] else 1.0
    for pooled, k, provs, shares in needs[a]:
        if pooled:
            s = 0.0
            for p, sh in zip(provs, shares, strict=True):
                s += sh * cap[p]
            s /= k
        else:
            s = 1.0
            for p in provs:
                if cap[p] < s:
                    s = cap[p]
        if s < c:
            c = s
    return c


def _hit(hits: list[float], value: float) -> None:
    """Apply one event to an asset's own damage: a capacity, or -1 to heal the last."""
    if value < 0:
        if hits:
            hits.pop()
    else:
        hits.append(value)


def descendants_run(
    model: NaiveModel, events: list[tuple[int, int, int, float]]
) -> tuple[int, int]:
    """The fair baseline: what a careful hand-written engine does. After each
    event only the changed asset and its descendants are recomputed, in
    topological order (each asset's descendants found once and cached);
    returns the number of capacity changes seen (equal to `naive_run`'s) and
    of assets recomputed."""
    n = len(model.ids)
    cap = [1.0] * n
    damage: list[list[float]] = [[] for _ in range(n)]
    needs = model.needs
    dependents: list[list[int]] = [[] for _ in range(n)]
    for a in range(n):  # positions are topological: providers come first
        for _, _, provs, _ in needs[a]:
            for p in provs:
                dependents[p].append(a)
    below: dict[int, list[int]] = {}
    changes = recomputed = 0
    for _, _, target, value in events:
        _hit(damage[target], value)
        order = below.get(target)
        if order is None:
            seen = {target}
            stack = [target]
            while stack:
                for d in dependents[stack.pop()]:
                    if d not in seen:
                        seen.add(d)
                        stack.append(d)
            below[target] = order = sorted(seen)
        recomputed += len(order)
        for a in order:
            c = _capacity(a, cap, damage, needs)
            if c != cap[a]:
                cap[a] = c
                changes += 1
    return changes, recomputed


# --- per size ------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    compile_s: float
    run_s: float
    reps: int
    events: int
    hops: int
    records: int
    bare_us: float
    bare_step_us: float
    naive_per_event_s: float
    naive_events: int
    naive_measured: int
    descendants_s: float  # the fair baseline's whole run

    @property
    def us_per_event(self) -> float:
        return self.run_s / max(1, self.events) * 1e6

    @property
    def us_per_hop(self) -> float:
        return self.run_s / max(1, self.hops) * 1e6

    @property
    def naive_total_s(self) -> float:
        return self.naive_per_event_s * self.naive_events


def on_targets(company: dict[str, Any], scenario: dict[str, Any], kinds: set[str]) -> None:
    """Replace the scenario's outages by as many on assets of `kinds` only, at
    the same times and for the same durations."""
    ids = [a["id"] for a in company["assets"] if a["kind"] in kinds]
    if not ids:
        raise SystemExit(f"--targets: the company has no assets of kind {', '.join(kinds)}")
    rng = random.Random(1)
    for hazard in scenario["hazards"]:
        hazard["hazard"]["assets"] = [ids[rng.randrange(len(ids))]]


def bench_size(n: int, failures: int, reps: int, profile: bool, naive: bool,
               targets: set[str] | None = None) -> SizeResult:  # fmt: skip
    from simulator.engine.compiled import compile_model
    from simulator.engine.simulation import Simulation

    on = f" on {', '.join(sorted(targets))} assets" if targets else ""
    print(f"\n== {n:,} assets, {failures:,} outages{on} over a year ==")
    t0 = time.perf_counter()
    company_d, scenario_d = generate(n, seed=0, failures=failures)
    if targets:
        on_targets(company_d, scenario_d, targets)
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    bundle = bundle_of(company_d, scenario_d)
    t_val = time.perf_counter() - t0
    del company_d, scenario_d
    compile_s, model = best_of(1, lambda: compile_model(bundle))
    print(f"  generate {fmt_s(t_gen)}, validate {fmt_s(t_val)}, compile {fmt_s(compile_s)}")

    def engine_run() -> Any:
        sim = Simulation(model)
        t = time.perf_counter()
        sim.run()
        return time.perf_counter() - t, sim

    walls: list[float] = []
    sim: Any = None
    while len(walls) < reps:
        gc.collect()
        wall, sim = engine_run()
        walls.append(wall)
        if wall > LONG_RUN_S:
            break  # one long run is measurement enough
    run_s = min(walls)
    reps = len(walls)
    stats = sim.stats
    events, hops, records = stats["events"], stats["hops"], len(sim.records)
    print(
        f"  engine      run {fmt_s(run_s)} (best of {reps})  events {events:,}  hops {hops:,}"
        f"  records {records:,}"
    )
    print(
        f"              {events / run_s:,.0f} events/s  {hops / run_s:,.0f} hops/s"
        f"  {run_s / max(1, events) * 1e6:.2f} µs/event  {run_s / max(1, hops) * 1e6:.2f} µs/hop"
    )
    if profile:
        prof = cProfile.Profile()
        sim = Simulation(model)
        prof.enable()
        sim.run()
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
        print("  profile of one engine run (by own time):")
        print("\n".join("    " + line for line in out.getvalue().splitlines()[:45]))

    horizon = bundle.scenario.horizon
    bare_wall, bare_events = bare_simpy(events, failures, horizon)
    bare_us = bare_wall / bare_events * 1e6
    bare_step_us = bare_simpy_stepped(events, failures, horizon)
    print(
        f"  bare SimPy  {bare_events:,} events in {fmt_s(bare_wall)} (best of 3):"
        f" {bare_us:.2f} µs/event with env.run(), {bare_step_us:.2f} µs/event stepped"
    )

    nm = naive_model(bundle.company)
    all_events = naive_events(bundle.scenario, nm)
    with paused_gc():
        descendants_s, (desc_changes, recomputed) = best_of(
            reps, lambda: descendants_run(nm, all_events))  # fmt: skip
    print(
        f"  descendants {fmt_s(descendants_s)} for all {len(all_events):,} events (best of {reps}):"
        f" recompute only the changed asset's descendants, {desc_changes:,} capacity changes"
    )
    print(
        f"              {recomputed:,} assets recomputed:"
        f" {recomputed / max(1, desc_changes):.2f} per capacity change (what an incremental"
        " engine could skip is the part above 1)"
    )
    print(f"              speed-up of the engine: {descendants_s / run_s:.1f}x")
    naive_per_event = float("nan")
    measured = 0
    if naive:
        prefix = all_events if n <= NAIVE_FULL_UP_TO else all_events[:NAIVE_PREFIX]
        measured = len(prefix)
        naive_reps = 3 if n <= 1000 else 1
        with paused_gc():
            wall, changes = best_of(naive_reps, lambda: naive_run(nm, prefix))
        if measured == len(all_events) and changes != desc_changes:
            raise SystemExit("the two baselines disagree: a bug in one of them")
        naive_per_event = wall / max(1, measured)
        how = (
            f"all {measured:,} events"
            if measured == len(all_events)
            else f"first {measured:,} of {len(all_events):,} events, extrapolated per event"
        )
        print(
            f"  naive       {fmt_s(naive_per_event)}/event ({how}):"
            f" {fmt_s(naive_per_event * len(all_events))} for the run,"
            f" {changes:,} capacity changes"
        )
        speedup = naive_per_event * len(all_events) / run_s
        print(f"              speed-up of the engine: {speedup:.1f}x")
    return SizeResult(
        n,
        compile_s,
        run_s,
        reps,
        events,
        hops,
        records,
        bare_us,
        bare_step_us,
        naive_per_event,
        len(all_events),
        measured,
        descendants_s,
    )


# --- engine state ---------------------------------------------------------------------


def engine_state(n: int, failures: int) -> float:
    """Bytes allocated by `compile_model` plus `Simulation(...)` per asset, the
    bundle already validated (loading is bench/load.py's: in a fresh
    interpreter per file, against the bare parse)."""
    from simulator.engine.compiled import compile_model
    from simulator.engine.simulation import Simulation

    bundle = bundle_of(*generate(n, seed=0, failures=failures))
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    model = compile_model(bundle)
    sim = Simulation(model)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del sim, model
    return (after - before) / n


# --- main ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="asset counts, comma-separated"
    )
    parser.add_argument("--failures", type=int, default=1000, help="outages per size (fixed)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 1,000 assets, 1 rep")
    parser.add_argument("--profile", action="store_true", help="cProfile one engine run per size")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive engine")
    parser.add_argument("--targets", default=None,
                        help="outages only on assets of these kinds, e.g. utility,site")
    parser.add_argument("--load-only", action="store_true",
                        help="only the loading section (issue 13 §1) at the largest size")
    parser.add_argument("--load-sizes", default=None,
                        help="asset counts for the loading section (default: the largest size)")
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    failures = args.failures
    load_sizes = ([int(s) for s in args.load_sizes.split(",") if s.strip()]
                  if args.load_sizes else [max(sizes)])  # fmt: skip
    if args.load_only:
        for n in load_sizes:
            load_report(n, failures)
        return 0

    print(
        f"Python {sys.version.split()[0]}, SimPy {simpy.__version__}; failures per size: {failures}"
    )
    results: dict[int, SizeResult] = {}
    for n in sizes:
        reps = 1 if args.quick else 3
        targets = set(args.targets.split(",")) if args.targets else None
        results[n] = bench_size(n, failures, reps, args.profile, naive=not args.no_naive,
                                targets=targets)  # fmt: skip

    largest = max(sizes)
    print(f"\n== engine state at {largest:,} assets ==")
    per_asset = engine_state(largest, failures)
    print(f"  compile_model + Simulation (tracemalloc): {per_asset:.0f} B/asset")
    for n in load_sizes:
        load_report(n, failures)

    print()
    head = HEADLINE if HEADLINE in results else largest
    h = results[head]
    hop_ratio = h.us_per_hop / h.bare_us
    print(
        f"hop cost vs bare SimPy event ({_k(head)}): {hop_ratio:.1f}x"
        f" (goal <= {GOAL_HOP_VS_BARE:g}x)"
    )
    for size in (1000, HEADLINE, LARGE):
        if size in results:
            r = results[size]
            goal = f" (goal >= {GOAL_SPEEDUP_VS_DESCENDANTS:g}x)" if size == HEADLINE else ""
            print(f"speed-up vs descendants-only recompute ({_k(size)}): "
                  f"{r.descendants_s / r.run_s:.1f}x{goal}")  # fmt: skip
    if h.naive_measured:
        extrapolated = "" if h.naive_measured == h.naive_events else ", naive extrapolated"
        print(
            f"speed-up vs naive engine ({_k(head)}): {h.naive_total_s / h.run_s:.1f}x"
            f" (goal >= {GOAL_SPEEDUP_VS_NAIVE:g}x{extrapolated})"
        )
    else:
        print(f"speed-up vs naive engine ({_k(head)}): n/a (--no-naive)")
    if LARGE in results and HEADLINE in results:
        scaling = results[LARGE].us_per_event / results[HEADLINE].us_per_event
        print(f"cost per event 100k vs 10k: {scaling:.2f}x (goal <= {GOAL_SCALING:g}x)")
    else:
        print("cost per event 100k vs 10k: n/a (needs sizes 10000 and 100000)")
    print(f"engine state: {per_asset:.0f} B/asset (goal < {GOAL_BYTES_PER_ASSET:g})")
    return 0


def _k(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


if __name__ == "__main__":
    raise SystemExit(main())
