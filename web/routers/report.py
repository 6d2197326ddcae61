"""The after-action report (Übungsbericht) and the improvement plan over the web.

`GET /api/exercises/{id}/report?format=html|pdf&lang=de|en` is `tabletop
report` of the exercise's log as it stands (simulator.exercise.aar), for
those who may replay it (`ReplayAccess`: facilitator, observers, manager,
administrator; never participants — the report shows the whole script and
every observation). `GET .../plan`, `.../plan.csv`, `.../plan.xlsx` are the
improvement plan (Maßnahmenplan); `POST .../plan` is the facilitator adding
or replacing one corrective action, logged as a `plan` entry like any
command (so an Idempotency-Key works, and the report reads it from the log).

A report replays the log to its horizon and works out each decision's value:
seconds of CPU, so it runs in a worker thread and never on the event loop.
A PDF (WeasyPrint) also lays out every page: one at a time per server; a
second one meanwhile is told to come back (503 with Retry-After), as a busy
what-if is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from simulator.exercise.aar import build
from simulator.exercise.aar_html import render
from simulator.exercise.aar_pdf import PdfUnavailable, pdf
from simulator.exercise.audience import FULL
from simulator.exercise.log import (
    LogEntry,
    LogError,
    LogHeader,
    PlanEntry,
    PlanPayload,
)
from simulator.exercise.plan_export import plan_csv, plan_xlsx
from web.deps import ExerciseDep, FacilitatorDep, ManagerDep, ReplayAccess
from web.i18n import pick_lang
from web.logexport import export_header, export_sha256, export_text, with_bundle_hash
from web.routers.exercises import _ERROR, ERRORS, RequestKey, accept
from web.routers.whatif import _source, gate
from web.schemas import AcceptedPublic, PlanCreate
from web.storage import Store
from web.whatifs import Busy, Gate, too_busy

router = APIRouter(prefix="/api", tags=["managers"])

RETRY_AFTER_S = 10  # a report of the dairy takes a few seconds
REPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {"description": "The exercise is damaged or its log does not replay on this engine",
          "content": _ERROR},
    503: {"description": "The server is making another report (try again after Retry-After "
          "seconds), or cannot make PDFs (WeasyPrint or Pango missing)", "content": _ERROR},
}  # fmt: skip
_FILE = {"report": {"de": "uebungsbericht", "en": "after-action-report"},
         "plan": {"de": "massnahmenplan", "en": "improvement-plan"}}  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Lang = Annotated[Literal["de", "en"] | None, Query(
    description="de or en (default: the page language: ?lang, cookie, Accept-Language)")]


def pdf_gate(request: Request) -> Gate:
    """One PDF at a time in this server: WeasyPrint's layout of a long log
    takes memory and a core; the what-ifs keep their own slots."""
    state = request.app.state
    if getattr(state, "report_gate", None) is None:
        state.report_gate = Gate(1)
    found: Gate = state.report_gate
    return found


def attachment(body: bytes | str, media_type: str, kind: str, lang: str, exercise_id: str,
               ext: str) -> Response:  # fmt: skip
    # The id is the server's own (letters, digits, - and _): safe in the header.
    name = f"{_FILE[kind][lang]}-{exercise_id}.{ext}"
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def report_html(header: LogHeader, entries: Sequence[LogEntry], lang: str,
                store: Store, exercise_id: str) -> str:  # fmt: skip
    """The report (in a worker thread) of the log as exported: its header
    with the bundle's hash (left out on the event loop: seconds of work), and
    the SHA-256 it prints is of the very bytes GET .../log gives for the same
    entries (web.logexport makes both)."""
    header = with_bundle_hash(header)
    rows = [r for r in store.log(exercise_id) if r.seq <= len(entries)]  # those reported
    digest = export_sha256(export_text(header, rows, FULL, header.bundle))
    return render(replace(build(header, entries, lang), log_sha256=digest))


def report_pdf(header: LogHeader, entries: Sequence[LogEntry], lang: str, store: Store,
               exercise_id: str) -> bytes:  # fmt: skip
    return pdf(report_html(header, entries, lang, store, exercise_id))


@router.get("/exercises/{exercise_id}/report", responses={
    **REPORT_ERRORS, 200: {"description": "The report as an attachment",
                           "content": {"text/html": {}, "application/pdf": {}}}})  # fmt: skip
async def get_report(
    access: ReplayAccess, manager: ManagerDep, request: Request,
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf (A4)")] = "html",
    lang: Lang = None,
) -> Response:  # fmt: skip
    """The after-action report of the exercise as it stands, as HTML or PDF
    (`tabletop report`): overview and attendance, objectives with their
    measured result and the observers' ratings, key events, BIA targets vs
    achieved, the decisions' value, strengths and areas for improvement, the
    improvement plan, the full log with its hash. One PDF at a time per
    server: 503 with Retry-After while another is made."""
    row, _role = access
    chosen = lang or pick_lang(request)[0]
    found = await _source(manager, row)
    # the exported log's header (a live one's checkpoint is taken here, on the loop)
    header = export_header(manager, row, found.header.bundle, hashed=False)
    args = (header, found.entries, chosen, manager.store, row.id)
    try:
        if format == "pdf":
            made: bytes | str = await pdf_gate(request).run(report_pdf, *args)
        else:  # a replay and the decisions' values: bounded as the what-ifs are
            made = await gate(request).run(report_html, *args)
    except Busy:
        raise too_busy("the server is making another report", RETRY_AFTER_S) from None
    except PdfUnavailable as e:
        raise HTTPException(503, str(e)) from None
    except LogError as e:
        raise HTTPException(409, f"exercise {row.id!r} cannot be replayed: {e}") from None
    if format == "pdf":
        return attachment(made, "application/pdf", "report", chosen, row.id, "pdf")
    return attachment(made, "text/html; charset=utf-8", "report", chosen, row.id, "html")


def plan_of(entries: Sequence[LogEntry]) -> list[PlanPayload]:
    """The improvement plan a log ends with: each item's latest entry, in
    the order the items were first written (as Exercise.plan keeps it)."""
    plan: dict[str, PlanPayload] = {}
    for e in entries:
        if isinstance(e, PlanEntry):
            plan[e.payload.item] = e.payload
    return list(plan.values())


@router.get("/exercises/{exercise_id}/plan", responses=REPORT_ERRORS)
async def get_plan(access: ReplayAccess, manager: ManagerDep) -> list[dict[str, Any]]:
    """The improvement plan: each corrective action (item, issue, action,
    objective, owner, due, status) as last written."""
    row, _role = access
    found = await _source(manager, row)
    return [p.model_dump(mode="json") for p in plan_of(found.entries)]


@router.get("/exercises/{exercise_id}/plan.csv", responses={
    **REPORT_ERRORS, 200: {"description": "The plan as CSV", "content": {"text/csv": {}}}})
async def get_plan_csv(access: ReplayAccess, manager: ManagerDep, request: Request,
                       lang: Lang = None) -> Response:  # fmt: skip
    """The improvement plan as CSV (German or English column names; a cell
    that a spreadsheet would read as a formula starts with ')."""
    row, _role = access
    chosen = lang or pick_lang(request)[0]
    found = await _source(manager, row)
    return attachment(plan_csv(plan_of(found.entries), chosen), "text/csv; charset=utf-8",
                      "plan", chosen, row.id, "csv")  # fmt: skip


@router.get("/exercises/{exercise_id}/plan.xlsx", responses={
    **REPORT_ERRORS, 200: {"description": "The plan as an Excel workbook",
                           "content": {XLSX: {}}}})  # fmt: skip
async def get_plan_xlsx(access: ReplayAccess, manager: ManagerDep, request: Request,
                        lang: Lang = None) -> Response:  # fmt: skip
    """The improvement plan as an Excel workbook (one sheet)."""
    row, _role = access
    chosen = lang or pick_lang(request)[0]
    found = await _source(manager, row)
    return attachment(plan_xlsx(plan_of(found.entries), chosen), XLSX, "plan", chosen, row.id,
                      "xlsx")  # fmt: skip


def new_item(plan: dict[str, PlanPayload]) -> str:
    n = len(plan) + 1
    while f"ip-{n}" in plan:
        n += 1
    return f"ip-{n}"


@router.post("/exercises/{exercise_id}/plan", response_model=AcceptedPublic, responses=ERRORS,
             tags=["exercises"])  # fmt: skip
async def post_plan(body: PlanCreate, exercise: ExerciseDep, role: FacilitatorDep,
                    key: RequestKey) -> Any:  # fmt: skip
    """The facilitator adds a corrective action to the improvement plan
    (without `item` the server names it "ip-<n>") or replaces the one with
    that `item`. Logged like any command, also after the exercise has ended;
    the report and the plan's CSV/XLSX read it. 422 names the field."""
    payload = body.model_dump(exclude_none=True)
    if body.item is None:
        payload["item"] = new_item(exercise.exercise.plan)
    return accept(exercise, role, "plan", payload, key)
