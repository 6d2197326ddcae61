"""What-if forks and decision values over the web: bounded work, cached values.

A what-if replays the exercise's log twice (as played, and changed) to the
horizon, and with `n` > 1 twice more per replication; the value of each
decision replays it once or twice per decision. That is seconds of CPU on a
big scenario, so the server does at most `at_once` of them at a time (the
rest are told to come back: `Busy`), always in a worker thread, never on the
event loop. Decision values are kept per exercise and log length: the log
only grows, so the same length is the same log.

The answers are the CLI's `--json` (simulator.cli.app whatif / decisions),
extended with what the replay page draws: each log's outage intervals and
impact curve at the horizon, from the simulator's read models
(simulator.exercise.readmodels) as the console's stream sends them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool

from simulator.exercise.decisions import decision_values
from simulator.exercise.log import ENGINE_VERSION, LogEntry, LogHeader
from simulator.exercise.readmodels import ReadModels
from simulator.exercise.replay import playable, verify
from simulator.exercise.whatif import (
    Edit,
    Played,
    WhatIf,
    compare_played,
    edit,
    play,
    risk,
)
from simulator.exercise.whatif_caption import caption
from simulator.model.schema import ScenarioBundle

T = TypeVar("T")
KEPT_VALUES = 16  # exercises whose decision values are kept (each a few kB of JSON)


class Busy(Exception):
    """As many what-ifs as the server does at once are running."""


def too_busy(message: str, retry_after_s: int) -> HTTPException:
    """The 503 of a busy gate: `message`, and when to try again (also as
    Retry-After, which clients and proxies honour)."""
    return HTTPException(503, f"{message}; try again in {retry_after_s} s",
                         headers={"Retry-After": str(retry_after_s)})  # fmt: skip


class Gate:
    """At most `at_once` forks at a time in this server. The slot is taken
    on the event loop (never waiting: a busy server says so) and given back
    by the worker thread when the work is done, so a request given up by its
    client still holds its slot until its thread has finished."""

    def __init__(self, at_once: int) -> None:
        self._slots = threading.BoundedSemaphore(max(1, at_once))

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in a worker thread; Busy if every slot is taken."""
        if not self._slots.acquire(blocking=False):
            raise Busy("the server is working out as many what-ifs as it does at once")

        started = False

        def job() -> T:
            nonlocal started
            started = True
            try:
                return work(*args)
            finally:
                self._slots.release()

        try:
            return await run_in_threadpool(job)
        finally:
            if not started:  # cancelled while waiting for a thread: give the slot back
                self._slots.release()


def checked(header: LogHeader, entries: Sequence[LogEntry]) -> tuple[ScenarioBundle, int]:
    """The log's bundle and seed; LogError unless this engine plays it as
    the one that wrote it (a stored exercise of another engine version)."""
    bundle, seed = playable(header)
    if header.engine != ENGINE_VERSION:
        verify(header, entries, bundle, seed)
    return bundle, seed


def drawn(bundle: ScenarioBundle, played: Played) -> dict[str, Any]:
    """What the console draws of a run to its horizon: every asset's
    stretches not up, and the impact curve (as the stream sends them)."""
    models = ReadModels(bundle)
    models.feed(played.sim.records)
    horizon = played.horizon
    return {"intervals": [iv.to_dict() for ivs in models.timeline.intervals(horizon).values()
                          for iv in ivs],
            "impact": [list(p) for p in models.impact.points(horizon)]}  # fmt: skip


def run_whatif(header: LogHeader, entries: Sequence[LogEntry], change: Edit,
               n: int) -> dict[str, Any]:  # fmt: skip
    """`tabletop whatif --json` of one change, plus `timeline` (original and
    changed: intervals and impact curve) and `end` (the horizon). Runs in a
    worker thread. EditError for a change that does not fit the log,
    LogError for a log that does not replay."""
    bundle, seed = checked(header, entries)
    changed = edit(bundle, entries, change)
    original, other = play(bundle, seed, entries), play(bundle, seed, changed)
    comparison = compare_played(seed, original, other)
    mc = risk(bundle, seed, entries, changed, n) if n > 1 else None
    out = WhatIf((change,), tuple(changed), comparison, mc).to_dict()
    out["timeline"] = {"original": drawn(bundle, original), "changed": drawn(bundle, other)}
    out["end"] = max(original.horizon, other.horizon)
    # The change in words naming the decision, for the caption and the legend.
    out["caption"] = {lang: caption(bundle, entries, change, lang) for lang in ("de", "en")}
    return out


class DecisionValues:
    """The value of each decision, kept per (exercise, log length)."""

    def __init__(self, kept: int = KEPT_VALUES) -> None:
        self.kept = kept
        self._lock = threading.Lock()
        self._values: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()

    def cached(self, exercise: str, entries: int) -> dict[str, Any] | None:
        with self._lock:
            found = self._values.get((exercise, entries))
            if found is not None:
                self._values.move_to_end((exercise, entries))
            return found

    def compute(self, exercise: str, header: LogHeader,
                entries: Sequence[LogEntry]) -> dict[str, Any]:  # fmt: skip
        """`tabletop decisions --json` of the log (worker thread); kept."""
        bundle, seed = checked(header, entries)
        out = decision_values(bundle, seed, entries).to_dict()
        with self._lock:
            for key in [k for k in self._values if k[0] == exercise]:
                del self._values[key]  # an older length of the same log
            self._values[(exercise, len(entries))] = out
            while len(self._values) > self.kept:
                self._values.popitem(last=False)
        return out

    def forget(self, exercise: str) -> None:
        with self._lock:
            for key in [k for k in self._values if k[0] == exercise]:
                del self._values[key]
