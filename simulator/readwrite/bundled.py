"""The scenarios that ship with Tabletop: the dairy, the IT service provider
and the small example (company models, scenario files, their sources).

A wheel carries them inside the package, as `simulator/scenarios/`
(pyproject.toml copies the repository's `scenarios/` there at build time); a
source checkout has them at the repository's top, where people edit them.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _bundled() -> Path:
    inside = _PACKAGE / "scenarios"
    return inside if inside.is_dir() else _PACKAGE.parent / "scenarios"


BUNDLED_SCENARIOS = _bundled()
"""The folder of the bundled scenarios, wherever Tabletop is installed."""
