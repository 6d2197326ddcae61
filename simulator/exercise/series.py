"""A series of exercises: several runs of one company (usually of one
scenario) side by side, and whether the team gets better from run to run.

Each run is its log replayed to its horizon, as the after-action report
(simulator.exercise.aar) does, and judged by the same rules: the objectives
by `simulator.exercise.objectives.evaluate(final=True)`, the BIA figures by
`simulator.analysis.metrics.summarize`. Per run: its date (the wall clock of its
first entry), scenario, objectives met and missed with the observers'
ratings, RTO and MTPD breaches per business process, total impact EUR,
time-to-decision, number of decisions and of named participants.

Time-to-decision: the simulated seconds from the first impact on a process
in scope (a process with a BIA whose capacity first drops below 1) to the
team's first decision (a `decision` entry or an accepted proposal, at the
time it took effect). A team that decided before any impact scores 0: it
acted ahead of the damage. None when the run had no impact or no decision.

The runs are put in time order (runs without a wall clock last, in the
order given) and every metric gets a trend: better, worse or same against
the previous run and against the first (for counts with no better direction,
decisions and participants: more, fewer or same). Runs of different
companies are refused (SeriesError); different scenarios of one company are
allowed and flagged, as is a company model that changed between runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.analysis.metrics import summarize
from simulator.exercise.log import (
    AnswerEntry,
    DecisionEntry,
    LogEntry,
    LogError,
    LogHeader,
    ObservationEntry,
    PersonEntry,
)
from simulator.exercise.objectives import evaluate
from simulator.exercise.replay import end_of, horizon_of, playable, replay
from simulator.model.schema import text

MAX_RUNS = 20  # each run is a replay to its horizon: seconds of CPU apiece
RATING_SCORE = {"P": 4, "S": 3, "M": 2, "U": 1}  # HSEEP's scale, best first


class SeriesError(ValueError):
    """Logs that cannot form a series; `german` is the same message in German."""

    def __init__(self, message: str, german: str) -> None:
        super().__init__(message)
        self.german = german

    def say(self, lang: str) -> str:
        return self.german if lang == "de" else str(self)


@dataclass(frozen=True)
class ObjectiveOutcome:
    id: str
    title: str
    met: bool
    ratings: tuple[str, ...]  # the observers' P/S/M/U on it, in log order


@dataclass(frozen=True)
class ProcessOutcome:
    """A business process in scope: breached its RTO / MTPD? impact EUR."""

    id: str
    name: str
    rto_breached: bool
    mtpd_breached: bool
    impact_eur: float


@dataclass(frozen=True)
class Run:
    label: str  # the exercise id or the log's file name
    date: datetime | None  # UTC wall clock of the first entry; None: the log has none
    scenario_id: str
    scenario_title: str
    company_id: str
    company_name: str
    objectives: tuple[ObjectiveOutcome, ...]
    processes: tuple[ProcessOutcome, ...]
    first_impact: int | None  # simulated second
    first_decision: int | None
    decisions: int
    participants: int  # named participants (people with role participant)
    observers: int
    stood_at: int = 0  # simulated second the exercise was played to (replay.end_of)
    horizon: int = 0  # its end: a run that stood before it was not played out
    commands: int = 0  # log entries: 0 means nobody played it

    @property
    def unfinished(self) -> bool:
        """Not played to its end: judged at the horizon, it shows what would
        have come of doing nothing more, not what the team did."""
        return self.stood_at < self.horizon

    @property
    def met(self) -> int:
        return sum(1 for o in self.objectives if o.met)

    @property
    def missed(self) -> int:
        return len(self.objectives) - self.met

    @property
    def rto_breaches(self) -> int:
        return sum(1 for p in self.processes if p.rto_breached)

    @property
    def mtpd_breaches(self) -> int:
        return sum(1 for p in self.processes if p.mtpd_breached)

    @property
    def impact_eur(self) -> float:
        return sum(p.impact_eur for p in self.processes)

    @property
    def time_to_decision(self) -> int | None:
        """Seconds from the first impact to the first decision (0 if the
        team decided first); None without an impact or a decision."""
        if self.first_impact is None or self.first_decision is None:
            return None
        return max(0, self.first_decision - self.first_impact)

    @property
    def mean_rating(self) -> float | None:
        """The observers' ratings on the objectives as a mean score, P=4 … U=1."""
        scores = [RATING_SCORE[r] for o in self.objectives for r in o.ratings]
        return sum(scores) / len(scores) if scores else None


# metric -> direction: +1 higher is better, -1 lower is better, 0 neither
METRICS: dict[str, int] = {"met": +1, "rto_breaches": -1, "mtpd_breaches": -1,
                           "impact_eur": -1, "time_to_decision": -1, "mean_rating": +1,
                           "decisions": 0, "participants": 0}  # fmt: skip


@dataclass(frozen=True)
class Trend:
    """One metric across the runs (in time order): its values, and each
    run against the previous one and against the first (None for the first
    run, or when a value is missing)."""

    metric: str
    direction: int
    values: tuple[float | None, ...]
    vs_previous: tuple[str | None, ...]
    vs_first: tuple[str | None, ...]


@dataclass(frozen=True)
class Series:
    lang: str
    company: str  # its name in `lang`
    runs: tuple[Run, ...]  # in time order
    trends: tuple[Trend, ...]
    scenarios: tuple[str, ...]  # the distinct scenario ids, in run order
    company_changed: bool  # the company model differs between runs (same id)

    @property
    def mixed(self) -> bool:
        """Runs of different scenarios: comparable only with care."""
        return len(self.scenarios) > 1

    def trend(self, metric: str) -> Trend:
        return next(t for t in self.trends if t.metric == metric)


def compare(now: float | None, before: float | None, direction: int) -> str | None:
    """better / worse / same (direction ±1) or more / fewer / same (0)."""
    if now is None or before is None:
        return None
    if now == before:
        return "same"
    up = now > before
    if direction == 0:
        return "more" if up else "fewer"
    return "better" if up == (direction > 0) else "worse"


def trends(runs: Sequence[Run]) -> tuple[Trend, ...]:
    out = []
    for metric, direction in METRICS.items():
        values: tuple[float | None, ...] = tuple(getattr(r, metric) for r in runs)
        prev = tuple(None if i == 0 else compare(v, values[i - 1], direction)
                     for i, v in enumerate(values))  # fmt: skip
        first = tuple(None if i == 0 else compare(v, values[0], direction)
                      for i, v in enumerate(values))  # fmt: skip
        out.append(Trend(metric, direction, values, prev, first))
    return tuple(out)


def first_decision(entries: Sequence[LogEntry]) -> tuple[int | None, int]:
    """The simulated second of the first decision (a decision entry or an
    accepted proposal) and the number of decisions."""
    times = [e.sim_time for e in entries
             if (isinstance(e, DecisionEntry) and e.kind == "decision")
             or (isinstance(e, AnswerEntry) and e.kind == "accept")]  # fmt: skip
    return (min(times) if times else None), len(times)


def run_of(label: str, header: LogHeader, entries: Sequence[LogEntry], lang: str) -> Run:
    """One run's figures: its log replayed to its horizon and judged as the
    report judges it. LogError if the log cannot be replayed."""
    bundle, _seed = playable(header)
    exercise = replay(header, entries, horizon_of(bundle, entries))
    summary = summarize(bundle, exercise.sim.records, exercise.horizon)
    assets = {a.id: a for a in bundle.company.assets}
    processes = tuple(ProcessOutcome(p.id, text(assets[p.id].name, lang) or p.id,
                                     bool(p.rto_breached), bool(p.mtpd_breached), p.impact_eur)
                      for p in summary.processes if assets[p.id].bia is not None)  # fmt: skip
    impacts = [round(p.first_impact_h * 3600) for p in summary.processes
               if assets[p.id].bia is not None and p.first_impact_h is not None]  # fmt: skip
    rated: dict[str, list[str]] = {}
    for e in entries:
        if isinstance(e, ObservationEntry) and e.payload.objective and e.payload.rating:
            rated.setdefault(e.payload.objective, []).append(e.payload.rating)
    titles = {o.id: text(o.title, lang) or o.id for o in bundle.scenario.objectives}
    objectives = tuple(ObjectiveOutcome(r.id, titles.get(r.id, r.id), r.met,
                                        tuple(rated.get(r.id, ())))
                       for r in evaluate(exercise, final=True))  # fmt: skip
    walls = [e.wall_time for e in entries if e.wall_time is not None]
    decided, count = first_decision(entries)
    people = [e.payload for e in entries if isinstance(e, PersonEntry)]
    info = bundle.scenario.scenario
    return Run(label=label, date=min(walls).astimezone(UTC) if walls else None,
               scenario_id=info.id, scenario_title=text(info.title, lang) or info.id,
               company_id=bundle.company.company.id,
               company_name=text(bundle.company.company.name, lang),
               objectives=objectives, processes=processes,
               first_impact=min(impacts) if impacts else None, first_decision=decided,
               decisions=count, participants=sum(1 for p in people if p.role == "participant"),
               observers=sum(1 for p in people if p.role == "observer"),
               stood_at=end_of(header, entries), horizon=exercise.horizon,
               commands=len(entries))  # fmt: skip


def _company_digest(header: LogHeader) -> str:
    assert header.bundle is not None  # playable() checked it
    dumped = json.dumps(header.bundle.company.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(dumped.encode()).hexdigest()


def build(logs: Sequence[tuple[str, LogHeader, Sequence[LogEntry]]], lang: str = "en") -> Series:
    """The series of `logs` (label, header, entries), compared in time order.
    SeriesError for fewer than two or more than MAX_RUNS logs, a log that
    cannot be replayed, or logs of different companies."""
    if len(logs) < 2:
        raise SeriesError("a series needs at least two exercise logs",
                          "Eine Übungsreihe braucht mindestens zwei Übungsprotokolle")
    if len(logs) > MAX_RUNS:
        raise SeriesError(f"a series compares at most {MAX_RUNS} exercises, not {len(logs)}",
                          f"Eine Übungsreihe vergleicht höchstens {MAX_RUNS} Übungen, "
                          f"nicht {len(logs)}")  # fmt: skip
    companies: dict[str, str] = {}  # company id -> the first label with it
    for label, header, _entries in logs:
        if header.bundle is None:
            continue  # run_of says why it cannot be replayed
        cid = header.bundle.company.company.id
        companies.setdefault(cid, label)
    if len(companies) > 1:
        listed = ", ".join(f"{label}: {cid!r}" for cid, label in companies.items())
        raise SeriesError(f"the exercises are of different companies ({listed}); a series "
                          "compares runs of one company",
                          f"Die Übungen betreffen verschiedene Unternehmen ({listed}); eine "
                          "Übungsreihe vergleicht Läufe eines Unternehmens")  # fmt: skip
    runs = []
    for label, header, entries in logs:
        try:
            runs.append(run_of(label, header, entries, lang))
        except LogError as e:
            raise SeriesError(f"{label}: {e}", f"{label}: {e}") from None
    never = datetime.min.replace(tzinfo=UTC)  # undated runs go last, in the order given
    ordered = sorted(enumerate(runs), key=lambda ir: (ir[1].date is None, ir[1].date or never,
                                                      ir[0]))  # fmt: skip
    in_time = tuple(r for _i, r in ordered)
    scenarios = tuple(dict.fromkeys(r.scenario_id for r in in_time))
    digests = {_company_digest(h) for _l, h, _e in logs}
    return Series(lang=lang, company=in_time[0].company_name, runs=in_time,
                  trends=trends(in_time), scenarios=scenarios,
                  company_changed=len(digests) > 1)  # fmt: skip
