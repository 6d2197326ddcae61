"""The administrator's archive: every stored exercise, its replay, its log,
and deleting it — as a page (German and English) and as JSON.

Only the administrator's token opens it (`tabletop serve` prints the link;
the token comes from --admin-token / TABLETOP_ADMIN_TOKEN or is made anew at
each start). Deleting takes a confirmation page and a POST whose token is in
the form body (no cookie authorises anything, so no cross-site request can);
it is idempotent: a second click finds nothing more to delete.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.archive import listing, series_links, summary
from web.deps import AdminDep, ManagerDep, is_admin
from web.i18n import Translate, pick_lang
from web.routers.exercises import _ERROR
from web.routers.pages import render
from web.schemas import DeletedPublic, ExerciseSummary

api = APIRouter(prefix="/api/admin", tags=["admin"])
pages = APIRouter(include_in_schema=False)
ExerciseId = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or a wrong administrator token", "content": _ERROR},
    403: {"description": "Never: the administrator may do everything here", "content": _ERROR},
    404: {"description": "Never: deleting is idempotent", "content": _ERROR},
}


@api.get("/exercises", response_model=list[ExerciseSummary], responses=ADMIN_ERRORS)
async def list_exercises(_admin: AdminDep, manager: ManagerDep) -> Any:
    """Every stored exercise, newest first: scenario, creation, state, simulated
    time, number of commands."""
    return listing(manager)


@api.delete("/exercises/{exercise_id}", response_model=DeletedPublic, responses=ADMIN_ERRORS)
async def delete_exercise(exercise_id: ExerciseId, _admin: AdminDep,
                          manager: ManagerDep) -> Any:  # fmt: skip
    """Delete an exercise with its log, status and tokens; its viewers'
    streams end. A repeat answers `deleted: false`."""
    return DeletedPublic(id=exercise_id, deleted=manager.delete(exercise_id))


def _refused(request: Request, lang: str, explicit: bool) -> HTMLResponse:
    message = Translate(lang)("archive.401")
    return render(request, "error.html", lang, explicit, 401, message=message)


@pages.get("/admin", response_class=HTMLResponse)
def archive_page(request: Request, manager: ManagerDep, token: str | None = None,
                 deleted: str | None = None) -> HTMLResponse:  # fmt: skip
    lang, explicit = pick_lang(request)
    if not is_admin(request, None, token):
        return _refused(request, lang, explicit)
    shown = deleted if deleted and len(deleted) <= 32 and deleted.isalnum() else None
    return render(request, "admin.html", lang, explicit, exercises=listing(manager),
                  token=token, deleted=shown, series=series_links(manager))  # fmt: skip


@pages.get("/admin/exercises/{exercise_id}/delete", response_class=HTMLResponse)
def confirm_page(exercise_id: ExerciseId, request: Request, manager: ManagerDep,
                 token: str | None = None) -> Response:  # fmt: skip
    """Asks before deleting (the archive's link)."""
    lang, explicit = pick_lang(request)
    if not is_admin(request, None, token):
        return _refused(request, lang, explicit)
    found = summary(manager, exercise_id)
    if found is None:  # deleted already: back to the list
        return _back(token or "", lang, None)
    return render(request, "admin_delete.html", lang, explicit, exercise=found,
                  token=token)  # fmt: skip


@pages.post("/admin/exercises/{exercise_id}/delete", response_class=HTMLResponse)
async def delete_page(exercise_id: ExerciseId, request: Request,
                      manager: ManagerDep) -> Response:  # fmt: skip
    lang, explicit = pick_lang(request)
    async with request.form(max_part_size=4096, max_files=0, max_fields=4) as form:
        token = str(form.get("token") or "")
    if not is_admin(request, None, token):
        return _refused(request, lang, explicit)
    manager.delete(exercise_id)
    return _back(token, lang, exercise_id)


def _back(token: str, lang: str, deleted: str | None) -> RedirectResponse:
    query = {"token": token, "lang": lang, **({"deleted": deleted} if deleted else {})}
    return RedirectResponse(f"/admin?{urlencode(query)}", status_code=303)
