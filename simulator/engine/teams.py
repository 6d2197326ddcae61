"""Recovery teams: which restore gets a free team member, and when.

A restore asks its team for a member with a priority key (`restore_priority`).
Members are not handed out when a restore asks but once per instant, by a
dispatch that SimPy runs after every other event of that instant: SimPy orders
events by (time, priority, id), and the dispatch has a priority later than
NORMAL events and the cascade's LATE timers, so it also follows the events
scheduled while the instant plays. All restores that become due at the same
moment (a ransomware detonation, a site losing power) and the members freed in
that moment are therefore matched by priority — never by the order in which
the company file or a hazard happens to list the assets.

`simpy.PriorityResource` does not fit: it grants a free member at the moment
a request is made (so the first asset in file order wins a tie of instants),
and its capacity cannot change (staff absence, external responders arriving).
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simulator.engine.compiled import Model
from simulator.engine.events import DISPATCH, At
from simulator.model.schema import BIA

NO_BIA = 10**12  # RTO and MTPD of an asset no business process needs: last

# (shortest RTO s, then MTPD s, then −impact EUR/h, then asset id): lower goes first
RestoreKey = tuple[int, int, float, str]


def initial_rate(bia: BIA) -> float:
    """EUR per hour of full outage at the start of an outage: the flat rate, or
    the step of the curve in force at age 0 (the rule of `metrics`)."""
    if bia.impact_per_hour is not None:
        return bia.impact_per_hour
    steps = sorted(bia.impact or [], key=lambda s: s.after)
    rate = 0.0
    for step in steps:
        if step.after <= 0:
            rate = step.per_hour
    return rate


def restore_priority(model: Model, a: int) -> RestoreKey:
    """The priority of restoring `a`: the (RTO, MTPD, −impact per hour) of the
    most urgent business process that stands on `a` — directly, through the
    assets that need it, or through restores that require it (the backup
    server every restore needs goes first) — then the asset id. Lexicographic,
    so the tie-breaks are: same shortest RTO → shorter MTPD first → higher
    impact per hour first → asset id in alphabetical order. Stable across
    processes: no hash() and no set iteration decides anything."""
    best: tuple[int, int, float] = (NO_BIA, NO_BIA, 0.0)
    seen, todo = {a}, [a]
    while todo:
        x = todo.pop()
        bia = model.bia.get(x)
        if bia is not None:
            best = min(best, (bia.rto, bia.mtpd, -initial_rate(bia)))
        for owner in [model.need_owner[n] for n in model.dependents(x)] + model.required_by.get(
            x, []
        ):
            if owner not in seen:
                seen.add(owner)
                todo.append(owner)
    return (*best, model.ids[a])


class Team:
    """A recovery team of `size` members present (staff absence and external
    responders change it). `ask` returns a turn: an event that fires when a
    member is granted; `release` gives the member back — or withdraws a turn
    not granted yet — so an interrupted restore (a manual `restore` command)
    never keeps a member, whether it was waiting or working."""

    def __init__(self, env: simpy.Environment, size: int) -> None:
        self.env = env
        self.size = size
        self.busy = 0
        self._waiting: list[tuple[RestoreKey, int, simpy.Event]] = []
        self._asked = 0
        self._dispatch_planned = False

    @property
    def queued(self) -> int:
        """Restores waiting for a member."""
        return len(self._waiting)

    def ask(self, key: RestoreKey) -> simpy.Event:
        """Queue a restore with priority `key`; the turn fires when granted."""
        turn = self.env.event()
        self._asked += 1
        self._waiting.append((key, self._asked, turn))
        self._plan()
        return turn

    def release(self, turn: simpy.Event) -> None:
        """Hand back the member of a granted `turn`, or withdraw a waiting one."""
        if turn.triggered:
            self.busy -= 1
            self._plan()
        else:
            self._waiting = [w for w in self._waiting if w[2] is not turn]

    def resize(self, size: int) -> None:
        """`size` members are present from now on (those beyond it finish their work)."""
        self.size = size
        self._plan()

    def _plan(self) -> None:
        """Run one dispatch at the end of the current instant."""
        if self._dispatch_planned:
            return
        self._dispatch_planned = True
        _at_end_of_instant(self.env, self._dispatch)

    def _dispatch(self, _event: simpy.Event) -> None:
        self._dispatch_planned = False
        free = self.size - self.busy
        if free <= 0 or not self._waiting:
            return
        self._waiting.sort(key=lambda w: (w[0], w[1]))
        granted, self._waiting = self._waiting[:free], self._waiting[free:]
        for _key, _n, turn in granted:
            self.busy += 1
            turn.succeed()


def _at_end_of_instant(env: simpy.Environment, fn: Callable[[simpy.Event], None]) -> None:
    """Call `fn` after every other event of the current instant. SimPy's public
    `schedule` takes the priority; the event is marked as succeeded the way
    `Event.succeed` does (which itself would schedule it as NORMAL)."""
    At(env, 0, DISPATCH, fn)
