"""A series of exercises over the web: the stored runs of one scenario (or
the exercises the administrator picks) compared — `tabletop report --series`
as JSON, as a page of the archive and as a download (HTML/PDF).

Administrator only. A manager's token opens one exercise; a series shows
other exercises of the company (their dates, people counts, ratings and
figures), which that token does not open, so there is no manager view.

`?scenario=` takes the stored exercises started from that scenario (as the
archive names it), the newest MAX_RUNS of them; `?ids=a,b,c` takes those
exercises. Each run is a replay to its horizon: the work runs in a worker
thread behind the what-if gate (a PDF behind the report's), never on the
event loop; a busy server answers 503 with Retry-After.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from simulator.exercise.aar_pdf import PdfUnavailable, pdf
from simulator.exercise.series import MAX_RUNS, Series, SeriesError, build
from simulator.exercise.series_html import body, render
from web.archive import played
from web.deps import AdminDep, ManagerDep, is_admin
from web.errors import ASCIIJSONResponse
from web.i18n import Translate, pick_lang
from web.routers.admin import ADMIN_ERRORS
from web.routers.exercises import _ERROR
from web.routers.pages import render as render_page
from web.routers.report import RETRY_AFTER_S, pdf_gate
from web.routers.whatif import _source, gate
from web.schemas import SeriesPublic
from web.whatifs import Busy, too_busy

api = APIRouter(prefix="/api/admin", tags=["admin"])
pages = APIRouter(include_in_schema=False)

SERIES_ERRORS: dict[int | str, dict[str, Any]] = {
    **ADMIN_ERRORS,
    404: {"description": "Never: an unknown exercise is a 422 naming `ids`", "content": _ERROR},
    409: {"description": "An exercise is damaged or its log does not replay on this engine",
          "content": _ERROR},
    422: {"description": "No selection, an unknown exercise, fewer than two runs, or runs of "
          "different companies; the message names the field", "content": _ERROR},
    503: {"description": "The server is busy with other replays (try again after "
          "Retry-After seconds), or cannot make PDFs", "content": _ERROR},
}  # fmt: skip
ScenarioQuery = Annotated[str | None, Query(
    max_length=300, description="The scenario the exercises were started from, as the archive "
    "lists it: the newest exercises of it form the series")]  # fmt: skip
IdsQuery = Annotated[str | None, Query(
    max_length=MAX_RUNS * 33, pattern=r"^[A-Za-z0-9_-]{1,32}(,[A-Za-z0-9_-]{1,32})*$",
    description=f"Exercise ids, comma-separated (2 to {MAX_RUNS})")]  # fmt: skip
LangQuery = Annotated[Literal["de", "en"] | None, Query(
    description="de or en (default: the page language: ?lang, cookie, Accept-Language)")]
_FILE = {"de": "uebungsreihe", "en": "exercise-series"}


class Refused(Exception):
    """A selection that makes no series: status, field and message in both languages."""

    def __init__(self, status: int, field: str, english: str, german: str) -> None:
        super().__init__(english)
        self.status, self.field, self.english, self.german = status, field, english, german

    def say(self, lang: str) -> str:
        return self.german if lang == "de" else self.english

    def response(self) -> ASCIIJSONResponse:
        """As the app's 422s look: the field, the message in English and German."""
        return ASCIIJSONResponse({"detail": [{
            "loc": ["query", self.field], "type": "value_error", "msg": self.english,
            "msg_de": self.german}]}, self.status)  # fmt: skip


def chosen(manager: Any, scenario: str | None, ids: str | None) -> list[str]:
    """The exercise ids of the series, oldest first (the series sorts by wall clock)."""
    if ids:
        picked = list(dict.fromkeys(ids.split(",")))
        if len(picked) > MAX_RUNS:
            raise Refused(422, "ids", f"at most {MAX_RUNS} exercises, not {len(picked)}",
                          f"höchstens {MAX_RUNS} Übungen, nicht {len(picked)}")  # fmt: skip
        for exercise_id in picked:
            if manager.store.exercise(exercise_id) is None:
                raise Refused(422, "ids", f"no exercise {exercise_id!r}",
                              f"keine Übung {exercise_id!r}")  # fmt: skip
        return picked
    if scenario:
        rows = [r.id for r in manager.store.summaries()
                if r.scenario == scenario and played(r)]  # fmt: skip
        return rows[-MAX_RUNS:]
    raise Refused(422, "scenario", "give ?scenario= or ?ids=",
                  "?scenario= oder ?ids= angeben")  # fmt: skip


async def series_of(request: Request, manager: Any, scenario: str | None, ids: str | None,
                    lang: str) -> Series:  # fmt: skip
    """The series, worked out in a worker thread. Refused, HTTPException
    (409 damaged, 503 busy)."""
    picked = chosen(manager, scenario, ids)
    logs = []
    for exercise_id in picked:
        row = manager.store.exercise(exercise_id)
        if row is None:  # deleted meanwhile
            continue
        found = await _source(manager, row)
        logs.append((exercise_id, found.header, found.entries))
    try:
        made: Series = await gate(request).run(build, logs, lang)
    except Busy:
        raise too_busy("the server is busy with other replays", RETRY_AFTER_S) from None
    except SeriesError as e:
        raise Refused(422, "ids" if ids else "scenario", str(e), e.german) from None
    return made


def public(s: Series) -> SeriesPublic:
    runs = [{"exercise": r.label, "date": r.date.isoformat() if r.date else None,
             "scenario_id": r.scenario_id, "scenario_title": r.scenario_title,
             "objectives": [{"id": o.id, "title": o.title, "met": o.met,
                             "ratings": list(o.ratings)} for o in r.objectives],
             "objectives_met": r.met, "objectives_missed": r.missed,
             "processes": [{"id": p.id, "name": p.name, "rto_breached": p.rto_breached,
                            "mtpd_breached": p.mtpd_breached, "impact_eur": p.impact_eur}
                           for p in r.processes],
             "rto_breaches": r.rto_breaches, "mtpd_breaches": r.mtpd_breaches,
             "impact_eur": r.impact_eur, "time_to_decision": r.time_to_decision,
             "decisions": r.decisions, "participants": r.participants,
             "mean_rating": r.mean_rating} for r in s.runs]  # fmt: skip
    trends = [{"metric": t.metric, "direction": t.direction, "values": list(t.values),
               "vs_previous": list(t.vs_previous), "vs_first": list(t.vs_first)}
              for t in s.trends]  # fmt: skip
    return SeriesPublic.model_validate({"company": s.company, "scenarios": list(s.scenarios),
                                        "mixed_scenarios": s.mixed,
                                        "company_changed": s.company_changed,
                                        "runs": runs, "trends": trends})  # fmt: skip


@api.get("/series", response_model=SeriesPublic, responses=SERIES_ERRORS)
async def get_series(_admin: AdminDep, manager: ManagerDep, request: Request,
                     scenario: ScenarioQuery = None, ids: IdsQuery = None,
                     lang: LangQuery = None) -> Any:  # fmt: skip
    """Stored exercises of one company compared in time order: per run the
    objectives met (with the observers' ratings), RTO/MTPD breaches, impact
    EUR, time to decision, decisions and participants; per metric better,
    worse or same than the previous run and the first. Runs of different
    companies are refused (422); different scenarios are flagged."""
    try:
        return public(await series_of(request, manager, scenario, ids,
                                      lang or pick_lang(request)[0]))  # fmt: skip
    except Refused as e:
        return e.response()


@api.get("/series/report", responses={
    **SERIES_ERRORS, 200: {"description": "The series report as an attachment",
                           "content": {"text/html": {}, "application/pdf": {}}}})  # fmt: skip
async def get_series_report(
    _admin: AdminDep, manager: ManagerDep, request: Request, scenario: ScenarioQuery = None,
    ids: IdsQuery = None, lang: LangQuery = None,
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf (A4)")] = "html",
) -> Response:  # fmt: skip
    """The series as a report (`tabletop report --series`), HTML or PDF."""
    chosen_lang = lang or pick_lang(request)[0]
    try:
        page = render(await series_of(request, manager, scenario, ids, chosen_lang))
    except Refused as e:
        return e.response()
    name = f"{_FILE[chosen_lang]}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "html":
        return Response(page, media_type="text/html; charset=utf-8", headers=headers)
    try:
        made: bytes = await pdf_gate(request).run(pdf, page)
    except Busy:
        raise too_busy("the server is making another report", RETRY_AFTER_S) from None
    except PdfUnavailable as e:
        raise HTTPException(503, str(e)) from None
    return Response(made, media_type="application/pdf", headers=headers)


@pages.get("/admin/series", response_class=HTMLResponse)
async def series_page(request: Request, manager: ManagerDep, token: str | None = None,
                      scenario: str | None = None,
                      ids: str | None = None) -> HTMLResponse:  # fmt: skip
    """The archive's comparison of a series, with its downloads."""
    lang, explicit = pick_lang(request)
    t = Translate(lang)
    if not is_admin(request, None, token):
        return render_page(request, "error.html", lang, explicit, 401, message=t("archive.401"))
    if scenario is not None and len(scenario) > 300:
        scenario = None
    if ids is not None and (len(ids) > MAX_RUNS * 33 or not all(
            i and len(i) <= 32 and i.replace("-", "").replace("_", "").isalnum()
            for i in ids.split(","))):  # fmt: skip
        return render_page(request, "error.html", lang, explicit, 422,
                           message=t("series.bad_ids"))  # fmt: skip
    try:
        made = await series_of(request, manager, scenario, ids, lang)
    except Refused as e:
        return render_page(request, "error.html", lang, explicit, e.status, message=e.say(lang))
    except HTTPException as e:
        return render_page(request, "error.html", lang, explicit, e.status_code,
                           message=str(e.detail))  # fmt: skip
    query = {"scenario": scenario} if not ids else {"ids": ids}
    return render_page(request, "admin_series.html", lang, explicit, series=made,
                       body=body(made), token=token, query=query)  # fmt: skip
