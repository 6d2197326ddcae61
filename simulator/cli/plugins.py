"""Commands that other installed parts add to `tabletop`.

The simulator never imports the web app; the web part declares its commands
(`serve`, `exercises`) as entry points in the group `tabletop.commands` of the
package metadata, and the console script adds whatever is installed. A
command whose module cannot be imported still appears and says why, instead
of `No such command`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

import typer

GROUP = "tabletop.commands"


def add_plugins(app: typer.Typer) -> typer.Typer:
    """Register every command of the entry-point group on `app` (once)."""
    have = {c.name for c in app.registered_commands}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if ep.name in have:
            continue
        try:
            command = ep.load()
        except ImportError as e:
            command = _unavailable(ep.name, e)
        app.command(name=ep.name)(command)
        have.add(ep.name)
    return app


def _unavailable(name: str, error: ImportError) -> Callable[..., Any]:
    def unavailable() -> None:
        typer.echo(f"tabletop {name} is not available here ({error}); "
                   "pip install 'tabletop[web]' adds the web commands", err=True)  # fmt: skip
        raise typer.Exit(2)

    unavailable.__doc__ = f"(not installed: {error})"
    return unavailable
