"""The `tabletop` command line.

Each command is a thin shell over library functions, so the web app and the
notebooks get the same behaviour by calling the library directly.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from simulator.durations import parse_duration
from simulator.engine import Simulation
from simulator.generate import MIN_ASSETS
from simulator.generate import generate as generate_company
from simulator.io import load_bundle, validate_file, write_data, write_jsonl, write_text
from simulator.metrics import evaluate_objectives, summarize
from simulator.plots import timeline_figure, timeline_html
from simulator.report import asset_table, process_table
from simulator.schema import Company, Scenario, ScenarioBundle, text
from simulator.validation import ScenarioError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Tabletop: simulate business-continuity crisis exercises.",
)

EXIT_INVALID = 2
"""Exit code when a file is invalid (1 stays free for crashes)."""


@app.command()
def validate(
    files: Annotated[
        list[str],
        typer.Argument(help="Scenario or company YAML files.", show_default=False),
    ],
) -> None:
    """Check scenario and company files for every problem at once.

    Prints `OK file` for a valid file, else one `file:line: field: message`
    line per problem (the form compilers use, so editors jump to it). A
    scenario is checked together with its company file. Exit code 2 if any
    file is invalid.
    """
    valid = True
    printed: set[str] = set()  # two scenarios on one bad company: report it once
    for file in files:
        lines = _problem_lines(file)
        if not lines:
            typer.echo(f"OK {file}")
            continue
        valid = False
        for line in lines:
            if line not in printed:
                printed.add(line)
                typer.echo(line)
    raise typer.Exit(0 if valid else EXIT_INVALID)


def _problem_lines(file: str) -> list[str]:
    try:
        return [str(p) for p in validate_file(file)]
    except Exception as e:  # a validator must report, not crash with a traceback
        return [f"{file}: internal error (please report): {type(e).__name__}: {e}"]


class FileFormat(StrEnum):
    yaml = "yaml"
    json = "json"


class SchemaKind(StrEnum):
    scenario = "scenario"
    company = "company"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")] = SchemaKind.scenario,
) -> None:
    """Print the JSON Schema of scenario or company files.

    For completion and checks while typing, e.g. with the YAML language server.
    """
    model = Scenario if kind is SchemaKind.scenario else Company
    typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's).")] = None,
    until: Annotated[
        str | None, typer.Option(help="Stop after this long, e.g. '36h' (default: the horizon).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    events: Annotated[
        str | None, typer.Option(help="Write the record stream as JSON Lines to this file.")
    ] = None,
    html: Annotated[
        str | None, typer.Option(help="Write a self-contained outage timeline (HTML).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of names: de or en.")] = "en",
) -> None:
    """Run a scenario and summarise what happened to every business process."""
    bundle = _load_or_exit(scenario)
    try:
        stop = bundle.scenario.horizon if until is None else parse_duration(until)
    except ValueError as e:
        typer.echo(f"--until: {e}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    sim = Simulation(bundle, seed)
    sim.advance(stop)
    stop = min(stop, sim.horizon)
    summary = summarize(bundle, sim.records, stop)
    if events:
        write_jsonl(events, (r.to_dict() for r in sim.records))
    if html:
        write_text(html, timeline_html(timeline_figure(bundle, sim.records, stop, lang)))
    if as_json:
        report = {
            "scenario": bundle.scenario.scenario.id,
            "seed": sim.seed,
            "horizon_h": round(stop / 3600, 4),
            "records": len(sim.records),
            **summary.to_dict(),
            "objectives": [o.to_dict() for o in evaluate_objectives(bundle, summary)],
        }
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        console = Console(width=max(Console().width, 120))
        title = text(bundle.scenario.scenario.title, lang)
        console.print(f"[bold]{title}[/] — seed {sim.seed}, {stop / 3600:g} h, "
                      f"{len(sim.records)} records")  # fmt: skip
        console.print(process_table(bundle, summary, lang))
        console.print(asset_table(bundle, summary, lang))
        for result in evaluate_objectives(bundle, summary):
            objective = next(o for o in bundle.scenario.objectives if o.id == result.id)
            mark = "[green]met[/]" if result.met else "[bold red]missed[/]"
            console.print(f"objective {mark}: {text(objective.title, lang)}")


def _load_or_exit(path: str) -> ScenarioBundle:
    try:
        return load_bundle(path)
    except ScenarioError as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def generate(
    assets: Annotated[int, typer.Option(help="Number of assets.", min=MIN_ASSETS)],
    out: Annotated[str, typer.Option(help="Folder for company and scenario files.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    failures: Annotated[
        int | None, typer.Option(help="Random failures (default: assets / 10).")
    ] = None,
    fmt: Annotated[
        FileFormat, typer.Option("--format", help="yaml, or json (loads faster when large).")
    ] = FileFormat.yaml,
) -> None:
    """Write a synthetic layered company with random failures, for scale tests."""
    company, scenario = generate_company(assets, seed=seed, failures=failures)
    company_file = f"company.{fmt.value}"
    scenario["company"] = company_file
    write_data(Path(out) / company_file, company)
    write_data(Path(out) / "scenario.yaml", scenario)
    typer.echo(f"wrote {Path(out) / company_file} ({assets} assets), {Path(out) / 'scenario.yaml'}")


if __name__ == "__main__":  # python -m simulator.cli
    app()
