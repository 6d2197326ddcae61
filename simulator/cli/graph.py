"""`tabletop export graph` and `tabletop import graph`: a company as GraphML
(yEd) or GEXF (Gephi), read and written by simulator/readwrite/graph.py."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from simulator.analysis.report import printable
from simulator.cli.readwrite import EXIT_INVALID, check_lang, export_app, import_app, refuse
from simulator.model.validation import ScenarioError
from simulator.readwrite.build import Source, company_from_data
from simulator.readwrite.io import load_company, read_file, read_yaml, write_bytes, write_data


class GraphFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"


# The commands' own lines, in the language asked for (--lang).
_ASSETS = {"de": "Ressourcen", "en": "assets"}
_NOT_A_GRAPH = {"de": "keine .graphml- oder .gexf-Datei", "en": "not a .graphml or .gexf file"}


@export_app.command("graph")
def export_graph(
    company: Annotated[str, typer.Argument(help="The company file.")],
    out: Annotated[str, typer.Option(help="The graph file to write.")],
    format: Annotated[GraphFormat, typer.Option(help="graphml (yEd) or gexf (Gephi).")] = (
        GraphFormat.graphml
    ),
    lang: Annotated[str, typer.Option(help="Language of the messages: de or en.")] = "en",
) -> None:
    """Write a company as a graph: assets as nodes (kind, name, site, BIA
    figures), needs as edges from the asset that needs to its provider."""
    check_lang(lang)
    try:
        model = load_company(company)
        raw, _ = read_yaml(company)
    except ScenarioError as e:
        refuse(e.problems, lang)
    from simulator.readwrite.graph import company_graph, graph_bytes  # NetworkX: when used

    write_bytes(out, graph_bytes(company_graph(model, raw), format.value))
    typer.echo(f"{out}: {len(model.assets)} {_ASSETS[lang]}")


@import_app.command("graph")
def import_graph(
    file: Annotated[str, typer.Argument(help="A .graphml or .gexf file.")],
    out: Annotated[str, typer.Option(help="Folder to write company.yaml into.")],
    lang: Annotated[str, typer.Option(help="Language of the messages: de or en.")] = "en",
) -> None:
    """Build a company from a graph drawn in yEd or Gephi (node attribute
    `kind`; edge attributes `need`, `need_type`, `mode`, `k`). Every problem
    is reported at its node or edge (`g.graphml:node 'erp': kind: …`), exit 2."""
    check_lang(lang)
    name = Path(file).name
    if not name.lower().endswith((".graphml", ".gexf")):
        typer.echo(printable(f"{name}: {_NOT_A_GRAPH[lang]}"), err=True)
        raise typer.Exit(EXIT_INVALID)
    from simulator.readwrite.graph import MAX_GRAPH_BYTES, read_graph  # NetworkX: when used

    try:
        read = read_graph(name, read_file(file, name, MAX_GRAPH_BYTES))
        try:
            company = company_from_data(Source(name, read.data, read.places))
        except ScenarioError as e:
            raise ScenarioError([*read.problems, *e.problems]) from None
        if read.problems:
            raise ScenarioError(read.problems)
    except ScenarioError as e:
        refuse(e.problems, lang)
    target = Path(out) / "company.yaml"
    write_data(target, read.data)
    typer.echo(f"{target}: {len(company.assets)} {_ASSETS[lang]}")
