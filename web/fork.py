"""Forks: a new live exercise that starts where another one stood at a
simulated time — to train a second team from the same decision point.

A fork is scenario + seed + the original's log up to that time, like any
exercise: its own rows and tokens, the original's entries with sim_time <= at
(seqs 1..k as they were; Idempotency-Keys are not copied, they belong to the
original's requests), and its clock saved paused at `at`. The people named
up to `at` come with the log (their `person` entries, and what they did), but
not their personal links: a link opens the exercise it was given for, and
the second team is other people — the fork's facilitator issues links for
the copied people (POST .../people/{person}/link). Rebuilding it is
`LiveExercise.restore`, which replays the log and advances to `at`, logging
any scheduled MSEL release due on the way, as the live run would have.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from web.clock import PAUSED
from web.live import EXTRA_ROLES, ROLES, Damaged, LiveExercise
from web.settings import Settings
from web.storage import Exercise, LogEntry, Store, now_utc, token_hash


def entries_until(store: Store, exercise_id: str, at: int) -> list[LogEntry]:
    """The log up to simulated time `at`. A jump made before `at` that went
    past it ends at `at` in the fork: the fork stands there, not beyond."""
    out = []
    for entry in store.log(exercise_id):
        if entry.sim_time > at:
            break  # the log is in simulated-time order
        if entry.error is not None:
            raise Damaged(f"log entry {entry.seq}: {entry.error}")
        payload = entry.payload
        if entry.kind == "clock" and payload.get("action") == "jump" and \
                int(payload.get("to", 0)) > at:  # fmt: skip
            entry = replace(entry, payload={**payload, "to": at})
        out.append(entry)
    return out


def fork(store: Store, settings: Settings, row: Exercise,
         at: int) -> tuple[LiveExercise, dict[str, str]]:  # fmt: skip
    """A new exercise paused at `at` of `row`'s, and its four secret tokens.
    Damaged if the original's log up to `at` cannot be read or replayed
    (nothing of the fork is then kept)."""
    entries = entries_until(store, row.id, at)
    tokens = {role: secrets.token_urlsafe(18) for role in (*ROLES, *EXTRA_ROLES)}
    new = Exercise(id=secrets.token_hex(6), scenario=row.scenario, bundle=row.bundle,
                   seed=row.seed, speed=row.speed, clock=PAUSED, sim_time=at,
                   created=now_utc(), facilitator_hash=token_hash(tokens["facilitator"]),
                   participant_hash=token_hash(tokens["participant"]),
                   observer_hash=token_hash(tokens["observer"]))  # fmt: skip
    extra = {role: token_hash(tokens[role]) for role in EXTRA_ROLES}
    fork_id = new.id
    store.fork(new, entries, extra)  # `new` is spent (expired) by its commit
    try:
        stored = store.exercise(fork_id)
        if stored is None:
            raise Damaged("the fork was not stored")
        live = LiveExercise.restore(stored, store, settings)
    except Exception as e:
        store.delete(fork_id)
        why = str(e) if isinstance(e, Damaged) else f"{type(e).__name__}: {str(e)[:300]}"
        raise Damaged(why) from None
    live.token_hashes.update(extra)
    return live, tokens
