"""A company as a graph for yEd and Gephi (GraphML, GEXF), and back.

Nodes are assets, edges run from the asset that needs to its provider (the
direction of the dependency; "erp → server": the ERP needs the server). Both
directions use NetworkX's readers and writers; the XML is checked first with
defusedxml, which refuses any DTD (entity expansion, "billion laughs",
external entities) before NetworkX's ElementTree sees it.

Node attributes: `kind` (required), `name` or `name_de`/`name_en`, `site`,
`utility`, the BIA figures `rto`, `rpo`, `mtpd` (numbers: seconds; or text
with a unit, "4h"), `mbco` (0–1), `impact_per_hour` (EUR), and for reading
`rto_text` … (`4h`), `label` (the name shown). Edge attributes: `need` (the
need's id: edges of one asset with the same `need` are one need, its
redundancy group), `need_type` (physical, cyber, geographic, logical; GEXF
keeps `type` for its own edge kinds, so a GraphML file may say `type`), `mode`
(all, any, k), `k`, `delay` (seconds or text), `share` (of an any/k member),
`need_pos`/`pos` (order of needs and members).

What a graph cannot show -- buffers, recovery, standby, backups, flood
exposure, workarounds, restart, trust domains, tags, descriptions, impact
curves, the company's name and teams -- is carried as JSON text: the node
attribute `tabletop` (the asset's other fields as written in the company
file), the edge attribute `buffers`, and the graph attributes `company` and
`teams` (GEXF has no graph attributes: there both are in the graph's name).
A graph drawn by hand without them gets the defaults: no buffers, no
recovery, no standby, no backup, no teams, the company named after the file.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import defusedxml.ElementTree as SafeET
import networkx as nx
from defusedxml import DefusedXmlException

from simulator.model.schema import Company, Provider, text
from simulator.model.validation import Problem, ScenarioError
from simulator.readwrite.cells import Cells
from simulator.terms.durations import format_duration

MAX_GRAPH_BYTES = 64 * 1024 * 1024
MAX_NODES = 200_000
MAX_EDGES = 1_000_000
DURATIONS = ("rto", "rpo", "mtpd")
NUMBERS = ("mbco", "impact_per_hour")
CARRIED = {"id", "kind", "name", "location", "utility", "needs"}  # node attributes of their own
MODES = {"all": "all", "all_of": "all", "and": "all", "any": "any", "any_of": "any", "or": "any",
         "k": "k", "k_of_n": "k"}  # fmt: skip


class GraphPlaces(Cells):
    """The Locator of a graph: a path of the company data is a node or an
    edge, named by its ids (`node 'erp'`, `edge 'erp' -> 'server'`), the field
    by its attribute."""

    def node(self, path: tuple[str | int, ...], node: str, attribute: str) -> None:
        self.put(path, f"node {node!r}", attribute)

    def edge(self, path: tuple[str | int, ...], source: str, target: str, attribute: str) -> None:
        self.put(path, f"edge {source!r} -> {target!r}", attribute)


# --- export ----------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def company_graph(company: Company, raw: Mapping[str, Any]) -> nx.MultiDiGraph:
    """The graph of a validated company. `raw` is the company as written in its
    file: what goes into the JSON attributes keeps the author's spelling
    (`4h`, not 14400)."""
    info = raw.get("company", {})
    teams = raw.get("teams") or {}
    graph = nx.MultiDiGraph(company=_json(info), teams=_json(teams),
                            name=_json({"company": info, "teams": teams}))  # fmt: skip
    for asset, written in zip(company.assets, raw["assets"], strict=True):
        attrs: dict[str, Any] = {"kind": str(asset.kind), "label": text(asset.name) or asset.id}
        if isinstance(asset.name, str):
            attrs["name"] = asset.name
        elif asset.name is not None:
            attrs.update({f"name_{k}": v for k, v in (("de", asset.name.de),
                                                      ("en", asset.name.en)) if v})  # fmt: skip
        if asset.location:
            attrs["site"] = asset.location
        if asset.utility:
            attrs["utility"] = asset.utility
        if asset.bia:
            for key in DURATIONS:
                seconds = getattr(asset.bia, key)
                if seconds is not None:
                    attrs[key], attrs[f"{key}_text"] = int(seconds), format_duration(seconds)
            attrs["mbco"] = float(asset.bia.mbco)
            if asset.bia.impact_per_hour is not None:
                attrs["impact_per_hour"] = float(asset.bia.impact_per_hour)
                attrs["impact_text"] = f"{asset.bia.impact_per_hour:,.0f} EUR/h"
        rest = {k: v for k, v in written.items() if k not in CARRIED}
        if isinstance(rest.get("bia"), Mapping):
            bia = {k: v for k, v in rest["bia"].items() if k not in (*DURATIONS, *NUMBERS)}
            rest.pop("bia")
            if bia:
                rest["bia"] = bia
        if rest:
            attrs["tabletop"] = _json(rest)
        graph.add_node(asset.id, **attrs)
    for asset, written in zip(company.assets, raw["assets"], strict=True):
        for j, need in enumerate(asset.needs):
            raw_need = written["needs"][j]
            common: dict[str, Any] = {"need_pos": j, "need_type": str(need.type)}
            if need.id is not None:
                common["need"] = need.id
            if need.delay:
                common["delay"], common["delay_text"] = need.delay, format_duration(need.delay)
            if raw_need.get("buffers"):
                common["buffers"] = _json(raw_need["buffers"])
            if need.all_of is not None:
                members: list[Any] = list(need.all_of)
                common["mode"] = "all"
            elif need.any_of is not None:
                members, common["mode"] = list(need.any_of), "any"
            else:
                assert need.k_of_n is not None
                members, common["mode"] = list(need.k_of_n.of), "k"
                common["k"] = need.k_of_n.k
            for p, member in enumerate(members):
                edge = {**common, "pos": p}
                if isinstance(member, Provider):
                    edge["share"] = float(member.share)
                    member = member.asset
                graph.add_edge(asset.id, member, **edge)
    return graph


def graph_bytes(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """GraphML (yEd) or GEXF (Gephi) of a graph."""
    out = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(graph, out)
    else:
        nx.write_graphml(graph, out)
    return out.getvalue()


# --- import ----------------------------------------------------------------------


@dataclass
class GraphRead:
    """The company data of a graph and where each value came from."""

    data: dict[str, Any]
    places: GraphPlaces
    problems: list[Problem]


def _fail(file: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(file, None, "file", message)])


def parse_graph(file: str, raw: bytes) -> nx.MultiDiGraph:
    """The graph of GraphML or GEXF bytes (by the name's ending), checked for
    hostile XML and bounded; ScenarioError says why it cannot be read."""
    if len(raw) > MAX_GRAPH_BYTES:
        raise _fail(file, f"larger than {MAX_GRAPH_BYTES // (1024 * 1024)} MB")
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise _fail(file, "a DTD or entity declaration (<!DOCTYPE …>) is not allowed") from None
    except SafeET.ParseError as e:
        raise _fail(file, f"not well-formed XML: {e}") from None
    nodes = edges = 0
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        nodes += tag == "node"
        edges += tag == "edge"
    if nodes > MAX_NODES or edges > MAX_EDGES:
        raise _fail(file, f"{nodes} nodes and {edges} edges; at most {MAX_NODES} nodes "
                          f"and {MAX_EDGES} edges")  # fmt: skip
    gexf = file.lower().endswith(".gexf")
    try:
        if gexf:
            graph = nx.read_gexf(io.BytesIO(raw), node_type=str)
        else:
            graph = nx.read_graphml(io.BytesIO(raw), node_type=str, force_multigraph=True)
    except Exception as e:  # NetworkX raises many kinds for files it cannot map
        kind = "GEXF" if gexf else "GraphML"
        raise _fail(file, f"not a {kind} graph NetworkX can read: {e}") from None
    if not graph.is_directed():
        raise _fail(file, "an undirected graph: draw edges from the asset that needs "
                          "to its provider")  # fmt: skip
    return nx.MultiDiGraph(graph)


def _duration(value: Any) -> Any:
    """A duration attribute as the company file spells it: numbers are seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if not math.isfinite(value) or value < 0:
        return value  # the seam says what is wrong with it
    return format_duration(round(value))


def _loads(value: Any, kind: type, problem: Any) -> Any:
    """A JSON attribute; a bad one is reported and ignored."""
    if value is None:
        return None
    try:
        found = json.loads(value) if isinstance(value, str) else None
    except json.JSONDecodeError as e:
        problem(f"not JSON: {e.msg} (character {e.pos})")
        return None
    if not isinstance(found, kind):
        problem(f"not a JSON {'object' if kind is dict else 'list'}")
        return None
    return found


def read_graph(file: str, raw: bytes) -> GraphRead:
    """The company data of a graph (not yet validated: `company_from_data`
    with `Source(file, read.data, read.places)` does that)."""
    graph = parse_graph(file, raw)
    places = GraphPlaces()
    read = GraphRead({}, places, [])

    def problem(where: str, name: str) -> Any:
        return lambda message: read.problems.append(Problem(file, where, name, message))

    meta = _loads(graph.graph.get("name"), dict, lambda m: None) or {}
    info = _loads(graph.graph.get("company"), dict, problem("graph", "company"))
    teams = _loads(graph.graph.get("teams"), dict, problem("graph", "teams"))
    stem = PurePath(file).stem
    default = {"id": re.sub(r"[^A-Za-z0-9_.:-]+", "-", stem).strip("-.:_") or "company",
               "name": stem}  # fmt: skip
    read.data["company"] = info or meta.get("company") or default
    read.data["teams"] = teams if teams is not None else meta.get("teams") or {}
    assets: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for node, attrs in graph.nodes(data=True):
        i = index[node] = len(assets)
        asset = _asset(node, attrs, places, (("assets", i)), problem(f"node {node!r}", "tabletop"))
        assets.append(asset)
    for node, i in index.items():
        _needs(graph, node, assets[i], ("assets", i), places, read.problems, file)
    read.data["assets"] = assets
    return read


def _asset(
    node: str, attrs: Mapping[str, Any], places: GraphPlaces, at: tuple[str | int, ...],
    problem: Any,
) -> dict[str, Any]:  # fmt: skip
    rest = _loads(attrs.get("tabletop"), dict, problem) or {}
    asset: dict[str, Any] = {"id": node, **{k: v for k, v in rest.items() if k not in CARRIED}}
    places.node(at, node, "id")
    places.node((*at, "id"), node, "id")
    for key in rest:
        places.node((*at, key), node, "tabletop")
    if "kind" in attrs:
        asset["kind"] = attrs["kind"]
    places.node((*at, "kind"), node, "kind")
    names = {lang: attrs[f"name_{lang}"] for lang in ("de", "en") if attrs.get(f"name_{lang}")}
    label = attrs.get("label")
    if names:
        asset["name"] = names
    elif attrs.get("name"):
        asset["name"] = attrs["name"]
    elif isinstance(label, str) and label.strip() and label != node:
        asset["name"] = label.strip()  # drawn in yEd or Gephi: the label is the name
    if attrs.get("site"):
        asset["location"] = attrs["site"]
        places.node((*at, "location"), node, "site")
    if attrs.get("utility"):
        asset["utility"] = attrs["utility"]
        places.node((*at, "utility"), node, "utility")
    bia = dict(asset.get("bia") or {})
    for key in (*DURATIONS, *NUMBERS):
        value = attrs.get(key, attrs.get(f"{key}_text") if key in DURATIONS else None)
        if value is not None:
            bia[key] = _duration(value) if key in DURATIONS else value
            places.node((*at, "bia", key), node, key)
    if bia:
        asset["bia"] = bia
        places.node((*at, "bia"), node, "bia")
    return asset


def _needs(
    graph: nx.MultiDiGraph, node: str, asset: dict[str, Any], at: tuple[str | int, ...],
    places: GraphPlaces, problems: list[Problem], file: str,
) -> None:  # fmt: skip
    """The asset's needs from its outgoing edges, grouped by `need`."""
    groups: dict[Any, list[tuple[str, dict[str, Any]]]] = {}
    for n, (_, target, attrs) in enumerate(graph.out_edges(node, data=True)):
        if attrs.get("need") not in (None, ""):
            key: Any = ("need", str(attrs["need"]))
        elif attrs.get("need_pos") is not None:
            key = ("pos", attrs["need_pos"])
        else:
            key = ("edge", n)  # drawn without a group: a need of its own
        if "need_type" not in attrs and isinstance(attrs.get("type"), str):
            attrs = {**attrs, "need_type": attrs["type"]}  # GraphML drawn by hand
        groups.setdefault(key, []).append((str(target), attrs))

    def order(item: tuple[Any, list[tuple[str, dict[str, Any]]]]) -> Any:
        pos = item[1][0][1].get("need_pos")
        return (0, pos) if isinstance(pos, int) else (1, 0)

    needs = []
    for j, (key, edges) in enumerate(sorted(groups.items(), key=order)):
        edges.sort(key=lambda e: e[1]["pos"] if isinstance(e[1].get("pos"), int) else 1 << 30)
        first_target, first = edges[0]
        here = (*at, "needs", j)
        places.edge(here, node, first_target, "need")

        def fail(target: str, name: str, message: str) -> None:
            problems.append(Problem(file, f"edge {node!r} -> {target!r}", name, message))

        for target, attrs in edges[1:]:
            for name in ("need_type", "mode", "k", "delay"):
                if attrs.get(name) != first.get(name):
                    fail(target, name, f"{attrs.get(name)!r} here but {first.get(name)!r} on "
                                       f"the need's edge to {first_target!r}")  # fmt: skip
        need: dict[str, Any] = {}
        if key[0] == "need":
            need["id"] = key[1]
            places.edge((*here, "id"), node, first_target, "need")
        need["type"] = first.get("need_type") or "physical"
        places.edge((*here, "type"), node, first_target, "need_type")
        if first.get("delay") is not None:
            need["delay"] = _duration(first["delay"])
            places.edge((*here, "delay"), node, first_target, "delay")
        buffers = _loads(first.get("buffers"), list,
                         lambda m, t=first_target: fail(t, "buffers", m))  # fmt: skip
        if buffers:
            need["buffers"] = buffers
            places.edge((*here, "buffers"), node, first_target, "buffers")
        mode = MODES.get(str(first.get("mode") or "all").strip().lower())
        if mode is None:
            fail(first_target, "mode", f"unknown mode {first.get('mode')!r}; use all, any or k")
            mode = "all"
        members: list[Any] = []
        for target, attrs in edges:
            share = attrs.get("share")
            members.append(target if share is None or mode == "all" else
                           {"asset": target, "share": share})  # fmt: skip
        group = {"all": "all_of", "any": "any_of", "k": "k_of_n"}[mode]
        if mode == "k":
            need["k_of_n"] = {"k": first.get("k"), "of": members}
            places.edge((*here, "k_of_n", "k"), node, first_target, "k")
            member_path: tuple[str | int, ...] = (*here, "k_of_n", "of")
        else:
            need[group] = members
            member_path = (*here, group)
        for p, (target, _) in enumerate(edges):
            places.edge((*member_path, p), node, target, "target")
        needs.append(need)
    if needs:
        asset["needs"] = needs
