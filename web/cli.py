"""`tabletop` with the web server: the library's commands plus `serve`.

The simulator never imports web; this entry point adds the server command to
the library's typer app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from simulator.cli import app
from web.settings import DEFAULT_SCENARIOS, Settings


def database_url(url: str) -> str:
    """SQLAlchemy URL for a user's URL: postgresql:// uses the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: Annotated[
        str, typer.Option(help="Database URL: sqlite:///FILE or postgresql://USER@HOST/DB.")
    ] = "sqlite:///tabletop.db",
    scenarios: Annotated[
        Path, typer.Option(help="Folder of scenario files offered on the start page.")
    ] = DEFAULT_SCENARIOS,
    demo: Annotated[
        str | None,
        typer.Option(help="Also create an exercise on this scenario (under --scenarios) "
                          "and print its three links, e.g. dairy/blackout.yaml."),
    ] = None,
) -> None:
    """Run the live exercise server (FastAPI under uvicorn)."""
    try:  # the web extra is optional: the simulator's commands work without it
        import uvicorn

        from web.app import create_app
    except ImportError as e:
        typer.echo(f"tabletop serve needs the web extra ({e.name or e} is not installed): "
                   "pip install 'tabletop[web]'", err=True)  # fmt: skip
        raise typer.Exit(2) from None

    if demo is not None and not (scenarios / demo).is_file():
        typer.echo(f"--demo: no scenario file {scenarios / demo}", err=True)
        raise typer.Exit(2)
    settings = Settings(db_url=database_url(db), scenarios_dir=scenarios, demo=demo,
                        public_url=f"http://{host}:{port}")  # fmt: skip
    typer.echo(f"Tabletop on http://{host}:{port}/ (database {db})")
    uvicorn.run(create_app(settings), host=host, port=port, timeout_graceful_shutdown=1,
                log_level="warning")  # fmt: skip


if __name__ == "__main__":
    app()
