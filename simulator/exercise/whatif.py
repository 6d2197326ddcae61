"""What-if forks of an exercise: change a decision in the log, play both logs
to the horizon and compare what happened to every business process.

An edit (drop, replace, move or add a decision) returns a new log that is
consistent on its own: entries in simulated-time order, seqs 1..n, every
accept/reject pointing at its proposal's new seq. Everything else in the log
stays as it was played: the scripted injects the pacer released ("msel"
entries) keep their times, facilitator injects and skips too, so only the
decision differs. After the last entry the script plays on as scheduled up to
the horizon. With `n` > 1 both logs are played on the same `n` seeds (common
random numbers), so the difference is the decision's, not the dice's. On
those other dice a facilitator's command can be moot (a trigger released the
inject the facilitator released by hand): it is passed over there, and the
result counts the runs it was (`Risk.skipped`). On the log's own seed the log
plays exactly as recorded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from simulator.analysis.metrics import SECONDS_PER_HOUR, RunSummary, asset_segments, summarize
from simulator.analysis.montecarlo import (
    Z95,
    Outcome,
    ProcessStats,
    percentile,
    replication_seed,
    statistics,
)
from simulator.engine.records import EPSILON
from simulator.engine.simulation import CommandError, Simulation
from simulator.engine.triggers import EVENT_TRIGGER
from simulator.exercise.log import (
    ENGINE_VERSION,
    AnswerEntry,
    DecisionEntry,
    DecisionPayload,
    DelayEntry,
    LogEntry,
    LogError,
    LogHeader,
    ReleaseEntry,
    SkipEntry,
    TriggerEntry,
)
from simulator.exercise.replay import horizon_of, replay
from simulator.exercise.session import Moot, Refused
from simulator.model.schema import AssetKind, ScenarioBundle, text

DECISION_KINDS = frozenset({"decision", "proposal"})
ANSWER_KINDS = frozenset({"accept", "reject"})
MAX_REPLICATIONS = 100_000  # two replays each; bounds a request's work


class EditError(LogError):
    """An edit that does not fit the log; `field` names the culprit (drop,
    replace, move, add, or the edit's `action`/`at`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


# --------------------------------------------------------------------------- edits


@dataclass(frozen=True, slots=True)
class Drop:
    """Leave out decision or proposal `seq` (a proposal with its answer), or
    an answer (an accept dropped: the proposal stays open, nothing happens)."""

    seq: int


@dataclass(frozen=True, slots=True)
class Replace:
    """Take catalogue action `action` instead, at the same time."""

    seq: int
    action: str


@dataclass(frozen=True, slots=True)
class Move:
    """Take decision `seq` at simulated second `to` instead. A proposal takes
    its answer along (the facilitator answers as quickly as they did)."""

    seq: int
    to: int


@dataclass(frozen=True, slots=True)
class Add:
    """Take catalogue action `action` at simulated second `at`."""

    at: int
    action: str
    actor: str = "participant"


Edit = Drop | Replace | Move | Add
_FIELD = {Drop: "drop", Replace: "replace", Move: "move", Add: "add"}


def edit(bundle: ScenarioBundle, entries: Sequence[LogEntry], change: Edit) -> list[LogEntry]:
    """A new consistent log with `change` applied; EditError if it cannot be."""
    field = _FIELD[type(change)]
    items = list(entries)
    match change:
        case Drop(seq):
            target = _find(items, seq, field, DECISION_KINDS | ANSWER_KINDS)
            gone = {seq} | (_answers(items, seq) if target.kind == "proposal" else set())
            items = [e for e in items if e.seq not in gone]
        case Replace(seq, action):
            target = _find(items, seq, field, DECISION_KINDS)
            _check_action(bundle, action, field)
            payload = DecisionPayload(action=action)
            items = [e.model_copy(update={"payload": payload}) if e is target else e
                     for e in items]  # fmt: skip
        case Move(seq, to):
            target = _find(items, seq, field, DECISION_KINDS | ANSWER_KINDS)
            _check_time(bundle, items, to, field)
            items = _move(items, target, to, field, horizon_of(bundle, items))
        case Add(at, action, actor):
            _check_action(bundle, action, field)
            _check_time(bundle, items, at, field)
            new = DecisionEntry(seq=_free_seq(items), sim_time=at, actor=actor, kind="decision",
                                payload=DecisionPayload(action=action))  # fmt: skip
            items = _place(items, new)
    return renumber(items)


def edit_all(bundle: ScenarioBundle, entries: Sequence[LogEntry], changes: Iterable[Edit]
             ) -> list[LogEntry]:  # fmt: skip
    """Several edits, one after the other (each one's seqs refer to the log
    the previous one left)."""
    out = list(entries)
    for change in changes:
        out = edit(bundle, out, change)
    return out


def renumber(entries: Iterable[LogEntry]) -> list[LogEntry]:
    """Entries in simulated-time order (stable), seqs 1..n, answers remapped."""
    ordered = sorted(entries, key=lambda e: e.sim_time)
    new_seq = {e.seq: i for i, e in enumerate(ordered, 1)}
    out: list[LogEntry] = []
    for i, e in enumerate(ordered, 1):
        update: dict[str, Any] = {"seq": i}
        if isinstance(e, AnswerEntry):
            proposal = new_seq.get(e.payload.proposal)
            if proposal is None:
                raise LogError(f"entry {e.seq}: it answers proposal {e.payload.proposal}, "
                               "which is not in the log")  # fmt: skip
            update["payload"] = e.payload.model_copy(update={"proposal": proposal})
        out.append(e.model_copy(update=update))
    return out


def _find(items: Sequence[LogEntry], seq: int, field: str, kinds: frozenset[str]) -> LogEntry:
    target = next((e for e in items if e.seq == seq), None)
    if target is None:
        last = max((e.seq for e in items), default=0)
        raise EditError(field, f"no entry {seq} in the log (it has entries 1 to {last})")
    if target.kind not in kinds:
        what = "a decision or proposal" if kinds == DECISION_KINDS else (
            "a decision, proposal or answer to one")  # fmt: skip
        article = "an" if target.kind[0] in "aeiou" else "a"
        hint = ""
        if isinstance(target, AnswerEntry):
            hint = f" (its proposal is entry {target.payload.proposal})"
        raise EditError(field, f"entry {seq} is {article} {target.kind} entry, not {what}{hint}")
    return target


def _answers(items: Sequence[LogEntry], proposal: int) -> set[int]:
    return {e.seq for e in items if isinstance(e, AnswerEntry) and e.payload.proposal == proposal}


def _check_action(bundle: ScenarioBundle, action: str, field: str) -> None:
    known = [a.id for a in bundle.scenario.actions]
    if action not in known:
        listed = ", ".join(known) if known else "none"
        raise EditError(field, f"no action {action!r} in the scenario's catalogue "
                               f"(its actions: {listed})")  # fmt: skip


def _check_time(bundle: ScenarioBundle, items: Sequence[LogEntry], t: int, field: str) -> None:
    horizon = horizon_of(bundle, items)
    if t < 0:
        raise EditError(field, f"the time cannot be before the start (got {t} s)")
    if t > horizon:
        raise EditError(field, f"T+{t / SECONDS_PER_HOUR:g} h is beyond the horizon "
                               f"(T+{horizon / SECONDS_PER_HOUR:g} h)")  # fmt: skip


def _free_seq(items: Sequence[LogEntry]) -> int:
    """A seq no entry has (renumber gives the real one)."""
    return max((e.seq for e in items), default=0) + 1


def _place(items: list[LogEntry], new: LogEntry) -> list[LogEntry]:
    """`new` after every entry at or before its time: a decision taken at T
    comes after the scripted injects the pacer released at T (as live)."""
    at = sum(1 for e in items if e.sim_time <= new.sim_time)
    ordered = sorted(items, key=lambda e: e.sim_time)
    return [*ordered[:at], new, *ordered[at:]]


def _move(items: list[LogEntry], target: LogEntry, to: int, field: str, horizon: int
          ) -> list[LogEntry]:  # fmt: skip
    if isinstance(target, AnswerEntry):
        proposal = next(e for e in items if e.seq == target.payload.proposal)
        if to < proposal.sim_time:
            raise EditError(field, f"an answer cannot come before its proposal {proposal.seq} "
                                   f"(T+{proposal.sim_time / SECONDS_PER_HOUR:g} h)")  # fmt: skip
        moving = {target.seq: to}
    else:
        shift = to - target.sim_time
        moving = {target.seq: to}
        for e in items:
            if e.seq in _answers(items, target.seq):
                if e.sim_time + shift > horizon:
                    end = f"T+{horizon / SECONDS_PER_HOUR:g} h"
                    raise EditError(field, f"its answer (entry {e.seq}) would come after "
                                           f"the horizon ({end})")  # fmt: skip
                moving[e.seq] = e.sim_time + shift
    rest = [e for e in items if e.seq not in moving]
    for e in items:  # the proposal first, then its answer
        if e.seq in moving:
            rest = _place(rest, e.model_copy(update={"sim_time": moving[e.seq],
                                                     "wall_time": None}))  # fmt: skip
    return rest


# --------------------------------------------------------------------------- playing


def _play(bundle: ScenarioBundle, seed: int, entries: Sequence[LogEntry],
          until: int | None = None, moot: Moot | None = None) -> Simulation:  # fmt: skip
    """The exercise of `entries` played on `seed` up to `until` (default: the
    horizon), the script playing on as scheduled where the log ends — the
    exercise object's own replay (simulator.exercise.replay)."""
    limit = horizon_of(bundle, entries) if until is None else until
    # replications' seeds are 64-bit: given to the replay, not the header
    header = LogHeader(engine=ENGINE_VERSION, bundle=bundle, seed=bundle.scenario.seed)
    try:
        return replay(header, entries, limit, seed=seed, moot=moot).sim
    except CommandError as e:  # an inject the scenario's company cannot take
        raise LogError(f"the log does not replay on this scenario: {e}") from None


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True, slots=True)
class Figures:
    """One business process over one run (hours; EUR). `breach_h`: the hours
    its outages below the MBCO lasted beyond the RTO, summed."""

    downtime_h: float
    below_mbco_h: float | None
    breach_h: float | None
    rto_breached: bool | None
    mtpd_breached: bool | None
    data_loss_h: float | None
    impact_eur: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Totals:
    """All business processes: hours summed, breaches counted, the most data
    lost (processes share their data), impact summed. Also a difference,
    changed − original (of the totals, or of one process: then each breach
    count is +1 for a new breach, −1 for one avoided)."""

    downtime_h: float
    below_mbco_h: float
    breach_h: float
    rto_breaches: int
    mtpd_breaches: int
    data_loss_h: float
    impact_eur: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def minus(self, other: Totals) -> Totals:
        """self − other, field by field."""
        return Totals(**{f.name: _round(getattr(self, f.name) - getattr(other, f.name))
                         for f in fields(self)})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProcessComparison:
    id: str
    original: Figures
    changed: Figures
    diff: Totals

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "original": self.original.to_dict(),
                "changed": self.changed.to_dict(), "diff": self.diff.to_dict()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Comparison:
    """Both logs on one seed, side by side, per process and in total."""

    seed: int
    horizon: int
    processes: tuple[ProcessComparison, ...]
    original: Totals
    changed: Totals
    diff: Totals
    # The script each played: the triggers that fired, (id, simulated second)
    # — another decision can set off, or spare, an adaptive inject.
    fired_original: tuple[tuple[str, int], ...] = ()
    fired_changed: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def fired(items: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
            return [{"trigger": t, "at_h": round(at / SECONDS_PER_HOUR, 4)} for t, at in items]

        return {"seed": self.seed, "horizon_h": round(self.horizon / SECONDS_PER_HOUR, 4),
                "processes": [p.to_dict() for p in self.processes],
                "totals": {"original": self.original.to_dict(), "changed": self.changed.to_dict(),
                           "diff": self.diff.to_dict()},
                "triggers": {"original": fired(self.fired_original),
                             "changed": fired(self.fired_changed)}}  # fmt: skip

    def process(self, process_id: str) -> ProcessComparison:
        return next(p for p in self.processes if p.id == process_id)


def _round(x: float) -> Any:
    return x if isinstance(x, int) else round(x, 4 if abs(x) < 1e6 else 2)


def breach_hours(bundle: ScenarioBundle, sim: Simulation, horizon: int) -> dict[str, float | None]:
    """Per business process: the hours each outage below its MBCO lasted
    beyond its RTO, summed (an outage still on at the horizon counts up to
    it); None for a process without a BIA. The episodes are the ones
    metrics.summarize measures the RTO breach on."""
    segments = asset_segments(bundle, sim.records, horizon)
    out: dict[str, float | None] = {}
    for a in bundle.company.assets:
        if a.kind != AssetKind.business_process:
            continue
        if a.bia is None:
            out[a.id] = None
            continue
        beyond, start = 0, None
        for s in segments[a.id]:
            if s.capacity < a.bia.mbco - EPSILON:
                start = s.start if start is None else start
            elif start is not None:
                beyond += max(0, s.start - start - a.bia.rto)
                start = None
        if start is not None:
            beyond += max(0, max(horizon, start) - start - a.bia.rto)
        out[a.id] = round(beyond / SECONDS_PER_HOUR, 4)
    return out


@dataclass(frozen=True)
class Played:
    """A log played to its horizon: the engine, its summary, breach hours."""

    sim: Simulation
    horizon: int
    summary: RunSummary
    breach_h: dict[str, float | None]

    def figures(self) -> dict[str, Figures]:
        return {p.id: Figures(p.downtime_h, p.below_mbco_h, self.breach_h.get(p.id),
                              p.rto_breached, p.mtpd_breached, p.data_loss_h, p.impact_eur)
                for p in self.summary.processes}  # fmt: skip


def play(bundle: ScenarioBundle, seed: int, entries: Sequence[LogEntry],
         moot: Moot | None = None) -> Played:  # fmt: skip
    """`entries` played on `seed` to the horizon, and summarised; `moot`:
    see simulator.exercise.replay.replay (other dice only)."""
    sim = _play(bundle, seed, entries, moot=moot)
    horizon = sim.horizon
    return Played(sim, horizon, summarize(bundle, sim.records, horizon),
                  breach_hours(bundle, sim, horizon))  # fmt: skip


def totals(figures: Iterable[Figures]) -> Totals:
    rows = list(figures)
    return Totals(
        downtime_h=_round(sum(f.downtime_h for f in rows)),
        below_mbco_h=_round(sum(f.below_mbco_h or 0.0 for f in rows)),
        breach_h=_round(sum(f.breach_h or 0.0 for f in rows)),
        rto_breaches=sum(1 for f in rows if f.rto_breached),
        mtpd_breaches=sum(1 for f in rows if f.mtpd_breached),
        data_loss_h=_round(max((f.data_loss_h or 0.0 for f in rows), default=0.0)),
        impact_eur=round(sum(f.impact_eur for f in rows), 2),
    )


def _delta(a: Figures, b: Figures) -> Totals:
    return Totals(
        downtime_h=_round(b.downtime_h - a.downtime_h),
        below_mbco_h=_round((b.below_mbco_h or 0.0) - (a.below_mbco_h or 0.0)),
        breach_h=_round((b.breach_h or 0.0) - (a.breach_h or 0.0)),
        rto_breaches=int(bool(b.rto_breached)) - int(bool(a.rto_breached)),
        mtpd_breaches=int(bool(b.mtpd_breached)) - int(bool(a.mtpd_breached)),
        data_loss_h=_round((b.data_loss_h or 0.0) - (a.data_loss_h or 0.0)),
        impact_eur=round(b.impact_eur - a.impact_eur, 2),
    )


def compare_played(seed: int, original: Played, changed: Played) -> Comparison:
    a, b = original.figures(), changed.figures()
    rows = tuple(ProcessComparison(pid, a[pid], b[pid], _delta(a[pid], b[pid])) for pid in a)
    ta, tb = totals(a.values()), totals(b.values())
    return Comparison(seed, max(original.horizon, changed.horizon), rows, ta, tb, tb.minus(ta),
                      fired(original.sim), fired(changed.sim))  # fmt: skip


def fired(sim: Simulation) -> tuple[tuple[str, int], ...]:
    """The triggers a run fired: (id, simulated second), in order."""
    return tuple(((r.cause or "").removeprefix("trigger:"), r.t) for r in sim.records
                 if r.event == EVENT_TRIGGER)  # fmt: skip


def compare(bundle: ScenarioBundle, seed: int, original: Sequence[LogEntry],
            changed: Sequence[LogEntry]) -> Comparison:  # fmt: skip
    """Both logs played on `seed` to the horizon, side by side."""
    return compare_played(seed, play(bundle, seed, original), play(bundle, seed, changed))


# --------------------------------------------------------------------------- Monte Carlo


@dataclass(frozen=True, slots=True)
class PairedDifference:
    """Changed − original over paired replications: the mean with a 95%
    normal interval (paired: common random numbers make it narrow) and the
    95th percentile of the per-replication differences."""

    mean: float
    ci: tuple[float, float]
    p95: float

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "ci": list(self.ci), "p95": self.p95}


def paired(diffs: Sequence[float], digits: int = 4) -> PairedDifference:
    n = len(diffs)
    mean = sum(diffs) / n
    var = sum((d - mean) ** 2 for d in diffs) / (n - 1) if n > 1 else 0.0
    half = Z95 * math.sqrt(var / n)
    return PairedDifference(round(mean, digits), (round(mean - half, digits),
                                                  round(mean + half, digits)),
                            round(percentile(diffs, 95), digits))  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProcessRisk:
    """One process over n paired replications: both logs' statistics (breach
    probabilities with Wilson intervals, impact mean and P95, from
    simulator.analysis.montecarlo) and the paired differences."""

    id: str
    original: ProcessStats
    changed: ProcessStats
    p_rto_breach: PairedDifference
    p_mtpd_breach: PairedDifference
    impact_eur: PairedDifference

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "original": self.original.to_dict(),
                "changed": self.changed.to_dict(),
                "diff": {"p_rto_breach": self.p_rto_breach.to_dict(),
                         "p_mtpd_breach": self.p_mtpd_breach.to_dict(),
                         "impact_eur": self.impact_eur.to_dict()}}  # fmt: skip


_WHAT = {  # a passed-over command in words: German, English
    "release": ("Freigabe der Einlage", "release of inject"),
    "skip": ("Auslassen der Einlage", "skipping inject"),
    "delay": ("Verschieben der Einlage", "delay of inject"),
    "fire": ("Auslösen des Auslösers", "firing trigger"),
    "disarm": ("Abschalten des Auslösers", "disarming trigger"),
}
_WHY = {
    "released": ("bereits eingespielt", "already released"),
    "skipped": ("bereits übersprungen", "already skipped"),
    "fired": ("bereits ausgelöst", "already fired"),
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A facilitator's command passed over as moot in `runs` of the `n`
    replications (in either log): `what` (release, skip, delay, fire,
    disarm) of `target` (an inject, named by `title`, or a trigger), and
    `why` (released, skipped, fired)."""

    what: str
    target: str
    title: str
    why: str
    runs: int
    n: int

    def text(self, lang: str) -> str:
        de = lang == "de"
        what = _WHAT[self.what][0 if de else 1]
        why = _WHY[self.why][0 if de else 1]
        if de:
            return (f"In {self.runs} von {self.n} Durchläufen übersprungen: {what} "
                    f"„{self.title}“ ({why})")  # fmt: skip
        return f"Skipped in {self.runs} of {self.n} runs: {what} “{self.title}” ({why})"

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "target": self.target, "title": self.title, "why": self.why,
                "runs": self.runs, "text": {"de": self.text("de"), "en": self.text("en")}}


def _passed_over(bundle: ScenarioBundle, entry: LogEntry, why: str
                 ) -> tuple[str, str, str, str]:  # fmt: skip
    """(what, target, title, why) of a command passed over as moot."""
    if isinstance(entry, TriggerEntry):
        return entry.payload.action, entry.payload.trigger, entry.payload.trigger, why
    assert isinstance(entry, ReleaseEntry | SkipEntry | DelayEntry)  # moot_reason's kinds
    inject = entry.payload.inject
    found = next((i for i in bundle.scenario.injects if i.id == inject), None)
    title = inject if found is None else (text(found.title) or inject)
    return entry.kind, inject, title, why


def _refused(e: Refused, run: int, n: int) -> LogError:
    """A refusal on other dice that is no moot command, said plainly."""
    return LogError(f"in run {run} of {n} (other random draws) log entry {e.entry.seq} "
                    f"cannot be played again: {e.rejected.message}")  # fmt: skip


@dataclass(frozen=True)
class Risk:
    """The Monte Carlo comparison of two logs on common random numbers."""

    n: int
    seed: int
    processes: tuple[ProcessRisk, ...]
    impact_eur: PairedDifference  # all processes together
    outcomes: tuple[tuple[Outcome, ...], tuple[Outcome, ...]]  # original, changed
    skipped: tuple[Skipped, ...] = ()  # commands moot on some dice, passed over there

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "seed": self.seed,
                "processes": [p.to_dict() for p in self.processes],
                "total_impact_eur": self.impact_eur.to_dict(),
                "skipped": [k.to_dict() for k in self.skipped]}  # fmt: skip

    def process(self, process_id: str) -> ProcessRisk:
        return next(p for p in self.processes if p.id == process_id)


def _outcomes(i: int, played: Played) -> list[Outcome]:
    return [Outcome(i, p.id, bool(p.rto_breached), bool(p.mtpd_breached), p.downtime_h,
                    p.below_mbco_h or 0.0, p.impact_eur)
            for p in played.summary.processes]  # fmt: skip


def risk(bundle: ScenarioBundle, seed: int, original: Sequence[LogEntry],
         changed: Sequence[LogEntry], n: int,
         progress: Callable[[int], None] | None = None) -> Risk:  # fmt: skip
    """Both logs on the same `n` replication seeds (those montecarlo derives
    from `seed`): common random numbers, so identical logs differ by exactly
    zero in every replication. A facilitator's command these dice made
    moot is passed over and counted (`Risk.skipped`); any other refusal is
    a LogError naming the run. `progress(1)` after each replication."""
    if not 1 <= n <= MAX_REPLICATIONS:
        raise ValueError(f"n: between 1 and {MAX_REPLICATIONS} replications, not {n}")
    a: list[Outcome] = []
    b: list[Outcome] = []
    runs: dict[tuple[str, str, str, str], set[int]] = {}  # passed over -> replications
    for i in range(n):
        s = replication_seed(seed, i)

        def moot(entry: LogEntry, why: str, i: int = i) -> None:
            runs.setdefault(_passed_over(bundle, entry, why), set()).add(i)

        try:
            a += _outcomes(i, play(bundle, s, original, moot))
            b += _outcomes(i, play(bundle, s, changed, moot))
        except Refused as e:
            raise _refused(e, i + 1, n) from None
        if progress:
            progress(1)
    sa = {p.id: p for p in statistics(a)}
    sb = {p.id: p for p in statistics(b)}
    pairs: dict[str, list[tuple[Outcome, Outcome]]] = {}
    for x, y in zip(a, b, strict=True):  # same process order in every replay
        pairs.setdefault(x.process, []).append((x, y))
    rows = []
    for pid, pp in pairs.items():
        rows.append(ProcessRisk(
            pid, sa[pid], sb[pid],
            paired([int(y.rto_breached) - int(x.rto_breached) for x, y in pp]),
            paired([int(y.mtpd_breached) - int(x.mtpd_breached) for x, y in pp]),
            paired([y.impact_eur - x.impact_eur for x, y in pp], 2),
        ))  # fmt: skip
    per_rep = [0.0] * n
    for x, y in zip(a, b, strict=True):
        per_rep[x.replication] += y.impact_eur - x.impact_eur
    skipped = tuple(Skipped(*key, runs=len(at), n=n) for key, at in runs.items())
    return Risk(n, seed, tuple(rows), paired(per_rep, 2), (tuple(a), tuple(b)), skipped)


# --------------------------------------------------------------------------- the fork


@dataclass(frozen=True)
class WhatIf:
    """A what-if: the edits, the changed log, the comparison on the log's
    seed and (n > 1) the Monte Carlo comparison."""

    edits: tuple[Edit, ...]
    entries: tuple[LogEntry, ...]
    comparison: Comparison
    risk: Risk | None

    def to_dict(self) -> dict[str, Any]:
        return {"edits": [{"edit": _FIELD[type(e)], **asdict(e)} for e in self.edits],
                "entries": [e.to_dict() for e in self.entries],
                **self.comparison.to_dict(),
                "montecarlo": None if self.risk is None else self.risk.to_dict()}  # fmt: skip


def whatif(bundle: ScenarioBundle, seed: int, entries: Sequence[LogEntry],
           changes: Edit | Sequence[Edit], n: int = 1,
           progress: Callable[[int], None] | None = None) -> WhatIf:  # fmt: skip
    """The log with `changes` against the log as played: on `seed`, and with
    n > 1 also over n paired replications."""
    edits = (changes,) if isinstance(changes, Drop | Replace | Move | Add) else tuple(changes)
    if not 1 <= n <= MAX_REPLICATIONS:
        raise ValueError(f"n: between 1 and {MAX_REPLICATIONS} replications, not {n}")
    changed = edit_all(bundle, entries, edits)
    comparison = compare(bundle, seed, entries, changed)
    mc = risk(bundle, seed, entries, changed, n, progress) if n > 1 else None
    return WhatIf(edits, tuple(changed), comparison, mc)
