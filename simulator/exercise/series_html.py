"""A series of exercises as one self-contained HTML page (screen and print).

Escaped strings, no template engine, the stylesheet and helpers of the
after-action report (simulator.exercise.aar_html), so the PDF is made the
same way (aar_pdf). The chart — impact EUR as bars, objectives met as a
line, one step per run — is an inline SVG drawn here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simulator.exercise.aar_html import CSS, _e, _num, _table
from simulator.exercise.moment import hours
from simulator.exercise.replay_report import eur
from simulator.exercise.series import Run, Series, Trend

WORDS: dict[str, dict[str, str]] = {
    "en": {"title": "Exercise series", "runs": "1 Runs", "chart": "2 Impact and objectives met",
           "trend": "3 Does the team get better?", "objectives": "4 Objectives per run",
           "processes": "5 RTO and MTPD breaches per business process",
           "no": "No.", "exercise": "Exercise", "date": "Date (UTC)", "scenario": "Scenario",
           "met": "Objectives met", "rto_breaches": "RTO breaches",
           "mtpd_breaches": "MTPD breaches", "impact_eur": "Impact EUR",
           "time_to_decision": "Time to decision", "mean_rating": "Observers' mean rating",
           "decisions": "Decisions", "participants": "Participants", "metric": "Metric",
           "run": "Run", "vs_first": "Last vs first", "better": "better", "worse": "worse",
           "same": "same", "more": "more", "fewer": "fewer", "yes": "met", "no_": "not met",
           "absent": "not in this scenario", "process": "Process", "rto": "RTO",
           "mtpd": "MTPD", "none": "none", "page": "page",
           "mixed": "The runs are of different scenarios ({ids}): compare them with care.",
           "changed": "The company model differs between the runs (same company id).",
           "unfinished": "{label} was not played to its end (it stood at T+{at}; {n} "
                         "log entries): judged at the end, it shows what would have come of "
                         "doing nothing more.",
           "undated": "Runs without a wall clock are listed last: {labels}.",
           "defs": "Time to decision: simulated time from the first impact on a process in "
                   "scope to the team's first decision (a decision or an accepted proposal); "
                   "0 if the team decided before any impact. Mean rating: the observers' "
                   "ratings on the objectives, P=4, S=3, M=2, U=1. Objectives are judged as "
                   "in the after-action report, at the end of each run's horizon. Each run "
                   "is compared with the previous one (in brackets) and the last with the "
                   "first."},
    "de": {"title": "Übungsreihe", "runs": "1 Übungsläufe",
           "chart": "2 Schaden und erreichte Übungsziele",
           "trend": "3 Wird das Team besser?", "objectives": "4 Übungsziele je Lauf",
           "processes": "5 WAZ- und MTA-Überschreitungen je Geschäftsprozess",
           "no": "Nr.", "exercise": "Übung", "date": "Datum (UTC)", "scenario": "Szenario",
           "met": "Übungsziele erreicht", "rto_breaches": "WAZ überschritten",
           "mtpd_breaches": "MTA überschritten", "impact_eur": "Schaden EUR",
           "time_to_decision": "Zeit bis zur Entscheidung",
           "mean_rating": "Mittlere Bewertung der Beobachtung",
           "decisions": "Entscheidungen", "participants": "Teilnehmende", "metric": "Kennzahl",
           "run": "Lauf", "vs_first": "Letzter ggü. erstem", "better": "besser",
           "worse": "schlechter", "same": "gleich", "more": "mehr", "fewer": "weniger",
           "yes": "erreicht", "no_": "nicht erreicht", "absent": "nicht in diesem Szenario",
           "process": "Prozess", "rto": "WAZ", "mtpd": "MTA", "none": "keine",
           "page": "Seite",
           "mixed": "Die Läufe gehören zu verschiedenen Szenarien ({ids}): Vergleich nur "
                    "mit Vorsicht.",
           "changed": "Das Unternehmensmodell unterscheidet sich zwischen den Läufen "
                      "(gleiche Unternehmens-ID).",
           "unfinished": "{label} wurde nicht bis zum Ende geübt (Stand T+{at}; {n} "
                         "Protokolleinträge): am Ende beurteilt zeigt der Lauf, was ohne weiteres "
                         "Handeln gekommen wäre.",
           "undated": "Läufe ohne Uhrzeit stehen am Ende: {labels}.",
           "defs": "Zeit bis zur Entscheidung: simulierte Zeit von der ersten Auswirkung auf "
                   "einen Prozess im Übungsumfang bis zur ersten Entscheidung des Teams "
                   "(Entscheidung oder angenommener Vorschlag); 0, wenn das Team vor jeder "
                   "Auswirkung entschieden hat. Mittlere Bewertung: die Bewertungen der "
                   "Beobachtung zu den Übungszielen, P=4, S=3, M=2, U=1. Die Übungsziele "
                   "werden wie im Übungsbericht am Ende jedes Laufs beurteilt. Jeder Lauf "
                   "wird mit dem vorigen verglichen (in Klammern), der letzte mit dem ersten."},
}  # fmt: skip


def words(lang: str) -> dict[str, str]:
    return WORDS["de" if lang == "de" else "en"]


def value(metric: str, run: Run, lang: str) -> str:
    """A run's figure for `metric`, as the page shows it."""
    match metric:
        case "met":
            return f"{run.met}/{len(run.objectives)}"
        case "impact_eur":
            return eur(run.impact_eur, lang)
        case "time_to_decision":
            ttd = run.time_to_decision
            return "–" if ttd is None else hours(ttd, lang)
        case "mean_rating":
            return _num(run.mean_rating, lang)
        case _:
            return str(getattr(run, metric))


def render(s: Series) -> str:
    """The series as one HTML document (no external resources)."""
    w, lang = words(s.lang), s.lang
    heading = f"{w['title']}: {s.company}"
    css = CSS.replace("PAGE", w["page"]).replace("TITLE", heading.replace('"', "'")) + RUNS_CSS
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{_e(heading)}</title><style>{css}</style></head>"
            f"<body><h1>{_e(heading)}</h1>{body(s)}</body></html>\n")  # fmt: skip


def body(s: Series) -> str:
    """The series' sections (escaped HTML with an inline SVG), without the
    document around them: the report's body and the archive page's."""
    w = words(s.lang)
    notes = []
    if s.mixed:
        notes.append(w["mixed"].format(ids=", ".join(s.scenarios)))
    if s.company_changed:
        notes.append(w["changed"])
    for run in s.runs:
        if run.unfinished:
            notes.append(w["unfinished"].format(label=run.label, n=run.commands,
                                                at=hours(run.stood_at, s.lang)))
    undated = [r.label for r in s.runs if r.date is None]
    if undated:
        notes.append(w["undated"].format(labels=", ".join(undated)))
    flagged = "".join(f'<p class="bad notice">{_e(n)}</p>' for n in notes)
    parts = [flagged, _runs(s, w), f"<h2>{_e(w['chart'])}</h2>", chart_svg(s, w),
             _trends(s, w), _objectives(s, w), _processes(s, w),
             f"<p class=small>{_e(w['defs'])}</p>"]  # fmt: skip
    return "".join(parts)


RUNS_CSS = """
table.runs { table-layout: fixed; font-size: 7pt; } table.runs th { hyphens: auto; }
table.runs th:first-child { width: 4%; } table.runs th:nth-child(2) { width: 13%; }
table.runs th:nth-child(3) { width: 12%; } table.runs th:nth-child(4) { width: 13%; }
table.runs td { overflow-wrap: break-word; }
"""
RUN_COLUMNS = ("met", "rto_breaches", "mtpd_breaches", "impact_eur", "time_to_decision",
               "decisions", "participants")  # fmt: skip


def _runs(s: Series, w: dict[str, str]) -> str:
    rows = [[_e(i), _e(r.label), _e(_day(r)), _e(r.scenario_title)]
            + [_e(value(m, r, s.lang)) for m in RUN_COLUMNS]
            for i, r in enumerate(s.runs, 1)]  # fmt: skip
    cols = [_e(w[c]) for c in ("no", "exercise", "date", "scenario", *RUN_COLUMNS)]
    table = _table(cols, rows, frozenset(range(4, 11)))  # eleven columns: narrow type
    return f"<h2>{_e(w['runs'])}</h2>" + table.replace("<table>", '<table class="runs">', 1)


def _day(r: Run) -> str:
    return "–" if r.date is None else r.date.strftime("%Y-%m-%d %H:%M")


def _trend_row(t: Trend, s: Series, w: dict[str, str]) -> list[str]:
    cells = [_e(w[t.metric])]
    for i, r in enumerate(s.runs):
        said = t.vs_previous[i]
        cells.append(_e(value(t.metric, r, s.lang)) + (f" ({_e(w[said])})" if said else ""))
    last = t.vs_first[-1]
    css = {"better": "ok", "worse": "bad"}.get(last or "", "")
    cells.append(f'<span class="{css}">{_e(w[last])}</span>' if last else "–")
    return cells


def _run_columns(s: Series, w: dict[str, str]) -> list[str]:
    return [f"{_e(w['run'])} {i}" for i in range(1, len(s.runs) + 1)]


def _trends(s: Series, w: dict[str, str]) -> str:
    rows = [_trend_row(t, s, w) for t in s.trends]
    cols = [_e(w["metric"]), *_run_columns(s, w), _e(w["vs_first"])]
    return f"<h2>{_e(w['trend'])}</h2>" + _table(cols, rows)


def _across_runs(s: Series, items: Callable[[Any], Sequence[Any]], label: Callable[[Any], str],
                 cell: Callable[[Any], str], absent: str) -> list[list[str]]:
    """A row per id found in any run (named as the first run that has it
    names it), a cell per run: `cell` of the run's item, else `absent`."""
    first: dict[str, Any] = {}
    for r in s.runs:
        for item in items(r):
            first.setdefault(item.id, item)
    rows = []
    for oid, item in first.items():
        row = [_e(label(item))]
        for r in s.runs:
            found = next((x for x in items(r) if x.id == oid), None)
            row.append(absent if found is None else cell(found))
        rows.append(row)
    return rows


def _objectives(s: Series, w: dict[str, str]) -> str:
    def cell(o: Any) -> str:
        said = f'<span class="{"ok" if o.met else "bad"}">{_e(w["yes" if o.met else "no_"])}</span>'
        return said + (f" · {_e(', '.join(o.ratings))}" if o.ratings else "")

    rows = _across_runs(s, lambda r: r.objectives, lambda o: o.title, cell, _e(w["absent"]))
    cols = [_e(w["objectives"][2:]), *_run_columns(s, w)]
    return f"<h2>{_e(w['objectives'])}</h2>" + _table(cols, rows, none=w["none"])


def _processes(s: Series, w: dict[str, str]) -> str:
    def cell(p: Any) -> str:
        broken = [w[k] for k, hit in (("rto", p.rto_breached), ("mtpd", p.mtpd_breached)) if hit]
        return ((f'<span class="bad">{_e(", ".join(broken))}</span>' if broken else "–")
                + f"<br>{_e(eur(p.impact_eur, s.lang))} EUR")

    rows = _across_runs(s, lambda r: r.processes, lambda p: p.name, cell, "–")
    cols = [_e(w["process"]), *_run_columns(s, w)]
    return f"<h2>{_e(w['processes'])}</h2>" + _table(cols, rows, none=w["none"])


def chart_svg(s: Series, w: dict[str, str]) -> str:
    """Impact EUR per run as bars (left scale), objectives met as a line
    (right scale, 0 … the most objectives of a run): a small vector figure."""
    width, height, left, right, top, bottom = 700, 220, 70, 50, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(s.runs)
    step = plot_w / max(n, 1)
    most_eur = max((r.impact_eur for r in s.runs), default=0.0) or 1.0
    most_obj = max((len(r.objectives) for r in s.runs), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{_e(w["chart"])}" font-family="DejaVu Sans" font-size="9">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
           'stroke="#333"/>',
           f'<text x="4" y="{top - 6}" fill="#c60">{_e(w["impact_eur"])}</text>',
           f'<text x="{width - 4}" y="{top - 6}" text-anchor="end" fill="#06c">'
           f'{_e(w["met"])}</text>',
           f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">'
           f'{_e(eur(most_eur, s.lang))}</text>',
           f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
           f'<text x="{left + plot_w + 4}" y="{top + 4}">{most_obj}</text>',
           f'<text x="{left + plot_w + 4}" y="{top + plot_h}">0</text>']  # fmt: skip
    points = []
    for i, r in enumerate(s.runs):
        cx = left + step * (i + 0.5)
        bar = plot_h * r.impact_eur / most_eur
        out.append(f'<rect x="{cx - step * 0.3:.1f}" y="{top + plot_h - bar:.1f}" '
                   f'width="{step * 0.6:.1f}" height="{bar:.1f}" fill="#e8a060">'
                   f"<title>{_e(eur(r.impact_eur, s.lang))} EUR</title></rect>")
        y = top + plot_h - plot_h * r.met / most_obj
        points.append(f"{cx:.1f},{y:.1f}")
        out.append(f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="4" fill="#06c">'
                   f"<title>{_e(value('met', r, s.lang))}</title></circle>")
        day = r.date.strftime("%Y-%m-%d") if r.date else "–"
        out.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
                   f"{_e(w['run'])} {i + 1}</text>"
                   f'<text x="{cx:.1f}" y="{top + plot_h + 26}" text-anchor="middle">'
                   f"{_e(day)}</text>")
    if len(points) > 1:
        out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#06c"/>')
    out.append("</svg>")
    return "".join(out)
