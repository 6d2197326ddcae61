"""Run summaries computed from the engine's record stream.

Pure functions, no I/O: the engine writes `Record`s, this module turns them
into per-process BIA figures (first impact, downtime, time below MBCO, RTO /
MTPD / RPO breaches, financial impact) and per-asset figures.

Conventions:

- Time is whole seconds from the scenario start; reported figures are hours
  (floats rounded to 4 decimals), `None` when the thing never happened.
- Only [0, horizon) is looked at: a record at or after the horizon is after
  the run. Several records at one instant count as one change (the last one
  wins): a state that lasts zero seconds is no outage.
- Every asset starts at capacity 1.0 ("up"), a standby asset at 0.0
  ("standby").
- Records are expected in time order (as the engine writes them); each asset's
  records are walked once, so the cost is O(records).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from simulator.engine.records import (
    EPSILON,
    EVENT_DATA_LOSS,
    EVENT_STATE,
    Record,
    State,
    state_of,
)
from simulator.model.graph import build_graph
from simulator.model.schema import BIA, Asset, AssetKind, ImpactStep, ScenarioBundle

SECONDS_PER_HOUR = 3600


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class ProcessSummary:
    """BIA figures of one business process over a run (hours from the start)."""

    id: str
    first_impact_h: float | None  # first time capacity < 1
    downtime_h: float  # total time at capacity 0
    below_mbco_h: float | None  # total time below the MBCO; None without a BIA
    restored_h: float | None  # end of the last outage below MBCO; None if none or still out
    rto_h: float | None
    mtpd_h: float | None
    rto_breached: bool | None  # an outage below MBCO lasted longer than the RTO
    mtpd_breached: bool | None  # ... longer than the MTPD
    impact_eur: float  # integral of rate x (1 - capacity), in EUR (cents)
    data_loss_h: float | None  # most data lost by a data asset the process stands on
    rpo_breached: bool | None  # data_loss_h > rpo; None without an RPO or without loss
    worst_capacity: float  # lowest capacity reached

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class AssetSummary:
    """Outage figures of one asset over a run (hours from the start)."""

    id: str
    kind: str
    first_down_h: float | None  # first time in state "down"
    downtime_h: float  # total time in state "down" (standby time does not count)
    min_capacity: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RunSummary:
    processes: tuple[ProcessSummary, ...]
    assets: tuple[AssetSummary, ...]

    def to_dict(self) -> dict[str, Any]:
        """{"processes": [...], "assets": [...]} of plain dicts, stable key order."""
        return {
            "processes": [p.to_dict() for p in self.processes],
            "assets": [a.to_dict() for a in self.assets],
        }

    def process(self, process_id: str) -> ProcessSummary:
        for p in self.processes:
            if p.id == process_id:
                return p
        raise KeyError(process_id)

    def asset(self, asset_id: str) -> AssetSummary:
        for a in self.assets:
            if a.id == asset_id:
                return a
        raise KeyError(asset_id)


@dataclass(frozen=True, slots=True)
class Segment:
    """An asset at constant `capacity` and `state` over [start, end) seconds."""

    start: int
    end: int
    capacity: float
    state: State


# --------------------------------------------------------------------------- helpers


def _hours(seconds: float) -> float:
    return round(seconds / SECONDS_PER_HOUR, 4)


def initial_condition(asset: Asset) -> tuple[float, State]:
    """Capacity and state an asset starts with: standby assets idle at 0."""
    return (0.0, "standby") if asset.standby is not None else (1.0, "up")


def _state_records_by_asset(
    records: Iterable[Record], only: Collection[str] | None = None
) -> dict[str, list[Record]]:
    """The "state" records of each asset (of those in `only`), in order;
    checks the stream's time order."""
    out: dict[str, list[Record]] = {}
    last_t: int | None = None
    for r in records:
        if last_t is not None and r.t < last_t:
            raise ValueError(f"records out of time order: seq {r.seq} at t={r.t} after t={last_t}")
        last_t = r.t
        if r.event == EVENT_STATE and r.asset is not None and (only is None or r.asset in only):
            out.setdefault(r.asset, []).append(r)
    return out


class SegmentBuilder:
    """One asset's constant stretches, built record by record.

    `add` takes the asset's state records in time order (each before the
    horizon) and hands back a stretch once it is final; `tail(horizon)` closes
    what is still open without changing the builder, so a read model can ask
    "up to now" again and again while the records keep coming. A finished
    stretch is held back until a different one follows: an asset that returns
    at one instant to where it was continues the same stretch.
    """

    __slots__ = ("held", "capacity", "state", "since")

    def __init__(self, capacity: float, state: State) -> None:
        self.held: Segment | None = None  # the last stretch, until a different one follows
        self.capacity = capacity  # from `since` on (the last record of an instant wins)
        self.state: State = state
        self.since = 0

    def add(self, r: Record) -> Segment | None:
        """Take in one state record; returns the stretch it made final, if any."""
        t = r.t if r.t > 0 else 0
        done: Segment | None = None
        if t > self.since:
            held, cap, state = self.held, self.capacity, self.state
            if held is not None and held.capacity == cap and held.state == state:
                self.held = Segment(held.start, t, cap, state)
            else:
                done, self.held = held, Segment(self.since, t, cap, state)
            self.since = t
        if r.after is not None:
            self.capacity = r.after
        self.state = r.state if r.state is not None else state_of(self.capacity)
        return done

    def tail(self, horizon: int) -> list[Segment]:
        """The stretches `add` has not returned, the open one closed at `horizon`."""
        held, cap, state = self.held, self.capacity, self.state
        if held is not None and horizon <= self.since:
            return [held]
        end = max(horizon, self.since)
        if held is not None and held.capacity == cap and held.state == state:
            return [Segment(held.start, end, cap, state)]
        last = Segment(self.since, end, cap, state)
        return [last] if held is None else [held, last]


def _segments(
    state_records: Sequence[Record], initial: float, initial_state: State, horizon: int
) -> list[Segment]:
    """Constant stretches covering [0, horizon) (one segment if horizon <= 0)."""
    builder = SegmentBuilder(initial, initial_state)
    segs: list[Segment] = []
    for r in state_records:
        if r.t >= horizon:
            break
        done = builder.add(r)
        if done is not None:
            segs.append(done)
    segs.extend(builder.tail(horizon))
    return segs


def asset_segments(
    bundle: ScenarioBundle, records: Iterable[Record], horizon: int
) -> dict[str, list[Segment]]:
    """Every asset's constant stretches over [0, horizon), keyed by id in file order."""
    by_asset = _state_records_by_asset(records)
    out: dict[str, list[Segment]] = {}
    for asset in bundle.company.assets:
        cap, state = initial_condition(asset)
        out[asset.id] = _segments(by_asset.get(asset.id, []), cap, state, horizon)
    return out


def capacity_series(
    records: Iterable[Record], asset_id: str, initial: float, *, horizon: int | None = None
) -> list[tuple[int, float]]:
    """Step-function points (t seconds, capacity from t on) of one asset.

    Starts with (0, initial); one point per change, the last record of an
    instant winning. With `horizon`, records at or after it are dropped and a
    closing point (horizon, capacity) is added.
    """
    points: list[tuple[int, float]] = [(0, initial)]
    for r in records:
        if r.event != EVENT_STATE or r.asset != asset_id or r.after is None:
            continue
        if horizon is not None and r.t >= horizon:
            break
        t = max(r.t, 0)
        if points[-1][0] == t:
            points[-1] = (t, r.after)
        else:
            points.append((t, r.after))
        if len(points) >= 2 and points[-1][1] == points[-2][1]:
            points.pop()
    if horizon is not None and points[-1][0] < horizon:
        points.append((horizon, points[-1][1]))
    return points


class ImpactEpisode:
    """A process's impact rate, walked stretch by stretch (see `_impact_pieces`).

    It remembers where the current impact episode began and which steps of
    the BIA's curve are in force, so stretches can be fed as they become
    final; `copy` lets a read model look ahead to "now" and throw that away.
    """

    __slots__ = ("flat", "steps", "start", "k")

    def __init__(self, bia: BIA | None) -> None:
        self.flat = bia.impact_per_hour if bia is not None else None
        self.steps: list[ImpactStep] = sorted(
            (bia.impact or []) if bia is not None else [], key=lambda s: s.after
        )
        self.start: int | None = None  # when the current episode began
        self.k = 0  # steps in force: those with after <= age

    @property
    def priced(self) -> bool:
        """Whether the BIA puts a price on an outage at all."""
        return self.flat is not None or bool(self.steps)

    def copy(self) -> ImpactEpisode:
        other = ImpactEpisode(None)
        other.flat, other.steps, other.start, other.k = self.flat, self.steps, self.start, self.k
        return other

    def next_step(self, t: int) -> int | None:
        """When the next step of the curve at or after `t` falls due in the
        current episode (None: no episode, a flat rate or no step left)."""
        if self.start is None:
            return None
        for step in self.steps:
            if self.start + step.after >= t:
                return self.start + step.after
        return None

    def add(self, s: Segment, pieces: list[tuple[int, int, float]]) -> None:
        """Append the (start, end, EUR per hour) pieces of stretch `s` to `pieces`."""
        loss = 1.0 - s.capacity
        if loss <= EPSILON:
            self.start = None
            return
        if self.start is None:
            self.start, self.k = s.start, 0
        if self.flat is not None:
            pieces.append((s.start, s.end, self.flat * loss))
            return
        steps, start = self.steps, self.start
        cur = s.start
        while cur < s.end:
            while self.k < len(steps) and start + steps[self.k].after <= cur:
                self.k += 1
            k = self.k
            rate = steps[k - 1].per_hour if k else 0.0
            nxt = start + steps[k].after if k < len(steps) else s.end
            end = min(s.end, nxt)
            if rate > 0:
                pieces.append((cur, end, rate * loss))
            cur = end


def _impact_pieces(segs: Sequence[Segment], bia: BIA | None) -> list[tuple[int, int, float]]:
    """(start, end, EUR per hour) stretches of one process's impact.

    The rate is `impact_per_hour`, or for a step curve the `per_hour` of the
    last step whose `after` <= the age of the current impact episode (a
    continuous stretch with capacity < 1); it is scaled by (1 - capacity).

    An episode starts when the disruption does (the first loss of capacity),
    not when the process falls below its MBCO: a BIA's "losses grow after
    24 h" is read from the start of the incident, and it is the conservative
    reading (the higher rate starts sooner). A partial recovery, even above
    the MBCO, does not reset the curve; only full capacity ends the episode.
    """
    episode = ImpactEpisode(bia)
    pieces: list[tuple[int, int, float]] = []
    if episode.priced:
        for s in segs:
            episode.add(s, pieces)
    return pieces


def _data_loss_by_asset(records: Iterable[Record]) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in records:
        if r.event != EVENT_DATA_LOSS or r.asset is None or r.detail is None:
            continue
        hours = float(r.detail)
        if hours > out.get(r.asset, -1.0):
            out[r.asset] = hours
    return out


# --------------------------------------------------------------------------- summaries


def _summarize_asset(asset: Asset, segs: Sequence[Segment]) -> AssetSummary:
    first_down: int | None = None
    down = 0
    for s in segs:
        if s.state == "down":
            down += s.end - s.start
            if first_down is None:
                first_down = s.start
    return AssetSummary(
        id=asset.id,
        kind=asset.kind.value,
        first_down_h=None if first_down is None else _hours(first_down),
        downtime_h=_hours(down),
        min_capacity=round(min(s.capacity for s in segs), 6),
    )


class ProcessTally:
    """A process's BIA figures, taken in stretch by stretch (`add`).

    `summary` closes them at a horizon; `copy` lets a read model add the open
    stretch up to "now" to a throwaway tally, so an update costs the new
    stretches only, never the whole run.
    """

    __slots__ = (
        "asset", "mbco", "first_impact", "downtime", "below", "longest",
        "outage_start", "restored", "eur", "episode", "worst", "breach",
    )  # fmt: skip

    def __init__(self, asset: Asset) -> None:
        self.asset = asset
        self.mbco = asset.bia.mbco if asset.bia is not None else None
        self.first_impact: int | None = None
        self.downtime = 0
        self.below = 0
        self.longest = 0
        self.outage_start: int | None = None  # below the MBCO since
        self.restored: int | None = None
        self.eur = 0.0  # EUR x seconds per hour, summed piece by piece
        self.episode = ImpactEpisode(asset.bia)
        self.worst = float("inf")
        # first moments an outage below the MBCO passed the RTO and the MTPD
        self.breach: tuple[int | None, int | None] = (None, None)

    def copy(self) -> ProcessTally:
        other = ProcessTally.__new__(ProcessTally)
        other.asset, other.mbco, other.worst = self.asset, self.mbco, self.worst
        other.first_impact, other.downtime, other.below = (
            self.first_impact, self.downtime, self.below
        )  # fmt: skip
        other.longest, other.outage_start, other.restored = (
            self.longest, self.outage_start, self.restored
        )  # fmt: skip
        other.eur, other.episode = self.eur, self.episode.copy()
        other.breach = self.breach
        return other

    def add(self, s: Segment) -> None:
        length = s.end - s.start
        if self.first_impact is None and s.capacity < 1 - EPSILON:
            self.first_impact = s.start
        if s.capacity <= EPSILON:
            self.downtime += length
        if s.capacity < self.worst:
            self.worst = s.capacity
        if self.episode.priced:
            pieces: list[tuple[int, int, float]] = []
            self.episode.add(s, pieces)
            for start, end, rate in pieces:
                self.eur += rate * (end - start)
        mbco = self.mbco
        if mbco is None:
            return
        if s.capacity < mbco - EPSILON:
            self.below += length
            if self.outage_start is None:
                self.outage_start = s.start
        elif self.outage_start is not None:
            self.longest = max(self.longest, s.start - self.outage_start)
            self.breach = self.breaches(s.start)
            self.restored, self.outage_start = s.start, None

    def breaches(self, horizon: int) -> tuple[int | None, int | None]:
        """When an outage below the MBCO first outlasted the RTO and the MTPD
        (seconds; None: not by `horizon`) — the moment `rto_breached` and
        `mtpd_breached` turned true."""
        bia, start = self.asset.bia, self.outage_start
        if bia is None or start is None:
            return self.breach
        rto, mtpd = self.breach
        if rto is None and horizon - start > bia.rto:
            rto = start + bia.rto
        if mtpd is None and horizon - start > bia.mtpd:
            mtpd = start + bia.mtpd
        return rto, mtpd

    def summary(self, horizon: int, data_loss_h: float | None) -> ProcessSummary:
        asset, bia = self.asset, self.asset.bia
        longest, restored = self.longest, self.restored
        if self.outage_start is not None:  # still out at the horizon: counts up to it
            longest = max(longest, max(horizon, self.outage_start) - self.outage_start)
            restored = None

        rpo_breached: bool | None = None
        if bia is not None and bia.rpo is not None and data_loss_h is not None:
            rpo_breached = data_loss_h * SECONDS_PER_HOUR > bia.rpo + 1e-6
        return ProcessSummary(
            id=asset.id,
            first_impact_h=None if self.first_impact is None else _hours(self.first_impact),
            downtime_h=_hours(self.downtime),
            below_mbco_h=None if bia is None else _hours(self.below),
            restored_h=None if restored is None else _hours(restored),
            rto_h=None if bia is None else _hours(bia.rto),
            mtpd_h=None if bia is None else _hours(bia.mtpd),
            rto_breached=None if bia is None else longest > bia.rto,
            mtpd_breached=None if bia is None else longest > bia.mtpd,
            impact_eur=round(self.eur / SECONDS_PER_HOUR, 2),
            data_loss_h=None if data_loss_h is None else round(data_loss_h, 4),
            rpo_breached=rpo_breached,
            worst_capacity=round(self.worst, 6),
        )


def _summarize_process(
    asset: Asset, segs: Sequence[Segment], horizon: int, data_loss_h: float | None
) -> ProcessSummary:
    tally = ProcessTally(asset)
    for s in segs:
        tally.add(s)
    return tally.summary(horizon, data_loss_h)


class ProcessSummarizer:
    """The business processes' figures of runs of one company.

    What depends only on the company -- which assets are processes, which data
    assets lie upstream of each (a process has lost what its worst upstream data
    asset lost) -- is worked out once here, not per run: Monte Carlo summarises
    thousands of runs of one compiled model, and rebuilding the dependency graph
    and its ancestors each time cost as much as the run itself."""

    __slots__ = ("processes", "_ids", "_data_sources", "_on_data")

    def __init__(self, bundle: ScenarioBundle) -> None:
        assets = bundle.company.assets
        self.processes = tuple(a for a in assets if a.kind == AssetKind.business_process)
        self._ids = frozenset(p.id for p in self.processes)
        kinds = {a.id: a.kind for a in assets}
        graph = build_graph(bundle.company) if self.processes else None
        from networkx import ancestors  # loaded with the graph (simulator.model.graph)

        self._data_sources: dict[str, tuple[str, ...]] = {
            p.id: tuple(sorted(a for a in ancestors(graph, p.id)
                               if kinds.get(a) == AssetKind.data))
            for p in self.processes
        } if graph is not None else {}  # fmt: skip
        self._on_data: dict[str, tuple[str, ...]] | None = None  # the inverse, when asked

    def processes_on(self, data: str) -> tuple[str, ...]:
        """The processes standing on data asset `data` (in file order): those
        whose lost data a loss of `data` may set (the live read models)."""
        if self._on_data is None:
            on: dict[str, list[str]] = {}
            for process, sources in self._data_sources.items():
                for source in sources:
                    on.setdefault(source, []).append(process)
            self._on_data = {d: tuple(ps) for d, ps in on.items()}
        return self._on_data.get(data, ())

    def data_lost(self, process: str, loss: Mapping[str, float]) -> float | None:
        """Hours of data `process` lost: the most any data asset upstream lost."""
        lost = [loss[a] for a in self._data_sources.get(process, ()) if a in loss]
        return max(lost) if lost else None

    def summarize(
        self,
        records: Sequence[Record],
        horizon: int,
        segments: Mapping[str, Sequence[Segment]] | None = None,
    ) -> tuple[ProcessSummary, ...]:
        """Each process's figures over [0, horizon), in file order (`segments`:
        the stretches, when the caller has them already)."""
        if segments is None:
            by_asset = _state_records_by_asset(records, self._ids)
            segments = {
                p.id: _segments(by_asset.get(p.id, []), *initial_condition(p), horizon)
                for p in self.processes
            }
        loss = _data_loss_by_asset(r for r in records if r.t < horizon)
        return tuple(
            _summarize_process(p, segments[p.id], horizon, self.data_lost(p.id, loss))
            for p in self.processes
        )


def summarize(bundle: ScenarioBundle, records: Sequence[Record], horizon: int) -> RunSummary:
    """Per-process BIA figures and per-asset outage figures of a run over [0, horizon)."""
    segments = asset_segments(bundle, records, horizon)
    return RunSummary(
        processes=ProcessSummarizer(bundle).summarize(records, horizon, segments),
        assets=tuple(_summarize_asset(a, segments[a.id]) for a in bundle.company.assets),
    )


def impact_series(
    bundle: ScenarioBundle, records: Sequence[Record], horizon: int
) -> list[tuple[int, float]]:
    """Cumulative impact in EUR of all processes: (t seconds, EUR so far) points.

    The total grows linearly between the points; the first point is (0, 0.0)
    and the last is at the horizon.
    """
    segments = asset_segments(bundle, records, horizon)
    delta: dict[int, float] = {}
    for a in bundle.company.assets:
        if a.kind != AssetKind.business_process:
            continue
        for start, end, rate in _impact_pieces(segments[a.id], a.bia):
            delta[start] = delta.get(start, 0.0) + rate
            delta[end] = delta.get(end, 0.0) - rate
    points: list[tuple[int, float]] = [(0, 0.0)]
    total = rate = 0.0
    prev = 0
    for t in sorted(delta):
        if t > prev:
            total += rate * (t - prev) / SECONDS_PER_HOUR
            points.append((t, round(total, 2)))
            prev = t
        rate += delta[t]
    if horizon > prev:
        total += rate * (horizon - prev) / SECONDS_PER_HOUR
        points.append((horizon, round(total, 2)))
    return points


def breach_moments(
    bundle: ScenarioBundle, records: Sequence[Record], horizon: int
) -> dict[str, tuple[int | None, int | None]]:
    """Per business process, when it first breached its RTO and its MTPD over
    [0, horizon) (seconds; None: not breached)."""
    segments = asset_segments(bundle, records, horizon)
    out = {}
    for a in bundle.company.assets:
        if a.kind == AssetKind.business_process:
            tally = ProcessTally(a)
            for seg in segments[a.id]:
                tally.add(seg)
            out[a.id] = tally.breaches(horizon)
    return out


# An objective's state: met (so far), missed (for good), or pending (not
# decided yet: a decision still due, an outage still within its limit).
MET, MISSED, PENDING = "met", "missed", "pending"


@dataclass(frozen=True, slots=True)
class Taken:
    """A catalogue action the players took: when (seconds) and who."""

    t: int
    actor: str | None = None
    team: str | None = None


@dataclass(frozen=True, slots=True)
class ObjectiveResult:
    """A scenario objective against a run: `met` (as the run stands), its
    `state` (met, missed or pending) and the evidence (seconds and figures)."""

    id: str
    process: str | None
    check: str
    met: bool
    state: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_objectives(
    bundle: ScenarioBundle,
    summary: RunSummary,
    *,
    now: int | None = None,
    taken: Mapping[str, Taken] | None = None,
    breaches: Mapping[str, tuple[int | None, int | None]] | None = None,
) -> list[ObjectiveResult]:
    """The scenario's objectives against a run, `summary` being its figures up
    to `now` (None: the run is over, nothing is pending any more):

    - within_rto / within_mtpd: met while no outage below the MBCO outlasted
      the RTO / MTPD (pending while one is open and not past it yet);
    - max_impact: met while the impact EUR (the process's, else every
      process's) is at most `amount`; impact only grows, so missed is final;
    - decision_before: met when `taken` (action -> first time taken, from the
      exercise log) has the action at or before `by`; pending before `by`;
    - no_data_loss: met while the process lost no data.

    `breaches` (process -> first RTO and MTPD breach, seconds) adds the
    breach moments to the evidence. The one place objectives are judged:
    the exercise layer (simulator.exercise.objectives) supplies `taken`."""
    taken = taken or {}
    results = []
    for o in bundle.scenario.objectives:
        p = summary.process(o.process) if o.process is not None else None
        evidence: dict[str, Any] = {}
        if o.check in ("within_rto", "within_mtpd") and p is not None:
            rto = o.check == "within_rto"
            breached = bool(p.rto_breached if rto else p.mtpd_breached)
            open_ = p.restored_h is None and bool(p.below_mbco_h)
            met = not breached
            state = MISSED if breached else (PENDING if open_ and now is not None else MET)
            evidence = {"limit_h": p.rto_h if rto else p.mtpd_h,
                        "below_mbco_h": p.below_mbco_h, "out": open_}  # fmt: skip
            if breaches is not None and p.id in breaches:
                evidence["breach_at"] = breaches[p.id][0 if rto else 1]
        elif o.check == "max_impact":
            eur = p.impact_eur if p is not None else sum(x.impact_eur for x in summary.processes)
            amount = float(o.amount or 0.0)
            met = round(eur, 2) <= amount
            state = MET if met else MISSED
            evidence = {"impact_eur": round(eur, 2), "amount": amount}
        elif o.check == "decision_before":
            by, done = o.by or 0, taken.get(o.action or "")
            met = done is not None and done.t <= by
            if met or done is not None or now is None or now > by:
                state = MET if met else MISSED
            else:
                state = PENDING
            evidence = {"action": o.action, "by": by,
                        "taken_at": done.t if done else None,
                        "actor": done.actor if done else None,
                        "team": done.team if done else None}  # fmt: skip
        else:  # no_data_loss
            lost = p.data_loss_h if p is not None else None
            met = not lost
            state = MET if met else MISSED
            evidence = {"data_loss_h": lost}
        results.append(ObjectiveResult(o.id, o.process, o.check, met, state, evidence))
    return results
