"""`tabletop replay`'s report of one moment: terminal tables and an HTML page.

Built from `simulator.exercise.moment.figures` (what the `--json` prints),
so the terminal, the HTML report and scripts show the same figures.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from rich.table import Table

from simulator.analysis.report import plain
from simulator.exercise.moment import hours
from simulator.terms.wallclock import at, stamp

WORDS: dict[str, dict[str, str]] = {
    "en": {"board": "Process board at T+{t}", "process": "process", "state": "state",
           "capacity": "capacity", "rto": "RTO", "mtpd": "MTPD", "impact": "impact EUR",
           "left": "{h} left", "over": "breached, {h} over", "breached": "breached",
           "happened": "Decisions and injects up to T+{t} ({n})", "time": "T+", "when": "calendar",
           "actor": "by", "kind": "what", "text": "text", "none": "none so far",
           "total": "Impact so far: {eur} EUR", "seed": "seed", "records": "records",
           "end": "the log ends at T+{t}", "report": "Replay", "up": "up", "down": "down",
           "degraded": "degraded", "standby": "standby",
           "facilitator": "facilitator", "participant": "participant", "observer": "observer",
           "system": "system"},
    "de": {"board": "Prozesstafel bei T+{t}", "process": "Prozess", "state": "Zustand",
           "capacity": "Kapazität", "rto": "WAZ", "mtpd": "MTA", "impact": "Schaden EUR",
           "left": "noch {h}", "over": "überschritten um {h}", "breached": "überschritten",
           "happened": "Entscheidungen und Einlagen bis T+{t} ({n})", "time": "T+",
           "when": "Kalenderzeit", "actor": "von", "kind": "was", "text": "Text",
           "none": "bisher keine", "total": "Schaden bis hier: {eur} EUR", "seed": "Seed",
           "records": "Ereignisse", "end": "das Protokoll endet bei T+{t}", "report": "Rückblick",
           "up": "in Betrieb", "down": "ausgefallen", "degraded": "eingeschränkt",
           "standby": "in Bereitschaft", "facilitator": "Übungsleitung",
           "participant": "Teilnehmende", "observer": "Beobachtung", "system": "System"},
}  # fmt: skip


def words(lang: str) -> dict[str, str]:
    return WORDS["de" if lang == "de" else "en"]


def eur(value: float, lang: str) -> str:
    out = f"{value:,.0f}"
    return out.translate(str.maketrans(",.", ".,")) if lang == "de" else out


def countdown(left_h: float | None, breached: bool, lang: str) -> str:
    """'12 h left', 'breached, 3 h over', 'breached' (no outage now), '–'."""
    w = words(lang)
    if left_h is not None:
        return w["over" if left_h < 0 else "left"].format(h=hours(left_h * 3600, lang))
    return w["breached"] if breached else "–"


def board_rows(report: dict[str, Any], names: dict[str, str], lang: str) -> list[list[str]]:
    """One row of text per process: name, state, capacity, RTO, MTPD, impact."""
    w = words(lang)
    return [[names.get(r["id"], r["id"]), w.get(r["state"], r["state"]),
             f"{round(r['capacity'] * 100)} %",
             countdown(r["rto_left_h"], r["rto_breached"], lang),
             countdown(r["mtpd_left_h"], r["mtpd_breached"], lang), eur(r["impact_eur"], lang)]
            for r in report["board"]]  # fmt: skip


def happened_rows(report: dict[str, Any], start: datetime, lang: str) -> list[list[str]]:
    """One row of text per decision or inject; calendar times in the
    scenario's zone (`start`'s), by name (CET, MESZ)."""
    w = words(lang)
    return [[hours(h["t"], lang), stamp(at(start, h["t"]), lang),
             w.get(h["actor"], h["actor"]), h["what"], h["text"]]
            for h in report["happened"]]  # fmt: skip


def board_table(report: dict[str, Any], names: dict[str, str], lang: str) -> Table:
    w = words(lang)
    table = Table(title=w["board"].format(t=hours(report["at"], lang)))
    for i, column in enumerate(("process", "state", "capacity", "rto", "mtpd", "impact")):
        table.add_column(w[column], justify="right" if i in (2, 5) else "left")
    for row, raw in zip(board_rows(report, names, lang), report["board"], strict=True):
        breached = raw["rto_breached"] or raw["mtpd_breached"]
        table.add_row(*(plain(cell) for cell in row), style="red" if breached else None)
    return table


def happened_table(report: dict[str, Any], start: datetime, lang: str) -> Table:
    w = words(lang)
    title = w["happened"].format(t=hours(report["at"], lang), n=len(report["happened"]))
    table = Table(title=title)
    for column in ("time", "when", "actor", "kind", "text"):
        table.add_column(w[column])
    for row in happened_rows(report, start, lang):
        table.add_row(*(plain(cell) for cell in row))
    return table


def html_body(report: dict[str, Any], title: str, names: dict[str, str], start: datetime,
              lang: str) -> str:  # fmt: skip
    """The report's text part: heading, board and what happened (escaped)."""
    w = words(lang)
    e = html.escape
    t = hours(report["at"], lang)
    when = stamp(at(start, report["at"]), lang)
    head = (f"<h1>{e(w['report'])}: {e(title)}</h1>\n<p>T+{e(t)} · {e(when)} · "
            f"{e(w['seed'])} {report['seed']} · {report['records']} {e(w['records'])} · "
            f"{e(w['end'].format(t=hours(report['end'], lang)))}</p>\n"
            f"<p><strong>{e(w['total'].format(eur=eur(report['impact_eur'], lang)))}"
            "</strong></p>")  # fmt: skip

    def table(caption: str, columns: list[str], rows: list[list[str]], nums: set[int]) -> str:
        th = "".join(f'<th{" class=num" if i in nums else ""}>{e(c)}</th>'
                     for i, c in enumerate(columns))  # fmt: skip
        cells = ("".join(f'<td{" class=num" if i in nums else ""}>{e(c)}</td>'
                         for i, c in enumerate(row)) for row in rows)  # fmt: skip
        body = "".join(f"<tr>{c}</tr>" for c in cells)
        body = body or f'<tr><td colspan="{len(columns)}">{e(w["none"])}</td></tr>'
        return (f"<h2>{e(caption)}</h2>\n<table><thead><tr>{th}</tr></thead>"
                f"<tbody>{body}</tbody></table>")  # fmt: skip

    board = table(w["board"].format(t=t),
                  [w[c] for c in ("process", "state", "capacity", "rto", "mtpd", "impact")],
                  board_rows(report, names, lang), {2, 5})  # fmt: skip
    done = table(w["happened"].format(t=t, n=len(report["happened"])),
                 [w[c] for c in ("time", "when", "actor", "kind", "text")],
                 happened_rows(report, start, lang), set())  # fmt: skip
    return "\n".join((head, board, done))
