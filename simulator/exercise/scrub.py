"""Scrubbing through a log: the exercise at any simulated second, cheaply.

`replay()` builds the exercise from scratch; a replay page asks for one
second after another (a slider, play at some speed), mostly forwards.
A `Scrubber` keeps one exercise and plays it on from where it stands when
asked for a later second — the engine is pulled, so stopping on the way
changes nothing: the state equals `replay(header, entries, t)` record for
record — and starts over only when asked for an earlier second (a SimPy
environment cannot be copied or rewound, so there are no snapshots).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.exercise.log import (
    ENGINE_VERSION,
    LogEntry,
    LogHeader,
)
from simulator.exercise.replay import UNBOUNDED, horizon_of, left_to_the_log, play, playable, verify
from simulator.exercise.session import Exercise


class Scrubber:
    """One log's exercise, moved to any simulated second on request.

    Not thread-safe: callers serialise `at` and `extend` (the web holds a
    lock per exercise)."""

    def __init__(self, header: LogHeader, entries: Sequence[LogEntry]) -> None:
        self.bundle, self.seed = playable(header)
        if header.engine != ENGINE_VERSION:
            verify(header, entries, self.bundle, self.seed)  # once, not per second asked
        self.entries = list(entries)
        self.leave = left_to_the_log(self.entries)
        self.exercise: Exercise | None = None
        self.applied = 0  # entries of self.entries applied to self.exercise
        self.restarts = 0  # how often it started over (for tests and the bench)

    @property
    def horizon(self) -> int:
        return horizon_of(self.bundle, self.entries)

    def extend(self, entries: Sequence[LogEntry]) -> None:
        """The log has grown (a live exercise went on): take in its new
        entries. A log that is not a continuation of the one held, or that
        now releases an inject the replay released by itself, starts over."""
        held = len(self.entries)
        same = len(entries) >= held and (held == 0 or entries[held - 1] == self.entries[-1])
        if not same:
            self.entries, self.exercise, self.applied = list(entries), None, 0
        else:
            self.entries.extend(entries[held:])
        leave = left_to_the_log(self.entries)
        if leave != self.leave:
            self.leave, self.exercise, self.applied = leave, None, 0

    def at(self, t: int) -> Exercise:
        """The exercise at simulated second `t` (as `replay(header, entries,
        t)` gives it). The caller bounds `t` (0 … the horizon)."""
        ex = self.exercise
        # Past the last entry a replay goes on as live and logs the scheduled
        # injects it releases itself: once it has, log entries that came
        # later cannot follow (their seqs are taken) — start over.
        own = ex is not None and len(ex.log) != self.applied
        if ex is None or t < ex.now or (own and self.applied < len(self.entries)):
            ex = self.exercise = Exercise(self.bundle, self.seed, UNBOUNDED)
            self.applied = 0
            self.restarts += 1
        self.applied = play(ex, self.entries, t, self.leave, self.applied)
        return ex
