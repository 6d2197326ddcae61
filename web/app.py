"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from web import errors
from web.live import Manager
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
        manager = Manager(store, settings)
        manager.load()
        app.state.manager = manager
        manager.start()
        try:
            yield
        finally:
            await manager.stop()
            store.close()

    app = FastAPI(title="Tabletop", version="0.1.0", lifespan=lifespan,
                  description="Live BCM crisis exercises on a simulated company.")  # fmt: skip
    app.state.settings = settings
    errors.install(app)
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
