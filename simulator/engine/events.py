"""The engine's own SimPy event: a timer at a chosen priority of its instant.

SimPy's `Timeout` fires at NORMAL priority. The engine needs two later
priorities within an instant: the cascade's LATE timers (a loss that would bite
at the very moment its supply returns does not bite) and the recovery teams'
DISPATCH (members are handed out once every restore of the instant has asked).
`At` is built the way SimPy's own `Timeout` is: a subclass of `Event` that is
triggered on creation and put into the queue with `Environment.schedule`, the
public call that takes a priority. Nothing else in the engine touches SimPy's
internals.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy
from simpy.events import EventPriority

LATE = EventPriority(2)  # after SimPy's URGENT (0) and NORMAL (1) events of an instant
DISPATCH = EventPriority(3)  # after NORMAL (1) and LATE (2): the teams' hand-out


class At(simpy.Event):
    """An event that succeeds `delay` seconds from now at `priority` and then
    calls `fn(event)`."""

    def __init__(
        self,
        env: simpy.Environment,
        delay: int,
        priority: EventPriority,
        fn: Callable[[simpy.Event], None],
    ) -> None:
        super().__init__(env)
        # As Timeout.__init__ does: triggered from the start, with no value.
        self._ok = True
        self._value = None
        self.callbacks.append(fn)
        env.schedule(self, priority, delay)
