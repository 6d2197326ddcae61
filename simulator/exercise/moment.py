"""The exercise at one moment, for managers: figures, board and what happened.

`tabletop replay` reports an exercise as it stood at a simulated second:
the final figures in `tabletop run --json`'s shape (so scripts read both),
the process board with its countdowns, and the decisions and injects logged
up to then, each described in German or English.
"""

from __future__ import annotations

from typing import Any

from simulator.analysis.metrics import summarize
from simulator.exercise.log import (
    AnswerEntry,
    ClockEntry,
    DecisionEntry,
    DelayEntry,
    InjectEntry,
    LogEntry,
    ObservationEntry,
    ReleaseEntry,
    SkipEntry,
)
from simulator.exercise.objectives import judge, taken_actions
from simulator.exercise.readmodels import ReadModels
from simulator.exercise.session import Exercise
from simulator.model.schema import ScenarioBundle, text
from simulator.terms.kinds import hazard_name
from simulator.terms.wallclock import at as clock_at

WORDS: dict[str, dict[str, str]] = {
    "en": {"start": "clock started", "pause": "clock paused", "resume": "clock resumed",
           "speed": "speed {speed:g}×", "jump": "jump to T+{to}",
           "extend": "horizon extended by {by}",
           "message": "message", "hazard": "hazard", "command": "command",
           "released": "scripted inject", "skipped": "skipped", "delayed": "delayed by {by}",
           "decision": "decision", "proposal": "proposal", "accept": "accepted",
           "reject": "rejected", "observation": "observation", "clock": "clock",
           "inject": "inject"},
    "de": {"start": "Uhr gestartet", "pause": "Uhr angehalten", "resume": "Uhr fortgesetzt",
           "speed": "Tempo {speed:g}×", "jump": "Zeitsprung auf T+{to}",
           "extend": "Übungsende verschoben um {by}", "message": "Nachricht",
           "hazard": "Gefährdung", "command": "Befehl", "released": "Einlage aus dem Drehbuch",
           "skipped": "ausgelassen", "delayed": "verschoben um {by}", "decision": "Entscheidung",
           "proposal": "Vorschlag", "accept": "angenommen", "reject": "abgelehnt",
           "observation": "Beobachtung", "clock": "Uhr", "inject": "Einlage"},
}  # fmt: skip

SHOWN_KINDS = frozenset({"inject", "release", "msel", "skip", "delay", "decision", "proposal",
                         "accept", "reject", "observation"})  # fmt: skip
"""What a manager reads as "what happened": the clock's own entries are left out."""


def hours(seconds: float, lang: str = "en") -> str:
    """'2 d 4 h', '2 Tg. 4 Std.' (whole minutes)."""
    units = ("Tg.", "Std.", "Min.") if lang == "de" else ("d", "h", "min")
    s = round(abs(seconds))
    d, h, m = s // 86400, s % 86400 // 3600, s % 3600 // 60
    parts = [f"{v} {u}" for v, u in zip((d, h, m), units, strict=True) if v]
    return " ".join(parts) or f"0 {units[1]}"


def describe(bundle: ScenarioBundle, entry: LogEntry, lang: str = "en",
             log: list[LogEntry] | None = None) -> tuple[str, str]:  # fmt: skip
    """(what kind of entry, what it said) in `lang`; `log` lets an answer
    name the proposal it answers."""
    w = WORDS["de" if lang == "de" else "en"]
    scenario = bundle.scenario
    match entry:
        case ClockEntry():
            c = entry.payload
            said = w[c.action].format(speed=c.speed or 0, to=hours(c.to or 0, lang),
                                      by=hours(c.by or 0, lang))  # fmt: skip
            return w["clock"], said
        case InjectEntry():
            p = entry.payload
            if p.hazard is not None:
                named = f" ({p.id})" if p.id else ""  # the id a `detect` names it by
                return w["hazard"], p.title or f"{hazard_name(p.hazard.type, lang)}{named}"
            if p.command is not None:
                return w["command"], p.title or p.command.action
            return w["message"], p.message or ""
        case ReleaseEntry() | SkipEntry() | DelayEntry():
            item = next((i for i in scenario.injects if i.id == entry.payload.inject), None)
            title = text(item.title, lang) if item else entry.payload.inject
            if isinstance(entry, SkipEntry):
                return w["inject"], f"{title} – {w['skipped']}"
            if isinstance(entry, DelayEntry):
                later = w["delayed"].format(by=hours(entry.payload.by, lang))
                return w["inject"], f"{title} – {later}"
            return w["released"], title
        case DecisionEntry():
            return w[entry.kind], _decided(bundle, entry.payload.action, entry.payload.text, lang)
        case AnswerEntry():
            asked = next((e for e in log or () if e.seq == entry.payload.proposal), None)
            what = f"#{entry.payload.proposal}"
            if isinstance(asked, DecisionEntry):
                what = _decided(bundle, asked.payload.action, asked.payload.text, lang)
            return w[entry.kind], what
        case ObservationEntry():
            return w["observation"], entry.payload.text
    return entry.kind, ""  # pragma: no cover (the union is closed)


def _decided(bundle: ScenarioBundle, action: str | None, said: str | None, lang: str) -> str:
    if action is None:
        return said or ""
    found = next((a for a in bundle.scenario.actions if a.id == action), None)
    return text(found.title, lang) if found else action


def happened(exercise: Exercise, lang: str = "en") -> list[dict[str, Any]]:
    """The decisions and injects logged so far (not the clock's entries),
    oldest first: seq, simulated second, calendar time, actor, kind, text."""
    bundle, out = exercise.bundle, []
    for entry in exercise.log:
        if entry.kind not in SHOWN_KINDS:
            continue
        what, said = describe(bundle, entry, lang, exercise.log)
        out.append({"seq": entry.seq, "t": entry.sim_time, "actor": entry.actor,
                    "kind": entry.kind, "what": what, "text": said,
                    "at": clock_at(bundle.scenario.start, entry.sim_time).isoformat()})  # fmt: skip
    return out


def figures(exercise: Exercise, end: int, lang: str = "en") -> dict[str, Any]:
    """The exercise at its current second in `tabletop run --json`'s shape
    (the same keys first), plus what it had then: `at` (seconds), `end`
    (where the log ends), `clock` (calendar time), `board`, `log` (every entry
    so far, as logged) and `happened` (decisions and injects, described)."""
    bundle, sim, t = exercise.bundle, exercise.sim, exercise.now
    summary = summarize(bundle, sim.records, t)
    models = ReadModels(sim.bundle)
    models.feed(sim.records)
    board = models.board.rows(sim.now, lang)
    return {
        "scenario": bundle.scenario.scenario.id,
        "seed": exercise.seed,
        "horizon_h": round(t / 3600, 4),  # as `run --until`: the figures up to this second
        "records": len(sim.records),
        "start": bundle.scenario.start.isoformat(),
        "timezone": bundle.scenario.timezone,
        **summary.to_dict(),
        "objectives": [o.to_dict() for o in judge(bundle, models.board, t,
                                                  taken_actions(exercise.log), exercise.ended)],
        "at": t,
        "end": end,
        "exercise_horizon": exercise.horizon,
        "clock": clock_at(bundle.scenario.start, t).isoformat(),
        "impact_eur": round(sum(row["impact_eur"] for row in board), 2),
        "board": board,
        "log": [e.to_dict() for e in exercise.log],
        "happened": happened(exercise, lang),
    }
