"""Loading at scale (issue 13 §1): a generated company read from JSON and
from YAML, each timed against the bare parse of the same file in the same run,
and the time to find one dependency cycle in a company of the same size.

    .venv/bin/python bench/engine.py --load-only --sizes 100000

Each file is loaded in a fresh interpreter, as a command loads it (not in the
benchmark's own process with its heap grown by the runs before): first the
bare parse (`json.loads`; `yaml_rs.loads`, the YAML reader, and for
reference PyYAML's `CSafeLoader` on libyaml, the reader before), then
`load_bundle` (parse + schema + cross-checks) and `compile_model`. The bare
parse runs with the cyclic garbage collector paused, as the loader parses;
`load_bundle` and `compile_model` run as a command runs them (each pauses the
collector itself; a collection that falls between them counts). The full
collection over the loaded objects that a program pays later is shown on its
own ("gc after"), not in the total. The machine may be shared and noisy: the
ratios compare figures measured side by side.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_JSON_S = 3.0
GOAL_YAML_S = 5.0
GOAL_RATIO = 3.0
GOAL_CYCLE_S = 1.0

_LOAD = """
import gc, json, sys, time
import yaml, yaml_rs
from simulator import compile_model, load_bundle
scenario, company = sys.argv[1], sys.argv[2]
raw = open(company, "rb").read()
old = 0.0
if not company.endswith(".json"):  # the reader before: PyYAML on libyaml
    gc.disable()
    t0 = time.perf_counter()
    data = yaml.load(raw, Loader=yaml.CSafeLoader)
    old = time.perf_counter() - t0
    del data
    gc.enable()
    gc.collect()
gc.disable()
t0 = time.perf_counter()
if company.endswith(".json"):
    data = json.loads(raw)
else:
    data = yaml_rs.loads(raw.decode("utf-8"))
t1 = time.perf_counter()
del data
gc.enable()
gc.collect()
schema = 0.0
if company.endswith(".json"):  # pydantic alone reading the file: the schema's floor
    from simulator import Company
    gc.disable()
    s0 = time.perf_counter()
    model = Company.model_validate_json(raw, context={"from_file": True})
    schema = time.perf_counter() - s0
    del model
    gc.enable()
    gc.collect()
del raw
t2 = time.perf_counter()
bundle = load_bundle(scenario)
t3 = time.perf_counter()
model = compile_model(bundle)
t4 = time.perf_counter()
gc.collect()
t5 = time.perf_counter()
print(json.dumps({"parse": t1 - t0, "load": t3 - t2, "compile": t4 - t3, "gc": t5 - t4,
                  "old": old, "schema": schema}))
"""

_CYCLE = """
import json, sys, time
from simulator import Company, ScenarioError, load_bundle
from simulator.model.validation import check_company
t0 = time.perf_counter()
try:
    load_bundle(sys.argv[1])
except ScenarioError as e:
    messages = [p.message for p in e.problems]
else:
    messages = []
t1 = time.perf_counter()
data = json.load(open(sys.argv[2]))
company = Company.model_validate(data, context={"from_file": True})
t2 = time.perf_counter()
findings = check_company(company)
t3 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "check": t3 - t2, "messages": messages,
                  "findings": [m for _, m in findings]}))
"""


@dataclass
class FormatFigures:
    """Seconds of one company file's phases, in one fresh interpreter."""

    fmt: str
    parse: float
    load: float
    compile: float
    gc: float
    old_parse: float = 0.0  # YAML: PyYAML's CSafeLoader, the reader before yaml_rs
    schema: float = 0.0  # JSON: pydantic's model_validate_json alone (parse + schema)

    @property
    def total(self) -> float:
        return self.load + self.compile

    @property
    def ratio(self) -> float:
        return self.total / self.parse


@dataclass
class CycleFigures:
    check: float  # check_company on the validated company: finds the cycle
    load: float  # load_bundle from the start until its ScenarioError
    messages: list[str]


def inject_cycle(company: dict[str, Any]) -> tuple[str, str]:
    """Close one instant dependency cycle in a generated company: an asset
    `a` that needs `b` at once (no delay, no buffer) gets `b` to need `a`.
    Returns (a, b)."""
    assets = company["assets"]
    by_id = {asset["id"]: asset for asset in assets}
    for asset in reversed(assets):  # deep in the file, where a search finds it last
        for need in asset.get("needs", []):
            if need.get("delay") or need.get("buffers") or not need.get("all_of"):
                continue
            provider = by_id[need["all_of"][0]]
            if provider is asset:
                continue
            provider.setdefault("needs", []).append({"id": "loop", "all_of": [asset["id"]]})
            return asset["id"], provider["id"]
    raise ValueError("no instant all_of need to close a cycle with")


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def _run(script: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                         text=True, check=True, cwd=ROOT)  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def load_figures(n: int, failures: int) -> tuple[list[FormatFigures], CycleFigures, str]:
    """The loading figures at `n` assets and the cycle that was injected."""
    from simulator import generate, write_data

    company, scenario = generate(n, seed=0, failures=failures)
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("json", "yaml"):
            folder = Path(tmp) / fmt
            write_data(folder / f"company.{fmt}", company)
            write_data(folder / "scenario.yaml", {**scenario, "company": f"company.{fmt}"})
        for fmt in ("json", "yaml"):
            folder = Path(tmp) / fmt
            t = _run(_LOAD, str(folder / "scenario.yaml"), str(folder / f"company.{fmt}"))
            figures.append(
                FormatFigures(fmt, t["parse"], t["load"], t["compile"], t["gc"], t["old"],
                              t["schema"])
            )
        a, b = inject_cycle(company)
        folder = Path(tmp) / "cycle"
        write_data(folder / "company.json", company)
        write_data(folder / "scenario.yaml", {**scenario, "company": "company.json"})
        c = _run(_CYCLE, str(folder / "scenario.yaml"), str(folder / "company.json"))
    cycle = CycleFigures(c["check"], c["load"], c["messages"])
    if not any("instant dependency cycle" in m for m in c["findings"]):
        raise SystemExit(f"the cross-checks missed the injected cycle {a} -> {b}")
    return figures, cycle, f"{b} -> {a} -> {b}"


def report(n: int, failures: int) -> None:
    """Print the loading section and its goal lines."""
    print(f"\n== loading a {n:,}-asset company (fresh interpreter per file) ==")
    figures, cycle, ring = load_figures(n, failures)
    for f in figures:
        print(
            f"  {f.fmt.upper():4} bare parse {fmt_s(f.parse)}, load_bundle {fmt_s(f.load)},"
            f" compile {fmt_s(f.compile)}: total {fmt_s(f.total)} = {f.ratio:.2f}x the bare parse"
            f" (gc after: {fmt_s(f.gc)})"
        )
        if f.schema:
            print(f"       pydantic alone (model_validate_json: parse + schema, no cross-checks,"
                  f" no compile) takes {fmt_s(f.schema)} = {f.schema / f.parse:.2f}x the bare"
                  " parse: the floor of any total that validates with the schema")
        if f.old_parse:
            print(f"       PyYAML's CSafeLoader (the reader before yaml_rs) parses it in"
                  f" {fmt_s(f.old_parse)}: total = {f.total / f.old_parse:.2f}x that")
    print(f"  cycle {ring}: found by the cross-checks in {fmt_s(cycle.check)};"
          f" load_bundle until its error {fmt_s(cycle.load)}")  # fmt: skip
    for message in cycle.messages[:1]:
        print(f"    {message}")
    print()
    goals = {"json": GOAL_JSON_S, "yaml": GOAL_YAML_S}
    for f in figures:
        print(f"load+validate+compile {f.fmt.upper()} ({n // 1000}k): {f.total:.2f} s"
              f" (goal <= {goals[f.fmt]:g} s), {f.ratio:.2f}x the bare parse"
              f" (goal <= {GOAL_RATIO:g}x)")  # fmt: skip
    by_fmt = {f.fmt: f for f in figures}
    yaml_vs_json = by_fmt["yaml"].total / by_fmt["json"].total
    print(f"YAML total / JSON total ({n // 1000}k): {yaml_vs_json:.2f}x"
          " (the reading's share: the schema, cross-checks and compile are the same)")  # fmt: skip
    print(f"cycle in a {n // 1000}k company found in {cycle.check:.2f} s"
          f" (goal < {GOAL_CYCLE_S:g} s)")  # fmt: skip
