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
PLOTLY_ALLOWED = frozenset({"simulator/analysis/plots.py"})


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
EVENTS_MODULE = "simulator/engine/events.py"  # the one event subclass, built as SimPy's Timeout is


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_the_engine_uses_simpys_public_api(path: Path) -> None:
    """No module reaches into SimPy's internals (env._now, Event._ok/_value,
    Resource._capacity): they may change in any SimPy release. Only the
    event subclass in simulator/engine/events.py sets its own state, as SimPy's
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
    code = ("import sys, simulator.cli.app; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")  # fmt: skip
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=REPO_ROOT).stdout.split()  # fmt: skip
    assert found == []


# --- the layers ---------------------------------------------------------------

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"terms"}),
    frozenset({"hazards"}),
    frozenset({"model"}),
    frozenset({"readwrite", "engine"}),  # side by side: neither imports the other
    frozenset({"analysis"}),
    frozenset({"exercise"}),
    frozenset({"cli"}),
)
"""simulator/'s subpackages, lowest first: a module imports only from its own
package and the layers before it (the package docstring shows the tree)."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULE_NAMES = {_module_name(p): p for p in MODULES}


def _simulator_imports(path: Path) -> set[str]:
    """The simulator modules `path` imports, anywhere in it (also inside
    functions and `if TYPE_CHECKING:`): `from pkg import sub` names the
    submodule `pkg.sub` when there is one."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULE_NAMES)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            subs = {f"{node.module}.{a.name}" for a in node.names} & MODULE_NAMES.keys()
            if node.module in MODULE_NAMES and len(subs) < len(node.names):
                found.add(node.module)  # names defined in the module itself
            found |= subs
    found.discard(_module_name(path))
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 3 and not (len(parts) == 2 and any(parts[1] in s for s in LAYERS)):
        return None  # simulator/__init__.py, simulator/__main__.py: the package's front
    return next(i for i, names in enumerate(LAYERS) if parts[1] in names)


def test_every_module_sits_in_a_layer() -> None:
    loose = sorted(m for m in MODULE_NAMES if _layer(m) is None)
    assert loose == ["simulator", "simulator.__main__"]


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_a_module_imports_only_its_own_layer_and_those_below(path: Path) -> None:
    me = _module_name(path)
    mine = _layer(me)
    if mine is None:
        return
    package = me.split(".")[1]
    bad = sorted(
        m for m in _simulator_imports(path)
        if m != "simulator" and m.split(".")[1] != package and (_layer(m) or 0) >= mine
    )  # fmt: skip
    assert not bad, f"{me} (layer {sorted(LAYERS[mine])}) imports {bad}"


def _circle(graph: dict[str, set[str]]) -> list[str]:
    """A path of imports from a module back to itself, or [] if there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module):], module]
        if module in done:
            return []
        for other in sorted(graph.get(module, ())):
            if found := visit(other, [*path, module]):
                return found
        done.add(module)
        return []

    for module in sorted(graph):
        if found := visit(module, []):
            return found
    return []


def test_no_import_circles() -> None:
    """No module reaches itself through imports, counting those made only for
    type checking and inside functions: a circle would tie layers together."""
    import simulator

    graph = {m: _simulator_imports(p) for m, p in MODULE_NAMES.items()}
    assert sum(map(len, graph.values())) > 300  # the imports were found
    # The front imports its public names only for type checkers, never at run
    # time (each comes on first use): modules that take `__version__` from it
    # (exercise/log.py) close no circle.
    assert graph["simulator"] == set(simulator._PUBLIC)
    graph["simulator"] = set()
    assert _circle(graph) == []


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert _circle(graph) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) == []
    # A TYPE_CHECKING import counts: the hazards' interface is imported only so.
    assert "simulator.hazards.target" in _simulator_imports(SIMULATOR_DIR / "hazards" / "flood.py")


def test_the_hazards_know_the_engine_only_by_its_interface() -> None:
    for path in (SIMULATOR_DIR / "hazards").glob("*.py"):
        engine = sorted(m for m in _simulator_imports(path) if m.startswith("simulator.engine"))
        assert engine == [], f"{_rel(path)} imports {engine}"


# --- the package's front --------------------------------------------------------


def test_the_public_names_come_from_the_package() -> None:
    """`from simulator import X` for every public name: each is the object of
    the module it lives in."""
    import importlib

    import simulator

    assert simulator.__all__
    for module, names in simulator._PUBLIC.items():
        for name in names:
            assert getattr(simulator, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        simulator.nothing  # noqa: B018


def test_type_checkers_see_the_same_public_names() -> None:
    """The front's `if TYPE_CHECKING:` imports (what mypy and editors read for
    `from simulator import Simulation`) name exactly the lazy names, each
    from its module."""
    import simulator

    tree = ast.parse((SIMULATOR_DIR / "__init__.py").read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If)
                and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"]  # fmt: skip
    typed = {a.name: node.module for node in block.body if isinstance(node, ast.ImportFrom)
             for a in node.names}  # fmt: skip
    assert typed == simulator._HOME


@pytest.mark.parametrize("path", MODULES, ids=_rel)
def test_modules_import_the_real_module_not_the_front(path: Path) -> None:
    """Inside the package a name comes from its own module: the front's lazy
    names would hide a dependency from the checks above (only the version
    is the front's own)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = sorted(
        a.name for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "simulator" and node.level == 0
        for a in node.names if a.name != "__version__"
        and f"simulator.{a.name}" not in MODULE_NAMES
    )  # fmt: skip
    assert not bad, f"{_rel(path)} imports {bad} from the package front"


def test_importing_the_package_imports_nothing_else() -> None:
    import subprocess
    import sys

    code = ("import sys, simulator; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('simulator.'))))")  # fmt: skip
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=REPO_ROOT).stdout.split()  # fmt: skip
    assert loaded == []
