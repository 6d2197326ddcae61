"""The company compiled into flat arrays for the engine.

The schema objects are convenient to write and validate but heavy to walk;
the engine instead indexes assets and needs by integers and keeps the
dependency structure in compressed (CSR) arrays: the needs of asset `a` are
`need_start[a]:need_start[a + 1]`, the providers of need `n` are
`prov[prov_start[n]:prov_start[n + 1]]`, and the needs that asset `p`
provides for are `rev[rev_start[p]:rev_start[p + 1]]`. That keeps engine
state near 100 bytes per asset and lets a change touch only its dependents.
Rarely used figures (buffers, recovery, standby, BIA) sit in sparse dicts.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from simulator.model.gcpause import paused_gc
from simulator.model.graph import need_id
from simulator.model.schema import (
    BIA,
    AssetKind,
    Backup,
    Buffer,
    DepType,
    Recovery,
    ScenarioBundle,
    Standby,
    Workaround,
)

DEP_TYPES: tuple[DepType, ...] = tuple(DepType)
MODE_ALL = 0  # every provider needed: supply = min of their capacities
MODE_POOLED = 1  # any-of / k-of-n: supply = min(1, sum(share * capacity) / k)


@dataclass(frozen=True, slots=True)
class CompiledWorkaround:
    capacity: float
    lead_time: int
    covers: frozenset[int] | None  # need indices; None: every need


@dataclass(slots=True)
class Model:
    """A compiled company and scenario; shared read-only by simulations."""

    bundle: ScenarioBundle
    ids: list[str]
    index: dict[str, int]
    kinds: list[AssetKind]
    need_start: array[int]
    need_owner: array[int]
    need_mode: array[int]
    need_k: array[int]
    need_type: array[int]
    need_delay: array[int]
    prov_start: array[int]
    prov: array[int]
    share: array[float]
    rev_start: array[int]
    rev: array[int]
    need_names: dict[int, str] = field(default_factory=dict)  # only needs that carry buffers
    buffers: dict[int, tuple[Buffer, ...]] = field(default_factory=dict)
    restart: dict[int, int] = field(default_factory=dict)
    recovery: dict[int, Recovery] = field(default_factory=dict)
    standby: dict[int, Standby] = field(default_factory=dict)
    backup: dict[int, Backup] = field(default_factory=dict)
    bia: dict[int, BIA] = field(default_factory=dict)
    workaround: dict[int, CompiledWorkaround] = field(default_factory=dict)
    trust: dict[int, tuple[str, ...]] = field(default_factory=dict)  # asset -> trust domains
    domains: dict[str, list[int]] = field(default_factory=dict)  # trust domain -> members
    # flooded asset -> (gauge, level in m, cleanup s)
    flood: dict[int, tuple[str, float, int]] = field(default_factory=dict)
    required_by: dict[int, list[int]] = field(default_factory=dict)  # restores that need it

    @property
    def size(self) -> int:
        return len(self.ids)

    def needs_of(self, asset: int) -> range:
        return range(self.need_start[asset], self.need_start[asset + 1])

    def providers(self, need: int) -> array[int]:
        return self.prov[self.prov_start[need] : self.prov_start[need + 1]]

    def dependents(self, asset: int) -> array[int]:
        """Needs (indices) that `asset` is a provider of."""
        return self.rev[self.rev_start[asset] : self.rev_start[asset + 1]]


@paused_gc()
def compile_model(bundle: ScenarioBundle) -> Model:
    """Flatten a validated bundle into a `Model` in O(assets + dependencies)."""
    company = bundle.company
    ids = [a.id for a in company.assets]
    index = {a: i for i, a in enumerate(ids)}
    # Plain lists while building (append is cheaper), packed into arrays at the end.
    need_start, prov_start = [0], [0]
    need_owner: list[int] = []
    need_mode: list[int] = []
    need_k: list[int] = []
    need_type: list[int] = []
    need_delay: list[int] = []
    prov: list[int] = []
    share: list[float] = []
    m = Model(bundle, ids, index, [a.kind for a in company.assets],
              need_start=array("i"), need_owner=array("i"), need_mode=array("b"),
              need_k=array("i"), need_type=array("b"), need_delay=array("i"),
              prov_start=array("i"), prov=array("i"), share=array("d"),
              rev_start=array("i"), rev=array("i"))  # fmt: skip
    # Bound methods and an identity-keyed type table: Enum.__hash__ is Python
    # code, and this loop runs once per need of a 100k-asset company.
    code_of_type = {id(t): i for i, t in enumerate(DEP_TYPES)}
    add_owner, add_type, add_delay = need_owner.append, need_type.append, need_delay.append
    add_mode, add_k, add_prov_start = need_mode.append, need_k.append, prov_start.append
    position_of = index.__getitem__
    for a, asset in enumerate(company.assets):
        need_of_id: dict[str, int] = {}
        for position, need in enumerate(asset.needs):
            n = len(need_owner)
            add_owner(a)
            add_type(code_of_type[id(need.type)])
            add_delay(need.delay)
            all_of = need.all_of
            if all_of is not None:
                add_mode(MODE_ALL)
                add_k(1)
                prov.extend(map(position_of, all_of))
                share.extend([1.0] * len(all_of))
            else:
                add_mode(MODE_POOLED)
                k_of_n = need.k_of_n
                add_k(k_of_n.k if k_of_n is not None else 1)
                for member in need.group:
                    if isinstance(member, str):
                        prov.append(position_of(member))
                        share.append(1.0)
                    else:
                        prov.append(position_of(member.asset))
                        share.append(member.share)
            add_prov_start(len(prov))
            if need.buffers or asset.workaround is not None:
                need_of_id[need_id(need, position)] = n
                if need.buffers:
                    m.buffers[n] = tuple(need.buffers)
                    m.need_names[n] = need_id(need, position)
        need_start.append(len(need_owner))
        if asset.restart:
            m.restart[a] = asset.restart
        if asset.flood is not None:
            m.flood[a] = (asset.flood.gauge, asset.flood.level, asset.flood.cleanup)
        if asset.recovery is not None:
            m.recovery[a] = asset.recovery
            for required in asset.recovery.requires:
                m.required_by.setdefault(index[required], []).append(a)
        if asset.standby is not None:
            m.standby[a] = asset.standby
        if asset.backup is not None:
            m.backup[a] = asset.backup
        if asset.bia is not None:
            m.bia[a] = asset.bia
        if asset.workaround is not None:
            m.workaround[a] = _compile_workaround(asset.workaround, need_of_id)
        if asset.trust:
            m.trust[a] = tuple(asset.trust)
            for domain in asset.trust:
                m.domains.setdefault(domain, []).append(a)
    for packed, values in (
        (m.need_start, need_start), (m.need_owner, need_owner), (m.need_mode, need_mode),
        (m.need_k, need_k), (m.need_type, need_type), (m.need_delay, need_delay),
        (m.prov_start, prov_start), (m.prov, prov),
    ):  # fmt: skip
        packed.extend(values)
    m.share.extend(share)
    _build_reverse_index(m, prov_start, prov)
    return m


def _compile_workaround(w: Workaround, need_of_id: dict[str, int]) -> CompiledWorkaround:
    covers = None if w.covers is None else frozenset(need_of_id[c] for c in w.covers)
    return CompiledWorkaround(w.capacity, w.lead_time, covers)


def _build_reverse_index(m: Model, prov_start: list[int], prov: list[int]) -> None:
    """Counting sort of (provider, need) pairs into `rev_start` / `rev`
    (from the plain lists: indexing an array makes a new int each time)."""
    counts = [0] * (m.size + 1)
    for p in prov:
        counts[p + 1] += 1
    for i in range(m.size):
        counts[i + 1] += counts[i]
    m.rev_start.extend(counts)
    fill = counts[:-1]
    rev = [0] * len(prov)
    for n in range(len(prov_start) - 1):
        for i in range(prov_start[n], prov_start[n + 1]):
            p = prov[i]
            rev[fill[p]] = n
            fill[p] += 1
    m.rev.extend(rev)
