"""Read-model benchmark: the cost of one update against the records already fed.

    .venv/bin/python bench/readmodels.py [--sizes 127,10000] [--before 0,10000,100000]

An update is what a live exercise does per published message: feed the new
records (10 here), then ask the process board for its rows, the outage
timeline for its changes and the impact curve for its new points at `now`.
The company is the dairy (127 assets) or a generated one (`simulator.model.generate`);
the records are a synthetic stream of state changes every 10 s (random
assets go down or to half capacity, the one out longest comes back, 5 % of
the assets out at any time), so the models get as many records as asked for
without running a year of engine time, and the state at the measured updates
is alike whatever the history: what changes is only how much came before.
For each size the per-update cost is measured after 0, 10k and 100k records
fed, and printed with its ratio to the first: an incremental model keeps the
ratios near 1. No assertions: the
machine may be shared and noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from simulator.engine.records import Record, state_of  # noqa: E402
from simulator.exercise.readmodels import ReadModels  # noqa: E402
from simulator.model.generate import generate  # noqa: E402
from simulator.model.schema import Company, Scenario, ScenarioBundle  # noqa: E402
from simulator.readwrite.io import load_bundle  # noqa: E402

STEP_S = 10  # seconds between synthetic records
PER_UPDATE = 10  # records per update
UPDATES = 200  # updates measured per point
OUT_AT_ONCE_PERCENT = 5  # of the assets, out at any time


def bundle_of(n: int) -> ScenarioBundle:
    if n == 127:
        return load_bundle(ROOT / "scenarios" / "dairy" / "ransomware.yaml")
    company, scenario = generate(n, seed=0, failures=0)
    context = {"from_file": True}
    return ScenarioBundle(
        scenario=Scenario.model_validate(scenario, context=context),
        company=Company.model_validate(company, context=context),
    )


def stream(bundle: ScenarioBundle, count: int, seed: int = 0) -> list[Record]:
    """`count` state records, one every 10 s: a random asset goes down or to
    half capacity, and the one out longest comes back, so about `OUT_AT_ONCE`
    of the company is out at any time however long the history is."""
    rng = random.Random(seed)
    ids = [a.id for a in bundle.company.assets]
    out_at_once = max(2, len(ids) * OUT_AT_ONCE_PERCENT // 100)
    out: list[Record] = []
    down: deque[str] = deque()
    while len(out) < count:
        t = len(out) * STEP_S
        if len(down) >= out_at_once:
            back = down.popleft()
            out.append(Record(len(out), t, "state", back, None, 1.0, "up", "bench"))
        else:
            asset = rng.choice(ids)
            cap = rng.choice((0.0, 0.5))
            down.append(asset)
            out.append(Record(len(out), t, "state", asset, None, cap, state_of(cap), "bench"))
    return out


def per_update(bundle: ScenarioBundle, records: list[Record], before: int) -> float:
    """Median seconds of one update after `before` records were fed."""
    models = ReadModels(bundle)
    models.feed(records[:before])
    now = before * STEP_S
    cursors = [0, 0]
    _, cursors[0] = models.timeline.changes(0, now)
    _, cursors[1] = models.impact.since(0, now)
    models.board.rows(now)
    times = []
    gc.collect()
    gc.freeze()  # the history fed so far: not rescanned by each collection
    for u in range(UPDATES):
        lo = before + u * PER_UPDATE
        batch = records[lo : lo + PER_UPDATE]
        now = (lo + PER_UPDATE) * STEP_S
        t0 = time.perf_counter()
        models.feed(batch)
        models.board.rows(now)
        _, cursors[0] = models.timeline.changes(cursors[0], now)
        _, cursors[1] = models.impact.since(cursors[1], now)
        times.append(time.perf_counter() - t0)
    gc.unfreeze()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="127,10000")
    parser.add_argument("--before", default="0,10000,100000")
    args = parser.parse_args()
    befores = [int(b) for b in args.before.split(",")]
    for n in (int(s) for s in args.sizes.split(",")):
        bundle = bundle_of(n)
        processes = sum(1 for a in bundle.company.assets if a.kind.value == "business_process")
        records = stream(bundle, max(befores) + (UPDATES + 1) * PER_UPDATE)
        print(f"\n== {len(bundle.company.assets):,} assets ({processes:,} processes) ==")
        first: float | None = None
        for before in befores:
            cost = per_update(bundle, records, before)
            first = first or cost
            print(
                f"  after {before:>7,} records: {cost * 1e3:7.3f} ms per update "
                f"({PER_UPDATE} records), ratio {cost / first:.2f}"
            )


if __name__ == "__main__":
    main()
