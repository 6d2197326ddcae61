"""The after-action report (Übungsbericht) of an exercise log: its content.

`build` replays the log (simulator.exercise.replay) to its horizon — where
it ended and on, as `tabletop replay` and what-if do — and gathers the
measured facts of HSEEP's After-Action Report / Improvement Plan in one
typed model: overview, objectives with their measured result and the
observers' ratings, key events, BIA targets vs achieved (the run summary's
figures, `simulator.analysis.metrics.summarize`), the decisions' value
(`decision_values`), strengths and areas for improvement, the improvement
plan and the full log. Rendering is elsewhere (simulator.exercise.aar_html).

An exercise stopped before its horizon is played on to it (what the
situation would have led to), but that projection is never passed off as
played: the report keeps the figures at the end as well (`bia_played`,
`ObjectiveRow.played`, summarised by the same function), and the HTML puts
the key events after `end` under a heading of their own.

The sample report in docs/ is built from the bundled log:

    .venv/bin/tabletop report notebooks/data/exercise-log.jsonl --lang de \\
        --pdf docs/report-example.pdf
    pdftoppm -png -r 60 -f 1 -l 1 -singlefile docs/report-example.pdf docs/report-example
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.analysis.metrics import (
    ObjectiveResult,
    ProcessSummary,
    RunSummary,
    asset_segments,
    summarize,
)
from simulator.exercise.aar_log import kind_name, line
from simulator.exercise.decisions import DecisionValue, decision_values, figure
from simulator.exercise.log import (
    ENGINE_VERSION,
    AnswerEntry,
    DecisionEntry,
    InjectEntry,
    LogEntry,
    LogHeader,
    ObservationEntry,
    PlanPayload,
    ReleaseEntry,
    dumps_log,
)
from simulator.exercise.moment import hours
from simulator.exercise.objectives import evaluate, judge, taken_actions
from simulator.exercise.readmodels import ReadModels
from simulator.exercise.replay import end_of, horizon_of, replay
from simulator.exercise.session import SYSTEM, Exercise
from simulator.model.schema import MselInject, text
from simulator.terms.kinds import hazard_name
from simulator.terms.wallclock import at

ROLES = ("facilitator", "participant", "observer", SYSTEM)


@dataclass(frozen=True)
class Attendee:
    """A named person and their activity: first and last entry (wall clock, UTC)."""

    id: str
    name: str
    function: str | None
    team: str | None
    role: str
    first: datetime | None
    last: datetime | None
    entries: int


@dataclass(frozen=True)
class Rating:
    """An observer's note (an EEG line): who, when, P/S/M/U, strength or improvement."""

    seq: int
    t: int
    actor: str
    objective: str | None
    tag: str | None
    rating: str | None
    text: str


@dataclass(frozen=True)
class ObjectiveRow:
    id: str
    title: str
    process: str | None  # None: the whole company (max_impact without a process)
    check: str
    met: bool
    evidence: str  # the measured figures the result rests on
    ratings: tuple[Rating, ...]
    # judged at the end of the exercise (met, missed or pending) when the
    # figures above run on past it to the horizon; None: the exercise ran to it
    played: str | None = None
    played_evidence: str = ""


@dataclass(frozen=True)
class Event:
    """A key event of the timeline: `kind` is hazard, inject, impact, rto,
    mtpd, decision or proposal (an accepted one: `t` is when it took effect)."""

    t: int
    kind: str
    text: str
    actor: str | None = None  # the name (and function) or role; None for the model's own
    team: str | None = None


@dataclass(frozen=True)
class DecisionRow:
    value: DecisionValue
    title: str
    actor: str
    team: str | None
    sentence: str


@dataclass(frozen=True)
class AfterActionReport:
    lang: str
    title: str
    scenario_id: str
    exercise: str | None
    exercise_type: str | None
    rationale: str
    narrative: str
    company: str
    timezone: str
    start: datetime  # the scenario's start, aware, in its zone
    first_wall: datetime | None  # UTC
    last_wall: datetime | None
    end: int  # simulated second the log ended
    horizon: int  # simulated second the figures run to
    seed: int
    processes: dict[str, str]  # id -> name, the processes in scope (with a BIA)
    people: tuple[Attendee, ...]
    objectives: tuple[ObjectiveRow, ...]
    events: tuple[Event, ...]
    bia: tuple[ProcessSummary, ...]  # summarize's figures at the horizon
    # the same figures at the end of the exercise (summarize at `end`): what the
    # team played; empty when the exercise ran to the horizon
    bia_played: tuple[ProcessSummary, ...]
    rpo_h: dict[str, float | None]  # the BIA's targets summarize does not repeat
    mbco: dict[str, float]
    decisions: tuple[DecisionRow, ...]
    findings: tuple[Rating, ...]  # the observations tagged strength or improvement
    plan: tuple[PlanPayload, ...]
    log: tuple[LogEntry, ...]
    names: dict[str, str]  # actor -> name as shown
    engine: str
    log_engine: str | None
    log_sha256: str
    # every observation, tagged or not, in log order: an untagged, unrated note
    # is evidence too and must not live only in the appendix (QA 6)
    observations: tuple[Rating, ...]
    # the log's entries for reading: (kind in words, content in one line), one per entry
    appendix: tuple[tuple[str, str], ...]

    @property
    def projected(self) -> bool:
        """The exercise stopped before the horizon: the figures, breaches and
        hazards after `end` are a projection (the log's state played on
        without further decisions), not what the team experienced."""
        return self.end < self.horizon

    def when(self, t: int) -> datetime:
        """Simulated second `t` on the scenario's calendar."""
        return at(self.start, t)


def log_hash(header: LogHeader, entries: Sequence[LogEntry]) -> str:
    """SHA-256 of the log exported as JSON Lines (what GET .../log returns)."""
    return hashlib.sha256(dumps_log(header, entries).encode()).hexdigest()


def build(header: LogHeader, entries: Sequence[LogEntry], lang: str = "en") -> AfterActionReport:
    """The report of a log, in `lang`; LogError if the log cannot be replayed."""
    exercise = replay(header, entries, horizon_of(header.bundle, entries)
                      if header.bundle is not None else None)  # fmt: skip
    bundle, horizon = exercise.bundle, exercise.horizon
    summary = summarize(bundle, exercise.sim.records, horizon)
    end = end_of(header, entries)
    # what the team played: the same records summarised up to the end (no second rule)
    played = summarize(bundle, exercise.sim.records, end) if end < horizon else None
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    info = bundle.scenario.scenario
    scope = {a.id: a for a in bundle.company.assets if a.bia is not None}
    walls = [e.wall_time for e in entries if e.wall_time is not None]
    people = _attendance(exercise, entries)
    shown = {actor: exercise.actor_name(actor) for actor in {e.actor for e in entries}}
    ratings = tuple(Rating(e.seq, e.sim_time, e.actor, e.payload.objective, e.payload.tag,
                           e.payload.rating, e.payload.text)
                    for e in entries if isinstance(e, ObservationEntry))  # fmt: skip
    values = decision_values(bundle, exercise.seed, entries)
    listed = list(entries)  # once: the appendix's answers look up their proposals in it
    titles = {a.id: text(a.title, lang) for a in bundle.scenario.actions}
    decisions = tuple(DecisionRow(v, titles.get(v.action, v.action), shown.get(v.actor, v.actor),
                                  exercise.team_of(v.actor) or _team(entries, v.seq),
                                  v.sentence.get(lang, v.sentence["en"]))
                      for v in values.decisions)  # fmt: skip
    return AfterActionReport(
        lang=lang, title=text(info.title, lang), scenario_id=info.id,
        exercise=header.exercise, exercise_type=info.type, rationale=text(info.rationale, lang),
        narrative=text(info.narrative, lang), company=text(bundle.company.company.name, lang),
        timezone=bundle.scenario.timezone, start=bundle.scenario.start,
        first_wall=min(walls).astimezone(UTC) if walls else None,
        last_wall=max(walls).astimezone(UTC) if walls else None,
        end=end, horizon=horizon, seed=exercise.seed,
        processes={a.id: names[a.id] for a in bundle.company.assets if a.bia is not None},
        people=people,
        objectives=_objectives(exercise, evaluate(exercise, final=True), summary, ratings, lang,
                               _played(exercise, entries, end, played)),
        events=_events(exercise, entries, summary.processes, names, shown, lang),
        bia=tuple(p for p in summary.processes if p.id in scope),
        bia_played=() if played is None else tuple(p for p in played.processes if p.id in scope),
        rpo_h={a.id: None if a.bia is None or a.bia.rpo is None else a.bia.rpo / 3600
               for a in scope.values()},
        mbco={a.id: a.bia.mbco for a in scope.values() if a.bia is not None},
        decisions=decisions,
        findings=tuple(r for r in ratings if r.tag is not None),
        plan=tuple(exercise.plan.values()),
        log=tuple(entries), names=shown, engine=ENGINE_VERSION, log_engine=header.engine,
        log_sha256=log_hash(header, entries), observations=ratings,
        appendix=tuple((kind_name(e.kind, lang), line(bundle, e, lang, listed))
                       for e in listed),
    )  # fmt: skip


def _team(entries: Sequence[LogEntry], seq: int) -> str | None:
    found = next((e for e in entries if e.seq == seq), None)
    return found.payload.team if isinstance(found, DecisionEntry) else None


def _attendance(exercise: Exercise, entries: Sequence[LogEntry]) -> tuple[Attendee, ...]:
    """Every named person with the wall times of their first and last entry."""
    out = []
    for person in exercise.people.values():
        own = [e.wall_time for e in entries if e.actor == person.id and e.wall_time is not None]
        count = sum(1 for e in entries if e.actor == person.id)
        out.append(Attendee(person.id, person.name, person.function, person.team, person.role,
                            min(own).astimezone(UTC) if own else None,
                            max(own).astimezone(UTC) if own else None, count))  # fmt: skip
    return tuple(sorted(out, key=lambda a: (a.role != "participant", a.team or "", a.name)))


def _h(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    shown = f"{value:.1f}"
    return f"{shown.replace('.', ',')} Std." if lang == "de" else f"{shown} h"


def _measured(exercise: Exercise, r: ObjectiveResult, lang: str) -> str:
    """An objective's evidence in words (the page's language), not its keys."""
    ev, de = r.evidence, lang == "de"
    if r.check in ("within_rto", "within_mtpd"):
        if ev.get("breach_at") is None:
            return ""
        limit = ("WAZ" if de else "RTO") if r.check == "within_rto" else ("MTA" if de else "MTPD")
        return (f"{limit} überschritten bei T+{hours(ev['breach_at'], lang)}" if de
                else f"{limit} breached at T+{hours(ev['breach_at'], lang)}")
    if r.check == "max_impact":
        eur, amount = figure(ev["impact_eur"], 0, lang), figure(ev["amount"], 0, lang)
        return (f"Schaden {eur} EUR, erlaubt {amount} EUR" if de
                else f"impact {eur} EUR, {amount} EUR allowed")
    if r.check == "decision_before":
        found = next((a for a in exercise.bundle.scenario.actions if a.id == ev["action"]), None)
        title = text(found.title, lang) if found is not None else str(ev["action"])
        by = f"T+{hours(ev['by'], lang)}"
        if ev.get("taken_at") is None:
            return f"„{title}“ nicht bis {by} ergriffen" if de else f"“{title}” not taken by {by}"
        when = f"T+{hours(ev['taken_at'], lang)}"  # who: in the timeline of key events
        return (f"„{title}“ ergriffen bei {when}, gefordert bis {by}" if de
                else f"“{title}” taken at {when}, required by {by}")
    lost = ev.get("data_loss_h")
    if not lost:
        return "kein Datenverlust" if de else "no data lost"
    return f"Datenverlust {_h(lost, lang)}" if de else f"data lost {_h(lost, lang)}"


def _played(exercise: Exercise, entries: Sequence[LogEntry], end: int,
            played: RunSummary | None) -> tuple[list[ObjectiveResult], RunSummary] | None:
    """The objectives as they stood at the end of the exercise (judged by the
    same rule as live, on the records up to `end`), with the figures there;
    None when the exercise ran to its horizon."""
    if played is None:
        return None
    models = ReadModels(exercise.bundle)
    models.feed(r for r in exercise.sim.records if r.t < end)
    return judge(exercise.bundle, models.board, end, taken_actions(list(entries))), played


def _evidence(exercise: Exercise, r: ObjectiveResult, summary_of: RunSummary, lang: str) -> str:
    de = lang == "de"
    measured = _measured(exercise, r, lang)
    if r.process is None:
        return measured
    p = summary_of.process(r.process)
    return (f"{'Zeit unter Notbetriebsniveau' if de else 'time below MBCO'} "
            f"{_h(p.below_mbco_h, lang)}, {'WAZ' if de else 'RTO'} "
            f"{_h(p.rto_h, lang)}, {'MTA' if de else 'MTPD'} {_h(p.mtpd_h, lang)}, "
            f"{'Ausfallzeit' if de else 'downtime'} {_h(p.downtime_h, lang)}"
            + (f"; {measured}" if measured else ""))  # fmt: skip


def _objectives(exercise: Exercise, results: Sequence[ObjectiveResult],
                summary_of: RunSummary, ratings: Sequence[Rating], lang: str,
                played: tuple[Sequence[ObjectiveResult], RunSummary] | None = None
                ) -> tuple[ObjectiveRow, ...]:  # fmt: skip
    bundle = exercise.bundle
    titles = {o.id: text(o.title, lang) for o in bundle.scenario.objectives}
    at_end = {} if played is None else {r.id: r for r in played[0]}
    rows = []
    for r in results:
        mine = tuple(x for x in ratings if x.objective == r.id)
        then = at_end.get(r.id)
        rows.append(ObjectiveRow(
            r.id, titles.get(r.id, r.id), r.process, r.check, r.met,
            _evidence(exercise, r, summary_of, lang), mine,
            None if then is None else then.state,
            "" if then is None or played is None else _evidence(exercise, then, played[1], lang)))
    return tuple(rows)


def _scripted(inject: MselInject, de: bool, lang: str) -> str:
    """A scripted inject in the (facilitator's) timeline: its title, the
    teams it was addressed to and what control expected of them."""
    out = text(inject.title, lang)
    if inject.teams:
        out += f" ({'an' if de else 'to'} {', '.join(inject.teams)})"
    if inject.expected_action is not None:
        said = "erwartet" if de else "expected"
        out += f" – {said}: {text(inject.expected_action, lang)}"
    return out


def _events(exercise: Exercise, entries: Sequence[LogEntry],
            processes: Sequence[ProcessSummary], names: dict[str, str],
            shown: dict[str, str], lang: str) -> tuple[Event, ...]:  # fmt: skip
    """Hazards, injects, first impacts, RTO/MTPD breaches and decisions, in time order."""
    bundle, de = exercise.bundle, lang == "de"
    msel = {i.id: _scripted(i, de, lang) for i in bundle.scenario.injects}
    actions = {a.id: text(a.title, lang) for a in bundle.scenario.actions}
    out: list[Event] = []
    kinds = _hazard_kinds(exercise, entries)
    seen: set[str] = set()
    for r in exercise.sim.records:
        cause = r.cause or ""
        if r.event == "state" and cause.startswith("hazard:") and r.t < exercise.horizon:
            label = cause.removeprefix("hazard:").split("/", 1)[0]
            if label not in seen:  # the hazard's first hit, by its type's name, not its number
                seen.add(label)
                what = names.get(r.asset or "", r.asset or "")
                kind = kinds.get(label)
                named = hazard_name(kind, lang) if kind else label
                out.append(Event(r.t, "hazard", f"{named}: {what}"))
    proposals = {e.seq: e for e in entries if isinstance(e, DecisionEntry)}
    for e in entries:
        who = shown.get(e.actor, e.actor)
        match e:
            case ReleaseEntry():
                out.append(Event(e.sim_time, "inject", msel.get(e.payload.inject,
                                                                e.payload.inject), who))
            case InjectEntry():
                started = e.payload.hazard
                said = e.payload.title or e.payload.message or (
                    hazard_name(started.type, lang) if started is not None
                    else ("Befehl" if de else "command"))  # fmt: skip
                out.append(Event(e.sim_time, "inject", said, who))
            case DecisionEntry():
                what = actions.get(e.payload.action or "", e.payload.text or e.payload.action
                                   or "")  # fmt: skip
                out.append(Event(e.sim_time, e.kind, what, who,
                                 e.payload.team or exercise.team_of(e.actor)))
            case AnswerEntry() if e.kind == "accept":
                asked = proposals.get(e.payload.proposal)
                what = (actions.get(asked.payload.action or "", asked.payload.text or "")
                        if asked else "")  # fmt: skip
                out.append(Event(e.sim_time, "decision", what, who))
            case _:
                pass
    # first impacts and breaches at one instant make one event (a cascade hits many)
    grouped: dict[tuple[int, str], list[str]] = {}
    for ps in processes:
        if ps.id in names and ps.first_impact_h is not None:
            grouped.setdefault((round(ps.first_impact_h * 3600), "impact"), []).append(names[ps.id])
    for process, kind, t in _breaches(exercise, processes):
        grouped.setdefault((t, kind), []).append(names.get(process, process))
    out.extend(Event(t, kind, ", ".join(which)) for (t, kind), which in grouped.items())
    order = {"hazard": 0, "inject": 1, "impact": 2, "rto": 3, "mtpd": 4}
    return tuple(sorted(out, key=lambda e: (e.t, order.get(e.kind, 5))))


def _hazard_kinds(exercise: Exercise, entries: Sequence[LogEntry]) -> dict[str, str]:
    """Hazard label (its id, else its number in the scenario) -> its type:
    the scenario's hazards and those the facilitator started by id."""
    out: dict[str, str] = {h.id or str(i + 1): h.hazard.type
                           for i, h in enumerate(exercise.bundle.scenario.hazards)}  # fmt: skip
    for e in entries:
        if isinstance(e, InjectEntry) and e.payload.hazard is not None and e.payload.id:
            out[e.payload.id] = e.payload.hazard.type
    return out


def _breaches(exercise: Exercise, processes: Sequence[ProcessSummary]
              ) -> list[tuple[str, str, int]]:  # fmt: skip
    """When each process first passed its RTO and its MTPD below the MBCO
    (the outage rule of simulator.analysis.metrics: an outage below the MBCO that
    lasts longer than the RTO breaches it)."""
    bundle, horizon = exercise.bundle, exercise.horizon
    segs = asset_segments(bundle, exercise.sim.records, horizon)
    assets = {a.id: a for a in bundle.company.assets}
    out: list[tuple[str, str, int]] = []
    for p in processes:
        bia = assets[p.id].bia
        if bia is None or not (p.rto_breached or p.mtpd_breached):
            continue
        found: dict[str, int] = {}
        since: int | None = None
        for s in [*segs.get(p.id, []), None]:
            below = s is not None and s.capacity < bia.mbco - 1e-9
            if below and since is None and s is not None:
                since = s.start
            elif not below and since is not None:
                stop = s.start if s is not None else horizon
                for kind, limit in (("rto", bia.rto), ("mtpd", bia.mtpd)):
                    if stop - since > limit and kind not in found:
                        found[kind] = since + limit
                since = None
        out.extend((p.id, kind, t) for kind, t in found.items())
    return out
