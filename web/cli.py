"""The web part's commands of `tabletop`: `serve` and `exercises`.

The simulator never imports web: pyproject.toml declares these two functions
as entry points of the group `tabletop.commands`, and the simulator's console
script adds them (simulator/cli/plugins.py). This module imports only the
standard library, typer and web.settings, so `tabletop --help` stays fast;
the web extra (FastAPI, uvicorn, SQLAlchemy) is imported when a command runs.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from web.settings import DEFAULT_SCENARIOS, Settings


def database_url(url: str) -> str:
    """SQLAlchemy URL for a user's URL: postgresql:// uses the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


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
                          "and print its links, e.g. dairy/blackout.yaml."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="The address users reach the server at, e.g. https://bcm.example.org; "
                          "links handed out start with it (else they are relative)."),
    ] = None,
    max_exercises: Annotated[
        int, typer.Option(min=1, help="Live exercises at once; one more is refused.")
    ] = Settings.max_exercises,
    idle_hours: Annotated[
        float, typer.Option(min=0.01, max=24 * 3650,
                            help="Archive an exercise without command and viewer this long.")
    ] = Settings.idle_s / 3600,
    admin_token: Annotated[
        str | None,
        typer.Option(envvar="TABLETOP_ADMIN_TOKEN", show_envvar=True,
                     help="The administrator's secret for the archive of every exercise "
                          f"(at least {MIN_ADMIN_TOKEN} characters); without one, a new one "
                          "is made at each start. The link is printed at start-up."),
    ] = None,
) -> None:
    """Run the live exercise server (FastAPI under uvicorn)."""
    try:  # the web extra is optional: the simulator's commands work without it
        import uvicorn

        from web.app import create_app
    except ImportError as e:
        _without_web_extra("serve", e)

    if demo is not None and not (scenarios / demo).is_file():
        typer.echo(f"--demo: no scenario file {scenarios / demo}", err=True)
        raise typer.Exit(2)
    settings = Settings(db_url=database_url(db), scenarios_dir=scenarios, demo=demo,
                        public_url=_base_url(base_url), server_url=f"http://{host}:{port}",
                        max_exercises=max_exercises, idle_s=idle_hours * 3600,
                        admin_token=_admin_token(admin_token))  # fmt: skip
    _check_database(settings.db_url, db)
    typer.echo(f"Tabletop on http://{host}:{port}/ (database {db})")
    base = settings.public_url or settings.server_url
    typer.echo(f"Archive (administrator, keep secret): {base}/admin?token={settings.admin_token}")
    uvicorn.run(create_app(settings), host=host, port=port, timeout_graceful_shutdown=1,
                log_level="warning")  # fmt: skip


MIN_ADMIN_TOKEN = 16


def _without_web_extra(command: str, error: ImportError) -> NoReturn:
    """Exit 2 saying what to install: the web extra is optional, and the
    simulator's commands work without it."""
    typer.echo(f"tabletop {command} needs the web extra ({error.name or error} is not "
               "installed): pip install 'tabletop[web]'", err=True)  # fmt: skip
    raise typer.Exit(2) from None


def _admin_token(value: str | None) -> str:
    """The administrator's token as given (long enough to resist guessing),
    else a fresh random one for this start."""
    if value is None or value == "":
        import secrets

        return secrets.token_urlsafe(24)
    if len(value) < MIN_ADMIN_TOKEN or not value.isprintable() or not value.isascii():
        typer.echo(f"--admin-token: at least {MIN_ADMIN_TOKEN} printable ASCII characters",
                   err=True)  # fmt: skip
        raise typer.Exit(2)
    return value


def _base_url(value: str | None) -> str | None:
    """--base-url as http(s)://HOST[:PORT][/PATH] without a trailing slash, or exit 2."""
    if value is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        typer.echo(f"--base-url: {value!r} is not an http(s)://host[/path] address", err=True)
        raise typer.Exit(2)
    return value.rstrip("/")


def _check_database(url: str, shown: str) -> None:
    """Open the database once before the server starts: a corrupt file or an
    unreachable server is one line and exit 2, not a traceback from uvicorn."""
    from web.storage import StorageUnavailable, Store

    try:
        store = Store(url)
        try:
            store.check()
        finally:
            store.close()
    except StorageUnavailable as e:
        typer.echo(f"--db {shown}: {e}", err=True)
        raise typer.Exit(2) from None


def exercises(
    db: Annotated[
        str, typer.Option(help="Database URL: sqlite:///FILE or postgresql://USER@HOST/DB.")
    ] = "sqlite:///tabletop.db",
) -> None:
    """List the stored exercises: id, state (live, archived, or damaged as the
    server found it at its last start, with the reason), creation time,
    number of commands, scenario. Reads only; safe while a server runs."""
    try:  # the web extra is optional, as for serve
        from web.storage import LIVE, StorageUnavailable, Store
    except ImportError as e:
        _without_web_extra("exercises", e)

    url = database_url(db)
    _require_database_file(url)
    try:
        store = Store(url, create=False)
    except StorageUnavailable as e:
        typer.echo(f"--db {db}: {e}", err=True)
        raise typer.Exit(2) from None
    try:
        statuses = store.statuses()
        for row in store.exercises():
            status = statuses.get(row.id)
            state = status.state if status else LIVE
            reason = f"  ({status.reason})" if status and status.reason else ""
            created = row.created.replace(tzinfo=row.created.tzinfo or UTC).astimezone(UTC)
            typer.echo(f"{row.id}  {state:8}  {created:%Y-%m-%d %H:%M} UTC  "
                       f"{store.commands(row.id):6} commands  {row.scenario}{reason}")  # fmt: skip
    finally:
        store.close()


def _require_database_file(url: str) -> None:
    """An SQLite file must exist: listing must not create an empty database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(str(file)).is_file():
        typer.echo(f"--db: no database file {file}", err=True)
        raise typer.Exit(2)


if __name__ == "__main__":  # python -m web.cli: the whole command line
    from simulator.cli.app import main

    main()
