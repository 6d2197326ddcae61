"""What if a decision had been different, and what each decision was worth.

`POST /api/exercises/{id}/whatif` changes one entry of the exercise's log —
drops a decision, replaces it with another catalogue action, moves it in
time, or adds a decision — plays both logs to the horizon and answers both
outcomes side by side (simulator.exercise.whatif; with `n` > 1 also Monte
Carlo on common random numbers). `GET /api/exercises/{id}/decisions` is the
value of each decision (simulator.exercise.decisions). Neither changes the
exercise: both are reads, for those who may replay it (`ReplayAccess`: the
facilitator, observers, the manager, the administrator; never participants,
since a fork shows the script ahead).

The work is bounded (web.whatifs): `n` by the settings, a few forks at a
time per server. A busy server answers 503 with Retry-After, not 429: the
limit is the server's capacity shared by every caller, not this caller's
rate, and the same request succeeds once the others are done.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from simulator.exercise.log import LogError
from simulator.exercise.whatif import Add, Drop, Edit, EditError, Move, Replace
from simulator.terms.durations import parse_duration
from simulator.terms.messages import translate
from web.deps import ManagerDep, ReplayAccess
from web.errors import ASCIIJSONResponse
from web.routers.exercises import _ERROR, ERRORS
from web.routers.replay import Source, source, stored_source
from web.schemas import WhatIfCreate
from web.storage import Exercise as StoredExercise
from web.whatifs import Busy, DecisionValues, Gate, run_whatif, too_busy

router = APIRouter(prefix="/api", tags=["managers"])

RETRY_AFTER_S = 5  # a what-if on the dairy takes a few seconds at most
FORK_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"description": "The exercise is damaged or its log does not replay on this engine",
          "content": _ERROR},
    503: {"description": "The server is working out other what-ifs: try again after "
          "Retry-After seconds", "content": _ERROR},
}  # fmt: skip
DECISION_KINDS = frozenset({"decision", "accept"})  # what can take a catalogue action


def gate(request: Request) -> Gate:
    state = request.app.state
    if getattr(state, "whatif_gate", None) is None:
        state.whatif_gate = Gate(state.settings.whatif_at_once)
    found: Gate = state.whatif_gate
    return found


def values(request: Request) -> DecisionValues:
    state = request.app.state
    if getattr(state, "decision_values", None) is None:
        state.decision_values = DecisionValues()
    found: DecisionValues = state.decision_values
    return found


def invalid(field: str, message: str, german: str | None = None) -> ASCIIJSONResponse:
    """422 naming the body's field, in English and German."""
    return ASCIIJSONResponse({"detail": [{
        "loc": ["body", field], "type": "value_error", "msg": message,
        "msg_de": german if german is not None else translate(message, "de")}]}, 422)  # fmt: skip


async def _source(manager: Any, row: StoredExercise) -> Source:
    """The log as it stands: a live exercise's from memory (on the event
    loop), a stored one's from the database (in a worker thread)."""
    if manager.exercises.get(row.id) is not None:
        return source(manager, row)
    found: Source = await run_in_threadpool(stored_source, manager, row)
    return found


def _hours(t: int) -> str:
    return f"{t / 3600:g}"


def change_of(body: WhatIfCreate, found: Source) -> Edit | ASCIIJSONResponse:
    """The edit the body asks for, or a 422 naming the field: an action not
    in the catalogue, a time outside 0 … the horizon. (A seq that is no
    decision is the edit's own check: EditError names drop/replace/move.)"""
    bundle = found.header.bundle
    assert bundle is not None  # the server's logs carry their bundle
    known = [a.id for a in bundle.scenario.actions]
    if body.action is not None and body.action not in known:
        listed = ", ".join(known) or "none"
        return invalid("action", f"no action {body.action!r} in the scenario's catalogue "
                       f"(its actions: {listed})",
                       f"keine Maßnahme {body.action!r} im Katalog des Szenarios "
                       f"(seine Maßnahmen: {listed})")  # fmt: skip
    for field, text in (("to", body.to), ("add", body.add)):
        if text is None:
            continue
        at = parse_duration(text)  # checked by the schema already
        if at > found.horizon:
            return invalid(field, f"T+{_hours(at)} h is beyond the horizon "
                           f"(T+{_hours(found.horizon)} h)",
                           f"T+{_hours(at).replace('.', ',')} Std. liegt nach dem Übungsende "
                           f"(T+{_hours(found.horizon).replace('.', ',')} Std.)")  # fmt: skip
    if body.drop is not None:
        return Drop(body.drop)
    if body.replace is not None:
        assert body.action is not None  # the schema requires it
        return Replace(body.replace, body.action)
    if body.move is not None:
        assert body.to is not None
        return Move(body.move, parse_duration(body.to))
    assert body.add is not None and body.action is not None
    return Add(parse_duration(body.add), body.action)


@router.post("/exercises/{exercise_id}/whatif", responses=FORK_ERRORS)
async def whatif(body: WhatIfCreate, access: ReplayAccess, manager: ManagerDep,
                 request: Request) -> Any:  # fmt: skip
    """What if one decision had been different: the log as played and the
    log with the change, each played on the exercise's seed to the horizon,
    side by side per business process (downtime, time below the MBCO, hours
    beyond the RTO, RTO/MTPD breaches, data lost, impact EUR), their
    differences and totals — `tabletop whatif --json` — plus `timeline`:
    each log's outage intervals and impact curve, as the console draws them.
    With `n` > 1 also `montecarlo`: both logs on the same n seeds (breach
    probabilities with 95% intervals, impact mean and P95, paired
    differences). Changes nothing: a read for managers."""
    row, _role = access
    bound = request.app.state.settings.whatif_replications
    if body.n > bound:
        return invalid("n", f"at most {bound} replications on this server, not {body.n}",
                       f"höchstens {bound} Durchläufe auf diesem Server, nicht {body.n}")
    found = await _source(manager, row)
    change = change_of(body, found)
    if isinstance(change, ASCIIJSONResponse):
        return change
    try:
        return await gate(request).run(run_whatif, found.header, found.entries, change, body.n)
    except Busy as e:
        raise too_busy(str(e), RETRY_AFTER_S) from None
    except EditError as e:
        return invalid(e.field, e.message)
    except LogError as e:
        raise HTTPException(409, f"exercise {row.id!r} cannot be replayed: {e}") from None


@router.get("/exercises/{exercise_id}/decisions", responses=FORK_ERRORS)
async def decisions(access: ReplayAccess, manager: ManagerDep, request: Request) -> Any:
    """The value of each decision taken so far (a catalogue action, or an
    accepted proposal): the exercise played to the horizon without it, and —
    where the first inject came earlier — with it taken at the first inject;
    its effect on impact EUR, hours beyond the RTO and RTO/MTPD breaches,
    with a sentence in German and English (`sentence.de`, `sentence.en`) —
    `tabletop decisions --json`. Kept per exercise and log length."""
    row, _role = access
    found = await _source(manager, row)
    kept = values(request)
    cached = kept.cached(row.id, len(found.entries))
    if cached is not None:
        return cached
    limit = request.app.state.settings.valued_decisions
    taken = sum(1 for e in found.entries if e.kind in DECISION_KINDS)
    if taken > limit:
        raise HTTPException(409, f"the exercise has {taken} decisions; this server works out "
                            f"the value of at most {limit} at once: download the log and run "
                            "`tabletop decisions LOG.jsonl`")  # fmt: skip
    try:
        return await gate(request).run(kept.compute, row.id, found.header, found.entries)
    except Busy as e:
        raise too_busy(str(e), RETRY_AFTER_S) from None
    except LogError as e:
        raise HTTPException(409, f"exercise {row.id!r} cannot be replayed: {e}") from None
