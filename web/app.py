"""The FastAPI application factory."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from simulator.model.schema import text
from simulator.readwrite.io import load_bundle
from web import errors
from web.headers import SecurityHeaders
from web.i18n import Translate, pick_lang
from web.idempotency import OnceByKey
from web.limits import BodyLimit
from web.live import MANAGER, LiveExercise, Manager, halt
from web.loading import Loader
from web.routers import admin, exercises, managers, pages, replay, report, series, whatif, why
from web.routers.pages import render
from web.settings import Settings
from web.storage import StorageUnavailable, Store, token_hash

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app; nothing is built at import time. The lifespan opens the
    database, rebuilds stored exercises (paused) and starts the pacer."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store(settings.db_url)
        app.state.loader = Loader(settings.load_workers, settings.load_timeout_s,
                                  settings.load_memory_mb)  # fmt: skip
        manager = Manager(store, settings)
        manager.load()
        app.state.manager = manager
        if settings.demo:
            _create_demo(manager, settings)
        manager.start()
        try:
            yield
        finally:
            await manager.stop()
            store.close()

    # No /docs or /redoc: FastAPI's pages load their scripts from a CDN; the
    # schema itself is at /openapi.json.
    app = FastAPI(title="Tabletop", version="0.1.0", lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Live BCM crisis exercises on a simulated company.")  # fmt: skip
    app.state.settings = settings
    # The archive's token: from the settings, else one nobody knows (the
    # archive is then closed); only its hash is kept.
    app.state.admin_hash = token_hash(settings.admin_token or secrets.token_urlsafe(32))
    app.state.creations = OnceByKey()
    errors.install(app)
    app.add_middleware(BodyLimit, body_bytes=settings.body_bytes,
                       upload_bytes=settings.upload_bytes)  # fmt: skip
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, a 413 too
    app.add_exception_handler(StorageUnavailable, _storage_fault)
    app.include_router(exercises.router)
    app.include_router(pages.router)
    app.include_router(why.router)
    app.include_router(managers.router)
    app.include_router(whatif.router)
    app.include_router(admin.api)
    app.include_router(admin.pages)
    app.include_router(series.api)
    app.include_router(series.pages)
    app.include_router(replay.router)
    app.include_router(report.router)
    # plotly.js from the plotly package (never a CDN); mounted before /static.
    app.mount("/static/plotly", StaticFiles(packages=[("plotly", "package_data")]),
              name="plotly")  # fmt: skip
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    return app


async def _storage_fault(request: Request, exc: Exception) -> Response:
    """A write the database refused: 503 with the reason, never an
    acknowledgement; the exercise's clock pauses and its facilitator is told."""
    manager: Manager | None = getattr(request.app.state, "manager", None)
    live = manager.exercises.get(request.path_params.get("exercise_id", "")) if manager else None
    if live is not None:
        halt(live, str(exc))
    detail = f"not stored, try again later: {exc}"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "30"})
    lang, _explicit = pick_lang(request)
    message = f"{Translate(lang)('error.storage')} ({exc})"
    return render(request, "error.html", lang, False, 503, message=message)


def _create_demo(manager: Manager, settings: Settings) -> None:
    """A ready exercise for `tabletop serve --demo`: its links go to the console."""
    bundle = load_bundle(settings.scenarios_dir / str(settings.demo))
    live, tokens = LiveExercise.create(manager.store, settings, str(settings.demo), bundle,
                                       bundle.scenario.seed, 60.0)  # fmt: skip
    tokens |= manager.issue_tokens(live)
    manager.add(live)
    print(f"Demo exercise on {settings.demo} ({text(bundle.scenario.scenario.title)}):")
    base = settings.public_url or settings.server_url
    for role, token in tokens.items():
        page = "/replay" if role == MANAGER else ""
        print(f"  {role:12} {base}/exercises/{live.id}{page}?token={token}")
