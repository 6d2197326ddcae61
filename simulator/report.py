"""Readable run summaries for the terminal (rich tables, not printed here)."""

from __future__ import annotations

from rich.table import Table

from simulator.metrics import RunSummary
from simulator.schema import AssetKind, ScenarioBundle, text


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
        table.add_row(names[a.id], a.kind, _h(a.first_down_h), _h(a.downtime_h))
    return table
