"""Business processes (from a BIA workbook or a small YAML file) merged into
the company a NetBox import built.

The BIA names the IT it stands on the way its authors know it: by NetBox
name (`dmi01-akron-rtr01`, `vm17`, the site `MDF`), by slug, or by the
imported asset id. Each reference in a need, a recovery's `requires` and a
`location` is resolved to the asset id; one the inventory does not know is
left as written, so the one seam reports it where the BIA has it
(`bia.xlsx:Dependencies!B7: ...: unknown asset 'dmi01-akron-rtr1'; did you
mean ...`), and a name that fits several NetBox objects is a problem of its
own at the same place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.model.validation import Loc, Problem, render_loc
from simulator.readwrite.bia_read import Workbook
from simulator.readwrite.build import Locator, Nowhere, Where
from simulator.readwrite.netbox_map import Mapped, slug


@dataclass
class Processes:
    """Company-shaped data of the BIA side (`assets`, optionally `teams` and
    `company`), where it came from and how to locate in it; `workbook` when
    it was read from a BIA workbook (its reader's own problems and order)."""

    file: str
    data: dict[str, Any]
    locator: Locator = field(default_factory=Nowhere)
    workbook: Workbook | None = None

    @classmethod
    def of_workbook(cls, book: Workbook) -> Processes:
        return cls(book.file, book.data, book.cells, book)


class MergedLocator:
    """Inventory assets first (built by code: no positions), then the BIA's,
    located in the BIA's file; an inventory asset a BIA row enriched is
    located at that row."""

    def __init__(self, origin: list[int | None], bia: Locator) -> None:
        self.origin = origin  # merged asset index -> the BIA row it came from
        self.bia = bia

    def _theirs(self, path: Sequence[str | int]) -> tuple[str | int, ...] | None:
        if len(path) >= 2 and path[0] == "assets" and isinstance(path[1], int):
            row = self.origin[path[1]] if 0 <= path[1] < len(self.origin) else None
            return None if row is None else ("assets", row, *path[2:])
        if path and path[0] in ("teams", "company"):
            return tuple(path)
        return None

    def line(self, path: Sequence[str | int]) -> Where:
        theirs = self._theirs(path)
        return None if theirs is None else self.bia.line(theirs)

    def field(self, path: Loc) -> str:
        theirs = self._theirs(path)
        return render_loc(path) if theirs is None else self.bia.field(theirs)

    def duplicate_keys(self) -> list[tuple[Loc, Where, str]]:
        return self.bia.duplicate_keys()


def merge(mapped: Mapped, processes: Processes) -> tuple[dict[str, Any], MergedLocator,
                                                         list[Problem]]:  # fmt: skip
    """One company's data: the inventory's assets, then the BIA's with their
    references resolved; problems of names that fit several objects."""
    theirs = processes.data
    own = {a.get("id") for a in theirs.get("assets") or [] if isinstance(a, dict)}
    inventory = mapped.company["assets"]
    ids = {a["id"] for a in inventory}
    names: dict[str, list[str]] = {}
    for name, found in mapped.names.items():
        for key in {name, name.lower(), slug(name)}:
            names.setdefault(key, []).extend(found)
    problems: list[Problem] = []

    def resolve(ref: Any, path: Loc) -> Any:
        if not isinstance(ref, str) or ref in own or ref in ids:
            return ref
        found = sorted(set(names.get(ref) or names.get(ref.lower()) or names.get(slug(ref), [])))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            message = (f"NetBox name {ref!r} fits several objects ({', '.join(found)}): "
                       "write the asset id")  # fmt: skip
            where = processes.locator.line(path)
            problems.append(Problem(processes.file, where, processes.locator.field(path), message))
        return ref

    # A BIA row whose id is an imported object (its asset id or NetBox name)
    # enriches it: its fields (a bilingual name, restart, recovery, trust,
    # backup, ...) replace the imported ones, and its needs come first,
    # replacing an imported need of the same id.
    merged = [dict(a) for a in inventory]
    origin: list[int | None] = [None] * len(merged)
    position = {a["id"]: i for i, a in enumerate(merged)}
    assets: list[Any] = []
    for i, item in enumerate(theirs.get("assets") or []):
        resolved = _resolved(item, ("assets", i), resolve)
        target = _imported(item, ids, names)
        if target is None:
            assets.append(resolved)
            origin.append(i)
            continue
        at = position[target]
        merged[at] = _enriched(merged[at], resolved)
        origin[at] = i
        mapped.report.enriched += 1
    data: dict[str, Any] = {
        "company": theirs.get("company", mapped.company["company"]),
        **({"teams": theirs["teams"]} if "teams" in theirs else {}),
        "assets": [*merged, *assets],
    }
    mapped.report.processes = len(assets)
    return data, MergedLocator(origin, processes.locator), problems


def _imported(item: Any, ids: set[str], names: dict[str, list[str]]) -> str | None:
    """The imported asset a BIA row names by its id, if one (and only one)."""
    ident = item.get("id") if isinstance(item, dict) else None
    if not isinstance(ident, str):
        return None
    if ident in ids:
        return ident
    found = set(names.get(ident) or names.get(ident.lower()) or names.get(slug(ident), []))
    return found.pop() if len(found) == 1 else None


def _enriched(imported: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    out = {**imported, **{k: v for k, v in row.items() if k not in ("id", "needs")}}
    needs = row.get("needs")
    if isinstance(needs, list):
        # The BIA's needs first, at their own positions (problems in them are
        # located at their cells), then the imported ones it does not replace.
        mine = {n.get("id") for n in needs if isinstance(n, dict)}
        kept = [n for n in imported.get("needs") or [] if n.get("id") not in mine]
        out["needs"] = [*needs, *kept]
    return out


def _resolved(item: Any, at: Loc, resolve: Any) -> Any:
    """A copy of a BIA asset with its references resolved (the original stays
    as written: problems are located in it)."""
    if not isinstance(item, dict):
        return item
    out = dict(item)
    if "location" in out:
        out["location"] = resolve(out["location"], (*at, "location"))
    recovery = out.get("recovery")
    if isinstance(recovery, dict) and isinstance(recovery.get("requires"), list):
        out["recovery"] = {**recovery, "requires": [
            resolve(r, (*at, "recovery", "requires", j)) for j, r in enumerate(recovery["requires"])
        ]}  # fmt: skip
    needs = out.get("needs")
    if isinstance(needs, list):
        out["needs"] = [_need(n, (*at, "needs", j), resolve) for j, n in enumerate(needs)]
    return out


def _need(need: Any, at: Loc, resolve: Any) -> Any:
    if not isinstance(need, dict):
        return need
    out = dict(need)

    def members(group: Any, where: Loc) -> Any:
        if not isinstance(group, list):
            return group
        resolved = []
        for j, m in enumerate(group):
            if isinstance(m, dict) and "asset" in m:
                resolved.append({**m, "asset": resolve(m["asset"], (*where, j, "asset"))})
            else:
                resolved.append(resolve(m, (*where, j)))
        return resolved

    for key in ("all_of", "any_of"):
        if key in out:
            out[key] = members(out[key], (*at, key))
    k_of_n = out.get("k_of_n")
    if isinstance(k_of_n, dict) and "of" in k_of_n:
        out["k_of_n"] = {**k_of_n, "of": members(k_of_n["of"], (*at, "k_of_n", "of"))}
    return out
