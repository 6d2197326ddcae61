"""Readable results for the terminal (rich tables, not printed here) and CSV text."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table

from simulator.metrics import RunSummary
from simulator.montecarlo import MonteCarloResult, Outcome
from simulator.schema import AssetKind, ScenarioBundle, kind_name, text
from simulator.sweep import SweepPoint


def _h(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _flag(breached: bool | None) -> str:
    return "–" if breached is None else ("[bold red]yes[/]" if breached else "no")


def process_table(bundle: ScenarioBundle, summary: RunSummary, lang: str = "en") -> Table:
    """One row per business process: outage figures against its BIA."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    table = Table(title="Business processes" if lang == "en" else "Geschäftsprozesse")
    columns = ("process", "first\nimpact h", "below\nMBCO h", "down\nh", "RTO\nh",
               "RTO\nbreached", "MTPD\nh", "MTPD\nbreached", "data\nlost h", "impact\nEUR")
    for column in columns:
        table.add_column(column, justify="left" if column == "process" else "right")  # fmt: skip
    for p in summary.processes:
        table.add_row(
            names[p.id], _h(p.first_impact_h), _h(p.below_mbco_h), _h(p.downtime_h),
            _h(p.rto_h), _flag(p.rto_breached), _h(p.mtpd_h), _flag(p.mtpd_breached),
            _h(p.data_loss_h), f"{p.impact_eur:,.0f}",
        )  # fmt: skip
    return table


def asset_table(
    bundle: ScenarioBundle, summary: RunSummary, lang: str = "en", limit: int = 15
) -> Table:
    """The assets down longest (business processes are in `process_table`)."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    hit = [a for a in summary.assets if a.downtime_h > 0 and a.kind != AssetKind.business_process]
    hit.sort(key=lambda a: (-a.downtime_h, a.id))
    table = Table(title=f"Assets down longest ({len(hit)} went down)")
    for column in ("asset", "kind", "first down h", "down h"):
        table.add_column(column, justify="left" if column in ("asset", "kind") else "right")
    for a in hit[:limit]:
        table.add_row(names[a.id], kind_name(a.kind, lang), _h(a.first_down_h), _h(a.downtime_h))
    return table


def montecarlo_table(bundle: ScenarioBundle, result: MonteCarloResult, lang: str = "en") -> Table:
    """Breach probabilities (95% interval), downtime percentiles, impact."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    table = Table(title=f"Monte Carlo: {result.n} replications, base seed {result.seed}")
    columns = ("process", "P(RTO\nbreach)", "95% CI", "P(MTPD\nbreach)", "95% CI",
               "down h\nP50", "down h\nP90", "down h\nP99", "impact EUR\nmean",
               "impact EUR\nP95")
    for column in columns:
        table.add_column(column, justify="left" if column == "process" else "right")  # fmt: skip
    for p in result.processes:
        table.add_row(
            names.get(p.id, p.id), f"{p.p_rto_breach:.3f}", _ci(p.p_rto_breach_ci),
            f"{p.p_mtpd_breach:.3f}", _ci(p.p_mtpd_breach_ci), f"{p.downtime_h_p50:.1f}",
            f"{p.downtime_h_p90:.1f}", f"{p.downtime_h_p99:.1f}", f"{p.impact_eur_mean:,.0f}",
            f"{p.impact_eur_p95:,.0f}",
        )  # fmt: skip
    return table


def _ci(interval: tuple[float, float]) -> str:
    return f"{interval[0]:.3f}–{interval[1]:.3f}"


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def outcomes_csv(outcomes: Iterable[Outcome]) -> str:
    """One CSV row per replication and process."""
    fields = [f.name for f in dataclasses.fields(Outcome)]
    return _csv(fields, ([getattr(o, f) for f in fields] for o in outcomes))


def sweep_rows(points: Sequence[SweepPoint]) -> list[dict[str, Any]]:
    """One row per grid point and process: the parameter values, then the stats."""
    return [
        {**point.values, **{k: v for k, v in p.to_dict().items() if not k.endswith("_ci")}}
        for point in points
        for p in point.result.processes
    ]


def rows_csv(rows: Sequence[dict[str, Any]]) -> str:
    header = list(rows[0]) if rows else []
    return _csv(header, ([row[k] for k in header] for row in rows))


def sweep_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(title="Sweep")
    if not rows:
        return table
    shown = [k for k in rows[0] if k not in ("below_mbco_h_p50", "below_mbco_h_p90")]
    for key in shown:
        table.add_column(key.rsplit(".", 1)[-1], justify="right")
    for row in rows:
        table.add_row(*(f"{row[k]:.3f}" if isinstance(row[k], float) else str(row[k])
                        for k in shown))  # fmt: skip
    return table
