"""pandas DataFrames of runs, Monte Carlo results, sweeps and sensitivities.

For analysts and notebooks: needs the optional `analysis` extra (pandas),
which is why nothing else in `simulator` imports this module. The frames hold
the same figures as the objects they come from (`tabletop run --json`,
`MonteCarloResult`, `SweepPoint`, `Sensitivity`), in columns named like their
fields; times are hours from the scenario start, money is EUR.

- `records_frame`: one row per engine record, plus the time in hours `t_h`;
- `process_frame`, `asset_frame`: one row per business process / asset of a
  run summary, indexed by id;
- `outcomes_frame`: one row per Monte Carlo replication and process;
- `stats_frame`: one row per process of a Monte Carlo result, each 95%
  interval split into `_lo` and `_hi` columns;
- `sweep_frame`: one row per sweep grid point and process;
- `tornado_frame`: one row per parameter of a tornado, largest swing first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from simulator.analysis.metrics import SECONDS_PER_HOUR, AssetSummary, ProcessSummary, RunSummary
from simulator.analysis.montecarlo import MonteCarloResult, Outcome, ProcessStats
from simulator.analysis.sweep import Sensitivity, SweepPoint
from simulator.engine.records import Record
from simulator.model.schema import ScenarioBundle, text
from simulator.terms.durations import parse_duration

BREACH_COLUMNS = ("rto_breached", "mtpd_breached", "rpo_breached")


def _fields(cls: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def records_frame(records: Iterable[Record]) -> pd.DataFrame:
    """One row per record: the `Record` fields, and `t_h` (hours) after `t`."""
    columns = list(Record._fields)
    frame = pd.DataFrame.from_records(list(records), columns=columns)
    frame.insert(columns.index("t") + 1, "t_h", frame["t"].astype("float64") / SECONDS_PER_HOUR)
    return frame


def _names(bundle: ScenarioBundle | None, lang: str) -> dict[str, str]:
    if bundle is None:
        return {}
    return {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}


def _summary_frame(
    rows: Sequence[ProcessSummary] | Sequence[AssetSummary],
    columns: list[str],
    bundle: ScenarioBundle | None,
    lang: str,
) -> pd.DataFrame:
    frame = pd.DataFrame([r.to_dict() for r in rows], columns=columns).set_index("id")
    if bundle is not None:
        names = _names(bundle, lang)
        frame.insert(0, "name", [names.get(i, i) for i in frame.index])
    return frame


def process_frame(
    summary: RunSummary, bundle: ScenarioBundle | None = None, lang: str = "en"
) -> pd.DataFrame:
    """The process board of a run: one row per business process, indexed by
    id, with the figures of `tabletop run --json` (hours, EUR). With `bundle`
    a `name` column comes first. The breach columns are pandas' nullable
    booleans (<NA>: no BIA, or no RPO or no data lost)."""
    frame = _summary_frame(summary.processes, _fields(ProcessSummary), bundle, lang)
    for column in BREACH_COLUMNS:
        frame[column] = frame[column].astype("boolean")
    return frame


def asset_frame(
    summary: RunSummary, bundle: ScenarioBundle | None = None, lang: str = "en"
) -> pd.DataFrame:
    """One row per asset, indexed by id: kind, first down, hours down, lowest
    capacity. With `bundle` a `name` column comes first."""
    return _summary_frame(summary.assets, _fields(AssetSummary), bundle, lang)


def outcomes_frame(result: MonteCarloResult | Iterable[Outcome]) -> pd.DataFrame:
    """One row per replication and business process (the `Outcome` fields)."""
    outcomes = result.outcomes if isinstance(result, MonteCarloResult) else list(result)
    return pd.DataFrame([dataclasses.astuple(o) for o in outcomes], columns=_fields(Outcome))


def _stats_row(p: ProcessStats) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in p.to_dict().items():
        if key.endswith("_ci"):
            base = key.removesuffix("_ci")
            row[f"{base}_lo"], row[f"{base}_hi"] = value
        else:
            row[key] = value
    return row


def stats_frame(result: MonteCarloResult) -> pd.DataFrame:
    """One row per business process, indexed by id: breach probabilities with
    their 95% Wilson interval (`p_rto_breach_lo`, `p_rto_breach_hi`, ...),
    downtime and time-below-MBCO percentiles, impact mean and P95."""
    return pd.DataFrame([_stats_row(p) for p in result.processes]).set_index("id")


def _hours(value: Any) -> Any:
    """A duration as written ("36h", "2d") in hours; anything else unchanged."""
    if isinstance(value, str):
        try:
            return parse_duration(value) / SECONDS_PER_HOUR
        except ValueError:
            return value
    return value


def sweep_frame(points: Sequence[SweepPoint], *, hours: bool = True) -> pd.DataFrame:
    """One row per grid point and process: `point` (the grid point's number),
    one column per parameter path with its value, `process`, then the
    statistics as in `stats_frame`. With `hours` (the default) durations
    written as strings ("36h", "5d") become hours, so that the parameter
    columns sort and plot as numbers."""
    rows = []
    for i, point in enumerate(points):
        values = {k: _hours(v) if hours else v for k, v in point.values.items()}
        for p in point.result.processes:
            stats = _stats_row(p)
            process = stats.pop("id")
            rows.append({"point": i, **values, "process": process, **stats})
    return pd.DataFrame(rows)


def tornado_frame(bars: Sequence[Sensitivity]) -> pd.DataFrame:
    """One row per parameter, in the given order (the tornado's: largest
    swing first): low and high value, the metric at each and at the base
    scenario, and the swing |at_high - at_low|."""
    columns = ["parameter", "low", "high", "at_low", "at_high", "base", "swing"]
    return pd.DataFrame(
        [[b.parameter, b.low, b.high, b.at_low, b.at_high, b.base, b.swing] for b in bars],
        columns=columns,
    )
