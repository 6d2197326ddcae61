"""What managers use: an exercise's replay metadata and forks.

The replay (of a live, archived or damaged exercise) is open to the
exercise's facilitator, observers and manager and to the administrator
(`ReplayAccess`); never to participants, since it shows the whole script. A
fork is made by the facilitator or the manager.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from simulator.terms.durations import parse_duration
from web.archive import summary
from web.deps import ManagerDep, ReplayAccess, StoredDep
from web.errors import ASCIIJSONResponse
from web.fork import entries_until, fork
from web.live import MANAGER, Damaged, Manager, QuotaExceeded
from web.routers.exercises import _ERROR, ERRORS, links
from web.schemas import ExercisePublic, ExerciseSummary, ForkCreate, problem_detail
from web.storage import Exercise

router = APIRouter(prefix="/api", tags=["managers"])


@router.get("/exercises/{exercise_id}/replay/meta", response_model=ExerciseSummary,
            responses=ERRORS)  # fmt: skip
async def replay_meta(access: ReplayAccess, manager: ManagerDep) -> Any:
    """Scenario, seed, creation, state, simulated time and number of
    commands of an exercise, for its replay (live, archived or damaged)."""
    row, _role = access
    found = summary(manager, row.id)
    if found is None:  # deleted meanwhile
        raise HTTPException(404, f"no exercise {row.id!r}")
    return found


@router.post("/exercises/{exercise_id}/fork", status_code=201, response_model=ExercisePublic,
             responses={**ERRORS, 409: {"description": "The exercise is damaged",
                                        "content": _ERROR},
                        429: {"description": "The limit of live exercises is reached",
                              "content": _ERROR}})  # fmt: skip
async def fork_exercise(body: ForkCreate, stored: StoredDep, request: Request,
                        manager: ManagerDep) -> Any:  # fmt: skip
    """A new live exercise with its own four links, paused where this one
    stood at simulated time `at` (at most its current time): same scenario,
    seed and log up to `at` (the people named by then, without their
    personal links: the fork's facilitator issues new ones). The
    facilitator or the manager may fork; it
    counts against the limit of live exercises (429)."""
    row, role = stored
    if role not in ("facilitator", MANAGER):
        raise HTTPException(403, "only the facilitator or a manager may fork an exercise")
    at = parse_duration(body.at)
    try:
        now = await _reached(manager, row)
        if at > now:
            return ASCIIJSONResponse(problem_detail(
                "at", f"the exercise has only reached {now / 3600:g} h of simulated time"),
                422)  # fmt: skip
        with manager.admit():
            new, tokens = await run_in_threadpool(fork, manager.store, manager.settings, row, at)
            manager.add(new)
    except QuotaExceeded as e:
        raise HTTPException(429, str(e)) from None
    except Damaged as e:
        raise HTTPException(409, f"exercise {row.id!r} cannot be forked: {e}") from None
    return ExercisePublic(id=new.id, tokens=tokens, links=links(request, new.id, tokens))


async def _reached(manager: Manager, row: Exercise) -> int:
    """The simulated time an exercise has reached: a live one's engine (a
    running clock caught up first), else its saved clock or last command."""
    live = manager.get(row.id)
    if live is not None:
        live.sync(time.monotonic())
        return live.sim.now
    logged = await run_in_threadpool(entries_until, manager.store, row.id, 2**62)
    return max([row.sim_time, *(e.sim_time for e in logged[-1:])])
