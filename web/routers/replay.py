"""The replay of an exercise, for managers: its state at any simulated second.

`GET /api/exercises/{id}/replay?at=SECONDS` answers with the full state the
live console's stream sends (simulator.exercise.views), so the replay page
draws it with the console's own code (web/static/console.js in replay mode,
driven by web/static/replay.js). Live, archived and ended exercises alike:
the log is replayed (simulator.exercise.scrub), never the live engine read.

Players never see a replay: it would show the script ahead and the
facilitator's observations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from simulator.exercise.log import LogEntry, LogError, LogHeader, make_header
from simulator.exercise.replay import horizon_of
from simulator.model.schema import ScenarioBundle, text
from web.deps import ManagerDep, ReplayAccess, replay_access
from web.i18n import CONSOLE_TEXTS, SCRIPT_TEXTS, Translate, pick_lang
from web.live import Manager, typed_entry
from web.replays import Replays
from web.routers.exercises import ERRORS, stored_bundle
from web.routers.pages import render
from web.storage import Exercise as StoredExercise

router = APIRouter()


ReplayDep = ReplayAccess  # facilitator, observers, manager, administrator; never players


@dataclass
class Source:
    """What a replay is made of: the log's header and entries, where the
    exercise stands and where it ends."""

    header: LogHeader
    entries: list[LogEntry]
    end: int
    horizon: int


def source(manager: Manager, row: StoredExercise) -> Source:
    """The log of a live exercise from memory (a copy, taken on the event
    loop), else from the database. HTTPException 409 for a damaged one."""
    live = manager.exercises.get(row.id)
    if live is not None:
        # replayed here, never exported: no bundle hash (a dump of the company per request)
        header = make_header(live.bundle, live.seed, hashed=False, exercise=row.id,
                             scenario=row.scenario)  # fmt: skip
        ex = live.exercise
        return Source(header, list(ex.log), ex.now, ex.horizon)
    return stored_source(manager, row)


def stored_source(manager: Manager, row: StoredExercise) -> Source:
    bundle: ScenarioBundle | None = stored_bundle(row.bundle)
    if bundle is None:
        raise HTTPException(409, f"exercise {row.id!r} is damaged: its scenario cannot be read")
    entries = []
    for stored in manager.store.log(row.id):
        try:
            if stored.error is not None:
                raise ValueError(stored.error)
            entries.append(typed_entry(stored))
        except ValueError as e:  # pydantic's ValidationError too
            raise HTTPException(409, f"exercise {row.id!r} is damaged: log entry {stored.seq}: "
                                f"{str(e)[:300]}") from None  # fmt: skip
    header = make_header(bundle, row.seed, hashed=False, exercise=row.id, scenario=row.scenario)
    saved = manager.store.checkpoint(row.id)
    if saved is not None:  # another engine replays it only if it reproduces this
        header = header.model_copy(update={"engine": saved[0], "checkpoint": saved[1]})
    last = entries[-1].sim_time if entries else 0
    end = max(row.sim_time, last, saved[1].sim_time if saved else 0)
    horizon = horizon_of(bundle, entries)
    return Source(header, entries, min(end, horizon), horizon)


def replays(request: Request) -> Replays:
    state = request.app.state
    if getattr(state, "replays", None) is None:
        state.replays = Replays()
    found: Replays = state.replays
    return found


def at_error(at: int, horizon: int) -> HTTPException:
    return HTTPException(422, [{"loc": ["query", "at"], "type": "value_error",
                                "msg": f"{at} is not between 0 and the horizon ({horizon} s)",
                                "msg_de": f"{at} liegt nicht zwischen 0 und dem Übungsende "
                                          f"({horizon} s)"}])  # fmt: skip


@router.get("/api/exercises/{exercise_id}/replay", tags=["exercises"], responses=ERRORS)
async def get_replay(
    access: ReplayDep, manager: ManagerDep, request: Request,
    at: Annotated[int | None, Query(ge=0, le=2**62, description="simulated second (default: "
                                    "where the exercise stands)")] = None,
) -> dict[str, Any]:  # fmt: skip
    """The exercise as it stood at simulated second `at` (0 … its horizon):
    the full state the live console's stream sends — records, process board,
    feed, proposals, MSEL, graph — plus `assets` (each asset's state and
    capacity) and `end` (where the exercise stands or ended)."""
    row, _ = access
    live = manager.exercises.get(row.id)
    found = source(manager, row) if live is not None else \
        await run_in_threadpool(stored_source, manager, row)  # fmt: skip
    t = found.end if at is None else at
    if t > found.horizon:
        raise at_error(t, found.horizon)
    try:
        return await run_in_threadpool(replays(request).moment, row.id, found.header,
                                       found.entries, t, found.end)  # fmt: skip
    except LogError as e:
        replays(request).forget(row.id)
        raise HTTPException(409, f"exercise {row.id!r} cannot be replayed: {e}") from None


@router.get("/exercises/{exercise_id}/replay", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def replay_page(exercise_id: str, request: Request, manager: ManagerDep,
                token: str | None = None) -> HTMLResponse:  # fmt: skip
    lang, explicit = pick_lang(request)
    t = Translate(lang)
    try:
        row, role = replay_access(exercise_id, request, manager, None, token)
    except HTTPException as e:
        message = t("error.404") if e.status_code == 404 else \
            t("replay.players") if e.status_code == 403 else t("error.401")  # fmt: skip
        return render(request, "error.html", lang, explicit, e.status_code, message=message,
                      resume=e.status_code == 401 and not token)  # fmt: skip
    bundle = stored_bundle(row.bundle)
    if bundle is None:
        return render(request, "error.html", lang, explicit, 409, message=t("replay.damaged"))
    scenario, company = bundle.scenario, bundle.company
    config: dict[str, Any] = {
        "mode": "replay",
        "id": row.id,
        "token": token or "",
        "role": role,
        "lang": lang,
        "start": scenario.start.isoformat(),
        "timezone": scenario.timezone,
        "horizon": scenario.horizon,
        "assets": [{"id": a.id, "kind": a.kind.value, "name": text(a.name, lang) or a.id}
                   for a in company.assets],
        "teams": [],
        "buffers": {f"{a.id}/{b.id}": text(b.name, lang) for a in company.assets
                    for n in a.needs for b in n.buffers if b.name is not None},
        "actions": [{"id": a.id, "title": text(a.title, lang),
                     "description": text(a.description, lang)} for a in scenario.actions],
        "msel": {e.id: {"title": text(e.title, lang), "message": text(e.message, lang)}
                 for e in scenario.injects},
        # never a participant's page: the console's texts with the script's words
        "t": t.subset(CONSOLE_TEXTS + SCRIPT_TEXTS + ("replay.", "whatif.", "values.")),
        "whatif_n": request.app.state.settings.whatif_replications,  # its form's bound
    }  # fmt: skip
    return render(request, "replay.html", lang, explicit, role=role, config=config,
                  title=text(scenario.scenario.title, lang),
                  company=text(company.company.name, lang), replay=True,
                  narrative=text(scenario.scenario.narrative, lang))  # fmt: skip
