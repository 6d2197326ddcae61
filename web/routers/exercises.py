"""The exercise API: create, state, clock, injects, decisions, triggers, log, stream."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from simulator.exercise.audience import FULL
from simulator.exercise.log import PersonPayload
from simulator.model.schema import ScenarioBundle, text
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import load_bundle
from simulator.terms.durations import parse_duration
from web.deps import (
    CallerDep,
    EvaluatorDep,
    ExerciseDep,
    FacilitatorDep,
    ManagerDep,
    RoleDep,
    StoredCallerDep,
    StoredDep,
    not_live,
)
from web.errors import ASCIIJSONResponse
from web.idempotency import OnceByKey
from web.live import (
    MANAGER,
    Damaged,
    LiveExercise,
    Manager,
    QuotaExceeded,
    Rejected,
    accepted_body,
)
from web.logexport import export_header, export_text
from web.schemas import (
    AcceptedPublic,
    ClockCommand,
    DecisionCreate,
    ErrorPublic,
    ExerciseCreate,
    ExercisePublic,
    InjectCreate,
    ObservationCreate,
    PeoplePublic,
    PersonAdded,
    PersonCreate,
    ReopenedPublic,
    ScenarioPublic,
    StatePublic,
    TriggerCommand,
    problem_detail,
)
from web.storage import ARCHIVED

router = APIRouter(prefix="/api", tags=["exercises"])
# Errors are JSON whatever the route answers otherwise (the log is JSON Lines).
_ERROR = {"application/json": {"schema": ErrorPublic.model_json_schema()}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or a wrong token", "content": _ERROR},
    403: {"description": "This role may not do that", "content": _ERROR},
    404: {"description": "No such exercise", "content": _ERROR},
}


def get_request_key(
    idempotency_key: Annotated[str | None, Header(
        description="A fresh random value per click (e.g. a UUID): a request repeated "
        "with the same key gets the first answer and logs nothing new")] = None,
) -> str | None:  # fmt: skip
    if idempotency_key is not None and not KEY.fullmatch(idempotency_key):
        detail = [{"loc": ["header", "Idempotency-Key"], "type": "value_error",
                   "msg": "1 to 100 letters, digits or -_.:"}]  # fmt: skip
        raise HTTPException(422, detail)
    return idempotency_key


KEY = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
RequestKey = Annotated[str | None, Depends(get_request_key)]


class NDJSONResponse(PlainTextResponse):
    media_type = "application/x-ndjson"


def links(request: Request, exercise_id: str, tokens: dict[str, str]) -> dict[str, str]:
    """Links from the configured base URL, else relative: a forged Host header
    must not turn them into links to another server."""
    base = request.app.state.settings.public_url or ""
    # The manager's link opens the replay (read-only), the others the console.
    return {role: f"{base}/exercises/{exercise_id}{'/replay' if role == MANAGER else ''}"
                  f"?token={token}" for role, token in tokens.items()}  # fmt: skip


def scenario_path(request: Request, name: str) -> Path:
    root: Path = request.app.state.settings.scenarios_dir.resolve()
    try:  # a NUL byte, a lone surrogate or an overlong name is no file either
        path = (root / name).resolve()
        found = path.is_relative_to(root) and path.suffix in (".yaml", ".yml") and path.is_file()
    except (ValueError, OSError):
        found = False
    if not found:
        raise HTTPException(422, problem_detail("scenario", f"no scenario file {name!r}")["detail"])
    return path


@router.get("/scenarios", response_model=list[ScenarioPublic])
def list_scenarios(request: Request) -> list[ScenarioPublic]:
    """The bundled scenarios (files under scenarios/ that name a company).
    The folder is the server's own: read once, not on every start page."""
    state = request.app.state
    if getattr(state, "scenarios", None) is None:
        state.scenarios = _bundled_scenarios(state.settings.scenarios_dir)
    found: list[ScenarioPublic] = state.scenarios
    return found


def _bundled_scenarios(root: Path) -> list[ScenarioPublic]:
    out = []
    for path in sorted(root.rglob("*.yaml")):
        try:
            bundle = load_bundle(path)
        except ScenarioError:
            continue
        title = bundle.scenario.scenario.title
        out.append(ScenarioPublic(path=str(path.relative_to(root)),
                                  title={"de": text(title, "de"), "en": text(title, "en")},
                                  company=bundle.company.company.id))  # fmt: skip
    return out


@router.post("/exercises", status_code=201, response_model=ExercisePublic)
async def create_exercise(body: ExerciseCreate, request: Request, manager: ManagerDep,
                          key: RequestKey) -> Any:  # fmt: skip
    """Create an exercise from a scenario under scenarios/; returns the four
    secret links (facilitator, participant, observer; the manager's opens the
    read-only replay). An unknown or invalid
    scenario file is a 422 on `scenario`; a 429 when the server already runs
    its limit of live exercises. A repeat with the same Idempotency-Key gets
    the first answer, and no second exercise."""

    async def make() -> tuple[int, Any]:
        try:
            created = await _create_exercise(body, request, manager)
        except HTTPException as e:
            return e.status_code, {"detail": e.detail}
        return 201, created.model_dump()

    creations: OnceByKey = request.app.state.creations
    status, answer = await creations.run(key, make)
    return ASCIIJSONResponse(answer, status_code=status)


async def _create_exercise(body: ExerciseCreate, request: Request,
                           manager: Any) -> ExercisePublic:  # fmt: skip
    path = scenario_path(request, body.scenario)
    try:
        with manager.admit():  # the body raises no QuotaExceeded
            try:  # loading and compiling take a while: off the event loop
                bundle = await run_in_threadpool(load_bundle, path)
            except ScenarioError as e:
                detail = [{"loc": ["body", "scenario"], "msg": str(p), "type": "value_error"}
                          for p in e.problems]  # fmt: skip
                raise HTTPException(422, detail) from None
            seed = bundle.scenario.seed if body.seed is None else body.seed
            live, tokens = await run_in_threadpool(
                LiveExercise.create, manager.store, request.app.state.settings, body.scenario,
                bundle, seed, body.speed,
            )  # fmt: skip
            tokens |= manager.issue_tokens(live)
            manager.add(live)
    except QuotaExceeded as e:
        raise HTTPException(429, str(e)) from None
    return ExercisePublic(id=live.id, tokens=tokens, links=links(request, live.id, tokens))


def create_live(request: Request, manager: Any, name: str, bundle: Any, seed: int,
                speed: float) -> ExercisePublic:  # fmt: skip
    """An exercise from a validated bundle; QuotaExceeded when the limit of
    live exercises is reached (checked and counted with no await between)."""
    settings = request.app.state.settings
    with manager.admit():
        live, tokens = LiveExercise.create(manager.store, settings, name, bundle, seed, speed)
        tokens |= manager.issue_tokens(live)
        manager.add(live)
    return ExercisePublic(id=live.id, tokens=tokens, links=links(request, live.id, tokens))


@router.get("/exercises/{exercise_id}/state", response_model=StatePublic, responses=ERRORS)
async def get_state(exercise: ExerciseDep, role: RoleDep) -> Any:
    """Simulated time, clock, and every asset's and process's state now."""
    return exercise.state()


def accept(exercise: LiveExercise, role: str, kind: str, payload: dict[str, Any],
           key: str | None, audience: str = FULL) -> Any:  # fmt: skip
    """Submit one command by `role` (the actor: a role, or a named person's
    id); with an Idempotency-Key, a repeat gets the first answer (the check
    and the submit run with no await between them). The answer names the
    entry in `audience`'s numbers (a player's: simulator.exercise.audience.Numbering)."""
    if key is not None and key in exercise.request_keys:
        status, body = exercise.request_keys[key]
        return JSONResponse(exercise.answer_for(audience, status, body), status_code=status)
    try:
        entry = exercise.submit(role, kind, payload, key=key)
    except Rejected as e:
        status, body = 422, problem_detail(e.field, e.message)
    else:
        status, body = 200, accepted_body(entry)
    if key is not None:
        exercise.remember(key, status, body)  # with the log's seq: answered per audience
    return JSONResponse(exercise.answer_for(audience, status, body), status_code=status)


@router.post("/exercises/{exercise_id}/clock", response_model=AcceptedPublic, responses=ERRORS)
async def clock(body: ClockCommand, exercise: ExerciseDep, role: FacilitatorDep,
                key: RequestKey) -> Any:  # fmt: skip
    """Start, pause, resume, change the speed, jump ahead, or extend the
    horizon (at most to a year of simulated time)."""
    payload: dict[str, Any] = {"action": body.action}
    if body.action == "speed":
        payload["speed"] = body.speed
    elif body.action == "extend":
        payload["by"] = parse_duration(body.by or "")
    elif body.action == "jump":
        if body.to == "next_inject":
            item = exercise.next_due()
            if item is None or item.due is None:
                return JSONResponse(problem_detail("to", "no scheduled inject is pending"), 422)
            payload["to"] = min(item.due, exercise.sim.horizon)
        else:
            # A jump past the horizon stops there (the exercise ends).
            payload["to"] = min(exercise.sim.now + parse_duration(body.by or "0min"),
                                exercise.sim.horizon)  # fmt: skip
    return accept(exercise, role, "clock", payload, key)


@router.post("/exercises/{exercise_id}/injects", response_model=AcceptedPublic, responses=ERRORS)
async def inject(body: InjectCreate, exercise: ExerciseDep, role: FacilitatorDep,
                 key: RequestKey) -> Any:  # fmt: skip
    """A hazard with its parameters, a primitive command, an MSEL entry to
    release / delay / skip, or a message to the players. Players learn of a
    hazard or command only by its `title` and `message`, never its parameters."""
    said: dict[str, Any] = {k: v for k, v in (("title", body.title), ("message", body.message),
                                              ("teams", body.teams)) if v is not None}
    if body.hazard is not None:
        payload: dict[str, Any] = {"hazard": body.hazard.model_dump(mode="json")}
        if body.id:
            payload["id"] = body.id
        return accept(exercise, role, "inject", {**payload, **said}, key)
    if body.command is not None:
        command = {"command": body.command.model_dump(mode="json")}
        return accept(exercise, role, "inject", {**command, **said}, key)
    if body.message is not None:
        return accept(exercise, role, "inject", said, key)
    if body.release is not None:
        return accept(exercise, role, "release", {"inject": body.release}, key)
    if body.skip is not None:
        return accept(exercise, role, "skip", {"inject": body.skip}, key)
    delay = {"inject": body.delay, "by": parse_duration(body.by or "")}
    return accept(exercise, role, "delay", delay, key)


@router.post("/exercises/{exercise_id}/decisions", response_model=AcceptedPublic,
             responses=ERRORS)  # fmt: skip
async def decide(body: DecisionCreate, exercise: ExerciseDep, caller: CallerDep,
                 key: RequestKey) -> Any:  # fmt: skip
    """The facilitator records a decision (or accepts / rejects a proposal);
    a participant proposes one (a named one's carries their team). Observers
    may not."""
    role = caller.role
    if role not in ("facilitator", "participant"):
        raise HTTPException(403, f"{role}s may not decide")
    if body.accept is not None or body.reject is not None:
        if role != "facilitator":
            raise HTTPException(403, "only the facilitator accepts or rejects proposals")
        kind = "accept" if body.accept is not None else "reject"
        return accept(exercise, role, kind, {"proposal": body.accept or body.reject}, key)
    payload: dict[str, Any] = {"action": body.action} if body.action is not None else \
        {"text": body.text}  # fmt: skip
    if caller.team is not None:
        payload["team"] = caller.team
    kind = "decision" if role == "facilitator" else "proposal"
    return accept(exercise, caller.actor, kind, payload, key, caller.audience)


@router.post("/exercises/{exercise_id}/observations", response_model=AcceptedPublic,
             responses=ERRORS)  # fmt: skip
async def observe(body: ObservationCreate, exercise: ExerciseDep, _role: EvaluatorDep,
                  caller: CallerDep, key: RequestKey) -> Any:  # fmt: skip
    """An observation of the facilitator or an observer (named through their
    personal link), for the after-action report: optionally on an objective
    (422 on `objective` for one the scenario does not have), tagged strength
    or improvement, rated P/S/M/U. Participants get a 403 and never see
    observations."""
    return accept(exercise, caller.actor, "observation", body.model_dump(exclude_none=True),
                  key)  # fmt: skip


@router.post("/exercises/{exercise_id}/triggers", response_model=AcceptedPublic,
             responses=ERRORS)  # fmt: skip
async def trigger(body: TriggerCommand, exercise: ExerciseDep, role: FacilitatorDep,
                  key: RequestKey) -> Any:  # fmt: skip
    """The facilitator disarms or fires an adaptive trigger, or releases or
    dismisses the inject it suggested. Players never learn of a trigger: a
    released suggestion reaches them as its title and message only."""
    return accept(exercise, role, "trigger", body.model_dump(), key)


MAX_PEOPLE = 300  # named people per exercise (each link is checked on every request)
MAX_TEAMS = 20  # teams per exercise (as many as an inject can be addressed to)
MAX_PEOPLE_KEYS = 1000  # Idempotency-Keys of /people remembered (in memory: links are secret)


@router.post("/exercises/{exercise_id}/people", response_model=PersonAdded, responses=ERRORS)
async def add_person(body: PersonCreate, request: Request, exercise: ExerciseDep,
                     role: FacilitatorDep, key: RequestKey) -> Any:  # fmt: skip
    """The facilitator adds a named participant or observer (name, function,
    team): the log names them, and they get a personal link that works like
    their role's but names them in every entry they make (a participant's
    proposals carry their team). The token is shown once: only its hash is
    stored. A repeat with the same Idempotency-Key gets the first answer."""
    # Its answers (a person with their link) have their own keys: a key another
    # command used must not answer here with that command's acceptance.
    if key is not None and key in exercise.people_keys:
        status, answer = exercise.people_keys[key]
        return JSONResponse(answer, status_code=status)
    teams = exercise.exercise.teams()
    if len(exercise.exercise.people) >= MAX_PEOPLE:
        status, answer = 422, problem_detail("people", f"an exercise has at most {MAX_PEOPLE} "
                                             "named people")  # fmt: skip
    elif body.team is not None and body.team not in teams and len(teams) >= MAX_TEAMS:
        # each team is an audience of the stream, encoded and kept on every update
        status, answer = 422, problem_detail("team", f"an exercise has at most {MAX_TEAMS} "
                                             f"teams ({', '.join(sorted(teams))})")  # fmt: skip
    else:
        try:
            entry, token = exercise.add_person(body.name, body.function, body.team, body.role,
                                               actor=role)  # fmt: skip
        except Rejected as e:
            status, answer = 422, problem_detail(e.field, e.message)
        else:
            assert isinstance(entry.payload, PersonPayload)
            link = links(request, exercise.id, {"p": token})["p"]
            status = 200
            answer = {**person_row(exercise, entry.payload.id, {}), "token": token,
                      "link": link}  # fmt: skip
    if key is not None:
        exercise.people_keys[key] = (status, answer)
        if len(exercise.people_keys) > MAX_PEOPLE_KEYS:  # the oldest goes
            exercise.people_keys.pop(next(iter(exercise.people_keys)))
    return JSONResponse(answer, status_code=status)


@router.post("/exercises/{exercise_id}/people/{person_id}/link", response_model=PersonAdded,
             responses=ERRORS)  # fmt: skip
async def reissue_link(person_id: str, request: Request, exercise: ExerciseDep,
                       role: FacilitatorDep, key: RequestKey) -> Any:  # fmt: skip
    """The facilitator issues a person a new personal link (a lost or
    forwarded one, or a person a fork copied): the old link stops working
    at once, open streams included. Shown once, only its hash stored; not
    logged (the log holds no secrets). A repeat with the same
    Idempotency-Key gets the first answer: one click, one new link."""
    stored = None if key is None else exercise.people_keys.get(f"link:{person_id}:{key}")
    if stored is not None:
        return JSONResponse(stored[1], status_code=stored[0])
    if person_id not in exercise.exercise.people:
        raise HTTPException(404, f"no person {person_id[:40]!r} in this exercise")
    token = exercise.reissue_link(person_id)
    answer = {**person_row(exercise, person_id, {}), "token": token,
              "link": links(request, exercise.id, {"p": token})["p"]}  # fmt: skip
    if key is not None:
        exercise.people_keys[f"link:{person_id}:{key}"] = (200, answer)
        if len(exercise.people_keys) > MAX_PEOPLE_KEYS:  # the oldest goes
            exercise.people_keys.pop(next(iter(exercise.people_keys)))
    return JSONResponse(answer)


@router.get("/exercises/{exercise_id}/people", response_model=PeoplePublic, responses=ERRORS)
async def get_people(exercise: ExerciseDep, role: RoleDep) -> Any:
    """The named people, their teams and attendance: when each first opened
    their link, their first and last log entry (UTC); per team, how many
    there are, joined and were active. For the facilitator and observers."""
    if role not in ("facilitator", "observer", MANAGER):
        raise HTTPException(403, "the people of an exercise are for the facilitator and "
                            "observers")  # fmt: skip
    activity: dict[str, list[Any]] = {}  # actor -> [first entry, last entry, count]
    for entry in exercise.exercise.log:
        if entry.actor in exercise.exercise.people:
            seen = activity.setdefault(entry.actor, [entry, entry, 0])
            seen[1], seen[2] = entry, seen[2] + 1
    people = [person_row(exercise, p, activity) for p in exercise.exercise.people]
    teams: dict[str | None, dict[str, Any]] = {}
    for p in people:
        team = teams.setdefault(p["team"], {"team": p["team"], "people": 0, "joined": 0,
                                            "active": 0})  # fmt: skip
        team["people"] += 1
        team["joined"] += p["joined"] is not None
        team["active"] += p["entries"] > 0
    ordered = sorted(teams.values(), key=lambda t: (t["team"] is None, t["team"] or ""))
    return {"people": people, "teams": ordered}


def person_row(exercise: LiveExercise, person_id: str,
               activity: dict[str, list[Any]]) -> dict[str, Any]:  # fmt: skip
    """A person as GET /people lists them, with their attendance (`activity`:
    their first and last log entries and how many)."""
    person = exercise.exercise.people[person_id]
    first, last, count = activity.get(person_id, (None, None, 0))

    def iso(wall: Any) -> str | None:
        return None if wall is None else wall.isoformat()

    return {**person.model_dump(mode="json"), "joined": iso(exercise.joined.get(person_id)),
            "first_active": iso(first.wall_time) if first else None,
            "last_active": iso(last.wall_time) if last else None,
            "entries": count}  # fmt: skip


@router.get("/exercises/{exercise_id}/log", response_class=NDJSONResponse, responses=ERRORS)
async def get_log(stored: StoredCallerDep, manager: ManagerDep) -> NDJSONResponse:
    """The command log as JSON Lines, in the caller's view: a header
    (scenario; the seed for facilitators and observers), then every accepted
    command with simulated time, wall time and role. Participants get what
    their stream gives them: no observations, skips, delays or hazard
    parameters (and no seed, which would replay the script ahead). Also for
    an archived or damaged exercise: its log is never lost (an unreadable
    row comes with `error`, for facilitators and observers)."""
    row, caller = stored
    audience = caller.audience
    live = manager.exercises.get(row.id)
    bundle = live.bundle if live is not None else await run_in_threadpool(stored_bundle, row.bundle)
    if bundle is None and audience != FULL:
        raise HTTPException(409, "this exercise is damaged: its log is for the facilitator "
                            "and observers only")  # fmt: skip
    header = export_header(manager, row, bundle)
    return NDJSONResponse(export_text(header, manager.store.log(row.id), audience, bundle))


def stored_bundle(bundle_json: str) -> ScenarioBundle | None:
    """A stored bundle, None if it is not valid (a damaged exercise)."""
    try:
        return ScenarioBundle.model_validate_json(bundle_json)
    except ValueError:
        return None


@router.post("/exercises/{exercise_id}/reopen", response_model=ReopenedPublic,
             responses={**ERRORS, 429: {"description": "The limit of live exercises is reached",
                                        "content": _ERROR}})  # fmt: skip
async def reopen(stored: StoredDep, manager: ManagerDep) -> Any:
    """The facilitator brings an archived exercise back (paused, rebuilt from
    its log); it counts against the limit of live exercises."""
    row, role = stored
    if role != "facilitator":
        raise HTTPException(403, "only the facilitator may do this")
    if manager.get(row.id) is None:
        status = manager.store.status(row.id)
        if status is not None and status.state != ARCHIVED:
            raise not_live(manager, row.id)
        try:
            manager.reopen(row)
        except QuotaExceeded as e:
            raise HTTPException(429, str(e)) from None
        except Damaged:
            raise not_live(manager, row.id) from None
    return ReopenedPublic(id=row.id, state="live")


@router.get("/exercises/{exercise_id}/feed", responses=ERRORS)
async def get_feed(
    exercise: ExerciseDep, caller: CallerDep,
    before: Annotated[int, Query(ge=1, le=2**31 - 1,
                                 description="entries older than this feed number (its seq)")],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:  # fmt: skip
    """Older feed entries (oldest first) in the caller's view: the stream's
    first message carries only the newest ones and `feed_before`."""
    return exercise.feed_page(caller.audience, before, limit)


def event_id(header: str | None) -> int | None:
    """A stream event id from a Last-Event-ID header; anything but 1-19 ASCII
    digits (a non-ASCII digit, 5,000 digits) starts afresh from a full state."""
    if header is None or not 0 < len(header) < 20 or not header.isascii() or not header.isdigit():
        return None
    return int(header)


@router.get("/exercises/{exercise_id}/stream", include_in_schema=False)
async def stream(
    exercise: ExerciseDep,
    caller: CallerDep,
    manager: ManagerDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """Server-sent events: a full state first, then combined updates;
    resumable with Last-Event-ID. FastAPI's EventSourceResponse is given ready
    frames: each update is encoded once for all the viewers of an audience,
    not once per viewer (p99 at 200 viewers fell from 151 ms to ~20 ms)."""
    audience = caller.audience
    revoked: Callable[[], bool] = lambda: False  # noqa: E731
    if caller.actor in exercise.exercise.people:  # a named person joins (attendance)
        exercise.attend(caller.actor)
        access, person = exercise.people_tokens.get(caller.actor), caller.actor
        # a link issued anew ends the old one's stream with its next frame
        revoked = lambda: exercise.people_tokens.get(person) is not access  # noqa: E731
    last = event_id(last_event_id)
    frames = until_deleted(exercise.frames(audience, last), manager, exercise, revoked)
    return EventSourceResponse(frames, headers={"Cache-Control": "no-cache",
                                                "X-Accel-Buffering": "no"})  # fmt: skip


CLOSED = b'\ndata: {"type":"closed"'


async def until_deleted(
    frames: AsyncIterator[bytes],
    manager: Manager,
    exercise: LiveExercise,
    revoked: Callable[[], bool] = lambda: False,
) -> AsyncIterator[bytes]:
    """A viewer's frames until its exercise is deleted: the `closed` message
    (Manager.delete publishes it) is the last one, then the stream ends, and
    the browser's reconnection finds no exercise (404). A person's stream
    also ends once their link is `revoked` (issued anew): reconnecting with
    the old token gets a 401."""
    try:
        async for frame in frames:
            if revoked():
                return
            yield frame
            # Only the message itself starts so: a text in it would be escaped.
            if CLOSED in frame and manager.exercises.get(exercise.id) is not exercise:
                return
    finally:  # the viewer leaves the hub now, not when the generator is collected
        close = getattr(frames, "aclose", None)
        if close is not None:
            await close()
