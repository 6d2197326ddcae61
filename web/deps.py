"""Annotated dependencies: the manager, the exercise and the caller's role."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Query, Request

from web.live import LiveExercise, Manager
from web.storage import token_hash


def get_manager(request: Request) -> Manager:
    manager: Manager = request.app.state.manager
    return manager


ManagerDep = Annotated[Manager, Depends(get_manager)]


def get_exercise(exercise_id: str, manager: ManagerDep) -> LiveExercise:
    exercise = manager.exercises.get(exercise_id)
    if exercise is None:
        raise HTTPException(404, f"no exercise {exercise_id!r}")
    return exercise


ExerciseDep = Annotated[LiveExercise, Depends(get_exercise)]


def get_role(
    exercise: ExerciseDep,
    authorization: Annotated[str | None, Header()] = None,
    token: Annotated[str | None, Query(description="for browser links")] = None,
) -> str:
    """The role a token grants on this exercise; 401 without a valid token."""
    if authorization is not None and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    if token:
        digest = token_hash(token)
        for role, known in exercise.token_hashes.items():
            if hmac.compare_digest(digest, known):
                return role
    raise HTTPException(401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"})


RoleDep = Annotated[str, Depends(get_role)]


def facilitator(role: RoleDep) -> str:
    if role != "facilitator":
        raise HTTPException(403, "only the facilitator may do this")
    return role


FacilitatorDep = Annotated[str, Depends(facilitator)]
