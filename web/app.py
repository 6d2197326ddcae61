"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from simulator.io import load_bundle
from simulator.schema import text
from web import errors
from web.limits import BodyLimit
from web.live import LiveExercise, Manager
from web.loading import Loader
from web.routers import exercises, pages
from web.settings import Settings
from web.storage import Store

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
    errors.install(app)
    app.add_middleware(BodyLimit, body_bytes=settings.body_bytes,
                       upload_bytes=settings.upload_bytes)  # fmt: skip
    app.include_router(exercises.router)
    app.include_router(pages.router)
    # plotly.js from the plotly package (never a CDN); mounted before /static.
    app.mount("/static/plotly", StaticFiles(packages=[("plotly", "package_data")]),
              name="plotly")  # fmt: skip
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    return app


def _create_demo(manager: Manager, settings: Settings) -> None:
    """A ready exercise for `tabletop serve --demo`: its links go to the console."""
    bundle = load_bundle(settings.scenarios_dir / str(settings.demo))
    live, tokens = LiveExercise.create(manager.store, settings, str(settings.demo), bundle,
                                       bundle.scenario.seed, 60.0)  # fmt: skip
    manager.exercises[live.id] = live
    print(f"Demo exercise on {settings.demo} ({text(bundle.scenario.scenario.title)}):")
    for role, token in tokens.items():
        print(f"  {role:12} {settings.public_url}/exercises/{live.id}?token={token}")
