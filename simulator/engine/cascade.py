"""How outages spread: capacities, needs, buffers, delays and restarts.

The cascade keeps each asset's capacity and each need's effective supply.
When something changes (damage, a provider's capacity, a buffer running
dry) it re-evaluates only the needs that change touches and walks on to
their owners through a FIFO work list — so the cost of a change is
proportional to the assets it affects. Delayed effects (time to impact,
buffer exhaustion, restart after power returns) are SimPy timeouts created
only while something is failing; a superseded timer is ignored through a
generation number, not removed from the queue.

Capacity of an asset = min(own damage, min over its needs of the supply that
reaches it), a need's supply = min over providers (all-of) or
min(1, sum(share * capacity) / k) (any-of, k-of-n).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import simpy

from simulator.engine.compiled import DEP_TYPES, MODE_ALL, CompiledWorkaround, Model
from simulator.engine.events import LATE, At
from simulator.engine.records import (
    EPSILON,
    EVENT_BUFFER_EMPTY,
    EVENT_RESUPPLY,
    EVENT_STATE,
    Record,
    State,
    state_of,
)
from simulator.model.schema import Buffer, DepType

IDLE_STANDBY = "standby"  # damage key that holds an unactivated standby asset at 0
RETRY_DELIVERY = 3600  # a delivery blocked by a down supplier is retried this often (s)


@dataclass(slots=True)
class BufferState:
    """A buffer's level in seconds of full cover; it changes at `rate` per
    second since `t0` (negative while drawn, positive while refilling)."""

    spec: Buffer
    via: int | None
    by: int | None
    level: float
    t0: int = 0
    rate: float = 0.0
    gen: int = 0
    order_pending: bool = False

    def level_at(self, now: int) -> float:
        level = self.level + self.rate * (now - self.t0)
        return min(float(self.spec.capacity), max(0.0, level))

    def sync(self, now: int) -> None:
        self.level, self.t0 = self.level_at(now), now


def _ignore(_index: int) -> None:
    """No watch: nothing to tell."""


class Cascade:
    """Capacity state of one simulation and the rules that propagate it."""

    def __init__(self, env: simpy.Environment, model: Model, records: list[Record]) -> None:
        self.env = env
        self.m = model
        self.records = records
        self.cap = [1.0] * model.size
        self.eff = [1.0] * len(model.need_owner)
        self.damage: dict[int, dict[str, tuple[float, bool]]] = {}
        self.intrinsic: dict[int, float] = {}
        self.isolated: dict[int, int] = {}  # asset -> bit mask of cut dependency types
        self.workarounds: dict[int, CompiledWorkaround] = {}  # active ones
        self.hops = 0
        self._pre: dict[int, float] = {}  # need -> supply waiting out its time to impact
        self._drop_gen: dict[int, int] = {}  # need -> generation of its pending impact timer
        self._restart_gen: dict[int, int] = {}
        self._restart_ready: set[int] = set()
        self._gen = 0
        self._queue: deque[int] = deque()
        self._queued: dict[int, str] = {}
        self._up_waiters: dict[int, list[simpy.Event]] = {}
        self.buffers: dict[int, list[BufferState]] = {}
        self._via: dict[int, list[int]] = {}  # asset -> needs whose buffers run via it
        # What the triggers' watch (simulator/engine/triggers.py) wants to hear of.
        self._observed: frozenset[int] = frozenset()
        self._observed_needs: frozenset[int] = frozenset()
        self._on_asset: Callable[[int], None] = _ignore
        self._on_buffers: Callable[[int], None] = _ignore
        index = model.index
        for n, specs in model.buffers.items():
            states = []
            for b in specs:
                via = index[b.via] if b.via is not None else None
                by = index[b.resupply.by] if b.resupply is not None else None
                level = b.capacity if b.initial is None else b.initial
                states.append(BufferState(b, via, by, float(level)))
                if via is not None:
                    self._via.setdefault(via, []).append(n)
            self.buffers[n] = states

    # --- reading -------------------------------------------------------------

    def state(self, a: int) -> State:
        if self.cap[a] <= EPSILON and IDLE_STANDBY in self.damage.get(a, ()):
            return "standby"
        return state_of(self.cap[a])

    def supply(self, n: int) -> float:
        """What the providers of need `n` deliver now, before its buffers and
        its time to impact (read-only: the "why is it down" chain asks)."""
        return self._supply(n)

    def impact_pending(self, n: int) -> bool:
        """Whether a supply loss of need `n` is waiting out its time to impact."""
        return n in self._drop_gen

    def restarting(self, a: int) -> bool:
        """Whether `a` could run again after a stop and waits out its restart."""
        return a in self._restart_gen

    def when_up(self, a: int) -> simpy.Event:
        """An event that fires when asset `a` next rises above capacity 0."""
        event = self.env.event()
        self._up_waiters.setdefault(a, []).append(event)
        return event

    def observe(
        self,
        assets: frozenset[int],
        needs: frozenset[int],
        on_asset: Callable[[int], None],
        on_buffers: Callable[[int], None],
    ) -> None:
        """Call `on_asset(a)` after a capacity change of each asset in
        `assets`, and `on_buffers(n)` after the buffers of each need in
        `needs` changed level or rate. The callbacks run in the middle of a
        propagation: they may plan and note, not change capacities."""
        self._observed, self._observed_needs = assets, needs
        self._on_asset, self._on_buffers = on_asset, on_buffers

    # --- changes from outside ------------------------------------------------

    def set_damage(self, a: int, capacity: float, cause: str, restorable: bool) -> None:
        """Limit `a` to `capacity` on behalf of `cause` (several causes: the lowest wins)."""
        self.damage.setdefault(a, {})[cause] = (capacity, restorable)
        self._update_intrinsic(a, cause)

    def remove_damage(self, a: int, cause: str) -> None:
        """Drop the damage `cause` did to `a`, if any."""
        entries = self.damage.get(a)
        if entries is not None and entries.pop(cause, None) is not None:
            self._update_intrinsic(a, cause)

    def start_idle(self, a: int) -> None:
        """Hold standby asset `a` idle at capacity 0 from the start (no record:
        that is its initial state) and let its dependents feel it."""
        self.cap[a] = 0.0
        self.damage[a] = {IDLE_STANDBY: (0.0, False)}
        self.intrinsic[a] = 0.0
        for n in self.m.dependents(a):
            self._eval_need(n, "initial")
        self.settle()

    def activate(self, a: int, cause: str) -> None:
        """Take standby asset `a` out of idle: it runs at once (its activation
        lead time is its start-up; no `restart` on top)."""
        self._restart_ready.add(a)
        self.clear_damage(a, cause, lambda key, _r: key == IDLE_STANDBY)
        self._restart_ready.discard(a)  # unused if its supply is out: then a restart applies

    def clear_damage(self, a: int, cause: str, keys: Callable[[str, bool], bool]) -> None:
        """Drop the damage entries of `a` for which `keys(key, restorable)` holds."""
        entries = self.damage.get(a)
        if not entries:
            return
        for key in [k for k, (_, r) in entries.items() if keys(k, r)]:
            del entries[key]
        self._update_intrinsic(a, cause)

    def set_workaround(self, a: int, workaround: CompiledWorkaround | None, cause: str) -> None:
        if workaround is None:
            self.workarounds.pop(a, None)
        else:
            self.workarounds[a] = workaround
        self._mark(a, cause)
        self.settle()

    def isolate(self, a: int, types: list[str], cause: str, on: bool) -> None:
        """Cut (or, with on=False, reconnect) every need of the given types into
        and out of `a`."""
        mask = 0
        for t in types:
            mask |= 1 << DEP_TYPES.index(DepType(t))
        if on:
            self.isolated[a] = self.isolated.get(a, 0) | mask
        else:
            mask = self.isolated.pop(a, 0)
        m = self.m
        touched = [n for n in m.needs_of(a)] + list(m.dependents(a))
        for n in touched:
            if (1 << m.need_type[n]) & mask:
                self._eval_need(n, cause)
        self.settle()

    # --- propagation ---------------------------------------------------------

    def _update_intrinsic(self, a: int, cause: str) -> None:
        entries = self.damage.get(a)
        if entries:
            self.intrinsic[a] = min([c for c, _ in entries.values()])
        else:
            self.intrinsic.pop(a, None)
            self.damage.pop(a, None)
        self._mark(a, cause)
        if self.buffers:  # an asset that cannot run draws nothing from its buffers
            for n in self.m.needs_of(a):
                if n in self.buffers:
                    self._eval_need(n, cause)
        self.settle()

    def _mark(self, a: int, cause: str) -> None:
        if a not in self._queued:
            self._queued[a] = cause
            self._queue.append(a)

    def settle(self) -> None:
        """Recompute every marked asset, and whatever that changes, now."""
        queue, queued = self._queue, self._queued
        while queue:
            a = queue.popleft()
            self._recompute(a, queued.pop(a))

    def _target(self, a: int) -> float:
        m, eff = self.m, self.eff
        q = self.intrinsic.get(a, 1.0)
        w = self.workarounds.get(a)
        for n in range(m.need_start[a], m.need_start[a + 1]):
            e = eff[n]
            if w is not None and e < w.capacity and (w.covers is None or n in w.covers):
                e = w.capacity
            if e < q:
                q = e
        return round(q, 6)

    def _recompute(self, a: int, cause: str) -> None:
        m = self.m
        if a in self.workarounds:
            new = self._target(a)
        else:  # _target without workarounds, inlined: this is the hot path
            new = self.intrinsic.get(a, 1.0)
            eff = self.eff
            for n in range(m.need_start[a], m.need_start[a + 1]):
                if eff[n] < new:
                    new = eff[n]
            new = round(new, 6)
        cap = self.cap
        old = cap[a]
        if new <= EPSILON:
            if self._restart_gen and self._restart_gen.pop(a, None) is not None:
                self._gen += 1
            self._restart_ready.discard(a)
        elif old <= EPSILON and a in m.restart and IDLE_STANDBY not in self.damage.get(a, ()):
            # A stop (capacity 0, whatever caused it) needs a restart before
            # the asset runs again; running degraded does not (it never stopped).
            if a in self._restart_ready:
                self._restart_ready.discard(a)
            else:
                if a not in self._restart_gen:
                    self._gen += 1
                    self._restart_gen[a] = self._gen
                    self._after(self.m.restart[a], self._restarted, a, self._gen)
                return
        if -EPSILON <= new - old <= EPSILON:
            return
        cap[a] = new
        name = m.ids[a]
        records = self.records
        if new >= 1 - EPSILON:
            state: State = "up"
        elif new > EPSILON:
            state = "degraded"
        else:
            state = "standby" if IDLE_STANDBY in self.damage.get(a, ()) else "down"
        t = int(self.env.now)  # whole seconds throughout
        records.append(Record(len(records), t, EVENT_STATE, name, old, new, state, cause))
        if a in self._observed:
            self._on_asset(a)
        if old <= EPSILON < new and a in self._up_waiters:
            for event in self._up_waiters.pop(a):
                event.succeed()
        source = "asset:" + name
        rev, eval_need = m.rev, self._eval_need
        for i in range(m.rev_start[a], m.rev_start[a + 1]):
            eval_need(rev[i], source)
        if a in self._via:
            for n in self._via[a]:
                eval_need(n, source)

    def _restarted(self, a: int, gen: int) -> None:
        if self._restart_gen.get(a) != gen:
            return
        del self._restart_gen[a]
        self._restart_ready.add(a)
        self._mark(a, "restart")
        self.settle()

    def _supply(self, n: int) -> float:
        m, cap = self.m, self.cap
        lo, hi = m.prov_start[n], m.prov_start[n + 1]
        isolated = self.isolated
        cut = 0
        if isolated:
            cut = 1 << m.need_type[n]
            if isolated.get(m.need_owner[n], 0) & cut:
                return 0.0
        if m.need_mode[n] == MODE_ALL:
            s = 1.0
            for i in range(lo, hi):
                p = m.prov[i]
                q = 0.0 if cut and isolated.get(p, 0) & cut else cap[p]
                if q < s:
                    s = q
            return s
        total = 0.0
        share = m.share
        for i in range(lo, hi):
            p = m.prov[i]
            if not (cut and isolated.get(p, 0) & cut):
                total += share[i] * cap[p]
        s = total / m.need_k[n]
        return 1.0 if s > 1.0 else s

    def _eval_need(self, n: int, cause: str) -> None:
        self.hops += 1
        m = self.m
        lo, hi = m.prov_start[n], m.prov_start[n + 1]
        if hi - lo == 1 and not self.isolated:  # the common case: a single provider
            s = self.cap[m.prov[lo]]
            if m.need_mode[n] != MODE_ALL:
                s = min(1.0, s * m.share[lo] / m.need_k[n])
        else:
            s = self._supply(n)
        if n in self.buffers:
            s = self._draw_buffers(n, s)
        e = self.eff[n]
        if s >= e - EPSILON:
            if self._drop_gen and self._drop_gen.pop(n, None) is not None:
                self._pre.pop(n, None)
            if s > e + EPSILON:
                self.eff[n] = s
                self._mark(self.m.need_owner[n], cause)
            return
        delay = self.m.need_delay[n]
        if delay == 0:
            self.eff[n] = s
            self._mark(self.m.need_owner[n], cause)
            return
        self._pre[n] = s
        if n not in self._drop_gen:
            self._gen += 1
            self._drop_gen[n] = self._gen
            self._after_late(delay, self._impact, n, self._gen, cause)

    def _impact(self, n: int, gen: int, cause: str) -> None:
        """The time to impact of a supply loss has run out: it bites now."""
        if self._drop_gen.get(n) != gen:
            return
        del self._drop_gen[n]
        self.eff[n] = self._pre.pop(n)
        self._mark(self.m.need_owner[n], cause)
        self.settle()

    # --- buffers -------------------------------------------------------------

    def _draw_buffers(self, n: int, s: float) -> float:
        """Supply of need `n` after its buffers: the first usable buffer covers
        the shortfall while it lasts; with full supply they refill. An owner
        that cannot run (damaged to 0, an idle standby) draws nothing.

        A buffer drawn `via` a running asset is a generator's output, not a
        store: while it covers the need, the need is powered, so the other
        buffers refill as with the supply back (a UPS behind a running
        generator is recharged and bridges again when the generator fails),
        and the generator keeps the load until it stops or its fuel runs out
        (the recharging UPS does not take over again)."""
        now = int(self.env.now)
        states = self.buffers[n]
        drawn = None
        if s < 1 - EPSILON and self.intrinsic.get(self.m.need_owner[n], 1.0) > EPSILON:
            for b in states:
                b.sync(now)
            for b in states:  # a running generator keeps the load
                if b.rate < 0 and self._running_via(b) and b.level > 0.5:
                    drawn = b
            if drawn is None:
                for b in states:
                    usable = b.via is None or self.cap[b.via] > EPSILON
                    if usable and b.level > 0.5:
                        drawn = b
                        break
        powered = s >= 1 - EPSILON or (drawn is not None and drawn.via is not None)
        for b in states:
            b.sync(now)
            b.gen += 1
            if b is drawn:
                b.rate = -(1.0 - s)
                self._plan_drain(n, b)
            elif powered and b.spec.refill and b.level < b.spec.capacity:
                b.rate = b.spec.capacity / b.spec.refill
            else:
                b.rate = 0.0
        if n in self._observed_needs:
            self._on_buffers(n)
        return 1.0 if drawn is not None else s

    def _running_via(self, b: BufferState) -> bool:
        return b.via is not None and self.cap[b.via] > EPSILON

    def _plan_drain(self, n: int, b: BufferState) -> None:
        burn = -b.rate
        self._after_late(math.ceil(b.level / burn - 1e-9), self._buffer_empty, n, b, b.gen)
        r = b.spec.resupply
        if r is None or b.order_pending:
            return
        reorder_at = r.reorder_at if r.reorder_at is not None else b.spec.capacity - r.amount
        if b.level <= reorder_at + 1e-9:
            self._order(n, b)
        else:
            wait = math.ceil((b.level - reorder_at) / burn - 1e-9)
            self._after(wait, self._reorder_due, n, b, b.gen)

    def _buffer_empty(self, n: int, b: BufferState, gen: int) -> None:
        if b.gen != gen:
            return
        b.sync(int(self.env.now))
        b.level = 0.0
        owner = self.m.ids[self.m.need_owner[n]]
        self._event(EVENT_BUFFER_EMPTY, owner, f"buffer:{owner}/{b.spec.id}", b.spec.id)
        self._eval_need(n, f"buffer:{owner}/{b.spec.id}")
        self.settle()

    def _reorder_due(self, n: int, b: BufferState, gen: int) -> None:
        if b.gen == gen and not b.order_pending:
            self._order(n, b)

    def _order(self, n: int, b: BufferState) -> None:
        assert b.spec.resupply is not None
        b.order_pending = True
        self._after(max(b.spec.resupply.lead_time, 1), self._deliver, n, b)

    def _deliver(self, n: int, b: BufferState) -> None:
        r = b.spec.resupply
        assert r is not None and b.by is not None
        supplier = self.cap[b.by]
        if supplier <= EPSILON:  # the delivery cannot come: try again later
            self._after(max(r.lead_time, RETRY_DELIVERY), self._deliver, n, b)
            return
        b.order_pending = False
        b.sync(int(self.env.now))
        b.level = min(float(b.spec.capacity), b.level + r.amount * supplier)
        owner = self.m.ids[self.m.need_owner[n]]
        self._event(EVENT_RESUPPLY, owner, "asset:" + self.m.ids[b.by], b.spec.id)
        self._eval_need(n, f"buffer:{owner}/{b.spec.id}")
        self.settle()

    # --- helpers ---------------------------------------------------------------

    def _event(self, event: str, asset: str | None, cause: str, detail: str | None) -> None:
        self.records.append(
            Record(len(self.records), int(self.env.now), event, asset, cause=cause, detail=detail)
        )

    def _after(self, delay: int, fn: Callable[..., None], *args: object) -> None:
        """Call `fn(*args)` `delay` seconds from now."""
        timer = self.env.timeout(delay)
        timer.callbacks.append(lambda _event: fn(*args))

    def _after_late(self, delay: int, fn: Callable[..., None], *args: object) -> None:
        """Like `_after`, but after every ordinary event of that instant: a loss
        that would bite at the very moment its supply returns does not bite."""
        At(self.env, delay, LATE, lambda _event: fn(*args))
