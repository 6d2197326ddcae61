"""Architecture rules for the simulator core.

The simulator package is a pure, synchronous library: it must not depend on the web
front end or on web/async/database frameworks, and plotting stays in one module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SIMULATOR_DIR = REPO_ROOT / "simulator"

FORBIDDEN_TOP_LEVEL = frozenset(
    {"web", "fastapi", "jinja2", "uvicorn", "starlette", "sqlalchemy", "asyncio"}
)
PLOTLY_ALLOWED = frozenset({"simulator/plots.py"})


def _simulator_modules() -> list[Path]:
    return sorted(p for p in SIMULATOR_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def _imported_modules(path: Path) -> set[str]:
    """Absolute module names imported by `path` (relative imports are in-package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _top_level(module: str) -> str:
    return module.split(".", 1)[0]


MODULES = _simulator_modules()


def test_found_simulator_modules() -> None:
    assert SIMULATOR_DIR.is_dir(), f"{SIMULATOR_DIR} is missing"
    assert MODULES, "no modules found under simulator/; the checks below would pass vacuously"
    assert SIMULATOR_DIR / "__init__.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_no_forbidden_imports(path: Path) -> None:
    bad = sorted(m for m in _imported_modules(path) if _top_level(m) in FORBIDDEN_TOP_LEVEL)
    assert not bad, f"{_rel(path)} imports {bad}; simulator/ must stay free of these"


def test_plotly_only_in_plots_module() -> None:
    importers = {
        _rel(p) for p in MODULES if any(_top_level(m) == "plotly" for m in _imported_modules(p))
    }
    assert importers <= PLOTLY_ALLOWED, (
        f"only {sorted(PLOTLY_ALLOWED)} may import plotly, found {sorted(importers)}"
    )


SIMPY_PRIVATE = frozenset({"_now", "_ok", "_value", "_capacity", "_queue", "_eid", "_defused"})
EVENTS_MODULE = "simulator/events.py"  # the one event subclass, built as SimPy's Timeout is


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_the_engine_uses_simpys_public_api(path: Path) -> None:
    """No module reaches into SimPy's internals (env._now, Event._ok/_value,
    Resource._capacity): they may change in any SimPy release. Only the
    event subclass in simulator/events.py sets its own state, as SimPy's
    own Timeout does."""
    if _rel(path) == EVENTS_MODULE:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = sorted(
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in SIMPY_PRIVATE
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    )  # fmt: skip
    assert not bad, f"{_rel(path)} touches SimPy internals: {bad}"


def test_the_event_subclass_sets_only_its_own_state() -> None:
    tree = ast.parse((REPO_ROOT / EVENTS_MODULE).read_text(encoding="utf-8"))
    touched = {
        (node.value.id, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in SIMPY_PRIVATE
        and isinstance(node.value, ast.Name)
    }  # fmt: skip
    assert touched == {("self", "_ok"), ("self", "_value")}


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`tabletop` imports Dask, pandas, plotly, NetworkX, openpyxl and
    WeasyPrint only in the commands that use them: together they take seconds
    to import, and `tabletop validate` or `run` needs none of them."""
    import subprocess
    import sys

    heavy = ("dask", "pandas", "plotly", "networkx", "openpyxl", "weasyprint")
    code = ("import sys, simulator.cli; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")  # fmt: skip
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=REPO_ROOT).stdout.split()  # fmt: skip
    assert found == []
