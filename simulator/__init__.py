"""Tabletop: a BCM crisis-exercise simulator.

The package's folders are its layers, each importing only those above it in
this list (tests/test_architecture.py checks it):

    terms/      asset kinds, durations, calendar time, German texts
    hazards/    the hazard catalogue: parameters and SimPy processes on a small
                interface (hazards/target.py), never on the engine itself
    model/      the file format (schema, commands, conditions), the cross-checks,
                the NetworkX view, synthetic companies
    readwrite/  files and every other source of a company (BIA workbooks, NetBox,
                GraphML, MSEL) through one validating seam   } neither imports
    engine/     the compiled company, the cascade, the discrete-event engine,  } the other
                its records and random streams
    analysis/   summaries, Monte Carlo, sweeps, DataFrames, tables, figures
    exercise/   the exercise object (scenario + seed + command log), its views,
                replays, what-ifs and after-action reports
    cli/        the `tabletop` command line

The names most used in notebooks can be imported from here directly
(`from simulator import load_bundle, Simulation, monte_carlo`); each is
imported on first use, so `import simulator` stays cheap and the command line
starts without pandas or plotly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC: dict[str, tuple[str, ...]] = {
    "simulator.readwrite.io": ("load_bundle", "load_company", "validate_file", "write_data"),
    "simulator.readwrite.bundled": ("BUNDLED_SCENARIOS",),
    "simulator.terms.durations": ("format_duration", "parse_duration"),
    "simulator.terms.wallclock": ("stamp",),
    "simulator.model.schema": ("Company", "Scenario", "ScenarioBundle", "text"),
    "simulator.model.graph": ("build_graph", "need_id"),
    "simulator.model.validation": ("Problem", "ScenarioError"),
    "simulator.model.commands": (
        "ActivateStandby", "AddTeam", "DeactivateStandby", "Degrade", "Detect", "Down",
        "Isolate", "Message", "Reconnect", "Restore", "StartHazard", "StartWorkaround",
        "StopWorkaround",
    ),
    "simulator.model.generate": ("generate",),
    "simulator.engine.compiled": ("compile_model",),
    "simulator.engine.simulation": ("Simulation",),
    "simulator.engine.records": ("Record",),
    "simulator.analysis.metrics": ("summarize", "evaluate_objectives"),
    "simulator.analysis.montecarlo": ("monte_carlo", "replication_seed"),
    "simulator.analysis.sweep": ("sweep", "tornado", "with_parameters"),
    "simulator.analysis.frames": (
        "records_frame", "process_frame", "asset_frame", "outcomes_frame", "stats_frame",
        "sweep_frame", "tornado_frame",
    ),
    "simulator.analysis.plots": (
        "timeline_figure", "process_capacity_figure", "impact_figure",
        "downtime_distribution_figure", "breach_probability_figure", "convergence_figure",
        "sweep_figure", "tornado_figure",
    ),
    "simulator.exercise.session": ("Exercise",),
    "simulator.exercise.log": ("read_log",),
    "simulator.exercise.replay": ("replay",),
}  # fmt: skip
"""Module -> the public names it defines."""

if TYPE_CHECKING:  # the same names for type checkers (a test keeps both lists equal)
    from simulator.analysis.frames import (
        asset_frame,
        outcomes_frame,
        process_frame,
        records_frame,
        stats_frame,
        sweep_frame,
        tornado_frame,
    )
    from simulator.analysis.metrics import evaluate_objectives, summarize
    from simulator.analysis.montecarlo import monte_carlo, replication_seed
    from simulator.analysis.plots import (
        breach_probability_figure,
        convergence_figure,
        downtime_distribution_figure,
        impact_figure,
        process_capacity_figure,
        sweep_figure,
        timeline_figure,
        tornado_figure,
    )
    from simulator.analysis.sweep import sweep, tornado, with_parameters
    from simulator.engine.compiled import compile_model
    from simulator.engine.records import Record
    from simulator.engine.simulation import Simulation
    from simulator.exercise.log import read_log
    from simulator.exercise.replay import replay
    from simulator.exercise.session import Exercise
    from simulator.model.commands import (
        ActivateStandby,
        AddTeam,
        DeactivateStandby,
        Degrade,
        Detect,
        Down,
        Isolate,
        Message,
        Reconnect,
        Restore,
        StartHazard,
        StartWorkaround,
        StopWorkaround,
    )
    from simulator.model.generate import generate
    from simulator.model.graph import build_graph, need_id
    from simulator.model.schema import Company, Scenario, ScenarioBundle, text
    from simulator.model.validation import Problem, ScenarioError
    from simulator.readwrite.bundled import BUNDLED_SCENARIOS
    from simulator.readwrite.io import load_bundle, load_company, validate_file, write_data
    from simulator.terms.durations import format_duration, parse_duration
    from simulator.terms.wallclock import stamp

_HOME = {name: module for module, names in _PUBLIC.items() for name in names}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
