"""Annotated dependencies: the manager, the exercise and the caller's role."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request

from simulator.exercise.audience import audience_of
from web.live import MANAGER, Access, LiveExercise, Manager
from web.storage import ARCHIVED, Exercise, Store, token_hash


def get_manager(request: Request) -> Manager:
    manager: Manager = request.app.state.manager
    return manager


ManagerDep = Annotated[Manager, Depends(get_manager)]


def not_live(manager: Manager, exercise_id: str) -> HTTPException:
    """404 for an unknown exercise; 410 for an archived one, 409 for a damaged
    one, each saying why and what can still be done."""
    if exercise_id in manager.damaged:
        return HTTPException(409, f"exercise {exercise_id!r} is damaged and cannot run: "
                             f"{manager.damaged[exercise_id]}; its log can still be "
                             "downloaded")  # fmt: skip
    status = manager.store.status(exercise_id)
    if status is None:
        return HTTPException(404, f"no exercise {exercise_id!r}")
    if status.state == ARCHIVED:
        return HTTPException(410, f"exercise {exercise_id!r} is archived (idle too long); its "
                             "log can still be downloaded, and the facilitator can reopen it "
                             f"(POST /api/exercises/{exercise_id}/reopen)")  # fmt: skip
    return HTTPException(409, f"exercise {exercise_id!r} is damaged and cannot run: "
                         f"{status.reason}; its log can still be downloaded")  # fmt: skip


def get_exercise(exercise_id: str, manager: ManagerDep) -> LiveExercise:
    """The live exercise (rebuilt from its log on its first use since start-up)."""
    exercise = manager.get(exercise_id)
    if exercise is None:
        raise not_live(manager, exercise_id)
    return exercise


ExerciseDep = Annotated[LiveExercise, Depends(get_exercise)]

Authorization = Annotated[str | None, Header()]
TokenQuery = Annotated[str | None, Query(description="for browser links")]


def role_of(token_hashes: dict[str, str], authorization: str | None, token: str | None) -> str:
    """The role a token grants (the Authorization header first); 401 without
    a valid token."""
    if authorization is not None and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    if token:
        digest = token_hash(token)
        for role, known in token_hashes.items():
            if hmac.compare_digest(digest, known):
                return role
    raise HTTPException(401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True)
class Caller:
    """Who sends a request: a role's link (anonymous: `actor` is the role) or
    a named person's (`actor` is their id, with their role and team)."""

    role: str
    actor: str
    team: str | None = None

    @property
    def audience(self) -> str:
        return audience_of(self.role, self.team)


def caller_of(token_hashes: dict[str, str], people: Mapping[str, Access],
              authorization: str | None, token: str | None) -> Caller:  # fmt: skip
    """The caller a token names: a role's link or a named person's; 401
    without a valid token."""
    if authorization is not None and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    if token:
        digest = token_hash(token)
        for person, access in people.items():
            if hmac.compare_digest(digest, access.hash):
                return Caller(access.role, person, access.team)
    role = role_of(token_hashes, None, token)
    return Caller(role, role)


def get_caller(exercise: ExerciseDep, authorization: Authorization = None,
               token: TokenQuery = None) -> Caller:  # fmt: skip
    """Who the token names on this exercise; 401 without a valid token. A
    person's link counts only once their `person` entry is in the log."""
    people = {p: a for p, a in exercise.people_tokens.items() if p in exercise.exercise.people}
    return caller_of(exercise.token_hashes, people, authorization, token)


CallerDep = Annotated[Caller, Depends(get_caller)]


def get_role(caller: CallerDep) -> str:
    """The role a token grants on this exercise (a person's: theirs); 401
    without a valid token."""
    return caller.role


RoleDep = Annotated[str, Depends(get_role)]


def stored_hashes(store: Store, row: Exercise) -> dict[str, str]:
    """Every role's token hash of a stored exercise: the three in its row and
    those in their own table (the manager's; none for older exercises)."""
    return {"facilitator": row.facilitator_hash, "participant": row.participant_hash,
            "observer": row.observer_hash, **store.tokens(row.id)}  # fmt: skip


def get_stored(exercise_id: str, request: Request, manager: ManagerDep,
               authorization: Authorization = None,
               token: TokenQuery = None) -> tuple[Exercise, str]:  # fmt: skip
    """An exercise's database row, live or not, and the caller's role: what
    reading an archived or damaged exercise's log needs. The administrator's
    token grants the role `admin` (it reads every log, and commands nothing)."""
    row, caller = get_stored_caller(exercise_id, request, manager, authorization, token)
    return row, caller.role


StoredDep = Annotated[tuple[Exercise, str], Depends(get_stored)]


def stored_people(store: Store, exercise_id: str) -> dict[str, Access]:
    """The named people's links of a stored exercise (live or not)."""
    return {p.person: Access(p.hash, p.role, p.team) for p in store.people(exercise_id)}


def get_stored_caller(exercise_id: str, request: Request, manager: ManagerDep,
                      authorization: Authorization = None,
                      token: TokenQuery = None) -> tuple[Exercise, Caller]:  # fmt: skip
    """An exercise's row, live or not, and who calls (get_stored's, with a
    named person's team: what their view of the log needs)."""
    row = manager.store.exercise(exercise_id)
    if row is None:
        raise HTTPException(404, f"no exercise {exercise_id!r}")
    if is_admin(request, authorization, token):
        return row, Caller(ADMIN, ADMIN)
    people = stored_people(manager.store, row.id)
    live = manager.exercises.get(row.id)
    if live is not None:  # a link counts once its person is logged
        people = {p: a for p, a in people.items() if p in live.exercise.people}
    return row, caller_of(stored_hashes(manager.store, row), people, authorization, token)


StoredCallerDep = Annotated[tuple[Exercise, Caller], Depends(get_stored_caller)]


def facilitator(role: RoleDep) -> str:
    if role != "facilitator":
        raise HTTPException(403, "only the facilitator may do this")
    return role


FacilitatorDep = Annotated[str, Depends(facilitator)]


def evaluator(role: RoleDep) -> str:
    """The facilitator or an observer: those who evaluate the exercise
    (players never see, let alone write, observations)."""
    if role not in ("facilitator", "observer"):
        raise HTTPException(403, "only the facilitator and observers may do this")
    return role


EvaluatorDep = Annotated[str, Depends(evaluator)]


# --- the administrator and the replay ------------------------------------------------

ADMIN = "admin"  # the role the administrator's token grants on every exercise


def is_admin(request: Request, authorization: str | None, token: str | None) -> bool:
    """Whether the request carries the administrator's token (header first)."""
    if authorization is not None and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    if not token:
        return False
    known: str = request.app.state.admin_hash
    return hmac.compare_digest(token_hash(token), known)


def get_admin(request: Request, authorization: Authorization = None,
              token: TokenQuery = None) -> str:  # fmt: skip
    """401 unless the request carries the administrator's token."""
    if not is_admin(request, authorization, token):
        raise HTTPException(401, "the administrator's token is required",
                            headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
    return ADMIN


AdminDep = Annotated[str, Depends(get_admin)]
REPLAY_ROLES = frozenset({"facilitator", "observer", MANAGER, ADMIN})


def replay_access(exercise_id: str, request: Request, manager: ManagerDep,
                  authorization: Authorization = None,
                  token: TokenQuery = None) -> tuple[Exercise, str]:  # fmt: skip
    """An exercise's row (live or not) and who may replay it: its
    facilitator, observers and manager, or the administrator. Participants
    may not: the replay shows the whole script and every observation."""
    row, role = get_stored(exercise_id, request, manager, authorization, token)
    if role not in REPLAY_ROLES:
        raise HTTPException(403, "the replay is for the facilitator, observers and managers")
    return row, role


ReplayAccess = Annotated[tuple[Exercise, str], Depends(replay_access)]
