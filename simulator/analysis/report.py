"""Readable results for the terminal (rich tables, not printed here) and CSV text."""

from __future__ import annotations

import csv
import dataclasses
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from simulator.analysis.metrics import SECONDS_PER_HOUR, RunSummary
from simulator.analysis.montecarlo import MonteCarloResult, Outcome
from simulator.analysis.sweep import SweepPoint
from simulator.model.schema import AssetKind, ScenarioBundle, kind_name, text
from simulator.terms.wallclock import at, short

# Table texts, English and German (BSI 200-4: RTO = WAZ, MTPD = MTA, MBCO =
# Notbetriebsniveau). The first column of each table is left-aligned.
_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "processes": "Business processes",
        "process_columns": ("process", "first\nimpact h", "below\nMBCO h", "down\nh", "RTO\nh",
                            "RTO\nbreached", "MTPD\nh", "MTPD\nbreached", "data\nlost h",
                            "impact\nEUR"),
        "assets": "Assets down longest ({n} went down)",
        "asset_columns": ("asset", "kind", "first down h", "first down at", "down h"),
        "montecarlo": "Monte Carlo: {n} replications, base seed {seed}",
        "montecarlo_columns": ("process", "P(RTO\nbreach)", "95% CI", "P(MTPD\nbreach)", "95% CI",
                               "down h\nP50", "down h\nP90", "down h\nP99", "impact EUR\nmean",
                               "impact EUR\nP95"),
        "yes": "yes",
        "no": "no",
    },
    "de": {
        "processes": "Geschäftsprozesse",
        "process_columns": ("Prozess", "erste\nWirkung h", "unter Not-\nbetrieb h",
                            "Ausfall\nh", "WAZ\nh", "WAZ über-\nschritten", "MTA\nh",
                            "MTA über-\nschritten", "Daten-\nverlust h", "Schaden\nEUR"),
        "assets": "Am längsten ausgefallene Ressourcen ({n} fielen aus)",
        "asset_columns": ("Ressource", "Art", "erster Ausfall h", "erster Ausfall um",
                          "Ausfall h"),
        "montecarlo": "Monte Carlo: {n} Durchläufe, Basis-Seed {seed}",
        "montecarlo_columns": ("Prozess", "P(WAZ\nverfehlt)", "95%-KI",
                               "P(MTA\nverfehlt)", "95%-KI", "Ausfall h\nP50",
                               "Ausfall h\nP90", "Ausfall h\nP99", "Schaden EUR\nMittel",
                               "Schaden EUR\nP95"),
        "yes": "ja",
        "no": "nein",
    },
}  # fmt: skip

SHOWN_CHARS = 200
"""Names and titles longer than this are cut for the terminal: rich wraps a
long unbroken word in quadratic time (a 100 KB title took minutes)."""


def printable(value: str, limit: int | None = None) -> str:
    """`value` with control characters (ANSI escapes, newlines) shown as
    \\xNN escapes, cut to `limit` characters: file text must print as it is,
    never move the cursor or recolour the terminal."""
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    if value.isprintable():
        return value
    return "".join(map(_escape, value))


def _escape(c: str) -> str:
    # Cc: ESC, newlines, DEL; Cf: bidirectional overrides that reorder a line.
    if unicodedata.category(c) not in ("Cc", "Cf"):
        return c
    return f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"


def plain(value: str, limit: int = SHOWN_CHARS) -> Text:
    """File text for a rich table or line: never read as markup ("[/]",
    "[bold]"), control characters escaped, at most `limit` characters."""
    return Text(printable(value, limit))



def _t(key: str, lang: str) -> Any:
    return _TEXTS.get(lang, _TEXTS["en"])[key]


def _columns(table: Table, columns: Sequence[str]) -> None:
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")


def _num(value: float, digits: int, lang: str) -> str:
    """A figure with thousands separators: 1,234.5 in English, 1.234,5 in German."""
    out = f"{value:,.{digits}f}"
    return out.translate(str.maketrans(",.", ".,")) if lang == "de" else out


def _h(value: float | None, lang: str = "en") -> str:
    return "–" if value is None else _num(value, 1, lang)


def _flag(breached: bool | None, lang: str = "en") -> str:
    if breached is None:
        return "–"
    return f"[bold red]{_t('yes', lang)}[/]" if breached else _t("no", lang)


def process_table(bundle: ScenarioBundle, summary: RunSummary, lang: str = "en") -> Table:
    """One row per business process: outage figures against its BIA."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    table = Table(title=_t("processes", lang))
    _columns(table, _t("process_columns", lang))
    for p in summary.processes:
        table.add_row(
            plain(names[p.id]), _h(p.first_impact_h, lang), _h(p.below_mbco_h, lang),
            _h(p.downtime_h, lang), _h(p.rto_h, lang), _flag(p.rto_breached, lang),
            _h(p.mtpd_h, lang), _flag(p.mtpd_breached, lang), _h(p.data_loss_h, lang),
            _num(p.impact_eur, 0, lang),
        )  # fmt: skip
    return table


def asset_table(
    bundle: ScenarioBundle, summary: RunSummary, lang: str = "en", limit: int = 15
) -> Table:
    """The assets down longest (business processes are in `process_table`)."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    hit = [a for a in summary.assets if a.downtime_h > 0 and a.kind != AssetKind.business_process]
    hit.sort(key=lambda a: (-a.downtime_h, a.id))
    table = Table(title=_t("assets", lang).format(n=len(hit)))
    _columns(table, _t("asset_columns", lang))
    table.columns[1].justify = "left"
    start = bundle.scenario.start
    for a in hit[:limit]:
        # The calendar time in the scenario's zone, clock changes counted.
        first = "–" if a.first_down_h is None else short(
            at(start, a.first_down_h * SECONDS_PER_HOUR), lang)  # fmt: skip
        table.add_row(plain(names[a.id]), kind_name(a.kind, lang), _h(a.first_down_h, lang),
                      first,
                      _h(a.downtime_h, lang))  # fmt: skip
    return table


def montecarlo_table(bundle: ScenarioBundle, result: MonteCarloResult, lang: str = "en") -> Table:
    """Breach probabilities (95% interval), downtime percentiles, impact."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    table = Table(title=_t("montecarlo", lang).format(n=result.n, seed=result.seed))
    _columns(table, _t("montecarlo_columns", lang))
    for p in result.processes:
        table.add_row(
            plain(names.get(p.id, p.id)), _num(p.p_rto_breach, 3, lang),
            _ci(p.p_rto_breach_ci, lang),
            _num(p.p_mtpd_breach, 3, lang), _ci(p.p_mtpd_breach_ci, lang),
            _h(p.downtime_h_p50, lang), _h(p.downtime_h_p90, lang), _h(p.downtime_h_p99, lang),
            _num(p.impact_eur_mean, 0, lang), _num(p.impact_eur_p95, 0, lang),
        )  # fmt: skip
    return table


def _ci(interval: tuple[float, float], lang: str = "en") -> str:
    return f"{_num(interval[0], 3, lang)}–{_num(interval[1], 3, lang)}"


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


_SWEEP_GERMAN = {
    "id": "Prozess", "p_rto_breach": "P(WAZ verfehlt)", "p_mtpd_breach": "P(MTA verfehlt)",
    "downtime_h_p50": "Ausfall h P50", "downtime_h_p90": "Ausfall h P90",
    "downtime_h_p99": "Ausfall h P99", "impact_eur_mean": "Schaden EUR Mittel",
    "impact_eur_p95": "Schaden EUR P95",
}  # fmt: skip
"""The sweep's statistics in German; in English the table keeps the keys the
CSV has, and a parameter's column is its last path step in both."""


def sweep_table(rows: Sequence[dict[str, Any]], lang: str = "en") -> Table:
    table = Table(title="Parameterstudie" if lang == "de" else "Sweep")
    if not rows:
        return table
    shown = [k for k in rows[0] if k not in ("below_mbco_h_p50", "below_mbco_h_p90")]
    for key in shown:
        header = _SWEEP_GERMAN.get(key, key) if lang == "de" else key
        table.add_column(header.rsplit(".", 1)[-1], justify="right")
    for row in rows:
        table.add_row(*(_sweep_figure(row[k], lang) if isinstance(row[k], float)
                        else plain(str(row[k])) for k in shown))  # fmt: skip
    return table


def _sweep_figure(value: float, lang: str) -> str:
    return _num(value, 3, lang) if lang == "de" else f"{value:.3f}"
