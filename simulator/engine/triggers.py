"""The engine's watch over its triggers: conditions re-checked only when what
they name changes.

A scenario of a thousand triggers on a company of 100k assets must not look
at every trigger after every change, so the watch indexes the triggers by
what their conditions name — assets and processes, buffers, actions,
hazards — and the cascade tells it when one of those changes (a set lookup
on its hot path). Conditions that become true at a computable future moment
are planned as timeouts instead of polled:

- a buffer drains linearly at the rate of its supply's shortfall
  (simulator/engine/cascade.py), so the moment it falls to a threshold is known
  and planned; the plan is superseded by the buffer's generation number
  whenever its rate changes;
- an RTO or MTPD breach is the moment a stretch below the MBCO outlasts it;
- a process's impact grows linearly between capacity changes and steps of
  its impact curve, so the moment it reaches an amount is known too;
- "not taken by" and `after` are fixed times.

Marked triggers are evaluated at the end of the instant (after every
ordinary event, like the cascade's delayed impacts), so a state that lasts
zero seconds triggers nothing and the records do not depend on the order of
same-time events. Triggers fire in file order within an instant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.engine.events import LATE, At
from simulator.engine.records import EPSILON
from simulator.model.conditions import (
    ActionCondition,
    AfterCondition,
    AllOf,
    AnyOf,
    AssetCondition,
    BufferCondition,
    Condition,
    HazardCondition,
    NotOf,
    ProcessCondition,
    walk,
)
from simulator.model.schema import BIA
from simulator.terms.durations import format_duration

if TYPE_CHECKING:
    import simpy

    from simulator.engine.cascade import Cascade
    from simulator.engine.compiled import Model

Note = Callable[[str, "str | None", str, "str | None"], None]
"""How the watch writes its record: the engine's `note(event, asset, cause, detail)`."""

EVENT_TRIGGER = "trigger"  # a trigger fired; cause "trigger:<id>", detail: why, in words
SECONDS_PER_HOUR = 3600
_MILESTONES = {"hazard": "started", "detected": "detected", "peak_passed": "peak_passed"}
"""Record events (and milestones) that hazard conditions wait for."""
LEVEL_SLACK = 1e-6  # seconds of buffer cover: a level "at" the threshold counts as reached


@dataclass
class Armed:
    """A trigger as the watch keeps it: its condition, timing and what it does."""

    id: str
    when: Condition
    act: Callable[[], None]
    delay: int = 0
    once: bool = True
    min_interval: int = 0
    not_before: int = 0
    armed: bool = True
    since: int | None = None  # when the condition last became true (None: false now)
    edge: bool = True  # a new stretch of truth not yet answered (repeating triggers)
    fired: list[int] = field(default_factory=list)
    wake_at: int | None = None  # a re-check planned for then


@dataclass
class _Impact:
    """A process's impact so far (EUR at `t0`), growing at `rate` EUR/s."""

    bia: BIA
    amounts: list[float]
    eur: float = 0.0
    t0: int = 0
    rate: float = 0.0
    start: int | None = None  # the disruption episode's start (capacity first below 1)
    gen: int = 0


class Watch:
    """The triggers of one simulation and the state their conditions need."""

    def __init__(self, env: simpy.Environment, model: Model, cascade: Cascade, note: Note,
                 armed: list[Armed]) -> None:
        self.env = env
        self.model = model
        self.cascade = cascade
        self.note = note
        self.triggers = armed
        self.evaluations = 0  # conditions evaluated (for the tests and benchmarks)
        m = model
        self._by_asset: dict[int, list[int]] = {}
        self._by_need: dict[int, list[int]] = {}
        self._by_action: dict[str, list[int]] = {}
        self._by_hazard: dict[str, list[int]] = {}
        self._buffer_marks: dict[int, list[tuple[int, float]]] = {}  # need -> (position, level)
        self._impaired_watch: set[int] = set()
        self._breach_watch: dict[int, set[str]] = {}  # process -> {"rto", "mtpd"}
        self._impacts: dict[int, _Impact] = {}
        self._data_of: dict[int, set[int]] = {}  # data asset -> processes standing on it
        # Latched facts: once true, true for the rest of the run.
        self.impaired: set[int] = set()
        self.breached: set[tuple[int, str]] = set()
        self.lost: set[int] = set()
        self.reached: set[tuple[int, float]] = set()
        self.taken: dict[str, int] = {}
        self.happened: set[tuple[str, str]] = set()
        self._below_since: dict[int, int] = {}
        self._mbco_gen: dict[int, int] = {}
        self._dirty: set[int] = set()
        self._pending = False
        self._buffer_pos: dict[tuple[str, str], tuple[int, int]] = {
            (m.ids[m.need_owner[n]], b.id): (n, j)
            for n, specs in m.buffers.items()
            for j, b in enumerate(specs)
        }
        for i, t in enumerate(armed):
            for _loc, cond in walk(t.when):
                self._index(i, cond)
            if t.not_before > 0:
                self._at(t.not_before, [i])
        for a in self._impaired_watch:
            if cascade.state(a) in ("down", "degraded"):
                self.impaired.add(a)
        for p in self._breach_watch:
            self._track_mbco(p)
        for p, impact in self._impacts.items():
            self._replan(p, impact)
        cascade.observe(
            frozenset(self._by_asset), frozenset(self._buffer_marks), self.on_asset, self.on_buffers
        )
        self.mark(range(len(armed)))  # conditions true from the start fire at once

    # --- indexing ----------------------------------------------------------------

    def _index(self, i: int, cond: Condition) -> None:
        m = self.model
        if isinstance(cond, AssetCondition):
            a = m.index[cond.asset]
            self._by_asset.setdefault(a, []).append(i)
            if cond.is_ == "restored":
                self._impaired_watch.add(a)
        elif isinstance(cond, ProcessCondition):
            p = m.index[cond.process]
            self._by_asset.setdefault(p, []).append(i)
            if cond.is_ in ("rto_breached", "mtpd_breached"):
                self._breach_watch.setdefault(p, set()).add(cond.is_.split("_")[0])
            elif cond.is_ == "data_lost":
                for d in self._data_ancestors(p):
                    self._data_of.setdefault(d, set()).add(p)
            elif cond.impact_above is not None:
                impact = self._impacts.setdefault(p, _Impact(m.bia[p], []))
                impact.amounts.append(cond.impact_above)
        elif isinstance(cond, BufferCondition):
            n, j = self._buffer_pos[(cond.asset, cond.buffer)]
            self._by_need.setdefault(n, []).append(i)
            self._buffer_marks.setdefault(n, []).append((j, float(cond.below)))
        elif isinstance(cond, ActionCondition):
            self._by_action.setdefault(cond.action, []).append(i)
            if cond.not_taken_by is not None:
                self._at(cond.not_taken_by, [i])
        elif isinstance(cond, HazardCondition):
            self._by_hazard.setdefault(f"hazard:{cond.hazard}", []).append(i)
        elif isinstance(cond, AfterCondition):
            self._at(cond.after, [i])

    def _data_ancestors(self, p: int) -> set[int]:
        """The data assets process `p` stands on, directly or through others
        (the ancestors the run summary counts data loss over)."""
        m = self.model
        seen, todo, out = {p}, [p], set()
        while todo:
            a = todo.pop()
            for n in m.needs_of(a):
                for q in m.providers(n):
                    if q not in seen:
                        seen.add(q)
                        todo.append(q)
                        if m.kinds[q].value == "data":
                            out.add(q)
        return out

    # --- what the engine tells the watch ---------------------------------------------

    def on_asset(self, a: int) -> None:
        """Asset `a`, named by some condition, changed capacity (called from
        inside the cascade: only plans and marks, changes nothing)."""
        if a in self._impaired_watch and self.cascade.state(a) in ("down", "degraded"):
            self.impaired.add(a)
        if a in self._breach_watch:
            self._track_mbco(a)
        impact = self._impacts.get(a)
        if impact is not None:
            self._replan(a, impact)
        self.mark(self._by_asset[a])

    def on_buffers(self, n: int) -> None:
        """The buffers of need `n` changed level or rate: plan the moment each
        watched one falls to its threshold."""
        now = int(self.env.now)
        states = self.cascade.buffers[n]
        for j, level in self._buffer_marks[n]:
            b = states[j]
            left = b.level_at(now) - level
            if left <= LEVEL_SLACK:
                self.mark(self._by_need[n])
                if b.rate > 0:  # refilling: plan the moment it rises above again
                    self._later(math.floor(-left / b.rate) + 1, self._buffer_due, n, j, b.gen)
            elif b.rate < 0:
                wait = math.ceil(left / -b.rate - 1e-9)
                self._later(wait, self._buffer_due, n, j, b.gen)

    def _buffer_due(self, n: int, j: int, gen: int) -> None:
        if self.cascade.buffers[n][j].gen == gen:
            self.mark(self._by_need[n])

    def on_note(self, event: str, asset: str | None, cause: str, detail: str | None) -> None:
        """A record the hazards and the engine note: hazard milestones, data loss."""
        what = _MILESTONES.get(event)
        if event == "flood_alarm" and detail:
            what = "alarm:" + detail.rsplit(" ", 2)[0]  # detail: "<name> <level> m"
        if what is not None:
            self.happened.add((cause, what))
            if cause in self._by_hazard:
                self.mark(self._by_hazard[cause])
        elif event == "data_loss" and asset is not None and detail and float(detail) > 0:
            for p in self._data_of.get(self.model.index[asset], ()):
                self.lost.add(p)
                self.mark(self._by_asset[p])

    def on_action(self, action: str) -> None:
        self.taken.setdefault(action, int(self.env.now))
        self.mark(self._by_action.get(action, ()))

    # --- process figures -----------------------------------------------------------

    def _track_mbco(self, p: int) -> None:
        """Plan the RTO and MTPD breaches of a stretch below the MBCO when it
        begins; a rise above the MBCO supersedes the plan."""
        bia = self.model.bia[p]
        below = self.cascade.cap[p] < bia.mbco - EPSILON
        since = self._below_since.get(p)
        if below and since is None:
            now = int(self.env.now)
            self._below_since[p] = now
            gen = self._mbco_gen[p] = self._mbco_gen.get(p, 0) + 1
            for kind in sorted(self._breach_watch[p]):
                limit = bia.rto if kind == "rto" else bia.mtpd
                # Checked after every ordinary event of that instant: a return
                # at exactly the limit is no breach (as in the run summary).
                self._later(limit, self._breach_due, p, kind, gen, late=True)
        elif not below and since is not None:
            del self._below_since[p]
            self._mbco_gen[p] += 1

    def _breach_due(self, p: int, kind: str, gen: int) -> None:
        if self._mbco_gen.get(p) == gen and p in self._below_since:
            self.breached.add((p, kind))
            self.mark(self._by_asset[p])

    def _replan(self, p: int, impact: _Impact) -> None:
        """Bring the impact of `p` up to now, find its rate from the capacity
        and the impact curve (as simulator/analysis/metrics.py does), and plan the next
        step of the curve and the moments the amounts are reached."""
        now = int(self.env.now)
        impact.eur += impact.rate * (now - impact.t0)
        impact.t0 = now
        impact.gen += 1
        loss = 1.0 - self.cascade.cap[p]
        bia = impact.bia
        if loss <= EPSILON:
            impact.start, impact.rate = None, 0.0
        else:
            if impact.start is None:
                impact.start = now
            per_hour = bia.impact_per_hour
            if per_hour is None:
                steps = sorted(bia.impact or [], key=lambda s: s.after)
                passed = [s for s in steps if impact.start + s.after <= now]
                per_hour = passed[-1].per_hour if passed else 0.0
                ahead = [s for s in steps if impact.start + s.after > now]
                if ahead:
                    when = impact.start + ahead[0].after - now
                    self._later(when, self._impact_due, p, impact.gen)
            impact.rate = per_hour * loss / SECONDS_PER_HOUR
        for amount in impact.amounts:
            if (p, amount) in self.reached:
                continue
            if impact.eur >= amount - 1e-6 * max(1.0, amount):
                self.reached.add((p, amount))
                self.mark(self._by_asset[p])
            elif impact.rate > 0:
                wait = math.ceil((amount - impact.eur) / impact.rate - 1e-9)
                self._later(wait, self._impact_due, p, impact.gen)

    def _impact_due(self, p: int, gen: int) -> None:
        impact = self._impacts[p]
        if impact.gen == gen:
            self._replan(p, impact)

    # --- the facilitator's hand ------------------------------------------------------

    def position(self, trigger_id: str) -> int:
        return next(i for i, t in enumerate(self.triggers) if t.id == trigger_id)

    def find(self, trigger_id: str) -> Armed | None:
        return next((t for t in self.triggers if t.id == trigger_id), None)

    def disarm(self, trigger_id: str) -> None:
        found = self.find(trigger_id)
        if found is not None:
            found.armed = False

    # --- evaluation ------------------------------------------------------------------

    def mark(self, triggers: Iterable[int]) -> None:
        """Re-check `triggers` at the end of this instant."""
        self._dirty.update(triggers)
        if self._dirty and not self._pending:
            self._pending = True
            self._later(0, self._evaluate, late=True)

    def _evaluate(self) -> None:
        self._pending = False
        batch, self._dirty = sorted(self._dirty), set()
        for i in batch:
            self._consider(i)

    def _consider(self, i: int) -> None:
        t = self.triggers[i]
        now = int(self.env.now)
        if t.wake_at is not None and t.wake_at <= now:
            t.wake_at = None
        self.evaluations += 1
        if not self.holds(t.when):
            t.since = None
            t.edge = True
            return
        if t.since is None:
            t.since = now
        if not t.armed or not t.edge:
            return
        due = max(t.since + t.delay, t.not_before)
        if t.fired:
            due = max(due, t.fired[-1] + t.min_interval)
        if now < due:
            if t.wake_at is None or t.wake_at > due:
                t.wake_at = due
                self._at(due, [i])
            return
        self.fire(i, self.explain(t.when) + (f" for {format_duration(t.delay)}" if t.delay else ""))

    def fire(self, i: int, reason: str) -> None:
        """Record trigger `i` with `reason` and do what it does."""
        t = self.triggers[i]
        t.fired.append(int(self.env.now))
        t.edge = False
        if t.once:
            t.armed = False
        self.note(EVENT_TRIGGER, None, f"trigger:{t.id}", reason)
        t.act()

    # --- conditions ------------------------------------------------------------------

    def holds(self, cond: Condition) -> bool:
        """Whether `cond` holds now, on the engine's own state."""
        m, cascade = self.model, self.cascade
        now = int(self.env.now)
        if isinstance(cond, AllOf):
            return all(self.holds(c) for c in cond.all)
        if isinstance(cond, AnyOf):
            return any(self.holds(c) for c in cond.any)
        if isinstance(cond, NotOf):
            return not self.holds(cond.not_)
        if isinstance(cond, AssetCondition):
            a = m.index[cond.asset]
            if cond.below is not None:
                return cascade.cap[a] < cond.below - EPSILON
            state = cascade.state(a)
            if cond.is_ == "restored":
                return state == "up" and a in self.impaired
            return state == cond.is_
        if isinstance(cond, ProcessCondition):
            p = m.index[cond.process]
            if cond.impact_above is not None:
                return (p, cond.impact_above) in self.reached
            if cond.is_ == "below_mbco":
                return cascade.cap[p] < m.bia[p].mbco - EPSILON
            if cond.is_ == "data_lost":
                return p in self.lost
            return (p, str(cond.is_).split("_")[0]) in self.breached
        if isinstance(cond, BufferCondition):
            n, j = self._buffer_pos[(cond.asset, cond.buffer)]
            return cascade.buffers[n][j].level_at(now) <= cond.below + LEVEL_SLACK
        if isinstance(cond, ActionCondition):
            taken = self.taken.get(cond.action)
            if cond.not_taken_by is None:
                return taken is not None
            return now >= cond.not_taken_by and (taken is None or taken >= cond.not_taken_by)
        if isinstance(cond, HazardCondition):
            what = cond.is_ if cond.alarm is None else f"alarm:{cond.alarm}"
            return (f"hazard:{cond.hazard}", str(what)) in self.happened
        return now >= cond.after

    def explain(self, cond: Condition) -> str:
        """The condition in words, for the trigger's record (of a combination
        with `any`, the parts that hold)."""
        if isinstance(cond, AllOf):
            return " and ".join(self._grouped(c) for c in cond.all)
        if isinstance(cond, AnyOf):
            held = [c for c in cond.any if self.holds(c)] or list(cond.any)
            return " or ".join(self._grouped(c) for c in held)
        if isinstance(cond, NotOf):
            return f"not ({self.explain(cond.not_)})"
        return describe(cond)

    def _grouped(self, cond: Condition) -> str:
        text = self.explain(cond)
        return f"({text})" if isinstance(cond, AllOf | AnyOf) else text

    # --- timers ----------------------------------------------------------------------

    def _at(self, t: int, triggers: list[int]) -> None:
        """Re-check `triggers` at time `t` (now if it has passed)."""
        self._later(max(0, t - int(self.env.now)), self.mark, triggers)

    def _later(
        self, delay: int, fn: Callable[..., None], *args: object, late: bool = False
    ) -> None:
        if late:
            At(self.env, delay, LATE, lambda _event: fn(*args))
        else:
            self.env.timeout(delay).callbacks.append(lambda _event: fn(*args))


def describe(cond: Condition) -> str:
    """A condition in words (English, as the engine's records are)."""
    if isinstance(cond, AssetCondition):
        if cond.below is not None:
            return f"asset {cond.asset!r} below capacity {cond.below:g}"
        return f"asset {cond.asset!r} is {cond.is_}"
    if isinstance(cond, ProcessCondition):
        if cond.impact_above is not None:
            return f"process {cond.process!r} impact reached {cond.impact_above:,.0f} EUR"
        return {
            "below_mbco": f"process {cond.process!r} below its MBCO",
            "rto_breached": f"process {cond.process!r} breached its RTO",
            "mtpd_breached": f"process {cond.process!r} breached its MTPD",
            "data_lost": f"process {cond.process!r} lost data",
        }[str(cond.is_)]
    if isinstance(cond, BufferCondition):
        return f"buffer {cond.asset}/{cond.buffer} down to {format_duration(cond.below)}"
    if isinstance(cond, ActionCondition):
        if cond.not_taken_by is None:
            return f"action {cond.action!r} taken"
        return f"action {cond.action!r} not taken by {format_duration(cond.not_taken_by)}"
    if isinstance(cond, HazardCondition):
        if cond.alarm is not None:
            return f"hazard {cond.hazard!r} reached alarm level {cond.alarm}"
        verb = {"started": "started", "detected": "detected", "peak_passed": "passed its peak"}
        return f"hazard {cond.hazard!r} {verb[str(cond.is_)]}"
    if isinstance(cond, AfterCondition):
        return f"time reached {format_duration(cond.after)}"
    if isinstance(cond, AllOf):
        return " and ".join(_grouped(c) for c in cond.all)
    if isinstance(cond, AnyOf):
        return " or ".join(_grouped(c) for c in cond.any)
    if isinstance(cond, NotOf):
        return f"not {_grouped(cond.not_)}"
    return "condition"


def _grouped(cond: Condition) -> str:
    """A part of a combination, in brackets when it is a combination itself."""
    words = describe(cond)
    return f"({words})" if isinstance(cond, AllOf | AnyOf | NotOf) else words
