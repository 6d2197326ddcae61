"""What the exercise shows, kept up to date record by record.

Four read models of the engine's record stream, each fed with the new
records only (`feed`) and asked for the figures at a simulated time `now`:

- `ProcessBoard`: each business process against its BIA (countdowns to RTO
  and MTPD, breaches, downtime, time below the MBCO, impact EUR, data lost),
- `OutageTimeline`: per asset, the stretches it was not up,
- `ImpactCurve`: the cumulative impact in EUR over time,
- `AssetStates`: every asset's state and capacity right now.

They give the same figures as the run summary (`simulator.analysis.metrics.summarize`,
`impact_series`, `asset_segments`) at horizon `now`, with its rules (only
[0, now) counts, the last record of an instant wins), but an update costs the
new records and the open stretches, never a walk over the whole run or a
graph build. `now` never goes back, and every record before a `now` asked for
must have been fed before it (as the engine writes them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from simulator.analysis.metrics import (
    SECONDS_PER_HOUR,
    ImpactEpisode,
    ProcessSummarizer,
    ProcessSummary,
    ProcessTally,
    Segment,
    initial_condition,
)
from simulator.engine.records import EPSILON, EVENT_DATA_LOSS, EVENT_STATE, Record, State, state_of
from simulator.exercise.stretches import Stretches
from simulator.model.schema import Asset, AssetKind, Company, ScenarioBundle, text


def _processes(company: Company) -> list[Asset]:
    return [a for a in company.assets if a.kind is AssetKind.business_process]


# --------------------------------------------------------------------------- asset states


class AssetStates:
    """Every asset's state and capacity after the latest record fed (what the
    engine's cascade holds now, records at `now` included)."""

    def __init__(self, assets: Iterable[Asset]) -> None:
        self._now: dict[str, tuple[State, float]] = {}
        for a in assets:
            capacity, state = initial_condition(a)
            self._now[a.id] = (state, capacity)

    def feed(self, records: Iterable[Record]) -> None:
        now = self._now
        for r in records:
            if r.event != EVENT_STATE or r.asset not in now:
                continue
            capacity = now[r.asset][1] if r.after is None else r.after
            now[r.asset] = (r.state if r.state is not None else state_of(capacity), capacity)

    def state(self, asset: str) -> State:
        return self._now[asset][0]

    def capacity(self, asset: str) -> float:
        return self._now[asset][1]

    def snapshot(self) -> dict[str, tuple[State, float]]:
        """{asset id: (state, capacity)} of every asset, in file order."""
        return dict(self._now)


# --------------------------------------------------------------------------- process board


class ProcessBoard:
    """The business processes against their BIA at `now`.

    Closed stretches go into one `ProcessTally` per process as they become
    final; a question at `now` adds the open stretch to a copy of it. Which
    data assets a process stands on is found once per data asset, the first
    time that asset loses data, not per update.
    """

    def __init__(self, bundle: ScenarioBundle) -> None:
        self.company = bundle.company
        self.processes = _processes(self.company)
        self._stretches = Stretches(self.processes, losses=True)
        self._tally = {p.id: ProcessTally(p) for p in self.processes}
        self._states = AssetStates(self.processes)
        # The countdowns run from the first record that took a process below
        # its MBCO, records at `now` included (what the players see happen).
        self._mbco = {p.id: p.bia.mbco if p.bia is not None else 1.0 for p in self.processes}
        self._below_since: dict[str, int] = {}
        self._kinds = {a.id: a.kind for a in self.company.assets}
        self._bundle = bundle
        self._summarizer: ProcessSummarizer | None = None  # made at the first data loss
        self._lost_by_data: dict[str, float] = {}  # data asset -> most hours lost
        self._lost: dict[str, float] = {}  # process -> most hours lost beneath it
        # Figures of processes back at full capacity do not change with time:
        # kept until a new record or data loss touches the process.
        self._steady: dict[str, ProcessSummary] = {}
        self._breach: dict[str, tuple[int | None, int | None]] = {}  # as of the last summaries

    def feed(self, records: Iterable[Record]) -> None:
        stretches, mbco, below = self._stretches, self._mbco, self._below_since
        for r in records:
            stretches.take(r)
            if r.event != EVENT_STATE or r.asset not in mbco:
                continue
            self._states.feed((r,))
            if r.after is None:
                continue
            if r.after < mbco[r.asset] - EPSILON:
                below.setdefault(r.asset, r.t)
            else:
                below.pop(r.asset, None)

    def _settle(self, now: int) -> None:
        touched, losses = self._stretches.settle(now)
        for asset, final in touched.items():
            self._steady.pop(asset, None)
            tally = self._tally[asset]
            for s in final:
                tally.add(s)
        for r in losses:
            self._take_loss(r)

    def _take_loss(self, r: Record) -> None:
        # metrics._data_loss_by_asset and summarize's upstream rule, one record at a time
        if r.event != EVENT_DATA_LOSS or r.asset is None or r.detail is None:
            return
        if self._kinds.get(r.asset) is not AssetKind.data:
            return
        hours = float(r.detail)
        if hours <= self._lost_by_data.get(r.asset, -1.0):
            return
        self._lost_by_data[r.asset] = hours
        for p in self._processes_on(r.asset):
            lost = self._lost.get(p)
            self._lost[p] = hours if lost is None else max(lost, hours)
            self._steady.pop(p, None)

    def _processes_on(self, data: str) -> tuple[str, ...]:
        """The processes standing on `data`: summarize's rule (metrics.ProcessSummarizer)."""
        if self._summarizer is None:
            self._summarizer = ProcessSummarizer(self._bundle)
        return self._summarizer.processes_on(data)

    def summaries(self, now: int) -> list[ProcessSummary]:
        """Each process's figures over [0, now): `summarize(...).processes` at horizon `now`."""
        self._settle(now)
        out = []
        steady = self._steady
        for p in self.processes:
            summary = steady.get(p.id)
            if summary is None:
                tally = self._tally[p.id].copy()
                tail = self._stretches.tail(p.id, now)
                for s in tail:
                    tally.add(s)
                summary = tally.summary(now, self._lost.get(p.id))
                self._breach[p.id] = tally.breaches(now)
                if tail[-1].capacity >= 1 - EPSILON:  # no outage open: "now" plays no part
                    steady[p.id] = summary
            out.append(summary)
        return out

    def breaches(self, now: int) -> dict[str, tuple[int | None, int | None]]:
        """Each process's first RTO and MTPD breach by `now` (seconds, None:
        none): `metrics.breach_moments` at horizon `now`."""
        self.summaries(now)
        return dict(self._breach)

    def rows(self, now: int, lang: str = "en") -> list[dict[str, Any]]:
        """One dict per process: id, name, state, capacity, mbco, hours left to
        RTO and MTPD (negative once passed, None outside an outage), breaches,
        and the totals so far (impact EUR, downtime, time below the MBCO)."""
        summaries = {s.id: s for s in self.summaries(now)} if now else None
        out = []
        for asset in self.processes:
            bia = asset.bia
            since = self._below_since.get(asset.id)
            p = summaries[asset.id] if summaries else None
            out.append({
                "id": asset.id,
                "name": text(asset.name, lang) or asset.id,
                "state": self._states.state(asset.id),
                "capacity": self._states.capacity(asset.id),
                "mbco": bia.mbco if bia else None,
                "rto_h": bia.rto / 3600 if bia else None,
                "mtpd_h": bia.mtpd / 3600 if bia else None,
                "outage_h": None if since is None else round((now - since) / 3600, 3),
                "rto_left_h": None if since is None or bia is None
                else round((bia.rto - (now - since)) / 3600, 3),
                "mtpd_left_h": None if since is None or bia is None
                else round((bia.mtpd - (now - since)) / 3600, 3),
                "rto_breached": bool(p and p.rto_breached),
                "mtpd_breached": bool(p and p.mtpd_breached),
                "impact_eur": p.impact_eur if p else 0.0,
                # for the summary at the end: totals, not just the current outage
                "downtime_h": p.downtime_h if p else 0.0,
                "below_mbco_h": p.below_mbco_h if p else (0.0 if bia else None),
            })  # fmt: skip
        return out


# --------------------------------------------------------------------------- outage timeline


@dataclass(frozen=True, slots=True)
class Interval:
    """An asset not up over [start, end) seconds (`end` None: still so at now),
    at one state and capacity (a change of either starts a new interval)."""

    asset: str
    start: int
    end: int | None
    state: State
    capacity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "from": self.start,
            "to": self.end,
            "state": self.state,
            "capacity": self.capacity,
        }


class OutageTimeline:
    """Per asset, the intervals it was not up (down, degraded or standby).

    An interval, once sent, never changes except that its open end closes;
    `changes(cursor, now)` gives the intervals new or closed since `cursor`
    (replace the one with the same asset and start, or add it).
    """

    def __init__(self, bundle: ScenarioBundle) -> None:
        assets = bundle.company.assets
        self._stretches = Stretches(assets)
        self._log: list[Interval] = []
        self._by_asset: dict[str, list[Interval]] = {}
        self._open: dict[str, int] = {}  # asset -> start of its sent open interval
        self._last: dict[str, int] = {}  # asset -> start of its latest sent interval
        # assets that start out not up (standby) are sent at the first question
        self._initial = [a.id for a in assets if initial_condition(a)[1] != "up"]

    def feed(self, records: Iterable[Record]) -> None:
        for r in records:
            self._stretches.take(r)

    def _settle(self, now: int) -> None:
        touched, _ = self._stretches.settle(now)
        for asset in self._initial:
            touched.setdefault(asset, [])
        self._initial = []
        for asset, final in touched.items():
            segs = final + self._stretches.tail(asset, now)
            for i, s in enumerate(segs):
                if s.state != "up":
                    self._consider(asset, s, open_=i == len(segs) - 1)

    def _consider(self, asset: str, s: Segment, open_: bool) -> None:
        iv = Interval(asset, s.start, None if open_ else s.end, s.state, s.capacity)
        if self._open.get(asset) == s.start:
            if open_:
                return  # still open: nothing new to tell
            del self._open[asset]
        elif s.start > self._last.get(asset, -1):
            self._last[asset] = s.start
            if open_:
                self._open[asset] = s.start
        else:
            return  # sent before, closed, and final
        self._log.append(iv)
        ivs = self._by_asset.setdefault(asset, [])
        if ivs and ivs[-1].start == iv.start:
            ivs[-1] = iv
        else:
            ivs.append(iv)

    def intervals(self, now: int) -> dict[str, list[Interval]]:
        """Every asset's intervals over [0, now) (assets never out left out)."""
        self._settle(now)
        return {asset: list(ivs) for asset, ivs in self._by_asset.items()}

    def changes(self, cursor: int, now: int) -> tuple[list[Interval], int]:
        """The intervals new or closed since `cursor` (0 at first), and the next cursor."""
        self._settle(now)
        return self._log[cursor:], len(self._log)


# --------------------------------------------------------------------------- impact curve


@dataclass(frozen=True, slots=True)
class ImpactSlice:
    """The impact curve from point `start` on: replace the points from index
    `start` with `points` (the last one, at now, moves on with the next slice)."""

    start: int
    points: list[tuple[int, float]]

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "points": [list(p) for p in self.points]}


class ImpactCurve:
    """Cumulative impact EUR of all processes: `impact_series` at horizon `now`.

    A point at time t only depends on the impact before t, so every point
    before the latest `now` is final; each question adds the new ones (from
    the stretches made final and the open stretches that cost money) and one
    provisional point at `now`. The sums run in the order `impact_series`
    adds them, so the figures agree to the cent.
    """

    def __init__(self, bundle: ScenarioBundle) -> None:
        priced = [p for p in _processes(bundle.company) if ImpactEpisode(p.bia).priced]
        self._order = {p.id: i for i, p in enumerate(priced)}
        self._stretches = Stretches(priced)
        self._episodes = {p.id: ImpactEpisode(p.bia) for p in priced}
        # Untouched processes bring new points only where a step of their
        # impact curve falls due during an open outage: process -> that time.
        self._due: dict[str, int] = {}
        self._points: list[tuple[int, float]] = [(0, 0.0)]  # final points
        self._done = 0  # points before this time are final
        self._prev = 0  # time of the last final point
        self._total = 0.0  # EUR at _prev
        self._rate = 0.0  # EUR per hour from _prev on

    def feed(self, records: Iterable[Record]) -> None:
        for r in records:
            self._stretches.take(r)

    def _settle(self, now: int) -> None:
        touched, _ = self._stretches.settle(now)
        lo, hi = self._done, max(now, self._done)
        # key -> (process order, order within the process, EUR per hour change)
        changes: dict[int, list[tuple[int, int, float]]] = {}
        due = [pid for pid, t in self._due.items() if t < hi]
        for pid in touched.keys() | set(due):
            episode = self._episodes[pid]
            pieces: list[tuple[int, int, float]] = []
            for s in touched.get(pid, ()):
                episode.add(s, pieces)
            ahead = episode.copy()
            for s in self._stretches.tail(pid, now):
                ahead.add(s, pieces)
            i, n = self._order[pid], 0
            for start, end, rate in pieces:
                if lo <= start < hi:
                    changes.setdefault(start, []).append((i, n, rate))
                if lo <= end < hi:
                    changes.setdefault(end, []).append((i, n + 1, -rate))
                n += 2
            step = ahead.next_step(hi)
            if step is not None and 1.0 - self._stretches.builders[pid].capacity > EPSILON:
                self._due[pid] = step
            else:
                self._due.pop(pid, None)
        prev, total, rate = self._prev, self._total, self._rate
        for t in sorted(changes):
            if t > prev:
                total += rate * (t - prev) / SECONDS_PER_HOUR
                self._points.append((t, round(total, 2)))
                prev = t
            delta = 0.0
            for _i, _n, d in sorted(changes[t]):
                delta += d
            rate += delta
        self._prev, self._total, self._rate, self._done = prev, total, rate, hi

    def _at(self, now: int) -> list[tuple[int, float]]:
        if now <= self._prev:
            return []
        return [(now, round(self._total + self._rate * (now - self._prev) / SECONDS_PER_HOUR, 2))]

    def points(self, now: int) -> list[tuple[int, float]]:
        """(t seconds, EUR so far) from (0, 0.0) to now: `impact_series(bundle, records, now)`."""
        self._settle(now)
        return self._points + self._at(now)

    def since(self, cursor: int, now: int) -> tuple[ImpactSlice, int]:
        """The points from index `cursor` on (0 at first) and the next cursor."""
        self._settle(now)
        cursor = min(cursor, len(self._points))
        return ImpactSlice(cursor, self._points[cursor:] + self._at(now)), len(self._points)


# --------------------------------------------------------------------------- all of them


class ReadModels:
    """The four read models of one exercise, fed together."""

    def __init__(self, bundle: ScenarioBundle) -> None:
        self.board = ProcessBoard(bundle)
        self.timeline = OutageTimeline(bundle)
        self.impact = ImpactCurve(bundle)
        self.assets = AssetStates(bundle.company.assets)

    def feed(self, records: Iterable[Record]) -> None:
        batch = records if isinstance(records, list) else list(records)
        self.board.feed(batch)
        self.timeline.feed(batch)
        self.impact.feed(batch)
        self.assets.feed(batch)
