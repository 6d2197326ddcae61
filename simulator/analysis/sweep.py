"""Changing a scenario in code, parameter sweeps and one-at-a-time sensitivity.

A parameter is a dotted path through the scenario bundle in which list items
are picked by their id: `company.assets.plant.needs.power.buffers.fuel.capacity`,
`company.teams.it_admins.size`, `company.assets.cloud_dr.standby.lead_time`,
`scenario.horizon`. (`assets.…` and `teams.…` are short for `company.…`.)
Values are written as in the files ("48h", 0.35, 3). Every changed bundle is
validated exactly as files are, so a bad value is reported with its path.

Sweeps use common random numbers: every grid point runs the same replication
seeds, so differences between points come from the parameter, not the noise.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from simulator.analysis.montecarlo import MonteCarloResult, monte_carlo
from simulator.model.graph import need_id
from simulator.model.schema import Need, ScenarioBundle
from simulator.model.validation import Loc, Problem, ScenarioError
from simulator.readwrite.build import Nowhere, Source, bundle_from_data

SOURCE = "<parameters>"


def _resolve(path: str) -> list[str]:
    parts = path.split(".")
    if parts[0] in ("assets", "teams"):
        parts.insert(0, "company")
    if parts[0] not in ("company", "scenario"):
        raise ScenarioError([Problem(SOURCE, None, path, "a parameter starts with company., "
                                     "scenario., assets. or teams.")])  # fmt: skip
    return parts


def _child(node: Any, key: str, path: str) -> tuple[Any, str | int]:
    """The item under `key`: a dict key, or the list item whose id is `key`."""
    if isinstance(node, dict):
        if key not in node:
            raise KeyError(key)
        return node[key], key
    if isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, dict) and (
                item.get("id") == key
                or ("type" in item and need_id(Need.model_validate(item), i) == key)
            ):
                return item, i
        if key.isdigit() and int(key) < len(node):
            return node[int(key)], int(key)
    raise KeyError(key)


def with_parameters(bundle: ScenarioBundle, values: Mapping[str, Any]) -> ScenarioBundle:
    """A copy of `bundle` with each parameter path set to its value, validated
    like a file; `ScenarioError` names the path of every bad value."""
    data = {
        "company": bundle.company.model_dump(mode="json", exclude_none=True),
        "scenario": bundle.scenario.model_dump(mode="json", exclude_none=True),
    }
    problems = []
    for path, value in values.items():
        parts = _resolve(path)
        node: Any = data
        try:
            for key in parts[:-1]:
                node, _ = _child(node, key, path)
            if not isinstance(node, dict):
                raise KeyError(parts[-1])
            node[parts[-1]] = value
        except KeyError as e:
            problems.append(Problem(SOURCE, None, path, f"no {e.args[0]!r} along this path"))
    if problems:
        raise ScenarioError(problems)
    # The same seam as every file (no second validator); with one parameter,
    # every problem is that parameter's, else the path says where.
    named = _Parameters(next(iter(values)) if len(values) == 1 else None)
    company = Source(SOURCE, data["company"], named, from_file=False)
    scenario = Source(SOURCE, data["scenario"], named, from_file=False)
    return bundle_from_data(scenario, company)


class _Parameters(Nowhere):
    """Problems of a changed bundle, named by the parameter that made them."""

    def __init__(self, only: str | None) -> None:
        self.only = only

    def field(self, path: Loc) -> str:
        return self.only or ".".join(map(str, path))


@dataclass(frozen=True)
class SweepPoint:
    values: dict[str, Any]
    result: MonteCarloResult


def sweep(
    bundle: ScenarioBundle,
    grid: Mapping[str, Sequence[Any]],
    n: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[SweepPoint]:
    """Monte Carlo at every point of the grid (the product of the values)."""
    names = list(grid)
    points = []
    for combo in itertools.product(*(grid[name] for name in names)):
        values = dict(zip(names, combo, strict=True))
        changed = with_parameters(bundle, values)
        result = monte_carlo(changed, n, seed, workers=workers, executor=executor,
                             progress=progress)  # fmt: skip
        points.append(SweepPoint(values, result))
    return points


@dataclass(frozen=True)
class Sensitivity:
    parameter: str
    low: Any
    high: Any
    at_low: float
    at_high: float
    base: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def metric_of(result: MonteCarloResult, metric: str, process: str | None = None) -> float:
    """A figure of a Monte Carlo result: a ProcessStats field of one process,
    or summed over all processes when `process` is None."""
    stats = [p for p in result.processes if process is None or p.id == process]
    return float(sum(getattr(p, metric) for p in stats))


def tornado(
    bundle: ScenarioBundle,
    ranges: Mapping[str, tuple[Any, Any]],
    n: int,
    seed: int = 0,
    *,
    metric: str = "impact_eur_mean",
    process: str | None = None,
    workers: int | None = None,
    executor: Executor | None = None,
) -> list[Sensitivity]:
    """One-at-a-time sensitivity: each parameter at its low and its high value,
    the others as in the scenario; sorted by swing, largest first."""
    base = metric_of(monte_carlo(bundle, n, seed, workers=workers, executor=executor),
                     metric, process)  # fmt: skip
    out = []
    for name, (low, high) in ranges.items():
        at = [
            metric_of(monte_carlo(with_parameters(bundle, {name: v}), n, seed, workers=workers,
                                  executor=executor), metric, process)  # fmt: skip
            for v in (low, high)
        ]
        out.append(Sensitivity(name, low, high, at[0], at[1], base))
    return sorted(out, key=lambda s: -s.swing)
