"""The `tabletop` command line.

Each command is a thin shell over library functions, so the web app and the
notebooks get the same behaviour by calling the library directly.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from simulator.analysis.metrics import breach_moments, evaluate_objectives, summarize
from simulator.analysis.montecarlo import monte_carlo
from simulator.analysis.report import (
    SHOWN_CHARS,
    asset_table,
    montecarlo_table,
    outcomes_csv,
    plain,
    printable,
    process_table,
    rows_csv,
    sweep_rows,
    sweep_table,
)
from simulator.analysis.sweep import sweep as run_sweep
from simulator.analysis.sweep import with_parameters
from simulator.cli.plugins import add_plugins
from simulator.cli.readwrite import (
    EXIT_INVALID,
    check_lang,
    export_app,
    import_app,
    refuse,
    template_app,
)
from simulator.engine.simulation import Simulation
from simulator.engine.why import describe, explain, moment
from simulator.exercise.decisions import decision_values
from simulator.exercise.log import (
    ENGINE_VERSION,
    LogEntry,
    LogError,
    LogHeader,
    bundle_hash,
    read_log,
)
from simulator.exercise.moment import figures as moment_figures
from simulator.exercise.moment import hours
from simulator.exercise.replay import end_of, horizon_of, playable, verify
from simulator.exercise.replay import replay as replay_log
from simulator.exercise.replay_report import board_table, eur, happened_table, html_body
from simulator.exercise.replay_report import words as replay_words
from simulator.exercise.tables import decisions_table, no_decisions, risk_table, whatif_table
from simulator.exercise.whatif import MAX_REPLICATIONS as MAX_WHATIF_REPLICATIONS
from simulator.exercise.whatif import Add, Drop, Edit, EditError, Move, Replace
from simulator.exercise.whatif import whatif as run_whatif
from simulator.exercise.whatif_caption import caption
from simulator.model.generate import MIN_ASSETS
from simulator.model.generate import generate as generate_company
from simulator.model.schema import MAX_SEED, Company, Scenario, ScenarioBundle, text
from simulator.model.validation import ScenarioError
from simulator.readwrite.bundled import BUNDLED_SCENARIOS
from simulator.readwrite.io import (
    load_bundle,
    read_file,
    validate_file,
    write_bytes,
    write_data,
    write_jsonl,
    write_text,
)
from simulator.terms.durations import parse_duration
from simulator.terms.messages import translate
from simulator.terms.wallclock import at as clock_at
from simulator.terms.wallclock import stamp

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Tabletop: simulate business-continuity crisis exercises.",
)

app.add_typer(template_app, name="template")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
# The commands of each source register themselves on these groups when their
# module is imported (one module per source, so each stays small).
import simulator.cli.bia  # noqa: E402, F401  (tabletop template|import|export bia)
import simulator.cli.graph  # noqa: E402, F401
import simulator.cli.msel  # noqa: E402, F401
import simulator.cli.netbox  # noqa: E402, F401  (tabletop import netbox)

MAX_ASSETS = 1_000_000  # `generate`: a million assets is ~0.4 GB of JSON
MAX_REPLICATIONS = 10_000_000
MAX_WORKERS = 256

RUN_WORDS = {
    "en": {"seed": "seed", "records": "records", "objective": "objective", "met": "met",
           "missed": "missed", "from": "from", "to": "to"},
    "de": {"seed": "Seed", "records": "Ereignisse", "objective": "Übungsziel", "met": "erreicht",
           "missed": "verfehlt", "from": "von", "to": "bis"},
}  # fmt: skip
"""The words of `run`'s summary lines; the tables speak through `report`."""

REPORT_WORDS = {
    "en": "{entries} log entries, {decisions} decisions, {plan} plan items",
    "de": "{entries} Protokolleinträge, {decisions} Entscheidungen, {plan} Maßnahmen im Plan",
}
"""`report`'s line on what the written report holds."""

GENERATE_WORDS = {
    "en": "wrote {company} ({n} assets), {scenario}",
    "de": "{company} ({n} Ressourcen) und {scenario} geschrieben",
}
REPLICATIONS = {"en": "replications", "de": "Durchläufe"}
"""The label of the progress bar of `montecarlo` and `whatif -n`."""


@app.command()
def validate(
    files: Annotated[
        list[str],
        typer.Argument(help="Scenario or company YAML files.", show_default=False),
    ],
    lang: Annotated[str, typer.Option(help="Language of the messages: de or en.")] = "en",
) -> None:
    """Check scenario and company files for every problem at once.

    Prints `OK file` for a valid file, else one `file:line: field: message`
    line per problem (the form compilers use, so editors jump to it). A
    scenario is checked together with its company file. Exit code 2 if any
    file is invalid.
    """
    check_lang(lang)
    valid = True
    printed: set[str] = set()  # two scenarios on one bad company: report it once
    for file in files:
        lines = _problem_lines(file, lang)
        if not lines:
            typer.echo(f"OK {file}")
            continue
        valid = False
        for line in lines:
            if line not in printed:
                printed.add(line)
                typer.echo(line)
    raise typer.Exit(0 if valid else EXIT_INVALID)


def _problem_lines(file: str, lang: str = "en") -> list[str]:
    try:
        return [printable(p.in_language(lang)) for p in validate_file(file)]
    except Exception as e:  # a validator must report, not crash with a traceback
        message = translate("internal error (please report)", lang)
        return [printable(f"{file}: {message}: {type(e).__name__}: {e}")]


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
    seed: Annotated[
        int | None,
        typer.Option(help="Random seed (default: the scenario's).", min=0, max=MAX_SEED),
    ] = None,
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
    lang: Annotated[str, typer.Option(help="Language of names and headers: de or en.")] = "en",
) -> None:
    """Run a scenario and summarise what happened to every business process."""
    check_lang(lang)
    bundle = _load_or_exit(scenario, lang)
    try:
        stop = bundle.scenario.horizon if until is None else parse_duration(until)
    except ValueError as e:
        _fail(f"--until: {e}", lang)
    sim = Simulation(bundle, seed)
    sim.advance(stop)
    stop = min(stop, sim.horizon)
    summary = summarize(bundle, sim.records, stop)
    if events:
        write_jsonl(events, (r.to_dict() for r in sim.records))
    if html:
        from simulator.analysis.plots import (  # plotly: only when drawn
            timeline_figure,
            timeline_html,
        )

        write_text(html, timeline_html(timeline_figure(bundle, sim.records, stop, lang)))
    if as_json:
        report = {
            "scenario": bundle.scenario.scenario.id,
            "seed": sim.seed,
            "horizon_h": round(stop / 3600, 4),
            "records": len(sim.records),
            "start": bundle.scenario.start.isoformat(),
            "timezone": bundle.scenario.timezone,
            **summary.to_dict(),
            "objectives": [o.to_dict() for o in evaluate_objectives(
                bundle, summary, breaches=breach_moments(bundle, sim.records, stop))],
        }
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        console = Console(width=max(Console().width, 120))
        title = text(bundle.scenario.scenario.title, lang)
        words = RUN_WORDS[lang]
        start, end = bundle.scenario.start, clock_at(bundle.scenario.start, stop)
        span = f"{words['from']} {stamp(start, lang)} {words['to']} {stamp(end, lang)}"
        console.print(Text.assemble((printable(title, SHOWN_CHARS), "bold"),
                                    f" — {words['seed']} {sim.seed}, {stop / 3600:g} h {span}, "
                                    f"{len(sim.records)} {words['records']}"))  # fmt: skip
        console.print(process_table(bundle, summary, lang))
        console.print(asset_table(bundle, summary, lang))
        for result in evaluate_objectives(bundle, summary):
            objective = next(o for o in bundle.scenario.objectives if o.id == result.id)
            mark = f"[green]{words['met']}[/]" if result.met else f"[bold red]{words['missed']}[/]"
            console.print(f"{words['objective']} {mark}: ", plain(text(objective.title, lang)),
                          sep="")


@app.command()
def why(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    asset: Annotated[str, typer.Argument(help="Asset or business process id.", show_default=False)],
    at: Annotated[str, typer.Option("--at", help="Simulated time, e.g. '30h' or '2d'.")],
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: Annotated[str, typer.Option(help="Language of names: de or en.")] = "en",
) -> None:
    """Why is ASSET down at a time: the chain of causes down to the hazard or inject."""
    check_lang(lang)
    bundle = _load_or_exit(scenario, lang)
    try:
        t = parse_duration(at)
    except ValueError as e:
        _fail(f"--at: {e}", lang)
    if t > bundle.scenario.horizon:
        horizon = f"{bundle.scenario.horizon / 3600:g} h"
        _fail(f"--at: {at!r} is past the scenario's horizon ({horizon})", lang)
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    if asset not in names:
        _fail(f"asset: no asset {asset!r} in company {bundle.company.company.id!r}", lang)
    sim = Simulation(bundle, seed)
    sim.advance(t)
    chain = explain(sim, asset, lang)
    if as_json:
        typer.echo(json.dumps(chain.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        # the moment as the chain's lines write theirs ("T+1 Tg. 06:00"), one format
        when = f"{moment(t, lang)} ({stamp(clock_at(bundle.scenario.start, t), lang)})"
        title = printable(text(bundle.scenario.scenario.title, lang), SHOWN_CHARS)
        typer.echo(f"{title} — {when}, {RUN_WORDS[lang]['seed']} {sim.seed}")
        for line in describe(chain, names, lang, start=bundle.scenario.start):
            typer.echo(printable(line))


@app.command()
def replay(
    log: Annotated[str, typer.Argument(help="Exercise log (JSON Lines, as the server exports "
                                            "it with the facilitator's link).",
                                       show_default=False)],
    at: Annotated[
        str | None, typer.Option("--at", help="Simulated time, e.g. '3d13h' (default: where "
                                              "the log ends).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (the keys of "
                                                         "`run --json` first).")] = False,
    html: Annotated[
        str | None, typer.Option(help="Write a self-contained HTML report of that moment.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language: de or en.")] = "en",
) -> None:
    """The exercise of a log as it stood at a simulated time: process board,
    decisions and injects so far, impact — and its figures as `run` gives them."""
    check_lang(lang)
    try:
        header, entries = read_log(read_file(log).decode("utf-8"), log)
        bundle, _ = playable(header)
    except ScenarioError as e:  # cannot read the file
        _exit_with(e, lang)
    except UnicodeDecodeError as e:
        _fail(f"{log}: not UTF-8 text (byte {e.start})", lang)
    except LogError as e:
        _fail(str(e), lang)
    end = end_of(header, entries)
    horizon = horizon_of(bundle, entries)
    t = end
    if at is not None:
        try:
            t = 0 if at.strip() == "0" else parse_duration(at)
        except ValueError as e:
            _fail(f"--at: {e}", lang)
        if t > horizon:
            _fail(f"--at: {at!r} is past the exercise's horizon ({horizon / 3600:g} h)", lang)
    try:
        exercise = replay_log(header, entries, t)
    except LogError as e:
        _fail(f"{log}: {e}", lang)
    report = moment_figures(exercise, end, lang)
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    title = text(bundle.scenario.scenario.title, lang)
    if html:
        records, now = exercise.sim.records, max(exercise.now, 1)
        from simulator.analysis.plots import (  # plotly: only when drawn
            impact_figure,
            process_capacity_figure,
            report_html,
            timeline_figure,
        )

        figs = [timeline_figure(bundle, records, now, lang),
                process_capacity_figure(bundle, records, now, lang),
                impact_figure(bundle, records, now, lang)]  # fmt: skip
        body = html_body(report, title, names, bundle.scenario.start, lang)
        write_text(html, report_html(title, lang, body, figs))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
        return
    console = Console(width=max(Console().width, 120))
    words = replay_words(lang)
    when = stamp(clock_at(bundle.scenario.start, t), lang)
    console.print(Text.assemble((printable(title, SHOWN_CHARS), "bold"),
                                f" — T+{hours(t, lang)} ({when}), {words['seed']} {exercise.seed}, "
                                f"{len(exercise.sim.records)} {words['records']}; "
                                + words["end"].format(t=hours(end, lang))))  # fmt: skip
    console.print(board_table(report, names, lang))
    console.print(happened_table(report, bundle.scenario.start, lang))
    console.print(words["total"].format(eur=eur(report["impact_eur"], lang)))


@app.command()
def report(
    logs: Annotated[list[str], typer.Argument(
        metavar="LOG...", help="Exercise log (JSON Lines, as the server exports it with the "
                               "facilitator's link); with --series two or more.",
        show_default=False)],
    series: Annotated[bool, typer.Option("--series", help="Compare the logs as a series of "
                                         "exercises (objectives met, ratings, breaches, "
                                         "impact, time to decision across the runs).")] = False,
    lang: Annotated[str, typer.Option(help="Language: de or en.")] = "de",
    html: Annotated[str | None, typer.Option(help="Write the report as HTML.")] = None,
    pdf: Annotated[str | None, typer.Option(help="Write the report as PDF (A4).")] = None,
    plan_csv: Annotated[str | None, typer.Option("--plan-csv",
                                                 help="Write the improvement plan as CSV.")] = None,
    plan_xlsx: Annotated[str | None, typer.Option("--plan-xlsx",
                                                  help="Write the improvement plan as XLSX.")
                         ] = None,
) -> None:
    """The after-action report (Übungsbericht) of an exercise log: overview,
    objectives, timeline, BIA targets vs achieved, decisions, strengths and
    areas for improvement, improvement plan, the log."""
    from simulator.exercise.aar import build as build_report
    from simulator.exercise.aar_html import render as render_report
    from simulator.exercise.plan_export import plan_csv as csv_of
    from simulator.exercise.plan_export import plan_xlsx as xlsx_of

    check_lang(lang)
    if series:
        if plan_csv or plan_xlsx:
            _fail("--plan-csv/--plan-xlsx: each exercise has its own improvement plan; "
                  "write it without --series", lang)
        _series_report(logs, lang, html, pdf)
        return
    if len(logs) != 1:
        _fail(f"{len(logs)} logs given: one, or two or more with --series", lang)
    log = logs[0]
    if not (html or pdf or plan_csv or plan_xlsx):
        _fail("nothing to write: give --html, --pdf, --plan-csv or --plan-xlsx", lang)
    header, entries = _read_log_or_exit(log, lang)
    try:
        playable(header)
        built = build_report(header, entries, lang)
    except LogError as e:
        _fail(str(e) if str(e).startswith(log) else f"{log}: {e}", lang)
    page = render_report(built)
    _write_page(page, html, pdf, lang)
    if plan_csv:
        write_text(plan_csv, csv_of(built.plan, lang))
    if plan_xlsx:
        write_bytes(plan_xlsx, xlsx_of(built.plan, lang))
    typer.echo(printable(f"{built.title}: " + REPORT_WORDS[lang].format(
        entries=len(built.log), decisions=len(built.decisions), plan=len(built.plan))))


def _read_log_or_exit(log: str, lang: str) -> tuple[LogHeader, list[LogEntry]]:
    try:
        header, entries = read_log(read_file(log).decode("utf-8"), log)
    except ScenarioError as e:  # cannot read the file
        _exit_with(e, lang)
    except UnicodeDecodeError as e:
        _fail(f"{log}: not UTF-8 text (byte {e.start})", lang)
    except LogError as e:
        _fail(str(e) if str(e).startswith(log) else f"{log}: {e}", lang)
    return header, entries


def _series_report(logs: list[str], lang: str, html: str | None, pdf: str | None) -> None:
    """`report --series`: the runs of the logs compared (simulator.exercise.series)."""
    from simulator.exercise.series import MAX_RUNS, SeriesError
    from simulator.exercise.series import build as build_series
    from simulator.exercise.series_html import render as render_series
    from simulator.exercise.series_html import value as series_value

    if not (html or pdf):
        _fail("nothing to write: give --html or --pdf", lang)
    if not 2 <= len(logs) <= MAX_RUNS:
        _fail(f"--series: give 2 to {MAX_RUNS} logs, not {len(logs)}", lang)
    read = [(Path(log).name, *_read_log_or_exit(log, lang)) for log in logs]
    try:
        built = build_series(read, lang)
    except SeriesError as e:
        _fail(e.say(lang), lang)
    page = render_series(built)
    _write_page(page, html, pdf, lang)
    for i, run in enumerate(built.runs, 1):
        typer.echo(printable(f"{i} {run.label}: {series_value('met', run, lang)}, "
                             f"{series_value('impact_eur', run, lang)} EUR, "
                             f"{series_value('time_to_decision', run, lang)}"))


def _write_page(page: str, html: str | None, pdf: str | None, lang: str) -> None:
    """A report page as HTML and/or PDF (WeasyPrint, made from the same HTML)."""
    from simulator.exercise.aar_pdf import PdfUnavailable
    from simulator.exercise.aar_pdf import pdf as pdf_of

    if html:
        write_text(html, page)
    if pdf:
        try:
            write_bytes(pdf, pdf_of(page))
        except PdfUnavailable as e:
            _fail(f"--pdf: {e}", lang)


def _fail(message: str, lang: str = "en") -> NoReturn:
    """One line on stderr in `lang`, exit 2: bad input is no crash."""
    typer.echo(printable(translate(message, lang), 2000), err=True)
    raise typer.Exit(EXIT_INVALID)


def _load_or_exit(path: str, lang: str = "en") -> ScenarioBundle:
    try:
        return load_bundle(path)
    except ScenarioError as e:
        _exit_with(e, lang)


def _exit_with(error: ScenarioError, lang: str = "en") -> NoReturn:
    """Print every problem (file:line: field: message) in `lang` and exit 2."""
    refuse(error.problems, lang)


@app.command()
def generate(
    assets: Annotated[int, typer.Option(help="Number of assets.", min=MIN_ASSETS, max=MAX_ASSETS)],
    out: Annotated[str, typer.Option(help="Folder for company and scenario files.")],
    seed: Annotated[int, typer.Option(help="Random seed.", min=0, max=MAX_SEED)] = 0,
    failures: Annotated[
        int | None, typer.Option(help="Random failures (default: assets / 10).")
    ] = None,
    fmt: Annotated[
        FileFormat, typer.Option("--format", help="yaml, or json (loads faster when large).")
    ] = FileFormat.yaml,
    lang: Annotated[str, typer.Option(help="Language of the message: de or en.")] = "en",
) -> None:
    """Write a synthetic layered company with random failures, for scale tests."""
    check_lang(lang)
    company, scenario = generate_company(assets, seed=seed, failures=failures)
    company_file = f"company.{fmt.value}"
    scenario["company"] = company_file
    write_data(Path(out) / company_file, company)
    write_data(Path(out) / "scenario.yaml", scenario)
    typer.echo(GENERATE_WORDS[lang].format(company=Path(out) / company_file, n=assets,
                                           scenario=Path(out) / "scenario.yaml"))



def _progress(total: int, label: str) -> tuple[Progress, Callable[[int], None]]:
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)  # fmt: skip
    task = bar.add_task(label, total=total)
    return bar, lambda k: bar.advance(task, k)


def _executor(dask: str | None) -> Any:
    if dask is None:
        return None
    from dask.distributed import Client  # optional: the 'analysis' extra

    return Client(dask).get_executor()  # type: ignore[no-untyped-call]


@app.command()
def montecarlo(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    n: Annotated[int, typer.Option("-n", help="Replications.", min=1, max=MAX_REPLICATIONS)] = 100,
    seed: Annotated[
        int, typer.Option(help="Base seed of the replications.", min=0, max=MAX_SEED)
    ] = 0,
    workers: Annotated[
        int | None, typer.Option(help="Local worker processes (default: all cores).", min=1,
                                 max=MAX_WORKERS)
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="Run on a Dask scheduler, e.g. tcp://127.0.0.1:8786.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    csv: Annotated[
        str | None, typer.Option(help="Write every replication's outcome per process (CSV).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of names and headers: de or en.")] = "en",
) -> None:
    """Breach probabilities, downtime percentiles and impact over N replications."""
    check_lang(lang)
    bundle = _load_or_exit(scenario, lang)
    bar, advance = _progress(n, REPLICATIONS[lang])
    with bar:
        result = monte_carlo(bundle, n, seed, workers=workers, executor=_executor(dask),
                             progress=advance)  # fmt: skip
    if csv:
        write_text(csv, outcomes_csv(result.outcomes))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    else:
        Console(width=max(Console().width, 120)).print(montecarlo_table(bundle, result, lang))


def _parse_param(spec: str) -> tuple[str, list[str]]:
    path, _, values = spec.partition("=")
    if not path or not values:
        raise typer.BadParameter(f"{spec!r}: write PATH=VALUE1,VALUE2,...", param_hint="--param")
    return path.strip(), [v.strip() for v in values.split(",")]


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file.", show_default=False)],
    param: Annotated[
        list[str],
        typer.Option(help="PATH=V1,V2,... e.g. assets.plant.needs.power.buffers.fuel.capacity"
                          "=12h,24h,48h (repeat for a grid)."),
    ],
    n: Annotated[int, typer.Option("-n", help="Replications per point.", min=1,
                                       max=MAX_REPLICATIONS)] = 100,
    seed: Annotated[
        int, typer.Option(help="Base seed (the same at every point).", min=0, max=MAX_SEED)
    ] = 0,
    workers: Annotated[
        int | None, typer.Option(help="Local worker processes.", min=1, max=MAX_WORKERS)
    ] = None,
    csv: Annotated[str | None, typer.Option(help="Write one row per point and process.")] = None,
    dask: Annotated[
        str | None, typer.Option(help="Run on a Dask scheduler, e.g. tcp://127.0.0.1:8786.")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of names and headers: de or en.")] = "en",
) -> None:
    """Breach probabilities over a grid of parameter values (common random numbers)."""
    check_lang(lang)
    bundle = _load_or_exit(scenario, lang)
    grid = dict(_parse_param(p) for p in param)
    try:
        for values in itertools.product(*grid.values()):  # fail fast on a bad value
            with_parameters(bundle, dict(zip(grid, values, strict=True)))
    except ScenarioError as e:
        _exit_with(e, lang)
    points = run_sweep(bundle, grid, n, seed, workers=workers, executor=_executor(dask))
    rows = sweep_rows(points)
    if csv:
        write_text(csv, rows_csv(rows))
    Console(width=max(Console().width, 120)).print(sweep_table(rows, lang))


# --- exercise logs: what-if forks and the value of each decision -------------------

SCENARIOS = BUNDLED_SCENARIOS
"""Where a log without a bundle (written before logs carried one) finds its
scenario: `header.scenario` is a path under scenarios/ (the working
directory's, else the bundled ones)."""


def _lang_or_exit(lang: str) -> None:
    check_lang(lang)


def _log_or_exit(path: str, lang: str) -> tuple[ScenarioBundle, int, list[LogEntry]]:
    """The scenario bundle, seed and entries of an exported exercise log."""
    try:
        raw = read_file(path)
    except ScenarioError as e:
        _exit_with(e, lang)
    try:
        header, entries = read_log(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        _fail(f"{path}: not UTF-8 text", lang)
    except LogError as e:
        _fail(str(e), lang)
    if header.seed is None:
        _fail(f"{path}: header: seed: missing (a player's log cannot be replayed)", lang)
    bundle = header.bundle or _scenario_of(path, header.scenario, lang)
    if header.bundle is None and header.bundle_hash and header.bundle_hash != bundle_hash(bundle):
        _fail(f"{path}: header: bundle_hash: scenario {header.scenario!r} has changed since "
              "the log was written", lang)  # fmt: skip
    if header.engine != ENGINE_VERSION:  # replays exactly, or says why it cannot
        try:
            verify(header, entries, bundle, header.seed)
        except LogError as e:
            _fail(f"{path}: {e}", lang)
    return bundle, header.seed, entries


def _scenario_of(log: str, scenario: str | None, lang: str) -> ScenarioBundle:
    if not scenario:
        _fail(f"{log}: header: bundle: missing, and no scenario to replay on", lang)
    error: ScenarioError | None = None
    for root in dict.fromkeys([(Path.cwd() / "scenarios").resolve(), SCENARIOS]):
        file = (root / scenario).resolve()
        if not file.is_relative_to(root):
            _fail(f"{log}: header: scenario: {scenario!r} is not a path under scenarios/", lang)
        try:
            return load_bundle(file)
        except ScenarioError as e:
            error = e
    assert error is not None
    _exit_with(error, lang)


_FORMS = {"replace": "SEQ=ACTION, e.g. 13=activate_dr", "move": "SEQ=DURATION, e.g. 13=5h",
          "add": "DURATION=ACTION, e.g. 5h=activate_dr"}  # fmt: skip


def _edit_or_exit(drop: int | None, replace: str | None, move: str | None, add: str | None,
                  lang: str) -> Edit:  # fmt: skip
    given = [(k, v) for k, v in (("drop", drop), ("replace", replace), ("move", move),
                                 ("add", add)) if v is not None]  # fmt: skip
    if len(given) != 1:
        _fail("give exactly one of --drop SEQ, --replace SEQ=ACTION, --move SEQ=DURATION, "
              "--add DURATION=ACTION", lang)  # fmt: skip
    option, value = given[0]
    if option == "drop":
        assert isinstance(value, int)
        return Drop(value)
    left, sep, right = str(value).partition("=")
    left, right = left.strip(), right.strip()
    if not sep or not left or not right:
        _fail(f"--{option}: write {_FORMS[option]}", lang)
    try:
        if option == "replace":
            return Replace(_seq(left), right)
        if option == "move":
            return Move(_seq(left), parse_duration(right))
        return Add(parse_duration(left), right)
    except ValueError as e:
        _fail(f"--{option}: {e}", lang)


def _seq(value: str) -> int:
    if not value.isdigit():
        raise ValueError(f"SEQ must be an entry number of the log, not {value!r}")
    return int(value)


@app.command()
def whatif(
    log: Annotated[str, typer.Argument(help="Exercise log (JSON Lines).", show_default=False)],
    drop: Annotated[
        int | None,
        typer.Option(help="Leave out decision SEQ (a proposal with its answer).",
                     show_default=False),
    ] = None,
    replace: Annotated[
        str | None,
        typer.Option(help="SEQ=ACTION: take another catalogue action.", show_default=False),
    ] = None,
    move: Annotated[
        str | None,
        typer.Option(help="SEQ=DURATION: take decision SEQ at another time, e.g. 13=5h.",
                     show_default=False),
    ] = None,
    add: Annotated[
        str | None,
        typer.Option(help="DURATION=ACTION: also take a catalogue action, e.g. 5h=activate_dr.",
                     show_default=False),
    ] = None,
    n: Annotated[
        int,
        typer.Option("-n", help="Replications on common random numbers (1: the log's seed only).",
                     min=1, max=MAX_WHATIF_REPLICATIONS),
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: Annotated[str, typer.Option(help="Language of names and headers: de or en.")] = "en",
) -> None:  # fmt: skip
    """What if a decision had been different: both outcomes side by side."""
    _lang_or_exit(lang)
    change = _edit_or_exit(drop, replace, move, add, lang)
    bundle, seed, entries = _log_or_exit(log, lang)
    bar, advance = _progress(n, REPLICATIONS[lang])
    try:
        with bar:
            result = run_whatif(bundle, seed, entries, change, n,
                                progress=advance if n > 1 else None)  # fmt: skip
    except EditError as e:
        _fail(f"--{e.field}: {e.message}", lang)
    except LogError as e:
        _fail(f"{log}: {e}", lang)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
        return
    console = Console(width=max(Console().width, 160))
    console.print(plain(caption(bundle, entries, change, lang), 2000))  # names the decision
    console.print(whatif_table(bundle, result.comparison, lang))
    if result.risk is not None:
        console.print(risk_table(bundle, result.risk, lang))


@app.command()
def decisions(
    log: Annotated[str, typer.Argument(help="Exercise log (JSON Lines).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: Annotated[str, typer.Option(help="Language of names and sentences: de or en.")] = "en",
) -> None:
    """The value of each decision: the exercise without it, and with it at the first inject."""
    _lang_or_exit(lang)
    bundle, seed, entries = _log_or_exit(log, lang)
    try:
        values = decision_values(bundle, seed, entries)
    except LogError as e:
        _fail(f"{log}: {e}", lang)
    if as_json:
        typer.echo(json.dumps(values.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
        return
    if not values.decisions:
        typer.echo(no_decisions(lang))
        return
    console = Console(width=max(Console().width, 140))
    console.print(decisions_table(bundle, values, lang))
    for d in values.decisions:
        console.print(plain(f"{d.seq}: {d.sentence[lang]}", 2000))


def command_line() -> typer.Typer:
    """The whole `tabletop`: the library's commands plus those of the installed
    extras (`serve` with the web extra, see simulator/cli/plugins.py)."""
    return add_plugins(app)


def main() -> None:
    """The console script."""
    command_line()()


if __name__ == "__main__":  # python -m simulator.cli.app
    main()
