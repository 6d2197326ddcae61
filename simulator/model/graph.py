"""The company as a NetworkX dependency graph, for analysis and drawing.

Edges run from provider to dependent (power -> data centre -> ERP -> order
entry), so `nx.descendants(g, a)` is everything `a` can take down and
`nx.ancestors(g, p)` everything process `p` stands on. The engine does not
walk this graph: it runs on the flat arrays of `simulator.engine.compiled`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.model.schema import Company, Need

if TYPE_CHECKING:
    import networkx as nx


def providers_of(need: Need) -> list[tuple[str, float]]:
    """(asset id, share) of every provider in a need, in file order."""
    return [(m, 1.0) if isinstance(m, str) else (m.asset, m.share) for m in need.group]


def need_id(need: Need, position: int) -> str:
    """A need's id: as written, or "<type>-<position>" counted from 1."""
    return need.id or f"{need.type.value}-{position + 1}"


def build_graph(company: Company) -> nx.MultiDiGraph:
    """A MultiDiGraph with one node per asset (attribute `asset`: the schema
    object, `kind`) and one edge per provider of each need (attributes `need`,
    `type`, `mode`, `delay`, `share`)."""
    # Imported here: `import networkx` loads all its algorithms (about half a
    # second), which the engine, the server's hot paths and a CLI that only
    # validates or runs never need.
    import networkx as nx

    g = nx.MultiDiGraph(company=company.company.id)
    for asset in company.assets:
        g.add_node(asset.id, asset=asset, kind=asset.kind.value)
    for asset in company.assets:
        for i, need in enumerate(asset.needs):
            mode = "all" if need.all_of is not None else "any" if need.any_of is not None else "k"
            for provider, share in providers_of(need):
                g.add_edge(
                    provider,
                    asset.id,
                    need=need_id(need, i),
                    type=need.type.value,
                    mode=mode,
                    delay=need.delay,
                    share=share,
                )
    return g
