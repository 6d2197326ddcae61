"""The hazard catalogue.

A hazard is a SimPy process that changes asset capacities over simulated time
through the engine's `damage` and `heal` calls. Each hazard module defines a
pydantic parameter model (with a `type` literal) and a `run` generator; the
catalogue below ties them together for scenario files, the CLI and the web
form builder.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator, Iterable
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from simulator.hazards import flood, generic, power, ransomware, staff, supply
from simulator.terms.kinds import IT_KINDS, AssetKind

if TYPE_CHECKING:
    import simpy

    from simulator.hazards.target import Target

HazardSpec = Annotated[
    generic.Outage
    | power.PowerFailure
    | ransomware.Ransomware
    | flood.Flood
    | supply.SupplyBreak
    | staff.StaffAbsence,
    Field(discriminator="type"),
]
"""Parameters of any hazard in the catalogue, told apart by `type`."""

HazardProcess = Callable[["Target", Any, str], Generator["simpy.Event", Any, None]]

CATALOGUE: dict[str, HazardProcess] = {
    "outage": generic.run,
    "power_failure": power.run,
    "ransomware": ransomware.run,
    "flood": flood.run,
    "supply_break": supply.run,
    "staff_absence": staff.run,
}
"""Hazard `type` -> the process that plays it."""


def references(spec: HazardSpec) -> list[tuple[str, tuple[str | int, ...], str]]:
    """What a hazard names, as (kind, location in the spec, id) with kind
    "asset", "team" or "inject", so scenarios and injects can be checked
    before they run."""
    out: list[tuple[str, tuple[str | int, ...], str]] = []
    for field in ("assets", "staff"):
        for i, asset in enumerate(getattr(spec, field, ())):
            out.append(("asset", (field, i), asset))
    if isinstance(spec, ransomware.Ransomware):
        out.append(("asset", ("entry",), spec.entry))
    if isinstance(spec, staff.StaffAbsence):
        out += [("team", ("teams", i), team) for i, team in enumerate(spec.teams)]
    if isinstance(spec, flood.Flood):
        for i, trigger in enumerate(spec.triggers):
            out.append(("inject", ("triggers", i, "inject"), trigger.inject))
    return out


def gauge_error(spec: HazardSpec, gauges: Collection[str]) -> str:
    """Why a hazard's flood `gauge` misses the company ("" if it fits): no
    asset is exposed to it. Files and facilitators' injects use this one rule."""
    gauge = getattr(spec, "gauge", None)
    if gauge is None or gauge in gauges:
        return ""
    known = ", ".join(repr(g) for g in sorted(gauges)) or "none"
    return f"no asset is exposed to gauge {gauge!r} (gauges: {known})"


# What each hazard can act on, by the field that names the asset: the one rule
# for scenario files, the facilitator's form (which offers only these assets)
# and the engine's refusal. (kinds, utilities, what it hits): `utilities`, if
# given, narrows utility assets to what they carry (None: a utility that does
# not say). A power failure cuts power feeds — the site behind a feed loses
# power through its needs, so the feed is the target, not the site; a supply
# break hits suppliers and transport links, whose consumers live on their
# stock; an outage strikes any resource but a business process, which fails
# through its needs (ISO 22301: resources are what a process requires).
_ALL_BUT_PROCESSES = frozenset(AssetKind) - {AssetKind.business_process}
_TARGETS: dict[tuple[str, str], tuple[frozenset[AssetKind], frozenset[str | None] | None, str]] = {
    ("outage", "assets"): (
        _ALL_BUT_PROCESSES, None,
        "an outage strikes a resource (any kind but business_process: a process fails "
        "through its needs)",
    ),
    ("power_failure", "assets"): (
        frozenset({AssetKind.utility}), frozenset({"power", None}),
        "a power failure cuts power feeds (utility assets with utility: power)",
    ),
    ("supply_break", "assets"): (
        frozenset({AssetKind.supplier, AssetKind.logistics}), None,
        "a supply break hits suppliers and transport links (supplier or logistics)",
    ),
    ("ransomware", "entry"): (
        IT_KINDS, None, f"a ransomware entry must be an IT asset ({', '.join(sorted(IT_KINDS))})",
    ),
    ("staff_absence", "staff"): (
        frozenset({AssetKind.staff}), None, "a staff absence thins staff pools (kind staff)",
    ),
}


def can_target(hazard_type: str, field: str, kind: AssetKind, utility: str | None = None) -> bool:
    """Whether a hazard of `hazard_type` can name an asset of `kind` (carrying
    `utility`, for a utility asset) in its `field`."""
    rule = _TARGETS.get((hazard_type, field))
    if rule is None:
        return True
    kinds, utilities, _ = rule
    return kind in kinds and (
        utilities is None or kind is not AssetKind.utility or utility in utilities
    )


def hazard_target_error(
    spec: HazardSpec, loc: tuple[str | int, ...], kind: AssetKind, utility: str | None = None
) -> str:
    """Why the asset at `loc` of `spec`, of `kind` (carrying `utility`), cannot
    be what the hazard names there ("" if it can): see `_TARGETS`."""
    field = str(loc[0])
    if can_target(spec.type, field, kind, utility):
        return ""
    what = _TARGETS[(spec.type, field)][2]
    if kind is AssetKind.utility and utility is not None:
        return f"{what}, not a {utility} utility"
    return f"{what}, not {kind.value}"


def target_ids(
    hazard_type: str, field: str, assets: Iterable[tuple[str, AssetKind, str | None]]
) -> list[str]:
    """The ids among `assets` (id, kind, utility) a hazard's `field` can name,
    in their order: what the facilitator's form offers."""
    return [i for i, kind, utility in assets if can_target(hazard_type, field, kind, utility)]


# What each hazard acts on, beyond assets in general: a flood reaches only
# assets exposed to a gauge, ransomware enters through an IT asset, a staff
# absence thins staff pools. A hazard whose kind of target the company lacks
# cannot be played on it, so the facilitator's form does not offer it and the
# engine refuses it on `type` (which assets each may name: `_TARGETS`).
_NEEDED_KINDS: dict[str, tuple[frozenset[AssetKind], str]] = {
    "ransomware": (
        IT_KINDS,
        "ransomware needs an IT asset to enter through (it_system, application or data); "
        "the company has none",
    ),
    "power_failure": (
        frozenset({AssetKind.utility}),
        "a power failure needs a power feed (an asset of kind utility); the company has none",
    ),
    "supply_break": (
        frozenset({AssetKind.supplier, AssetKind.logistics}),
        "a supply break needs a supplier or transport link (kind supplier or logistics); "
        "the company has none",
    ),
    "staff_absence": (
        frozenset({AssetKind.staff}),
        "a staff absence needs a staff pool (an asset of kind staff); the company has none",
    ),
}
NO_GAUGE = (
    "a flood needs an asset exposed to a flood gauge (flood: gauge in the company model); "
    "the company has none"
)


def hazard_type_error(
    hazard_type: str, kinds: Collection[AssetKind], gauges: Collection[str]
) -> str:
    """Why a hazard of `hazard_type` cannot act on a company whose assets are
    of `kinds` and exposed to flood `gauges` ("" if it can). The one rule for
    the facilitator's form and the engine's refusal."""
    if hazard_type == "flood" and not gauges:
        return NO_GAUGE
    if hazard_type in _NEEDED_KINDS:
        needed, why = _NEEDED_KINDS[hazard_type]
        if not needed.intersection(kinds):
            return why
    return ""


def unfit_hazards(kinds: Collection[AssetKind], gauges: Collection[str]) -> dict[str, str]:
    """Hazard type -> why it cannot act on the company, for every type of the
    catalogue that cannot (in the catalogue's order)."""
    return {t: why for t in CATALOGUE if (why := hazard_type_error(t, kinds, gauges))}
