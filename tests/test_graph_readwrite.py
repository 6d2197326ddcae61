"""GraphML and GEXF (simulator/readwrite/graph.py): round trips, a graph drawn
by hand, problems at their node or edge, hostile XML."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.model.schema import Company
from simulator.model.validation import ScenarioError
from simulator.readwrite import graph as graph_module
from simulator.readwrite.build import Source, company_from_data
from simulator.readwrite.graph import company_graph, graph_bytes, read_graph
from simulator.readwrite.io import load_company, read_yaml

ROOT = Path(__file__).parent.parent
COMPANIES = ["scenarios/example/company.yaml", "scenarios/dairy/company.yaml"]
runner = CliRunner()


def imported(name: str, raw: bytes) -> Company:
    read = read_graph(name, raw)
    assert read.problems == []
    return company_from_data(Source(name, read.data, read.places))


def problems(name: str, raw: bytes) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        read = read_graph(name, raw)
        try:
            company_from_data(Source(name, read.data, read.places))
        except ScenarioError as e:
            raise ScenarioError([*read.problems, *e.problems]) from None
        raise ScenarioError(read.problems)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("path", COMPANIES)
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_then_import_gives_the_identical_company(path: str, fmt: str) -> None:
    company = load_company(ROOT / path)
    raw, _ = read_yaml(ROOT / path)
    assert imported(f"c.{fmt}", graph_bytes(company_graph(company, raw), fmt)) == company


def test_the_command_line_writes_a_company_file_that_loads_identically(tmp_path: Path) -> None:
    dairy = ROOT / "scenarios" / "dairy" / "company.yaml"
    out = tmp_path / "dairy.gexf"
    result = runner.invoke(app, ["export", "graph", str(dairy), "--format", "gexf",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", "graph", str(out), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert load_company(tmp_path / "d" / "company.yaml") == load_company(dairy)


def test_what_a_graph_without_the_json_attributes_keeps() -> None:
    """A graph edited in a tool that drops the JSON attributes (or drawn by
    hand) keeps exactly: ids, kinds, names, sites, utilities, the BIA's rto,
    rpo, mtpd, mbco and impact_per_hour, and every need with its id, type,
    mode, k, delay and shares. It loses buffers, recovery, standby, backups,
    flood exposure, workarounds, restart, trust, tags, descriptions, impact
    curves and the teams; the company is named after the file."""
    path = ROOT / "scenarios" / "example" / "company.yaml"
    company = load_company(path)
    raw, _ = read_yaml(path)
    graph = company_graph(company, raw)
    for _, attrs in graph.nodes(data=True):
        attrs.pop("tabletop", None)
    for _, _, attrs in graph.edges(data=True):
        attrs.pop("buffers", None)
    graph.graph.clear()
    expected = copy.deepcopy(raw)
    expected["company"] = {"id": "drawn", "name": "drawn"}
    expected["teams"] = {}
    for asset in expected["assets"]:
        for key in [k for k in asset if k not in graph_module.CARRIED | {"bia"}]:
            del asset[key]
        if "bia" in asset:
            asset["bia"].pop("impact", None)
        for need in asset.get("needs", []):
            need.pop("buffers", None)
    assert imported("drawn.graphml", graph_bytes(graph, "graphml")) == company_from_data(
        Source("expected", expected)
    )


def graphml(nodes: str, edges: str = "", keys: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="node" attr.name="kind" attr.type="string"/>
  <key id="l" for="node" attr.name="label" attr.type="string"/>
  <key id="r" for="node" attr.name="rto" attr.type="string"/>
  <key id="m" for="node" attr.name="mtpd" attr.type="double"/>
  <key id="n" for="edge" attr.name="need" attr.type="string"/>
  <key id="t" for="edge" attr.name="type" attr.type="string"/>
  <key id="o" for="edge" attr.name="mode" attr.type="string"/>
  {keys}
  <graph edgedefault="directed">{nodes}{edges}</graph>
</graphml>""".encode()


NODES = """
    <node id="grid_a"><data key="k">utility</data></node>
    <node id="grid_b"><data key="k">utility</data></node>
    <node id="plant"><data key="k">site</data><data key="l">Werk Nord</data></node>
    <node id="orders"><data key="k">business_process</data>
      <data key="r">4h</data><data key="m">86400</data></node>"""


def test_a_graph_drawn_by_hand() -> None:
    edges = """
    <edge source="plant" target="grid_a"><data key="n">power</data><data key="o">any</data></edge>
    <edge source="plant" target="grid_b"><data key="n">power</data><data key="o">any</data></edge>
    <edge source="orders" target="plant"><data key="t">logical</data></edge>"""
    company = imported("werk.graphml", graphml(NODES, edges))
    assert company.company.id == "werk" and company.teams == {}
    plant, orders = company.assets[2], company.assets[3]
    assert plant.name == "Werk Nord"
    assert plant.needs[0].id == "power" and plant.needs[0].any_of == ["grid_a", "grid_b"]
    assert orders.bia is not None and (orders.bia.rto, orders.bia.mtpd) == (4 * 3600, 86400)
    assert orders.needs[0].all_of == ["plant"] and orders.needs[0].type == "logical"


@pytest.mark.parametrize(
    ("nodes", "edges", "expected"),
    [
        (NODES.replace("<data key=\"k\">site</data>", ""), "",
         "g.graphml:node 'plant': kind: missing required field"),
        (NODES.replace(">site<", ">plant<"), "",
         "g.graphml:node 'plant': kind: Input should be 'site', 'utility', 'equipment', "
         "'it_system', 'application', 'data', 'supplier', 'logistics', 'staff' or "
         "'business_process'"),
        (NODES.replace(">4h<", ">bald<"), "",
         "g.graphml:node 'orders': rto: not a duration: 'bald'; write a number and a unit "
         "(s, min, h, d, w), e.g. '30min'"),
        (NODES, '<edge source="plant" target="grid_c"/>',
         "g.graphml:node 'grid_c': kind: missing required field"),
        (NODES, '<edge source="plant" target="grid_a"><data key="o">some</data></edge>',
         "g.graphml:edge 'plant' -> 'grid_a': mode: unknown mode 'some'; use all, any or k"),
        (NODES, """<edge source="plant" target="grid_a"><data key="n">p</data></edge>
                   <edge source="plant" target="grid_b"><data key="n">p</data>
                   <data key="o">any</data></edge>""",
         "g.graphml:edge 'plant' -> 'grid_b': mode: 'any' here but None on the need's edge "
         "to 'grid_a'"),
        (NODES, '<edge source="orders" target="plant"><data key="t">cyberr</data></edge>',
         "g.graphml:edge 'orders' -> 'plant': need_type: Input should be 'physical', 'cyber', "
         "'geographic' or 'logical'"),
    ],
)  # fmt: skip
def test_problems_are_reported_at_their_node_or_edge(nodes: str, edges: str, expected: str) -> None:
    found = problems("g.graphml", graphml(nodes, edges))
    assert expected in found, found


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY l2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;"><!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&l4;"/></graph></graphml>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<gexf><graph><nodes><node id="&x;"/></nodes></graph></gexf>"""


@pytest.mark.parametrize(("name", "raw", "expected"), [
    ("g.graphml", BOMB, "g.graphml: file: a DTD or entity declaration (<!DOCTYPE …>) is not "
                        "allowed"),
    ("g.gexf", EXTERNAL, "g.gexf: file: a DTD or entity declaration (<!DOCTYPE …>) is not "
                         "allowed"),
    ("g.graphml", b"<graphml><graph>", "g.graphml: file: not well-formed XML: no element found: "
                                       "line 1, column 16"),
    ("g.graphml", b"<graphml><graph edgedefault='undirected'><node id='a'/></graph></graphml>",
     "g.graphml: file: an undirected graph: draw edges from the asset that needs to its "
     "provider"),
])  # fmt: skip
def test_hostile_or_broken_xml_is_refused_with_a_clear_message(
    name: str, raw: bytes, expected: str
) -> None:
    assert problems(name, raw) == [expected]


def test_node_and_edge_counts_are_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(graph_module, "MAX_NODES", 3)
    assert problems("g.graphml", graphml(NODES)) == [
        "g.graphml: file: 4 nodes and 0 edges; at most 3 nodes and 1000000 edges"
    ]


def test_the_command_line_reports_in_german_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "g.graphml"
    bad.write_bytes(BOMB)
    result = runner.invoke(app, ["import", "graph", str(bad), "--out", str(tmp_path),
                                 "--lang", "de"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "g.graphml: file: eine DTD oder Entitätsdeklaration (<!DOCTYPE …>) ist nicht erlaubt"
    )
