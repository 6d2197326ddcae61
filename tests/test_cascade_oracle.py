"""A second oracle for the cascade: the incremental propagation of
`simulator.engine.cascade` (through `Simulation`) against a plain full recompute.

Without delays, buffers, restarts, workarounds and isolation the cascade's
rule is a pure function of the damage (simulator/engine/cascade.py, module notes):

- an asset's capacity = min(its own damage, the supply of each of its needs),
  its own damage being the lowest of what each cause did to it (1 if none),
  rounded to 6 decimals as the engine keeps it;
- all_of: the lowest provider capacity;
- any_of: min(1, sum(share x capacity)) (pooled: one of two full links suffices);
- k_of_n: min(1, sum(share x capacity) / k).

The oracle below recomputes every asset from that rule, pass after pass in
topological order until nothing changes, on random layered graphs after every
damage or heal of a random sequence; the engine must agree exactly. Capacities
and shares come from quarters and halves, so both sides compute the same
floats and differences can only be real.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import hypothesis.strategies as st
from conftest import make_bundle
from hypothesis import given, settings

from simulator.engine.simulation import Simulation
from simulator.model.validation import check_company

CAPACITIES = [0.0, 0.25, 0.5, 0.75]
SHARES = [0.5, 1.0]
CAUSES = ["hazard:a", "hazard:b", "inject:c"]


@dataclass(frozen=True)
class Need:
    mode: str  # "all_of", "any_of" or "k_of_n"
    providers: tuple[tuple[str, float], ...]  # (asset, share)
    k: int = 1


@dataclass(frozen=True)
class Graph:
    order: tuple[str, ...]  # a topological order: providers before their dependents
    needs: dict[str, tuple[Need, ...]]

    def assets(self) -> list[dict[str, Any]]:
        """The graph as company-file assets."""
        out = []
        for a in self.order:
            needs = []
            for i, need in enumerate(self.needs[a]):
                spec: dict[str, Any] = {"id": f"n{i}"}
                members = [{"asset": p, "share": s} for p, s in need.providers]
                if need.mode == "all_of":
                    spec["all_of"] = [p for p, _ in need.providers]
                elif need.mode == "any_of":
                    spec["any_of"] = members
                else:
                    spec["k_of_n"] = {"k": need.k, "of": members}
                needs.append(spec)
            out.append({"id": a, "kind": "it_system", "needs": needs})
        return out


@st.composite
def layered_graphs(draw: st.DrawFn) -> Graph:
    """2-4 layers of 1-4 assets; an asset of layer L>0 has 1-3 needs on 1-3
    distinct assets of the layers below it."""
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    order: list[str] = []
    needs: dict[str, tuple[Need, ...]] = {}
    for layer, width in enumerate(widths):
        below = list(order)
        for j in range(width):
            a = f"l{layer}a{j}"
            own: list[Need] = []
            if below:
                for _ in range(draw(st.integers(1, 3))):
                    chosen = draw(st.lists(st.sampled_from(below), min_size=1, max_size=3,
                                           unique=True))  # fmt: skip
                    shares = [draw(st.sampled_from(SHARES)) for _ in chosen]
                    if sum(shares) < 1:  # validation refuses a need that can never be met
                        shares[0] = 1.0
                    mode = draw(st.sampled_from(["all_of", "any_of", "k_of_n"]))
                    k = draw(st.integers(1, int(sum(shares)))) if mode == "k_of_n" else 1
                    own.append(Need(mode, tuple(zip(chosen, shares, strict=True)), k))
            needs[a] = tuple(own)
        order += [f"l{layer}a{j}" for j in range(width)]
    return Graph(tuple(order), needs)


@st.composite
def events(draw: st.DrawFn, graph: Graph) -> list[tuple[str, str, str, float]]:
    """Damage (cause, capacity) and heal (cause) events on random assets."""
    out = []
    for _ in range(draw(st.integers(1, 14))):
        asset = draw(st.sampled_from(graph.order))
        cause = draw(st.sampled_from(CAUSES))
        if draw(st.booleans()):
            out.append(("damage", asset, cause, draw(st.sampled_from(CAPACITIES))))
        else:
            out.append(("heal", asset, cause, 1.0))
    return out


def supply(need: Need, cap: dict[str, float]) -> float:
    if need.mode == "all_of":
        return min(cap[p] for p, _ in need.providers)
    pooled = sum(share * cap[p] for p, share in need.providers)
    return min(1.0, pooled / need.k)


def full_recompute(graph: Graph, damage: dict[str, dict[str, float]]) -> dict[str, float]:
    """Every capacity from scratch: start all at 1 and sweep the topological
    order until a sweep changes nothing (one sweep suffices on a DAG; the
    second proves it)."""
    cap = dict.fromkeys(graph.order, 1.0)
    changed = True
    while changed:
        changed = False
        for a in graph.order:
            q = min(damage.get(a, {}).values(), default=1.0)
            for need in graph.needs[a]:
                q = min(q, supply(need, cap))
            q = round(q, 6)
            if q != cap[a]:
                cap[a], changed = q, True
    return cap


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_incremental_cascade_equals_full_recompute(data: st.DataObject) -> None:
    graph = data.draw(layered_graphs())
    sequence = data.draw(events(graph))
    bundle = make_bundle(graph.assets())
    assert check_company(bundle.company) == []  # only graphs a file could hold
    sim = Simulation(bundle)
    damage: dict[str, dict[str, float]] = {}
    for step, (op, asset, cause, capacity) in enumerate(sequence):
        if op == "damage":
            sim.damage(asset, capacity, cause, until_restored=False)
            damage.setdefault(asset, {})[cause] = capacity
        else:
            sim.heal(asset, cause)
            damage.get(asset, {}).pop(cause, None)
        engine = dict(sim.snapshot().capacity)
        assert engine == full_recompute(graph, damage), (step, sequence[: step + 1])


def test_the_oracle_by_hand() -> None:
    """The oracle itself on a hand-computed case: c needs 2 of {a, b, x}
    (shares 1, 1, 0.5) and all of {a}; d needs any of {c (0.5), b (0.5)}.
    a at 0.5, b at 0: c = min(1, (0.5 + 0 + 0.5) / 2) = 0.5 and min(.., a) = 0.5;
    d = min(1, 0.5 x 0.5 + 0.5 x 0) = 0.25."""
    graph = Graph(
        ("a", "b", "x", "c", "d"),
        {"a": (), "b": (), "x": (),
         "c": (Need("k_of_n", (("a", 1.0), ("b", 1.0), ("x", 0.5)), 2),
               Need("all_of", (("a", 1.0),))),
         "d": (Need("any_of", (("c", 0.5), ("b", 0.5))),)},
    )  # fmt: skip
    cap = full_recompute(graph, {"a": {"h": 0.5}, "b": {"h": 0.0}})
    assert cap == {"a": 0.5, "b": 0.0, "x": 1.0, "c": 0.5, "d": 0.25}
    sim = Simulation(make_bundle(graph.assets()))
    sim.damage("a", 0.5, "h", until_restored=False)
    sim.damage("b", 0.0, "h", until_restored=False)
    assert dict(sim.snapshot().capacity) == cap
