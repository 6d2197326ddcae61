"""The HTML pages: the start page (new exercise) and the exercise console.

Server-rendered with Jinja2 (autoescaping on); the console gets its data as
one JSON block and draws itself from the exercise's event stream
(web/static/console.js). Every script is served from /static.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from datetime import datetime
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter
from starlette.datastructures import FormData, UploadFile

from simulator.exercise.moment import hours
from simulator.hazards import HazardSpec, target_ids, unfit_hazards
from simulator.model.schema import (
    Company,
    MselInject,
    ScenarioBundle,
    start_in_range,
    text,
)
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import load_bundle
from simulator.terms.durations import DURATION_PATTERN
from simulator.terms.messages import translate
from simulator.terms.wallclock import place, zone
from web.deps import caller_of, get_caller, role_of, stored_hashes, stored_people
from web.headers import SECURITY_HEADERS
from web.i18n import CONSOLE_TEXTS, COOKIE, SCRIPT_TEXTS, Translate, pick_lang
from web.idempotency import OnceByKey
from web.limits import BodyTooLarge
from web.live import MANAGER, Damaged, LiveExercise, QuotaExceeded
from web.loading import Loader, LoadFailed, Upload, bundled_companies
from web.routers.exercises import create_live, list_scenarios, scenario_path
from web.storage import ARCHIVED

router = APIRouter(include_in_schema=False)

WEB = Path(__file__).resolve().parent.parent
STATIC = WEB / "static"
ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(WEB / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.policies["json.dumps_kwargs"] = {"sort_keys": False}  # keep the form fields in order
ENV.globals["duration_pattern"] = DURATION_PATTERN  # "2 Tage" as well as "2d"
ENV.globals["hours"] = hours  # a span in the page's language: "15 Std. 54 Min.", "15 h 54 min"
SPEEDS = (1, 10, 30, 60, 120, 300, 600, 1440)
# The start page preselects the reference company's blackout: the scenario a
# new facilitator should see first (README, "the reference dairy").
DEFAULT_SCENARIO = "dairy/blackout.yaml"
# An upload's name only names it in messages (the data is read from memory,
# never from a path), so people's own names are fine -- "BIA Molkerei.xlsx",
# "bia_zwönitz.xlsx" -- but no control characters, slashes or leading dots.
FILE_NAME = re.compile(r"^\w[\w .()+-]{0,99}\.(ya?ml|json)\Z")
COMPANY_NAME = re.compile(r"^\w[\w .()+-]{0,99}\.(ya?ml|json|xlsx)\Z")
"""A company may also come as a BIA workbook (simulator/readwrite/bia_read.py)."""
# Hazard fields that name assets or teams: the form offers the company's ids.
# Which assets each asset field may name (a ransomware `entry` is an IT asset)
# is the hazard catalogue's one rule (`simulator.hazards.target_ids`).
ASSET_FIELDS = frozenset({"assets", "entry", "staff"})
TEAM_FIELDS = {"teams"}
ONCE_KEY = re.compile(r"[\w-]{16,64}")  # the start form's key (secrets.token_urlsafe)


@cache
def static_url(name: str) -> str:
    """/static/NAME with a content hash, so browsers never run a stale script."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    return f"/static/{name}?v={digest}"


def render(request: Request, template: str, lang: str, explicit: bool, status: int = 200,
           **context: Any) -> HTMLResponse:  # fmt: skip
    t = Translate(lang)
    other = "en" if lang == "de" else "de"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = f"{request.url.path}?{urlencode([*query, ('lang', other)])}"
    html = ENV.get_template(template).render(
        t=t, lang=lang, other_lang=other, switch_url=switch, static_url=static_url, **context
    )
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    if explicit:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


# --- the start page -------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def start_page(request: Request) -> HTMLResponse:
    lang, explicit = pick_lang(request)
    return _start(request, lang, explicit, {}, [])


def _start(request: Request, lang: str, explicit: bool, form: dict[str, Any],
           problems: list[str], status: int = 200) -> HTMLResponse:  # fmt: skip
    scenarios = [
        {"path": s.path, "title": s.title.get(lang) or s.title.get("en") or s.path,
         "company": s.company}
        for s in list_scenarios(request)
    ]  # fmt: skip
    values = {"source": "bundled", "scenario": DEFAULT_SCENARIO, "seed": "",
              "start": "", "speed": "60", **form}  # fmt: skip
    # Each rendering of the form gets its own key: sent again (a reload of the
    # page it led to, a double click), it makes no second exercise.
    values["once"] = secrets.token_urlsafe(16)
    # The loader's problems (`file:line: field: message`) come in English; the
    # form's own are already in `lang`, and translating them again keeps them.
    problems = [translate(p, lang) for p in problems]
    return render(request, "start.html", lang, explicit, status, scenarios=scenarios,
                  form=values, problems=problems, speeds=SPEEDS)  # fmt: skip


@router.post("/", response_class=HTMLResponse)
async def create_page(request: Request) -> HTMLResponse:
    lang, explicit = pick_lang(request)
    t = Translate(lang)
    try:  # two files and a few short fields; the body limit is enforced as it streams
        async with request.form(max_files=2, max_fields=20, max_part_size=64 * 1024) as form:
            return await _create(request, form, lang, explicit)
    except BodyTooLarge as e:
        problem = f"{t('start.upload')}: {t('form.too_large')} (max. {e.limit // (1024 * 1024)} MB)"
        return _start(request, lang, explicit, {"source": "upload"}, [problem], status=413)
    except HTTPException as e:  # a malformed multipart body
        message = f"{t('start.upload')}: {t('form.bad_form')} ({e.detail})"
        return _start(request, lang, explicit, {"source": "upload"}, [message], status=400)


async def _create(request: Request, form: FormData, lang: str, explicit: bool) -> HTMLResponse:
    t = Translate(lang)
    if not request.app.state.manager.has_room():  # refused before any file is loaded
        return _full(request, lang, explicit, form)
    source = str(form.get("source") or "bundled")
    values = {k: str(form.get(k) or "").strip() for k in ("scenario", "seed", "start", "speed")}
    values["source"] = source
    problems: list[str] = []

    seed: int | None = None
    if values["seed"]:
        try:
            seed = int(values["seed"])
            if not 0 <= seed <= 2**63 - 1:
                raise ValueError
        except ValueError:
            problems.append(f"{t('start.seed')}: {t('form.bad_seed')}")
    speed = 60.0
    try:
        speed = float(values["speed"] or 60)
        if not 0 < speed <= request.app.state.settings.max_speed:
            raise ValueError
    except ValueError:
        problems.append(f"{t('start.speed')}: {t('form.bad_speed')}")
    start: datetime | None = None
    if values["start"]:
        try:
            start = start_in_range(datetime.fromisoformat(values["start"]))
        except ValueError:
            problems.append(f"{t('start.start')}: {t('form.bad_start')}")

    bundle: ScenarioBundle | None = None
    name = ""
    if source == "upload":
        uploads = [form.get("scenario_file"), form.get("company_file")]
        bundle, name, found = await _load_upload(request, uploads, t)
        problems += found
    else:
        name = values["scenario"]
        bundle, found = await _load_bundled(request, name, t)
        problems += found

    if problems or bundle is None:
        return _start(request, lang, explicit, values, problems, status=422)
    if start is not None:
        # Read in the scenario's zone like the file's own start: a time the clocks
        # skip or pass twice is refused, an offset must be UTC or the zone's.
        try:
            start = place(start, zone(bundle.scenario.timezone))
        except ValueError as e:
            problem = f"{t('start.start')}: {translate(str(e), lang)}"
            return _start(request, lang, explicit, values, [problem], status=422)
        scenario = bundle.scenario.model_copy(update={"start": start})
        bundle = bundle.model_copy(update={"scenario": scenario})
    if seed is None:
        seed = bundle.scenario.seed
    manager = request.app.state.manager
    ready = bundle

    async def make() -> tuple[int, Any]:
        try:
            created = create_live(request, manager, name, ready, seed, speed)
        except QuotaExceeded:
            return 429, None
        return 201, created

    once = str(form.get("once") or "")
    key = f"form:{once}" if ONCE_KEY.fullmatch(once) else None
    creations: OnceByKey = request.app.state.creations
    status, created = await creations.run(key, make)
    if created is None:
        return _full(request, lang, explicit, form)
    title = text(bundle.scenario.scenario.title, lang)
    links = {role: f"{url}&lang={lang}" for role, url in created.links.items()}
    return render(request, "created.html", lang, explicit, status, links=links, title=title,
                  exercise_id=created.id)  # fmt: skip


def _full(request: Request, lang: str, explicit: bool, form: FormData) -> HTMLResponse:
    """The start page saying that the limit of live exercises is reached (429)."""
    limit = request.app.state.settings.max_exercises
    values = {k: str(form.get(k) or "").strip() for k in ("source", "scenario", "seed", "start",
                                                          "speed")}  # fmt: skip
    message = Translate(lang)("error.full").replace("{limit}", str(limit))
    return _start(request, lang, explicit, values, [message], status=429)


async def _load_bundled(request: Request, name: str,
                        t: Translate) -> tuple[ScenarioBundle | None, list[str]]:  # fmt: skip
    if not name:
        return None, [f"{t('start.scenario')}: {t('form.no_scenario')}"]
    try:
        path = scenario_path(request, name)
    except HTTPException:
        return None, [f"{t('start.scenario')}: {name!r}: {t('form.unknown_scenario')}"]
    try:
        return await run_in_threadpool(load_bundle, path), []
    except ScenarioError as e:
        root = request.app.state.settings.scenarios_dir.resolve()
        return None, [_problem(p, root) for p in e.problems]


async def _load_upload(
    request: Request, uploads: list[Any], t: Translate
) -> tuple[ScenarioBundle | None, str, list[str]]:
    """Validate an uploaded scenario (+ company) from memory, in a child
    process with a time budget: its `company:` is the uploaded company file
    (whatever its name) or a bundled company by name, never a path."""
    scenario_file, company_file = uploads
    if not isinstance(scenario_file, UploadFile) or not scenario_file.filename:
        return None, "", [f"{t('start.scenario_file')}: {t('form.no_file')}"]
    files: list[Upload] = []
    problems: list[str] = []
    for label, upload in (("start.scenario_file", scenario_file),
                          ("start.company_file", company_file)):  # fmt: skip
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        filename = PurePosixPath(upload.filename.replace("\\", "/")).name
        pattern = COMPANY_NAME if label == "start.company_file" else FILE_NAME
        if not pattern.match(filename):
            problems.append(f"{t(label)}: {filename!r}: {t('form.bad_name')}")
            continue
        files.append(Upload(filename, await upload.read()))
    if problems:
        return None, "", problems
    scenario, company = files[0], (files[1] if len(files) > 1 else None)
    loader: Loader = request.app.state.loader
    try:
        bundle = await loader.upload(scenario, company, _bundled_companies(request))
    except ScenarioError as e:
        return None, "", [_problem(p) for p in e.problems]
    except LoadFailed as e:
        return None, "", [f"{scenario.name}: {e.reason}"]
    return bundle, f"upload:{scenario.name}", []


def _bundled_companies(request: Request) -> dict[str, str]:
    state = request.app.state
    if getattr(state, "bundled_companies", None) is None:
        state.bundled_companies = bundled_companies(state.settings.scenarios_dir)
    found: dict[str, str] = state.bundled_companies
    return found


def _problem(problem: Any, root: Path | None = None) -> str:
    """`file:line: field: message`, with the file relative to `root`."""
    file = str(problem.file)
    with_root = str(root) + os.sep
    if root is not None and file.startswith(with_root):
        file = file[len(with_root) :]
    where = file if problem.line is None else f"{file}:{problem.line}"
    return f"{where}: {problem.field}: {problem.message}" if problem.field else \
        f"{where}: {problem.message}"  # fmt: skip


# --- the exercise console ---------------------------------------------------------


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(exercise_id: str, request: Request, token: str | None = None) -> HTMLResponse:
    lang, explicit = pick_lang(request)
    t = Translate(lang)
    manager = request.app.state.manager
    exercise = manager.get(exercise_id)
    if exercise is None:
        return _not_live(request, manager, exercise_id, token, lang, explicit)
    try:
        caller = get_caller(exercise, authorization=None, token=token)
    except HTTPException:  # without a token: this tab may know it (resume.js)
        return render(request, "error.html", lang, explicit, 401, message=t("error.401"),
                      resume=not token)  # fmt: skip
    role = caller.role
    if role == MANAGER:  # read-only: the console as observers see it (no controls)
        role = "observer"
    config = console_config(exercise, role, lang, token or "", t)
    if caller.actor in exercise.exercise.people:  # a named person: attendance, their name
        exercise.attend(caller.actor)
        person = exercise.exercise.people[caller.actor]
        config["me"] = {"id": person.id, "name": person.name, "team": person.team,
                        "team_name": team_name(exercise.bundle.company, person.team, lang)}
    scenario = exercise.bundle.scenario
    return render(request, "exercise.html", lang, explicit, role=role, config=config,
                  title=text(scenario.scenario.title, lang),
                  company=text(exercise.bundle.company.company.name, lang),
                  narrative=text(scenario.scenario.narrative, lang),
                  speeds=SPEEDS, max_speed=request.app.state.settings.max_speed,
                  objectives=[{"id": o.id, "title": text(o.title, lang)}
                              for o in scenario.objectives])  # fmt: skip


def _not_live(request: Request, manager: Any, exercise_id: str, token: str | None, lang: str,
              explicit: bool) -> HTMLResponse:  # fmt: skip
    """An archived (410) or damaged (409) exercise's page: why, its log, and
    for an archived one the facilitator's button to reopen it."""
    t = Translate(lang)
    status = manager.store.status(exercise_id)
    reason = manager.damaged.get(exercise_id) or (status.reason if status else "")
    row = manager.store.exercise(exercise_id) if status or reason else None
    if row is None:
        return render(request, "error.html", lang, explicit, 404, message=t("error.404"))
    try:
        role = caller_of(stored_hashes(manager.store, row), stored_people(manager.store, row.id),
                         None, token).role  # fmt: skip
    except HTTPException:
        return render(request, "error.html", lang, explicit, 401, message=t("error.401"))
    archived = status is not None and status.state == ARCHIVED
    return render(request, "not_live.html", lang, explicit, 410 if archived else 409,
                  archived=archived, reason=reason, role=role, exercise_id=exercise_id,
                  token=token or "")  # fmt: skip


@router.post("/exercises/{exercise_id}/reopen", response_class=HTMLResponse)
async def reopen_page(exercise_id: str, request: Request) -> Response:
    """The archived page's button: the token comes in the form body (no
    cookie authorises anything, so no cross-site request can)."""
    lang, explicit = pick_lang(request)
    t = Translate(lang)
    manager = request.app.state.manager
    async with request.form(max_part_size=4096, max_files=0) as form:
        token = str(form.get("token") or "")
    row = manager.store.exercise(exercise_id)
    if row is None:
        return render(request, "error.html", lang, explicit, 404, message=t("error.404"))
    try:
        role = role_of(stored_hashes(manager.store, row), None, token)
    except HTTPException:
        return render(request, "error.html", lang, explicit, 401, message=t("error.401"))
    if role != "facilitator":
        return render(request, "error.html", lang, explicit, 403, message=t("error.401"))
    if manager.get(exercise_id) is None:
        status = manager.store.status(exercise_id)
        if status is not None and status.state != ARCHIVED:
            return _not_live(request, manager, exercise_id, token, lang, explicit)
        try:
            manager.reopen(row)
        except Damaged:
            return _not_live(request, manager, exercise_id, token, lang, explicit)
        except QuotaExceeded:
            message = t("error.full").replace("{limit}", str(manager.settings.max_exercises))
            return render(request, "error.html", lang, explicit, 429, message=message)
    query = urlencode({"token": token, "lang": lang})
    return RedirectResponse(f"/exercises/{exercise_id}?{query}", status_code=303)


def console_config(exercise: LiveExercise, role: str, lang: str, token: str,
                   t: Translate) -> dict[str, Any]:  # fmt: skip
    """Everything the console script needs besides the stream."""
    bundle = exercise.bundle
    scenario, company = bundle.scenario, bundle.company
    config: dict[str, Any] = {
        "id": exercise.id,
        "token": token,
        "role": role,
        "lang": lang,
        "start": scenario.start.isoformat(),
        "timezone": scenario.timezone,  # the browser shows calendar times in it (Intl)
        "horizon": exercise.sim.horizon,
        "assets": [{"id": a.id, "kind": a.kind.value, "name": text(a.name, lang) or a.id}
                   for a in company.assets],
        "teams": [{"id": k, "name": text(v.name, lang) or k} for k, v in company.teams.items()],
        # Buffers the author named, by "asset/buffer" (the feed says which ran dry).
        "buffers": {f"{a.id}/{b.id}": text(b.name, lang) for a in company.assets
                    for n in a.needs for b in n.buffers if b.name is not None},
        "actions": [{"id": a.id, "title": text(a.title, lang),
                     "description": text(a.description, lang)} for a in scenario.actions],
        "t": t.subset(CONSOLE_TEXTS),
    }  # fmt: skip
    if role != "participant":  # the script and its triggers stay hidden from the players
        config["t"] |= t.subset(SCRIPT_TEXTS)
        config["msel"] = {e.id: msel_item(e, lang) for e in scenario.injects}
        # The script's named hazards by their kind, so triggers and conditions
        # on them read as words ("Hochwasser"), not as the file's ids.
        config["script_hazards"] = {h.id: h.hazard.type for h in scenario.hazards
                                    if h.id is not None}  # fmt: skip
    if role == "facilitator":
        config["hazards"] = hazard_schema()
        config["gauges"] = sorted({a.flood.gauge for a in company.assets if a.flood})
        # Hazards that cannot act on this company (a flood without gauges) are
        # offered disabled, with the reason; the engine refuses them all the same.
        # The assets each hazard's fields can name (a power failure: power
        # feeds; a supply break: suppliers and transport), by the catalogue's
        # one rule; the engine refuses any other all the same.
        offered = [(a.id, a.kind, a.utility) for a in company.assets]
        config["hazard_targets"] = {
            kind: {field: target_ids(kind, field, offered) for field in fields}
            for kind, fields in hazard_asset_fields().items()
        }
        # The console's own words where the library's name a file's field
        # ("flood: gauge"), which a facilitator need not know.
        config["hazards_unfit"] = {
            kind: t.text(f"unfit.{kind}") or translate(why, lang) for kind, why in unfit_hazards(
                {a.kind for a in company.assets}, config["gauges"]).items()
        }  # fmt: skip
    return config


def team_name(company: Company, team: str | None, lang: str) -> str | None:
    """A team as people read it: the company's name for it, else its id (a
    team given as free text before teams were the company's)."""
    if team is None:
        return None
    found = company.teams.get(team)
    return (text(found.name, lang) or team) if found is not None else team


def msel_item(inject: MselInject, lang: str) -> dict[str, Any]:
    """A scripted inject for facilitators and observers: its text and the
    HSEEP MSEL's columns (to which teams, from whom, how; what control
    expects, who controls it, notes, the objective it serves) — control's
    information, which never reaches a participant's page."""
    out: dict[str, Any] = {"title": text(inject.title, lang), "message": text(inject.message, lang)}
    for name in ("sender", "expected_action", "notes"):
        value = getattr(inject, name)
        if value is not None:
            out[name] = text(value, lang)
    for name in ("teams", "event_type", "method", "controller", "objective"):
        value = getattr(inject, name)
        if value is not None:
            out[name] = value
    return out


@cache
def hazard_asset_fields() -> dict[str, list[str]]:
    """Hazard type -> its fields that name assets (from the catalogue's schema)."""
    schema = hazard_schema()
    defs = schema.get("$defs", {})
    out: dict[str, list[str]] = {}
    for kind, ref in schema["discriminator"]["mapping"].items():
        props = defs[ref.split("/")[-1]].get("properties", {})
        out[kind] = [n for n, p in props.items() if p.get("x-widget") == "asset"]
    return out


@cache
def hazard_schema() -> dict[str, Any]:
    """The hazard catalogue's JSON schema, with `x-widget` on fields naming
    assets ("asset"; the ids each may name come apart, as `hazard_targets`),
    teams ("team") or a flood gauge ("gauge")."""
    schema: dict[str, Any] = TypeAdapter(HazardSpec).json_schema()
    for model in schema.get("$defs", {}).values():
        for name, prop in model.get("properties", {}).items():
            if name in ASSET_FIELDS:
                prop["x-widget"] = "asset"
            elif name in TEAM_FIELDS:
                prop["x-widget"] = "team"
            elif name == "gauge":
                prop["x-widget"] = "gauge"
    return schema
