"""Replaying a log: the exercise as it stood at any simulated time.

A log replays on the engine that wrote it exactly, record for record. A log
from another engine version replays only if this engine reproduces the
log's checkpoint (the count and digest of the records it had); otherwise
`replay` says why it cannot, never giving silently different figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.exercise.log import (
    ENGINE_VERSION,
    ClockEntry,
    ClockPayload,
    LogEntry,
    LogError,
    LogHeader,
    RecordDigest,
    ReleaseEntry,
    SkipEntry,
)
from simulator.exercise.session import Exercise, Limits, Moot
from simulator.model.schema import ScenarioBundle

UNBOUNDED = Limits(log_entries=2**62, open_proposals=2**62)  # a replay re-plays what was accepted


def playable(header: LogHeader) -> tuple[ScenarioBundle, int]:
    """The bundle and seed of a log; LogError if it carries none (a player's
    log: it holds no script and no seed)."""
    if header.bundle is None or header.seed is None:
        raise LogError("the log's header has no scenario bundle and seed (a participant's "
                       "log cannot be replayed: export it with the facilitator's "
                       "link)")  # fmt: skip
    return header.bundle, header.seed


def end_of(header: LogHeader, entries: Sequence[LogEntry]) -> int:
    """Where the exercise stood when the log was written: its checkpoint's
    time, else its last entry's, or where its last jump went (a jump is
    logged at the moment it was made, and nothing may follow it)."""
    last = max((max(e.sim_time, _jumped_to(e)) for e in entries), default=0)
    return max(last, header.checkpoint.sim_time if header.checkpoint else 0)


def _jumped_to(entry: LogEntry) -> int:
    payload = entry.payload
    if isinstance(payload, ClockPayload) and payload.action == "jump" and payload.to:
        return payload.to
    return 0


def replay(header: LogHeader, entries: Sequence[LogEntry], until: int | None = None,
           *, seed: int | None = None, moot: Moot | None = None) -> Exercise:  # fmt: skip
    """The exercise of the log at simulated second `until` (default: where it
    ended): every entry up to then applied, the scheduled injects still due
    released as the live server would have. With `seed`, the same commands
    meet other dice (a LogError if one of them cannot be applied there,
    e.g. detecting a hazard that is not running on that seed). With `moot`
    too, a facilitator's command those dice made moot (an inject a trigger
    released already) is passed over and `moot` told: only on other dice,
    since on the log's own seed a refusal means a damaged log."""
    bundle, logged_seed = playable(header)
    if header.engine != ENGINE_VERSION:
        verify(header, entries, bundle, logged_seed)
    target = end_of(header, entries) if until is None else until
    exercise = Exercise(bundle, logged_seed if seed is None else seed, UNBOUNDED)
    play(exercise, entries, target, left_to_the_log(entries), moot=moot)
    return exercise


def horizon_of(bundle: ScenarioBundle, entries: Iterable[LogEntry]) -> int:
    """Where the log's exercise ends: the scenario's horizon plus every
    extension logged."""
    return bundle.scenario.horizon + sum(
        e.payload.by or 0 for e in entries
        if isinstance(e, ClockEntry) and e.payload.action == "extend")  # fmt: skip


def left_to_the_log(entries: Iterable[LogEntry]) -> frozenset[str]:
    """The scripted injects the log releases or skips itself."""
    return frozenset(e.payload.inject for e in entries if isinstance(e, ReleaseEntry | SkipEntry))


def play(exercise: Exercise, entries: Sequence[LogEntry], until: int,
         leave: frozenset[str], start: int = 0, moot: Moot | None = None) -> int:  # fmt: skip
    """Apply entries[start:] up to simulated second `until` and go on to it;
    the index of the first entry not applied. A scheduled inject the log
    never releases or skips (not in `leave`: a log edited or written by hand)
    is released when it falls due, before the entries of that second, as the
    live server would — without an entry, so the log's seqs stay; after the
    last entry the exercise goes on as live, logging what falls due."""
    i = start
    while i < len(entries) and entries[i].sim_time <= until:
        exercise.release_due(entries[i].sim_time, leave)
        exercise.apply(entries[i], moot)
        i += 1
    exercise.run_until(until, leave)
    return i


def verify(header: LogHeader, entries: Sequence[LogEntry], bundle: ScenarioBundle,
           seed: int) -> None:  # fmt: skip
    """LogError unless this engine plays the log as the one that wrote it."""
    written = header.engine or "an unknown version"
    checkpoint = header.checkpoint
    if checkpoint is None:
        raise LogError(f"the log was written by engine {written} and has no checkpoint; this "
                       f"is engine {ENGINE_VERSION}, which cannot prove it replays the log "
                       "exactly: replay it with Tabletop " + written)  # fmt: skip
    exercise = Exercise(bundle, seed, UNBOUNDED)
    play(exercise, entries, checkpoint.sim_time, left_to_the_log(entries))
    records = exercise.sim.records
    digest = RecordDigest()
    digest.feed(records, min(len(records), checkpoint.records))
    if len(records) < checkpoint.records or digest.hexdigest() != checkpoint.digest:
        first = _first_difference(exercise, checkpoint.records)
        raise LogError(f"the log was written by engine {written}; this engine "
                       f"({ENGINE_VERSION}) plays it differently{first}: replay it with "
                       f"Tabletop {written}")  # fmt: skip


def _first_difference(exercise: Exercise, expected: int) -> str:
    have = len(exercise.sim.records)
    if have != expected:
        return f" ({have} records up to the checkpoint, the log's engine had {expected})"
    return " (the same number of records, but different ones)"
