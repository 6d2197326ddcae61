"""Readable what-if and decision-value results for the terminal (rich tables,
not printed here), in English and German (RTO = WAZ, MTPD = MTA, MBCO =
Notbetriebsniveau)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from simulator.analysis.metrics import SECONDS_PER_HOUR
from simulator.analysis.report import plain
from simulator.exercise.decisions import DecisionValues, figure
from simulator.exercise.moment import hours
from simulator.exercise.whatif import Comparison, Figures, Risk, Totals
from simulator.model.schema import ScenarioBundle, text

_TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "whatif": "What if: as played → changed (seed {seed}, to T+{h} h)",
        "whatif_columns": ("process", "down h", "below\nMBCO h", "beyond\nRTO h", "RTO\nbreached",
                           "MTPD\nbreached", "data\nlost h", "impact EUR\nas played",
                           "impact EUR\nchanged", "Δ EUR"),
        "total": "all processes",
        "script": "Triggers fired only as played: {a}; only with the change: {b}",
        "risk": "Monte Carlo: {n} replications on common random numbers, base seed {seed}",
        "risk_columns": ("process", "P(RTO breach)\nas played", "P(RTO breach)\nchanged", "Δ",
                         "P(MTPD breach)\nas played", "P(MTPD breach)\nchanged", "Δ",
                         "impact EUR mean\nas played", "impact EUR mean\nchanged", "Δ mean",
                         "Δ P95"),
        "decisions": "The value of each decision (seed {seed}, to T+{h} h)",
        "decision_columns": ("seq", "at", "decision", "avoided\nEUR", "avoided h\nbeyond RTO",
                             "RTO breaches\navoided", "MTPD breaches\navoided",
                             "at first inject:\nfurther EUR"),
        "no_decisions": "The log has no decision with a catalogue action.",
        "yes": "yes", "no": "no", "h": "h",
    },
    "de": {
        "whatif": "Was wäre wenn: wie gespielt → geändert (Seed {seed}, bis T+{h} Std.)",
        "whatif_columns": ("Prozess", "Ausfall h", "unter Not-\nbetrieb h", "über\nWAZ h",
                           "WAZ über-\nschritten", "MTA über-\nschritten", "Daten-\nverlust h",
                           "Schaden EUR\nwie gespielt", "Schaden EUR\ngeändert", "Δ EUR"),
        "total": "alle Prozesse",
        "script": "Auslöser nur wie gespielt: {a}; nur mit der Änderung: {b}",
        "risk": "Monte Carlo: {n} Durchläufe mit gemeinsamen Zufallszahlen, Basis-Seed {seed}",
        "risk_columns": ("Prozess", "P(WAZ verfehlt)\nwie gespielt", "P(WAZ verfehlt)\ngeändert",
                         "Δ", "P(MTA verfehlt)\nwie gespielt", "P(MTA verfehlt)\ngeändert", "Δ",
                         "Schaden EUR Mittel\nwie gespielt", "Schaden EUR Mittel\ngeändert",
                         "Δ Mittel", "Δ P95"),
        "decisions": "Der Wert jeder Entscheidung (Seed {seed}, bis T+{h} Std.)",
        "decision_columns": ("Nr.", "bei", "Entscheidung", "vermieden\nEUR",
                             "vermieden h\nüber WAZ", "WAZ-Verstöße\nvermieden",
                             "MTA-Verstöße\nvermieden", "bei erster Einlage:\nweitere EUR"),
        "no_decisions": "Das Protokoll enthält keine Entscheidung mit einer Maßnahme des Katalogs.",
        "yes": "ja", "no": "nein", "h": "Std.",
    },
}  # fmt: skip


def _t(key: str, lang: str) -> Any:
    return _TEXTS.get(lang, _TEXTS["en"])[key]


def _columns(table: Table, columns: tuple[str, ...], left: tuple[int, ...] = (0,)) -> None:
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i in left else "right")


def _h(value: float | None, lang: str) -> str:
    return "–" if value is None else figure(value, 1, lang)


def _pair(a: float | None, b: float | None, lang: str) -> str:
    """Both figures ("12.0 → 3.5") when they differ, else the one."""
    if a == b:
        return _h(a, lang)
    return f"{_h(a, lang)} → [bold]{_h(b, lang)}[/]"


def _flags(a: bool | int | None, b: bool | int | None, lang: str) -> str:
    def word(x: bool | int | None) -> str:
        if x is None:
            return "–"
        if isinstance(x, bool):
            return f"[red]{_t('yes', lang)}[/]" if x else _t("no", lang)
        return str(x)

    return word(a) if a == b else f"{word(a)} → [bold]{word(b)}[/]"


def _signed(value: float, digits: int, lang: str) -> str:
    if abs(value) < 0.5 * 10**-digits:
        return "0"
    sign = "+" if value > 0 else "−"
    return f"{sign}{figure(abs(value), digits, lang)}"


def whatif_table(bundle: ScenarioBundle, comparison: Comparison, lang: str = "en") -> Table:
    """One row per process (as played → changed), and the totals."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    h = figure(comparison.horizon / SECONDS_PER_HOUR, 0, lang)
    table = Table(title=_t("whatif", lang).format(seed=comparison.seed, h=h))
    _columns(table, _t("whatif_columns", lang))
    for p in comparison.processes:
        table.add_row(plain(names.get(p.id, p.id)), *_cells(p.original, p.changed, lang),
                      _signed(p.diff.impact_eur, 0, lang))  # fmt: skip
    a, b = comparison.original, comparison.changed
    table.add_section()
    table.add_row(_t("total", lang), *_total_cells(a, b, lang),
                  _signed(comparison.diff.impact_eur, 0, lang), style="bold")  # fmt: skip
    only_a = sorted(set(comparison.fired_original) - set(comparison.fired_changed))
    only_b = sorted(set(comparison.fired_changed) - set(comparison.fired_original))
    if only_a or only_b:  # another decision played another script
        def listed(items: list[tuple[str, int]]) -> str:
            return ", ".join(f"{t} (T+{hours(at, lang)})" for t, at in items) or "–"

        table.caption = _t("script", lang).format(a=listed(only_a), b=listed(only_b))
    return table


def _cells(a: Figures, b: Figures, lang: str) -> list[str]:
    return [_pair(a.downtime_h, b.downtime_h, lang), _pair(a.below_mbco_h, b.below_mbco_h, lang),
            _pair(a.breach_h, b.breach_h, lang), _flags(a.rto_breached, b.rto_breached, lang),
            _flags(a.mtpd_breached, b.mtpd_breached, lang),
            _pair(a.data_loss_h, b.data_loss_h, lang), figure(a.impact_eur, 0, lang),
            figure(b.impact_eur, 0, lang)]  # fmt: skip


def _total_cells(a: Totals, b: Totals, lang: str) -> list[str]:
    return [_pair(a.downtime_h, b.downtime_h, lang), _pair(a.below_mbco_h, b.below_mbco_h, lang),
            _pair(a.breach_h, b.breach_h, lang), _flags(a.rto_breaches, b.rto_breaches, lang),
            _flags(a.mtpd_breaches, b.mtpd_breaches, lang),
            _pair(a.data_loss_h, b.data_loss_h, lang), figure(a.impact_eur, 0, lang),
            figure(b.impact_eur, 0, lang)]  # fmt: skip


def _p(p: float, ci: tuple[float, float], lang: str) -> str:
    return f"{figure(p, 2, lang)} ({figure(ci[0], 2, lang)}–{figure(ci[1], 2, lang)})"


def risk_table(bundle: ScenarioBundle, result: Risk, lang: str = "en") -> Table:
    """Breach probabilities (95% Wilson intervals) and impact of both logs,
    and their paired differences (95% intervals)."""
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    table = Table(title=_t("risk", lang).format(n=result.n, seed=result.seed))
    _columns(table, _t("risk_columns", lang))
    for p in result.processes:
        a, b = p.original, p.changed
        table.add_row(
            plain(names.get(p.id, p.id)),
            _p(a.p_rto_breach, a.p_rto_breach_ci, lang),
            _p(b.p_rto_breach, b.p_rto_breach_ci, lang), _signed(p.p_rto_breach.mean, 2, lang),
            _p(a.p_mtpd_breach, a.p_mtpd_breach_ci, lang),
            _p(b.p_mtpd_breach, b.p_mtpd_breach_ci, lang), _signed(p.p_mtpd_breach.mean, 2, lang),
            figure(a.impact_eur_mean, 0, lang), figure(b.impact_eur_mean, 0, lang),
            _signed(p.impact_eur.mean, 0, lang), _signed(p.impact_eur.p95, 0, lang),
        )  # fmt: skip
    if result.skipped:  # commands other dice made moot: passed over there, said so
        table.caption = plain("\n".join(k.text(lang) for k in result.skipped), 4000)
    return table


def decisions_table(bundle: ScenarioBundle, values: DecisionValues, lang: str = "en") -> Table:
    """One row per decision: what it avoided, and what taking it at the first
    inject would have avoided on top."""
    titles = {a.id: text(a.title, lang) or a.id for a in bundle.scenario.actions}
    h = figure(values.horizon / SECONDS_PER_HOUR, 0, lang)
    table = Table(title=_t("decisions", lang).format(seed=values.seed, h=h))
    _columns(table, _t("decision_columns", lang), left=(2,))
    for d in values.decisions:
        at = f"T+{hours(d.sim_time, lang)}"
        further = "–" if d.earlier_gain_eur is None else _signed(d.earlier_gain_eur, 0, lang)
        table.add_row(str(d.seq), at, plain(titles.get(d.action, d.action)),
                      _signed(d.avoided_eur, 0, lang), _signed(d.avoided_breach_h, 1, lang),
                      _signed(d.avoided_rto_breaches, 0, lang),
                      _signed(d.avoided_mtpd_breaches, 0, lang), further)  # fmt: skip
    return table


def no_decisions(lang: str = "en") -> str:
    return str(_t("no_decisions", lang))
