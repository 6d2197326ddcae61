"""Exercise benchmark: replaying a log, publishing updates, valuing decisions.

    .venv/bin/python bench/exercise.py [--commands 500] [--large 10000] [--updates 30]

Every figure is compared with a baseline measured in the same run (the
machine is shared and noisy: read the ratios):

1. **Replay vs run**: a log of `--commands` commands on the dairy ransomware
   scenario (observations, free and catalogue decisions, proposals and
   answers, message injects, spread over the 28 days; the scheduled injects
   released as they fall due), replayed to the horizon by
   `simulator.exercise.replay` — against a plain `Simulation.run()` of the
   same scenario and seed. Goal: ≤ 1.5x.
2. **Publishing an update** (`simulator.exercise.views.Publication`, both
   audiences, JSON-encoded as the server does) after a small step of
   simulated time, early in a run and late in it (many records already
   published) — at 127 assets (the dairy) and at `--large` assets (a
   generated company, 1,000 outages a year). Goal: ≤ 1 ms and ≤ 10 ms per
   update, and late/early ≈ 1 (the cost does not grow with the records
   already published).
3. **Decision values** (`simulator.exercise.decisions.decision_values`) of a
   dairy ransomware log with `--decisions` catalogue decisions (actions may
   repeat), against one replay of the same log. Goal: 20 decisions < 5 s.

The replay line also splits its time: inside the engine (advancing and the
commands the log gives it — work a plain run does not do) and the exercise
object around it (checking, logging, the script), per entry.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engine import bundle_of  # noqa: E402
from simulator.engine.simulation import Simulation  # noqa: E402
from simulator.exercise.audience import AUDIENCES  # noqa: E402
from simulator.exercise.decisions import decision_values  # noqa: E402
from simulator.exercise.log import LogEntry, make_header  # noqa: E402
from simulator.exercise.replay import replay  # noqa: E402
from simulator.exercise.session import Exercise, Rejected  # noqa: E402
from simulator.exercise.views import Publication  # noqa: E402
from simulator.model.generate import generate  # noqa: E402
from simulator.model.schema import ScenarioBundle  # noqa: E402
from simulator.readwrite.io import load_bundle  # noqa: E402

RANSOMWARE = ROOT / "scenarios" / "dairy" / "ransomware.yaml"


def best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def exercise_log(bundle: ScenarioBundle, commands: int, seed: int) -> list[LogEntry]:
    """`commands` commands at random seconds over the horizon, checked and
    applied as the server would, scheduled injects released when due."""
    rng = random.Random(seed)
    ex = Exercise(bundle, seed)
    actions = [a.id for a in bundle.scenario.actions]
    times = sorted(rng.randrange(ex.horizon) for _ in range(commands))
    for t in times:
        while (due := ex.step(t)) is not None:
            ex.apply(due)
        roll = rng.random()
        open_ = [p.seq for p in ex.proposals.values() if p.status == "open"]
        if open_ and roll < 0.15:
            kind, payload = rng.choice(["accept", "reject"]), {"proposal": open_[0]}
        elif roll < 0.35:
            kind, payload = "proposal", {"text": f"proposal {t}"}
        elif roll < 0.5 and actions:  # each catalogue action once, as a crisis team would
            kind, payload = "decision", {"action": actions.pop(rng.randrange(len(actions)))}
        elif roll < 0.7:
            kind, payload = "decision", {"text": f"decided at {t}"}
        elif roll < 0.85:
            kind, payload = "inject", {"message": f"a call at {t}"}
        else:
            kind, payload = "observation", {"text": f"seen at {t}"}
        try:
            ex.apply(ex.command("participant" if kind == "proposal" else "facilitator", kind,
                                payload))  # fmt: skip
        except Rejected:
            ex.apply(ex.command("facilitator", "observation", {"text": "instead"}))
    return ex.log


ENGINE_CALLS = ("advance", "inject", "apply", "release", "action_taken", "extend", "fire",
                "disarm")  # fmt: skip


def engine_share(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall time of `fn` and the part spent inside the engine's public calls
    (outermost calls only: an inject that advances is counted once)."""
    spent, depth, originals = [0.0], [0], {}
    for name in ENGINE_CALLS:
        original = getattr(Simulation, name)
        originals[name] = original

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            depth[0] += 1
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[0] += time.perf_counter() - start

        setattr(Simulation, name, timed)
    try:
        start = time.perf_counter()
        fn()
        total = time.perf_counter() - start
    finally:
        for name, original in originals.items():
            setattr(Simulation, name, original)
    return total, spent[0]


def bench_replay(commands: int) -> None:
    bundle = load_bundle(RANSOMWARE)
    seed = bundle.scenario.seed
    entries = exercise_log(bundle, commands, seed)
    header = make_header(bundle, seed)
    plain = best(lambda: Simulation(bundle, seed).run())
    replayed = best(lambda: replay(header, entries, bundle.scenario.horizon))
    total, engine = min(engine_share(lambda: replay(header, entries, bundle.scenario.horizon))
                        for _ in range(3))  # fmt: skip
    print(f"1. replay of a {len(entries)}-entry log of the dairy ransomware to its horizon")
    print(f"   plain run {plain * 1000:8.1f} ms   replay {replayed * 1000:8.1f} ms   "
          f"ratio {replayed / plain:5.2f}x  (goal <= 1.5x)")  # fmt: skip
    print(f"   of the replay: engine (advancing + the log's commands) {engine / total:4.0%}, "
          f"exercise object {(total - engine) / len(entries) * 1e6:5.1f} µs per entry")


def bench_decisions(count: int) -> None:
    bundle = load_bundle(RANSOMWARE)
    seed = bundle.scenario.seed
    rng = random.Random(5)
    ex = Exercise(bundle, seed)
    actions = [a.id for a in bundle.scenario.actions]
    for t in sorted(rng.randrange(bundle.scenario.horizon // 2) for _ in range(count)):
        ex.run_until(t)
        ex.apply(ex.command("facilitator", "decision", {"action": rng.choice(actions)}))
    header = make_header(bundle, seed)
    one = best(lambda: replay(header, ex.log, bundle.scenario.horizon))
    values = best(lambda: decision_values(bundle, seed, ex.log), repeat=1)
    print(f"3. decision values of {count} decisions on the dairy ransomware "
          f"({len(ex.log)} entries)")
    print(f"   one replay {one * 1000:7.1f} ms   all values {values:6.2f} s   "
          f"= {values / one:5.1f} replays  (goal < 5 s)")


def update_cost(bundle: ScenarioBundle, seed: int, at: int, updates: int, step: int) -> tuple[
        float, int]:  # fmt: skip
    """Median seconds per published update (both audiences, JSON) after
    `step` simulated seconds, from simulated second `at` on; and the records
    already published there."""
    ex = Exercise(bundle, seed)
    pub = Publication(ex)
    ex.run_until(at)
    pub.message("full", False)
    pub.sent()
    published = len(ex.sim.records)
    costs = []
    for _ in range(updates):
        ex.run_until(min(ex.now + step, ex.horizon))
        start = time.perf_counter()
        board = pub.board()
        for audience in AUDIENCES:
            json.dumps(pub.message(audience, False, board), separators=(",", ":"))
        pub.sent()
        costs.append(time.perf_counter() - start)
    return statistics.median(costs), published


def generated(n: int) -> ScenarioBundle:
    company, scenario = generate(n, seed=1, failures=1000)
    return bundle_of(company, scenario)


def bench_updates(large: int, updates: int) -> None:
    print("2. publishing one update (both audiences, JSON) after a small step of simulated time")
    cases = [("dairy, 127 assets", load_bundle(RANSOMWARE), 1e-3),
             (f"generated, {large:,} assets", generated(large), 10e-3)]  # fmt: skip
    for name, bundle, goal in cases:
        horizon = bundle.scenario.horizon
        step = max(60, horizon // 2000)
        early, few = update_cost(bundle, bundle.scenario.seed, step, updates, step)
        late, many = update_cost(bundle, bundle.scenario.seed, horizon * 3 // 4, updates, step)
        print(f"   {name:26} early ({few:6,} records) {early * 1000:7.3f} ms   "
              f"late ({many:7,} records) {late * 1000:7.3f} ms   late/early {late / early:5.2f}x"
              f"   (goal <= {goal * 1000:g} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--decisions", type=int, default=20)
    args = parser.parse_args()
    bench_replay(args.commands)
    bench_updates(args.large, args.updates)
    bench_decisions(args.decisions)


if __name__ == "__main__":
    main()
