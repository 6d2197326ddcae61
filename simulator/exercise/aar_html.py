"""The after-action report as one self-contained HTML page (screen and print).

Escaped HTML strings, no template engine (as simulator.exercise.replay_report); the
timeline figure is an inline SVG drawn here, so the PDF (aar_pdf, from this
same HTML) needs no browser. German and English words: BSI 200-4 / HSEEP.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from simulator.exercise.aar import AfterActionReport, Event
from simulator.exercise.log import RATING_NAMES
from simulator.exercise.moment import hours
from simulator.exercise.replay_report import eur
from simulator.terms.wallclock import stamp

WORDS: dict[str, dict[str, str]] = {
    "en": {"report": "After-Action Report", "s1": "1 Exercise overview",
           "s2": "2 Objectives and evaluation",
           "s3": "3 Timeline of key events", "s4": "4 BIA targets vs achieved",
           "s5": "5 Decisions and their measured value",
           "no_valued": "No decision took an action from the scenario's catalogue, so none has a "
                        "measured value; decisions in free text are in the timeline (section 3).",
           "s6": "6 Strengths and areas for improvement",
           "s7": "7 Improvement plan", "s8": "Appendix: exercise log",
           "name": "Exercise", "type": "Exercise type", "rationale": "Why this scenario",
           "scenario": "Scenario", "dates": "Dates (wall clock)", "utc": "UTC", "local": "local",
           "period": "Simulated period", "company": "Company", "scope": "Processes in scope",
           "people": "Participants and observers", "team": "Team", "person": "Name",
           "function": "Function", "role": "Role", "first": "First activity (UTC)",
           "last": "Last activity (UTC)", "entries": "Entries", "participant": "participant",
           "observer": "observer", "none": "none", "objective": "Objective", "process": "Process",
           "result": "Measured result", "met": "met", "not_met": "not met",
           "evidence": "Evidence", "ratings": "Observers' ratings",
           "t": "T+", "when": "Calendar time", "what": "Event", "who": "Who",
           "hazard": "hazard", "inject": "inject", "impact": "first impact", "rto": "RTO breached",
           "mtpd": "MTPD breached", "decision": "decision", "proposal": "proposal",
           "rto_h": "RTO h", "rpo_h": "RPO h", "mtpd_h": "MTPD h", "mbco": "MBCO",
           "downtime": "Downtime h", "lost": "Data lost h", "below": "Below MBCO h",
           "eur": "Impact EUR", "total": "Total", "value": "Measured value",
           "decided": "Decision", "strengths": "Strengths", "improvements": "Areas for improvement",
           "item": "No.", "issue": "Issue / area for improvement", "action": "Corrective action",
           "capability": "Objective / capability", "owner": "Owner", "due": "Due",
           "status": "Status", "open": "open", "in_progress": "in progress", "done": "done",
           "dropped": "dropped", "seq": "#", "utc_time": "UTC", "sim": "Simulated",
           "actor": "Actor",
           "kind": "Kind", "payload": "Content", "engine": "Engine", "log_engine": "log written by",
           "hash": "SHA-256 of the log (JSON Lines)", "seed": "Seed",
           "rating_scale": " · ".join(f"{r} {en}" for r, (_, en) in RATING_NAMES.items()),
           "signoff": "Approval", "reviewed": "Reviewed by / date",
           "approved": "Approved by / date",
           "tabletop": "Tabletop exercise", "staff_framework": "Command post exercise (framework)",
           "staff": "Command post exercise", "alerting": "Alerting exercise",
           "full_scale": "Full-scale exercise", "page": "page", "breach": "breach",
           "facilitator": "facilitator", "system": "system",
           "by_facilitator": "Facilitator", "by_participant": "Participants (anonymous)",
           "by_observer": "Observer (anonymous)", "by_system": "Script (scheduled)",
           "played": "Played until the end of the exercise (T+{end})",
           "projected": "Projected after the end of the exercise (T+{end} – T+{horizon})",
           "projected_why": "Not played: how the situation would have developed up to the "
                            "scenario's horizon without further decisions.",
           "projection": "projected", "at_end": "at end", "no_breach": "no breach",
           "pending": "pending",
           "bia_to": "Figures up to T+{horizon}.",
           "bia_projected": "Figures up to T+{horizon} (the scenario's horizon), projected after "
                            "the end of the exercise at T+{end}; “at end”: the figures as "
                            "played, where they differ.",
           "objectives_projected": "Judged at the scenario's horizon (T+{horizon}), projected "
                                   "after the end of the exercise (T+{end}); where the end "
                                   "says otherwise, “at end” gives how it stood then.",
           "end_mark": "end of exercise", "axis": "Exercise time (hours)",
           "observations": "All observations", "tag": "Tagged as", "rating": "Rating",
           "observation": "Observation", "strength": "strength",
           "improvement": "area for improvement"},
    "de": {"report": "Übungsbericht", "s1": "1 Übungsüberblick",
           "s2": "2 Übungsziele und Auswertung",
           "s3": "3 Zeitstrahl der wesentlichen Ereignisse",
           "s4": "4 BIA-Vorgaben und erreichte Werte",
           "s5": "5 Entscheidungen und ihr gemessener Wert",
           "no_valued": "Keine Entscheidung nahm eine Maßnahme aus dem Katalog des Szenarios, "
                        "daher hat keine einen gemessenen Wert; Entscheidungen in freiem Text "
                        "stehen in der Zeitachse (Abschnitt 3).",
           "s6": "6 Stärken und Verbesserungspotenziale", "s7": "7 Maßnahmenplan",
           "s8": "Anhang: Übungsprotokoll", "name": "Übung", "type": "Übungsart",
           "rationale": "Warum dieses Szenario", "scenario": "Szenario",
           "dates": "Datum (Uhrzeit)", "utc": "UTC", "local": "Ortszeit",
           "period": "Simulierter Zeitraum", "company": "Unternehmen",
           "scope": "Prozesse im Übungsumfang", "people": "Teilnehmende und Beobachtung",
           "team": "Team", "person": "Name", "function": "Funktion", "role": "Rolle",
           "first": "Erste Aktivität (UTC)", "last": "Letzte Aktivität (UTC)",
           "entries": "Einträge", "participant": "Teilnehmende", "observer": "Beobachtung",
           "none": "keine", "objective": "Übungsziel", "process": "Prozess",
           "result": "Gemessenes Ergebnis", "met": "erreicht", "not_met": "nicht erreicht",
           "evidence": "Nachweis", "ratings": "Bewertung der Beobachtung", "t": "T+",
           "when": "Kalenderzeit", "what": "Ereignis", "who": "Wer", "hazard": "Gefährdung",
           "inject": "Einlage", "impact": "erste Auswirkung", "rto": "WAZ überschritten",
           "mtpd": "MTA überschritten", "decision": "Entscheidung", "proposal": "Vorschlag",
           "rto_h": "WAZ Std.", "rpo_h": "RPO Std.", "mtpd_h": "MTA Std.",
           "mbco": "Notbetriebsniveau", "downtime": "Ausfall Std.", "lost": "Datenverlust Std.",
           "below": "Unter Notbetriebsniveau Std.", "eur": "Schaden EUR", "total": "Summe",
           "value": "Gemessener Wert", "decided": "Entscheidung", "strengths": "Stärken",
           "improvements": "Verbesserungspotenziale", "item": "Nr.",
           "issue": "Feststellung / Verbesserungspotenzial", "action": "Maßnahme",
           "capability": "Übungsziel / Fähigkeit", "owner": "Verantwortlich", "due": "Termin",
           "status": "Status", "open": "offen", "in_progress": "in Arbeit", "done": "erledigt",
           "dropped": "verworfen", "seq": "Nr.", "utc_time": "UTC", "sim": "Simuliert",
           "actor": "Akteur", "kind": "Art", "payload": "Inhalt", "engine": "Engine",
           "log_engine": "Protokoll geschrieben von", "hash": "SHA-256 des Protokolls (JSON Lines)",
           "seed": "Seed",
           "rating_scale": " · ".join(f"{r} {de}" for r, (de, _) in RATING_NAMES.items()),
           "signoff": "Freigabe", "reviewed": "Geprüft von / Datum",
           "approved": "Freigegeben von / Datum", "tabletop": "Planbesprechung (Tabletop)",
           "staff_framework": "Stabsrahmenübung", "staff": "Stabsübung",
           "alerting": "Alarmierungsübung", "full_scale": "Vollübung", "page": "Seite",
           "breach": "überschr.", "facilitator": "Übungsleitung", "system": "System",
           "by_facilitator": "Übungsleitung", "by_participant": "Teilnehmende (anonym)",
           "by_observer": "Beobachtung (anonym)", "by_system": "Drehbuch (planmäßig)",
           "played": "Gespielt bis Übungsende (T+{end})",
           "projected": "Fortschreibung nach Übungsende (T+{end} – T+{horizon})",
           "projected_why": "Nicht gespielt: so hätte sich die Lage ohne weitere Entscheidungen "
                            "bis zum Szenario-Horizont entwickelt.",
           "projection": "Fortschreibung", "at_end": "bei Übungsende",
           "no_breach": "nicht überschr.", "pending": "offen",
           "bia_to": "Werte bis T+{horizon}.",
           "bia_projected": "Werte bis T+{horizon} (Szenario-Horizont), nach Übungsende bei "
                            "T+{end} fortgeschrieben; „bei Übungsende“: der Stand der Übung, wo "
                            "er abweicht.",
           "objectives_projected": "Beurteilt am Szenario-Horizont (T+{horizon}), nach "
                                   "Übungsende (T+{end}) fortgeschrieben; wo das Übungsende "
                                   "anders steht, nennt „bei Übungsende“ den Stand dort.",
           "end_mark": "Übungsende", "axis": "Übungszeit (Stunden)",
           "observations": "Alle Beobachtungen", "tag": "Einordnung", "rating": "Bewertung",
           "observation": "Beobachtung", "strength": "Stärke",
           "improvement": "Verbesserungspotenzial"},
}  # fmt: skip

CSS = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-right { content: "PAGE " counter(page) " / " counter(pages); font-size: 8pt;
    font-family: "DejaVu Sans", sans-serif; }
  @bottom-left { content: "TITLE"; font-size: 8pt; font-family: "DejaVu Sans", sans-serif; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 17pt; margin: 0 0 4mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm;
  border-bottom: 1px solid #888; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.num, th.num { text-align: right; }
tr { break-inside: avoid; } .bad { color: #a00; font-weight: bold; } .ok { color: #060; }
.small { font-size: 7.5pt; } dl { display: grid; grid-template-columns: 45mm auto; }
table.bia { table-layout: fixed; font-size: 7pt; }
table.bia th, table.bia td { padding: 1mm 0.8mm; box-sizing: border-box; }
table.bia th { hyphens: manual; font-size: 6pt; }
table.bia th:nth-child(1) { width: 15%; } table.bia th:nth-child(3) { width: 7%; }
table.bia th:nth-child(2), table.bia th:nth-child(4), table.bia th:nth-child(6) { width: 8.8%; }
table.bia th:nth-child(5), table.bia th:nth-child(8) { width: 13.4%; }
table.bia th:nth-child(7) { width: 9.7%; } table.bia th:nth-child(9) { width: 15.1%; }
table.bia .played { font-size: 6pt; }
table.notes { table-layout: fixed; font-size: 8pt; } table.notes td { hyphens: auto; }
table.notes th:nth-child(1) { width: 9%; } table.notes th:nth-child(2) { width: 16%; }
table.notes th:nth-child(3) { width: 14%; } table.notes th:nth-child(4) { width: 15%; }
table.notes th:nth-child(5) { width: 10%; }
.projected { color: #555; font-style: italic; } .played { font-size: 6.5pt; color: #06c; }
dt { font-weight: bold; } dd { margin: 0 0 1mm; } svg { width: 100%; height: auto; }
"""


def words(lang: str) -> dict[str, str]:
    return WORDS["de" if lang == "de" else "en"]


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(columns: list[str], rows: list[list[str]], nums: frozenset[int] = frozenset(),
           none: str = "–") -> str:  # fmt: skip
    """A table of already escaped cells."""
    th = "".join(f'<th{" class=num" if i in nums else ""}>{c}</th>' for i, c in enumerate(columns))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in nums else ""}>{c}</td>'
                                    for i, c in enumerate(row)) + "</tr>"
                   for row in rows)  # fmt: skip
    body = body or f'<tr><td colspan="{len(columns)}">{_e(none)}</td></tr>'
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _utc(dt: datetime | None) -> str:
    return "–" if dt is None else dt.strftime("%Y-%m-%d %H:%M:%S UTC")


def _num(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "–"
    out = f"{value:,.{digits}f}"
    return out.translate(str.maketrans(",.", ".,")) if lang == "de" else out


def render(r: AfterActionReport) -> str:
    """The whole report as one HTML document (no external resources)."""
    w, lang = words(r.lang), r.lang
    css = CSS.replace("PAGE", w["page"]).replace("TITLE", f"{w['report']}: {r.title}"
                                                  .replace('"', "'"))  # fmt: skip
    parts = [f"<h1>{_e(w['report'])}: {_e(r.title)}</h1>", _overview(r, w),
             _objectives(r, w), _timeline(r, w), _bia(r, w), _decisions(r, w), _findings(r, w),
             _plan(r, w), _signoff(w), _appendix(r, w)]  # fmt: skip
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{_e(w['report'])}: {_e(r.title)}</title><style>{css}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")  # fmt: skip


def _overview(r: AfterActionReport, w: dict[str, str]) -> str:
    zone = ZoneInfo(r.timezone)
    dates = "–"
    if r.first_wall is not None and r.last_wall is not None:
        dates = (f"{_e(_utc(r.first_wall))} – {_e(_utc(r.last_wall))}<br>{_e(w['local'])}: "
                 f"{_e(stamp(r.first_wall.astimezone(zone), r.lang))} – "
                 f"{_e(stamp(r.last_wall.astimezone(zone), r.lang))}")  # fmt: skip
    period = (f"T+0 – T+{_e(hours(r.end, r.lang))} ({_e(stamp(r.when(0), r.lang))} – "
              f"{_e(stamp(r.when(r.end), r.lang))}); "
              f"{_e(w['s4'][2:])}: T+{_e(hours(r.horizon, r.lang))}")  # fmt: skip
    rows = [(w["name"], _e(r.exercise or r.scenario_id)),
            (w["type"], _e(w.get(r.exercise_type or "", "–"))),
            (w["scenario"], f"<b>{_e(r.title)}</b><br>{_e(r.narrative)}"),
            (w["rationale"], _e(r.rationale or "–")), (w["dates"], dates),
            (w["period"], period), (w["company"], _e(r.company)),
            (w["scope"], _e(", ".join(r.processes.values()))),
            (w["seed"], _e(r.seed))]  # fmt: skip
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    people = _table([_e(w[c]) for c in ("team", "person", "function", "role", "first", "last",
                                        "entries")],
                    [[_e(p.team or "–"), _e(p.name), _e(p.function or "–"), _e(w[p.role]),
                      _e(_utc(p.first)), _e(_utc(p.last)), _e(p.entries)]
                     for p in r.people], frozenset({6}), w["none"])  # fmt: skip
    return f"<h2>{_e(w['s1'])}</h2><dl>{dl}</dl><h3>{_e(w['people'])}</h3>{people}"


def _who(r: AfterActionReport, actor: str, w: dict[str, str]) -> str:
    """A person's name (and function), else who acted through a role's link
    (anonymously) or the script, in the report's language."""
    name = r.names.get(actor, actor)
    return w.get(f"by_{actor}", actor) if name == actor else name


def _spans(r: AfterActionReport, w: dict[str, str], key: str) -> str:
    """A sentence of WORDS with the exercise's end and horizon filled in."""
    return fill(w[key], end=hours(r.end, r.lang), horizon=hours(r.horizon, r.lang))


_SLOT = re.compile(r"\{(\w+)\}(\.?)")


def fill(template: str, **values: str) -> str:
    """`template` with its {slots} filled; a value that ends in an
    abbreviation's full stop ("T+4 Tg.") takes the place of the sentence's
    own, never a second one ("Werte bis T+4 Tg.." — QA 10)."""
    def one(m: re.Match[str]) -> str:
        value = values[m.group(1)]
        return value if value.endswith(".") else value + m.group(2)

    return _SLOT.sub(one, template)


def _result(state: str, w: dict[str, str]) -> str:
    said = _e(w["not_met" if state == "missed" else state])
    return f'<span class="{"bad" if state == "missed" else "ok"}">{said}</span>'


def _objectives(r: AfterActionReport, w: dict[str, str]) -> str:
    rows = []
    for o in r.objectives:
        result = _result("met" if o.met else "missed", w)
        evidence = _e(o.evidence)
        # judged at the horizon: where the end of the exercise says otherwise, both
        if o.played is not None and o.played != ("met" if o.met else "missed"):
            result = (f"{_e(w['at_end'])}: {_result(o.played, w)}<br>"
                      f'<span class="projected">{_e(w["projection"])}: {result}</span>')
        if o.played is not None and o.played_evidence != o.evidence:
            evidence = (f"{_e(w['at_end'])}: {_e(o.played_evidence)}<br>"
                        f'<span class="projected">{_e(w["projection"])}: {evidence}</span>')
        rated = "<br>".join(f"<b>{_e(x.rating or '–')}</b> {_e(_who(r, x.actor, w))}: {_e(x.text)}"
                            for x in o.ratings) or "–"  # fmt: skip
        scope = "–" if o.process is None else r.processes.get(o.process, o.process)
        rows.append([_e(o.title), _e(scope), result, evidence, rated])
    table = _table([_e(w[c]) for c in ("objective", "process", "result", "evidence", "ratings")],
                   rows, none=w["none"])  # fmt: skip
    note = (f"<p class=small>{_e(_spans(r, w, 'objectives_projected'))}</p>"
            if r.projected else "")  # fmt: skip
    return f"<h2>{_e(w['s2'])}</h2>{note}{table}<p class=small>{_e(w['rating_scale'])}</p>"


def _timeline(r: AfterActionReport, w: dict[str, str]) -> str:
    """The key events; those after the end of the exercise in a group of
    their own, headed as a projection, so nobody reads them as played."""
    def rows(events: list[Event]) -> list[list[str]]:
        # the time in one line ("1 Tg. 4 Std. 30 Min." wrapped over four in the PDF)
        return [[_e(hours(e.t, r.lang)).replace(" ", "\u00a0"), _e(stamp(r.when(e.t), r.lang)),
                 _e(w.get(e.kind, e.kind)), _e(e.text),
                 _e(_who(r, e.actor, w) if e.actor else "–")
                 + (f" ({_e(e.team)})" if e.team else "")] for e in events]  # fmt: skip

    columns = [_e(w[c]) for c in ("t", "when", "kind", "what", "who")]
    shown = [e for e in r.events if e.t <= r.horizon]
    out = f"<h2>{_e(w['s3'])}</h2>{timeline_svg(r.events, r.horizon, r.end, w)}"
    if not r.projected:
        return out + _table(columns, rows(shown), none=w["none"])
    played = [e for e in shown if e.t <= r.end]
    later = [e for e in shown if e.t > r.end]
    out += (f"<h3>{_e(_spans(r, w, 'played'))}</h3>"
            + _table(columns, rows(played), none=w["none"]))
    if later:
        out += (f"<h3>{_e(_spans(r, w, 'projected'))}</h3>"
                f"<p class=small>{_e(w['projected_why'])}</p>"
                + _table(columns, rows(later)).replace("<table>", '<table class="projected">', 1))
    return out


COLOURS = {"hazard": "#b00", "inject": "#555", "impact": "#e80", "rto": "#c60", "mtpd": "#800",
           "decision": "#06c", "proposal": "#6ad"}  # fmt: skip
LANES = ("hazard", "inject", "impact", "rto", "mtpd", "decision")


def timeline_svg(events: tuple[Event, ...], horizon: int, end: int, w: dict[str, str]) -> str:
    """The key events on one axis per kind: a small vector figure (SVG)."""
    width, left, lane = 700, 120, 18
    height = lane * len(LANES) + 44  # the hour labels and the axis caption below the lanes
    span = max(horizon, 1)

    def x(t: int) -> float:
        return left + (width - left - 10) * min(t, span) / span

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{_e(w["s3"])}" font-family="DejaVu Sans" font-size="9">']
    for i, kind in enumerate(LANES):
        y = 10 + i * lane
        out.append(f'<text x="4" y="{y + 4}">{_e(w[kind])}</text>'
                   f'<line x1="{left}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#ddd"/>')
        for e in events:
            if (e.kind if e.kind != "proposal" else "decision") == kind and e.t <= horizon:
                out.append(f'<circle cx="{x(e.t):.1f}" cy="{y}" r="3.5" '
                           f'fill="{COLOURS[e.kind]}"><title>{_e(e.text)}</title></circle>')
    base = 10 + len(LANES) * lane
    out.append(f'<line x1="{left}" y1="{base - 8}" x2="{width - 10}" y2="{base - 8}" '
               'stroke="#333"/>')
    days = max(1, span // 86400)
    step = max(1, days // 10)
    for d in range(0, days + 1, step):
        out.append(f'<text x="{x(d * 86400):.1f}" y="{base + 4}" text-anchor="middle">'
                   f"{d * 24} h</text>")
    out.append(f'<text class="axis" x="{(left + width - 10) / 2:.1f}" y="{base + 18}" '
               f'text-anchor="middle">{_e(w["axis"])}</text>')
    if end < horizon:  # the projection after the end of the exercise, greyed and named
        out.append(f'<rect x="{x(end):.1f}" y="2" width="{width - 10 - x(end):.1f}" '
                   f'height="{base - 10}" fill="#888" fill-opacity="0.12"/>'
                   f'<text x="{x(end) + 3:.1f}" y="{base - 11}" fill="#555" font-style="italic">'
                   f'{_e(w["projection"])}</text>')
    out.append(f'<line x1="{x(end):.1f}" y1="4" x2="{x(end):.1f}" y2="{base - 8}" '
               f'stroke="#06c" stroke-dasharray="3,2"><title>{_e(w["end_mark"])}</title>'
               '</line></svg>')
    return "".join(out)


def _bia(r: AfterActionReport, w: dict[str, str]) -> str:
    """Targets vs achieved up to the horizon; where the exercise stopped
    earlier, the figures it reached stand under the projected ones."""
    lang, rows = r.lang, []
    played = {p.id: p for p in r.bia_played}

    def at_end(shown: str, then: str) -> str:
        if then == shown:
            return ""
        return f'<br><span class="played">{_e(w["at_end"])}: {then}</span>'

    def limit(value: float | None, breached: bool | None) -> str:
        return _e(_num(value, lang)) + (f' <span class="bad">{_e(w["breach"])}</span>'
                                        if breached else "")  # fmt: skip

    def kept(shown: str, breached: bool | None) -> str:
        """A limit at the end of the exercise: the same cell once breached, else
        "no breach" (a bare target would read as a second figure)."""
        return shown if breached else _e(w["no_breach"])

    for p in r.bia:
        q = played.get(p.id, p)
        cells = [limit(p.rto_h, p.rto_breached), limit(p.mtpd_h, p.mtpd_breached),
                 _e(_num(p.downtime_h, lang)), _e(_num(p.data_loss_h, lang)),
                 _e(_num(p.below_mbco_h, lang)), _e(eur(p.impact_eur, lang))]
        thens = [cells[0] if not p.rto_breached else kept(cells[0], q.rto_breached),
                 cells[1] if not p.mtpd_breached else kept(cells[1], q.mtpd_breached),
                 _e(_num(q.downtime_h, lang)), _e(_num(q.data_loss_h, lang)),
                 _e(_num(q.below_mbco_h, lang)), _e(eur(q.impact_eur, lang))]
        rto, mtpd, down, lost, below, impact = (c + at_end(c, t)
                                                for c, t in zip(cells, thens, strict=True))
        rows.append([_e(r.processes.get(p.id, p.id)), rto, _e(_num(r.rpo_h.get(p.id), lang)),
                     mtpd, _e(_num(r.mbco.get(p.id), lang, 2)), down, lost, below, impact])
    total = _e(eur(sum(p.impact_eur for p in r.bia), lang))
    then = _e(eur(sum(played.get(p.id, p).impact_eur for p in r.bia), lang))
    rows.append([f"<b>{_e(w['total'])}</b>", "", "", "", "", "", "", "",
                 f"<b>{total}</b>{at_end(total, then)}"])
    cols = ("process", "rto_h", "rpo_h", "mtpd_h", "mbco", "downtime", "lost", "below", "eur")
    table = _table([_e(w[c]) for c in cols], rows, frozenset(range(1, 9)))
    note = _spans(r, w, "bia_projected" if r.projected else "bia_to")
    return (f"<h2>{_e(w['s4'])}</h2><p class=small>{_e(note)}</p>"
            + table.replace("<table>", '<table class="bia">', 1))


def _decisions(r: AfterActionReport, w: dict[str, str]) -> str:
    rows = [[_e(hours(d.value.sim_time, r.lang)), _e(d.title),
             _e(_who(r, d.value.actor, w)) + (f" ({_e(d.team)})" if d.team else ""),
             _e(d.sentence)] for d in r.decisions]  # fmt: skip
    return f"<h2>{_e(w['s5'])}</h2>" + _table(
        [_e(w[c]) for c in ("t", "decided", "who", "value")], rows, none=w["no_valued"])


def _findings(r: AfterActionReport, w: dict[str, str]) -> str:
    titles = {o.id: o.title for o in r.objectives}
    out = [f"<h2>{_e(w['s6'])}</h2>"]
    for tag, heading in (("strength", "strengths"), ("improvement", "improvements")):
        rows = [[_e(titles.get(f.objective or "", "–")), _e(f.rating or "–"), _e(f.text),
                 _e(_who(r, f.actor, w)) + f" (T+{_e(hours(f.t, r.lang))})"]
                for f in sorted(r.findings, key=lambda f: f.objective or "") if f.tag == tag]
        out.append(f"<h3>{_e(w[heading])}</h3>" + _table(
            [_e(w[c]) for c in ("objective", "ratings", "evidence", "who")], rows,
            none=w["none"]))  # fmt: skip
    # every observation, tagged or not: an untagged, unrated note is still evidence
    rows = [[_e(hours(o.t, r.lang)), _e(_who(r, o.actor, w)),
             _e(titles.get(o.objective or "", o.objective or "–")),
             _e(w[o.tag] if o.tag else "–"), _e(o.rating or "–"), _e(o.text)]
            for o in r.observations]  # fmt: skip
    table = _table([_e(w[c]) for c in ("t", "who", "objective", "tag", "rating", "observation")],
                   rows, none=w["none"])  # fmt: skip
    out.append(f"<h3>{_e(w['observations'])}</h3>"
               + table.replace("<table>", '<table class="notes">', 1))
    return "".join(out)


def _plan(r: AfterActionReport, w: dict[str, str]) -> str:
    titles = {o.id: o.title for o in r.objectives}
    rows = [[_e(p.item), _e(p.issue), _e(p.action), _e(titles.get(p.objective or "",
                                                                  p.objective or "–")),
             _e(p.owner or "–"), _e(p.due.isoformat() if p.due else "–"), _e(w[p.status])]
            for p in r.plan]  # fmt: skip
    return f"<h2>{_e(w['s7'])}</h2>" + _table(
        [_e(w[c]) for c in ("item", "issue", "action", "capability", "owner", "due", "status")],
        rows, none=w["none"])  # fmt: skip


def _signoff(w: dict[str, str]) -> str:
    return (f"<h3>{_e(w['signoff'])}</h3>"
            + _table([_e(w["reviewed"]), _e(w["approved"])], [["&nbsp;<br>&nbsp;", ""]]))


def _appendix(r: AfterActionReport, w: dict[str, str]) -> str:
    """The log for reading: each entry's kind in words and its content in one
    line (simulator.exercise.aar_log); the number (#) finds it in the log
    download, the evidence in full, whose SHA-256 stands above the table."""
    rows = [[_e(e.seq), _e(_utc(e.wall_time)), "T+" + _e(hours(e.sim_time, r.lang)),
             _e(_who(r, e.actor, w)), _e(kind), _e(said)]
            for e, (kind, said) in zip(r.log, r.appendix, strict=True)]  # fmt: skip
    meta = (f"<p class=small>{_e(w['engine'])} {_e(r.engine)} · {_e(w['log_engine'])} "
            f"{_e(r.log_engine or '–')} · {_e(w['hash'])}: <code>{_e(r.log_sha256)}</code></p>")
    table = _table([_e(w[c]) for c in ("seq", "utc_time", "sim", "actor", "kind", "payload")],
                   rows)  # fmt: skip
    return f'<h2 style="break-before: page">{_e(w["s8"])}</h2>{meta}<div class=small>{table}</div>'
