"""Semantic checks of a company and a scenario, beyond what the schema can say.

Pydantic checks each value on its own; the checks here look across the file:
ids that must exist or be unique, kinds that must match, times that must fit.
They are pure functions returning `(location, message)` pairs, the location a
path of keys and list indices like `("assets", 3, "needs", 0, "any_of", 1)`;
`simulator.readwrite.io` turns those into file names and line numbers, so authors get
every problem of a file at once, each where it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from simulator.hazards import HazardSpec, gauge_error, hazard_target_error, references
from simulator.hazards.flood import Flood
from simulator.hazards.ransomware import Ransomware
from simulator.model.commands import (
    ActivateStandby,
    AddTeam,
    Command,
    DeactivateStandby,
    Degrade,
    Detect,
    Down,
    Isolate,
    Reconnect,
    Restore,
    StartHazard,
    StartWorkaround,
    StopWorkaround,
)
from simulator.model.conditions import (
    ActionCondition,
    AfterCondition,
    AssetCondition,
    BufferCondition,
    Condition,
    HazardCondition,
    ProcessCondition,
    walk,
)
from simulator.model.graph import need_id, providers_of
from simulator.model.schema import (
    IT_KINDS,
    Asset,
    AssetKind,
    Buffer,
    Company,
    Need,
    NotifyAction,
    Objective,
    Provider,
    ReleaseAction,
    Scenario,
)
from simulator.terms.durations import RandomDuration, RandomNumber, format_duration
from simulator.terms.messages import translate

Loc = tuple[str | int, ...]
"""A location in a file's data: mapping keys and list indices from the top."""

Finding = tuple[Loc, str]
"""A problem found by a check: where it is and what is wrong."""

SUGGESTION_BUDGET = 50
"""Close-match searches per check run: each one scans every id, which adds up
on a generated company with 100k assets and thousands of bad references."""


@dataclass(frozen=True)
class Problem:
    """One problem of a file, printed as `file:line: field: message` (the form
    compilers use, so editors can jump to it)."""

    file: str
    line: int | str | None  # a line number, or a workbook cell (BIA!C12) or CSV row (row 12)
    field: str
    message: str

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """The problem line with its message in `lang` (de or en); file and field
        stay as written, they are what the author looks for."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        message = translate(self.message, lang)
        field = translate(self.field, lang) if self.field.startswith("(") else self.field
        return f"{where}: {field}: {message}" if field else f"{where}: {message}"


class ScenarioError(Exception):
    """A scenario or company file is not valid; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggestion(name: str, candidates: Iterable[str]) -> str:
    """A "did you mean" hint naming the closest candidate, or "" if none is close."""
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


class _Checker:
    """Collects findings; knows the company's ids for reference checks."""

    def __init__(self, company: Company, broken: Collection[str]) -> None:
        self.findings: list[Finding] = []
        self.broken = broken
        self.assets: dict[str, Asset] = {}
        for asset in company.assets:
            self.assets.setdefault(asset.id, asset)
        self.teams = company.teams
        self.injects: set[str] = set()
        self.hazards: set[str] = set()
        self.hazard_specs: dict[str, list[HazardSpec]] = {}
        self.actions: set[str] = set()
        self._budget = SUGGESTION_BUDGET
        self._gauges: set[str] | None = None

    @property
    def gauges(self) -> set[str]:
        """The flood gauges the company's assets are exposed to (found once:
        a scenario may list a thousand hazards on a 100k-asset company)."""
        if self._gauges is None:
            self._gauges = {a.flood.gauge for a in self.assets.values() if a.flood}
        return self._gauges

    def add(self, loc: Loc, message: str) -> None:
        self.findings.append((loc, message))

    def suggest(self, name: str, candidates: Iterable[str]) -> str:
        if self._budget <= 0:
            return ""
        self._budget -= 1
        return suggestion(name, candidates)

    def asset(self, loc: Loc, name: str) -> Asset | None:
        """The asset `name`, or None after reporting it unknown."""
        found = self.assets.get(name)
        if found is None and name not in self.broken:
            self.add(loc, f"unknown asset {name!r}" + self.suggest(name, self.assets))
        return found

    def team(self, loc: Loc, name: str) -> None:
        if name in self.teams or name in self.broken:
            return
        if not self.teams:
            self.add(loc, f"unknown team {name!r}: the company defines no teams")
        else:
            self.add(loc, f"unknown team {name!r}" + self.suggest(name, self.teams))


def _duplicates(loc_ids: Iterable[tuple[Loc, str]], what: str, scope: str = "") -> list[Finding]:
    """A finding for every id seen before, naming where it first appeared."""
    first: dict[str, Loc] = {}
    out: list[Finding] = []
    for loc, ident in loc_ids:
        if ident in first:
            where = render_loc(first[ident])
            out.append((loc, f"duplicate {what} {ident!r}{scope} (first at {where})"))
        else:
            first[ident] = loc
    return out


def render_loc(loc: Loc, data: Any = None) -> str:
    """`("assets", 3, "needs", 0)` -> `assets[3].needs[0]`; with the file's
    `data`, an item of a list that has an id is named by it too, as its
    author thinks of it: `assets[3] (app-0003).needs[0] (power)`. Only the
    items on the path are looked at (a problem costs its path's length,
    whatever the size of the file)."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = node.get("id") if isinstance(node, dict) else None
            if isinstance(ident, str | int) and not isinstance(ident, bool):
                out += f" ({printable_id(str(ident))})"
        else:
            out += f".{part}" if out else part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def printable_id(ident: str, limit: int = 60) -> str:
    """An id from a file as a field's name shows it: control characters
    escaped, cut to `limit` characters (a hostile id may be 100 KB)."""
    shown = ident if len(ident) <= limit else ident[: limit - 1] + "…"
    if shown.isprintable():
        return shown
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                   else f"\\u{ord(c):04x}" for c in shown)  # fmt: skip


def _group_members(need: Need, at: Loc) -> list[tuple[Loc, str]]:
    """(location, asset id) of every provider of a need, as written."""
    if need.all_of is not None:
        return [((*at, "all_of", k), a) for k, a in enumerate(need.all_of)]
    if need.any_of is not None:
        where: Loc = (*at, "any_of")
        members = need.any_of
    elif need.k_of_n is not None:
        where = (*at, "k_of_n", "of")
        members = need.k_of_n.of
    else:
        return []
    return [
        ((*where, k, "asset"), m.asset) if isinstance(m, Provider) else ((*where, k), m)
        for k, m in enumerate(members)
    ]


def check_company(company: Company, broken: Collection[str] = ()) -> list[Finding]:
    """Every cross-reference and consistency problem of a company model.

    `broken`: ids of assets and teams left out of `company` because of schema
    errors (reported already); references to them are not reported again.
    Linear in assets and links: each need's providers are listed once, for
    the reference checks and the cycle search alike.
    """
    c = _Checker(company, broken)
    if len(c.assets) < len(company.assets):  # located only when there are some
        c.findings += _duplicates(
            ((("assets", i, "id"), a.id) for i, a in enumerate(company.assets)), "asset id"
        )
    instant: dict[str, list[str]] = {}  # asset -> providers it needs with no delay or buffer
    position: dict[str, int] = {}
    for i, asset in enumerate(company.assets):
        links = _check_asset(c, ("assets", i), asset)
        if asset.id not in instant:  # a duplicate id is reported already; its links would mislead
            position[asset.id] = i
            instant[asset.id] = links
    c.findings += _instant_cycle(company, instant, position)
    return c.findings


def _check_asset(c: _Checker, at: Loc, asset: Asset) -> list[str]:
    """Check one asset; returns the providers it needs instantly (no delay,
    no buffer; itself left out, reported apart), for the cycle search.

    A valid 100k-asset company passes through here in about a second:
    the usual need (providers known, each once, shares enough) costs a few
    set operations; locations are built only for what is reported."""
    instant: list[str] = []
    needs = asset.needs
    assets = c.assets.keys()
    aid = asset.id
    named = buffered = False
    for j, need in enumerate(needs):
        names = need.all_of
        if names is None:
            group = need.group
            names = [m if isinstance(m, str) else m.asset for m in group]
            # An any_of of plain ids (each share 1, k 1) is always enough: the
            # usual pooled need skips the shares' sum.
            if need.k_of_n is not None or not group or not all(
                    isinstance(m, str) for m in group):  # fmt: skip
                _check_group(c, (*at, "needs", j), need)
        unique = set(names)
        itself = aid in unique
        if len(unique) != len(names) or itself or not unique <= assets:
            _check_members(c, (*at, "needs", j), asset, need)
        if need.id is not None:
            named = True
        if need.buffers:
            buffered = True
            for b, buffer in enumerate(need.buffers):
                _check_buffer(c, (*at, "needs", j, "buffers", b), buffer)
        elif not need.delay:
            instant += [name for name in names if name != aid] if itself else names
    # Needs without ids are called "<type>-<position>": those cannot clash,
    # so the names are made only when some need has an id or a workaround
    # covers needs by name.
    need_ids: list[str] = []
    if (named and len(needs) > 1) or asset.workaround is not None:
        need_ids = [need_id(need, j) for j, need in enumerate(needs)]
    if len(set(need_ids)) < len(need_ids):  # locate duplicates only when there are some
        located = [(((*at, "needs", j, "id") if n.id else (*at, "needs", j)), need_ids[j])
                   for j, n in enumerate(needs)]  # fmt: skip
        dup_needs = _duplicates(located, "need id", f" in asset {asset.id!r}")
        if any(n.id is None for n in needs):
            hint = " (a need without an id is called '<type>-<position>')"
            dup_needs = [(loc, msg + hint) for loc, msg in dup_needs]
        c.findings += dup_needs
    if buffered:
        buffer_ids = [
            ((*at, "needs", j, "buffers", b, "id"), buffer.id)
            for j, need in enumerate(needs)
            for b, buffer in enumerate(need.buffers)
        ]
        c.findings += _duplicates(buffer_ids, "buffer id", f" in asset {asset.id!r}")

    if asset.location is not None:
        site = c.asset((*at, "location"), asset.location)
        if site is not None and site.kind is not AssetKind.site:
            c.add(
                (*at, "location"),
                f"location {asset.location!r} is a {site.kind.value} asset, not a site",
            )
    if asset.recovery is not None:
        rat: Loc = (*at, "recovery")
        if asset.recovery.team is not None:
            c.team((*rat, "team"), asset.recovery.team)
        for k, name in enumerate(asset.recovery.requires):
            if name == asset.id:
                c.add((*rat, "requires", k), f"asset {name!r} cannot require itself to restore")
            else:
                c.asset((*rat, "requires", k), name)
        time = asset.recovery.time
        if not isinstance(time, int) and (error := time.check()):
            c.add((*rat, "time"), f"{time.dist} distribution {error}")

    if asset.trust and asset.kind not in IT_KINDS:
        c.add(
            (*at, "trust"),
            f"trust domains are only for IT assets ({', '.join(sorted(IT_KINDS))}), "
            f"not {asset.kind.value}: a cyberattack reaches {asset.kind.value} "
            "through the IT it needs",
        )
    process = asset.kind is AssetKind.business_process
    if asset.bia is not None and not process:
        c.add((*at, "bia"), f"bia is only for business_process assets, not {asset.kind.value}")
    if asset.bia is None and process:
        c.add((*at, "bia"), "a business_process needs a bia (at least rto and mtpd)")
    if asset.workaround is not None:
        if not process:
            c.add(
                (*at, "workaround"),
                f"a workaround is only for business_process assets, not {asset.kind.value}",
            )
        known = need_ids
        for k, covered in enumerate(asset.workaround.covers or []):
            if covered not in known:
                c.add(
                    (*at, "workaround", "covers", k),
                    f"unknown need {covered!r} of asset {asset.id!r}"
                    + (c.suggest(covered, known) or f" (its needs: {', '.join(known) or 'none'})"),
                )
    return instant


def _check_buffer(c: _Checker, bat: Loc, buffer: Buffer) -> None:
    if buffer.via is not None:
        c.asset((*bat, "via"), buffer.via)
    if buffer.initial is not None and buffer.initial > buffer.capacity:
        c.add(
            (*bat, "initial"),
            f"initial {format_duration(buffer.initial)} exceeds the capacity "
            f"{format_duration(buffer.capacity)}",
        )
    if buffer.resupply is not None:
        c.asset((*bat, "resupply", "by"), buffer.resupply.by)
        if buffer.resupply.amount > buffer.capacity:
            c.add(
                (*bat, "resupply", "amount"),
                f"amount {format_duration(buffer.resupply.amount)} exceeds the buffer "
                f"capacity {format_duration(buffer.capacity)}",
            )


def _check_members(c: _Checker, at: Loc, asset: Asset, need: Need) -> None:
    """Report a need's providers that are unknown, the asset itself, or twice."""
    seen: set[str] = set()
    for loc, name in _group_members(need, at):
        if name == asset.id:
            c.add(loc, f"asset {name!r} depends on itself")
        elif name in seen:
            c.add(loc, f"asset {name!r} is listed twice in this need")
        else:
            c.asset(loc, name)
        seen.add(name)


def _check_group(c: _Checker, at: Loc, need: Need) -> None:
    """k of an any_of / k_of_n need against its members and their shares."""
    k_of_n = need.k_of_n
    if k_of_n is not None and k_of_n.k > len(k_of_n.of):
        n = len(k_of_n.of)
        c.add(
            (*at, "k_of_n", "k"),
            f"k is {k_of_n.k} but the group has only {n} member{'s' if n != 1 else ''}",
        )
        return
    k = k_of_n.k if k_of_n is not None else 1
    group = need.group
    if len(group) >= k and all(isinstance(m, str) for m in group):
        return  # k members of share 1: always enough
    # A pooled need whose shares cannot reach k would run degraded with every
    # provider up; the engine starts every asset at full capacity, so such a
    # company would be at odds with itself until a provider first changes.
    total = sum(share for _, share in providers_of(need))
    if total < k - 1e-9:
        c.add(
            (*at, "any_of" if need.any_of is not None else "k_of_n"),
            f"the shares add up to {total:g}, less than the {k} this need asks for: "
            "it would never be fully met",
        )


def _find_cycle(graph: dict[str, list[str]]) -> list[str]:
    """The nodes of one cycle in `graph` (node -> successors), or [] if it has
    none: an iterative depth-first search, linear in nodes and edges."""
    done: set[str] = set()
    for root, successors in graph.items():
        if root in done:
            continue
        if not successors:  # most assets of a large company: nothing to search
            done.add(root)
            continue
        path, on_path = [root], {root}
        stack = [iter(graph[root])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                node = path.pop()
                on_path.discard(node)
                done.add(node)
                continue
            if nxt in on_path:
                return path[path.index(nxt) :]
            if nxt in done or nxt not in graph:
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(graph[nxt]))
    return []


def _instant(needs: Iterable[Need]) -> list[Need]:
    return [need for need in needs if not (need.delay or need.buffers)]


def _instant_cycle(
    company: Company, needs: dict[str, list[str]], position: dict[str, int]
) -> list[Finding]:
    """One dependency cycle whose links all act at once (no delay, no buffer),
    in `needs` (asset -> providers it needs instantly; `position`: its index).

    Cycles with a delay or a buffer on some link are real (two sites backing up
    each other's power) and the engine plays them; an instant cycle is almost
    always a modelling slip, and it can hold itself down once tripped.
    """
    ring = _find_cycle(needs)
    if ring:
        first = min(range(len(ring)), key=lambda k: position[ring[k]])  # start where the file does
        path = ring[first:] + ring[:first] + [ring[first]]
        i = position[path[0]]
        j = next(
            j
            for j, need in enumerate(company.assets[i].needs)
            if need in _instant([need]) and any(p == path[1] for p, _ in providers_of(need))
        )
        return [
            (
                ("assets", i, "needs", j),
                f"instant dependency cycle: {' -> '.join(path)} "
                "(each needs the next with no delay or buffer on any link)",
            )
        ]
    return []


def check_scenario(
    scenario: Scenario, company: Company, broken: Collection[str] = ()
) -> list[Finding]:
    """Every reference from a scenario into its company, and times within the
    horizon; `broken` as for `check_company`."""
    c = _Checker(company, broken)
    c.injects = {inject.id for inject in scenario.injects}
    c.hazard_specs = {}
    for listed in scenario.hazards:
        if listed.id:
            c.hazard_specs.setdefault(listed.id, []).append(listed.hazard)
    for commands in [
        *(i.do for i in scenario.injects),
        *(a.do for a in scenario.actions),
        *([d for d in t.do if not isinstance(d, ReleaseAction | NotifyAction)]
          for t in scenario.triggers),
    ]:  # fmt: skip
        for cmd in commands:
            if isinstance(cmd, StartHazard) and cmd.id:
                c.hazard_specs.setdefault(cmd.id, []).append(cmd.hazard)
    c.hazards = set(c.hazard_specs)
    c.actions = {a.id for a in scenario.actions}
    horizon = scenario.horizon

    def within(loc: Loc, at: int | None) -> None:
        if at is not None and at > horizon:
            c.add(
                loc,
                f"{format_duration(at)} is after the end of the scenario "
                f"(horizon {format_duration(horizon)})",
            )

    for h, entry in enumerate(scenario.hazards):
        # A random start is checked at its earliest (its median for a lognormal).
        at = entry.at
        earliest = at if isinstance(at, int) else int(getattr(at, "min", getattr(at, "median", 0)))
        within(("hazards", h, "at"), earliest)
        c.findings += _distribution_problems(("hazards", h), entry)
        _check_hazard(c, ("hazards", h, "hazard"), entry.hazard)
        if entry.when is not None:
            _check_condition(c, ("hazards", h, "when"), entry.when, horizon)
    for i, inject in enumerate(scenario.injects):
        within(("injects", i, "at"), inject.at)
        _check_commands(c, ("injects", i, "do"), inject.do)
        if inject.when is not None:
            _check_condition(c, ("injects", i, "when"), inject.when, horizon)
    for t, trigger in enumerate(scenario.triggers):
        _check_condition(c, ("triggers", t, "when"), trigger.when, horizon)
        for k, item in enumerate(trigger.do):
            dat: Loc = ("triggers", t, "do", k)
            if isinstance(item, ReleaseAction):
                if item.release not in c.injects:
                    c.add((*dat, "release"), f"unknown inject {item.release!r}"
                          + c.suggest(item.release, c.injects))  # fmt: skip
            elif not isinstance(item, NotifyAction):
                _check_command(c, dat, item)
    for a, action in enumerate(scenario.actions):
        _check_commands(c, ("actions", a, "do"), action.do)
    for o, objective in enumerate(scenario.objectives):
        _check_objective(c, ("objectives", o), objective, horizon)
    _check_addressees(c, scenario)
    objectives = {o.id for o in scenario.objectives}
    for i, inject in enumerate(scenario.injects):
        if inject.objective is not None and inject.objective not in objectives:
            c.add(("injects", i, "objective"), f"unknown objective {inject.objective!r}"
                  + suggestion(inject.objective, objectives))  # fmt: skip
    c.findings += _duplicates(
        ((("injects", i, "id"), x.id) for i, x in enumerate(scenario.injects)), "inject id"
    )
    c.findings += _duplicates(
        ((("hazards", i, "id"), x.id) for i, x in enumerate(scenario.hazards) if x.id), "hazard id"
    )
    c.findings += _duplicates(
        ((("actions", i, "id"), x.id) for i, x in enumerate(scenario.actions)), "action id"
    )
    c.findings += _duplicates(
        ((("triggers", i, "id"), x.id) for i, x in enumerate(scenario.triggers)), "trigger id"
    )
    c.findings += _duplicates(
        ((("objectives", i, "id"), x.id) for i, x in enumerate(scenario.objectives)),
        "objective id",
    )
    return c.findings


def _check_addressees(c: _Checker, scenario: Scenario) -> None:
    """Each team a scripted inject is addressed to is one the company defines:
    players see an inject addressed to teams only as members of one of them,
    so an inject to a team nobody can belong to (a typo, a team of another
    company) would reach no player at all."""
    for i, inject in enumerate(scenario.injects):
        for k, team in enumerate(inject.teams or ()):
            if team in c.teams or team in c.broken:
                continue
            known = ", ".join(repr(t) for t in c.teams) or "none"
            c.add(("injects", i, "teams", k),
                  f"inject {inject.id!r} is addressed to team {team!r}, which the company "
                  f"does not define (teams: {known})" + c.suggest(team, c.teams))  # fmt: skip


# What each objective check needs besides its id and title.
OBJECTIVE_NEEDS: dict[str, tuple[str, ...]] = {
    "within_rto": ("process",), "within_mtpd": ("process",), "no_data_loss": ("process",),
    "max_impact": ("amount",), "decision_before": ("action", "by"),
}  # fmt: skip


def _check_objective(c: _Checker, at: Loc, objective: Objective, horizon: int) -> None:
    """The fields its check needs are there and name what exists: a process
    that is a business process, an action of this scenario, a time within it."""
    for name in OBJECTIVE_NEEDS[objective.check]:
        if getattr(objective, name) is None:
            c.add((*at, name), f"a {objective.check} objective needs {name!r}")
    if objective.process is not None:
        loc: Loc = (*at, "process")
        target = c.asset(loc, objective.process)
        if target is not None and target.kind is not AssetKind.business_process:
            c.add(
                loc,
                f"{objective.process!r} is a {target.kind.value} asset, not a business_process",
            )
    if objective.action is not None and objective.action not in c.actions:
        c.add((*at, "action"), f"unknown action {objective.action!r}"
              + (c.suggest(objective.action, c.actions) if c.actions
                 else ": the scenario lists no actions"))  # fmt: skip
    if objective.by is not None and objective.by > horizon:
        c.add((*at, "by"), f"{format_duration(objective.by)} is after the end of the scenario "
              f"(horizon {format_duration(horizon)})")  # fmt: skip


def _distribution_problems(at: Loc, value: object) -> list[Finding]:
    """Inconsistent distributions (min above mode, ...) anywhere in `value`,
    a hazard's parameters: the schema checks each bound on its own."""
    if isinstance(value, RandomDuration | RandomNumber):
        error = value.check()
        return [] if error is None else [(at, f"{value.dist} distribution {error}")]
    if isinstance(value, BaseModel):
        return [p for f in type(value).model_fields
                for p in _distribution_problems((*at, f), getattr(value, f))]  # fmt: skip
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _distribution_problems((*at, i), v)]
    return []


def _check_hazard(c: _Checker, at: Loc, spec: HazardSpec) -> None:
    for kind, loc, name in references(spec):
        if kind == "asset":
            found = c.asset((*at, *loc), name)
            if found is not None and (
                    error := hazard_target_error(spec, loc, found.kind, found.utility)):
                c.add((*at, *loc), error)
        elif kind == "team":
            c.team((*at, *loc), name)
        elif name not in c.injects:
            c.add((*at, *loc), f"unknown inject {name!r}" + suggestion(name, c.injects))
    # A hazard must fit the company (the engine checks a facilitator's inject the same way).
    if error := gauge_error(spec, c.gauges):
        c.add((*at, "gauge"), error)


def _check_commands(c: _Checker, at: Loc, commands: Sequence[Command]) -> None:
    for n, cmd in enumerate(commands):
        _check_command(c, (*at, n), cmd)


def _check_command(c: _Checker, loc: Loc, cmd: Command) -> None:
    if isinstance(cmd, Down | Degrade | Restore | Isolate | Reconnect):
        c.asset((*loc, "asset"), cmd.asset)
    elif isinstance(cmd, ActivateStandby | DeactivateStandby):
        target = c.asset((*loc, "asset"), cmd.asset)
        if target is not None and target.standby is None:
            verb = cmd.action.split("_")[0]
            c.add((*loc, "asset"), f"asset {cmd.asset!r} has no standby to {verb}")
    elif isinstance(cmd, StartWorkaround | StopWorkaround):
        target = c.asset((*loc, "process"), cmd.process)
        if target is not None and target.workaround is None:
            c.add((*loc, "process"), f"asset {cmd.process!r} has no workaround")
    elif isinstance(cmd, AddTeam):
        c.team((*loc, "team"), cmd.team)
    elif isinstance(cmd, StartHazard):
        c.findings += _distribution_problems((*loc, "hazard"), cmd.hazard)
        _check_hazard(c, (*loc, "hazard"), cmd.hazard)
    elif isinstance(cmd, Detect) and cmd.hazard not in c.hazards:
        c.add(
            (*loc, "hazard"),
            f"no hazard with id {cmd.hazard!r} in this scenario"
            + suggestion(cmd.hazard, c.hazards),
        )


def _check_condition(c: _Checker, at: Loc, condition: Condition, horizon: int) -> None:
    """Every name in a condition exists, and each part can become true within
    the scenario: a threshold outside its range, a breach the horizon cannot
    reach or a figure the process lacks is a mistake, not a dormant trigger."""
    for loc, cond in walk(condition, at):
        if isinstance(cond, AssetCondition):
            c.asset((*loc, "asset"), cond.asset)
            if cond.below is not None and not 0 < cond.below <= 1:
                c.add((*loc, "below"), f"capacity below {cond.below:g} can never be true: "
                      "give a share above 0 and at most 1")  # fmt: skip
        elif isinstance(cond, ProcessCondition):
            _check_process_condition(c, loc, cond, horizon)
        elif isinstance(cond, BufferCondition):
            _check_buffer_condition(c, loc, cond)
        elif isinstance(cond, ActionCondition):
            if cond.action not in c.actions:
                c.add((*loc, "action"), f"unknown action {cond.action!r}"
                      + (c.suggest(cond.action, c.actions) if c.actions
                         else ": the scenario lists no actions"))  # fmt: skip
            if cond.not_taken_by is not None:
                _within(c, (*loc, "not_taken_by"), cond.not_taken_by, horizon)
        elif isinstance(cond, HazardCondition):
            _check_hazard_condition(c, loc, cond)
        elif isinstance(cond, AfterCondition):
            _within(c, (*loc, "after"), cond.after, horizon)


def _within(c: _Checker, loc: Loc, at: int, horizon: int) -> None:
    if at > horizon:
        c.add(loc, f"{format_duration(at)} is after the end of the scenario "
              f"(horizon {format_duration(horizon)})")  # fmt: skip


def _check_process_condition(c: _Checker, loc: Loc, cond: ProcessCondition, horizon: int) -> None:
    target = c.asset((*loc, "process"), cond.process)
    if target is None:
        return
    if target.bia is None or target.kind is not AssetKind.business_process:
        c.add((*loc, "process"), f"{cond.process!r} is a {target.kind.value} asset, "
              "not a business_process with a bia")  # fmt: skip
        return
    bia = target.bia
    field = "impact_above" if cond.impact_above is not None else "is"
    if cond.is_ in ("rto_breached", "mtpd_breached"):
        name, limit = ("RTO", bia.rto) if cond.is_ == "rto_breached" else ("MTPD", bia.mtpd)
        if limit >= horizon:
            c.add((*loc, field), f"the {name} of {cond.process!r} ({format_duration(limit)}) "
                  f"is not shorter than the scenario ({format_duration(horizon)}): "
                  "it can never be breached")  # fmt: skip
    elif cond.is_ == "below_mbco" and bia.mbco <= 0:
        c.add((*loc, field), f"the MBCO of {cond.process!r} is 0: it can never be below it")
    elif cond.is_ == "data_lost" and not _stands_on_data(c, target):
        c.add((*loc, field), f"{cond.process!r} stands on no data asset: it can lose no data")
    elif cond.impact_above is not None:
        rates = [bia.impact_per_hour or 0.0, *(s.per_hour for s in bia.impact or [])]
        most = max(rates) * horizon / 3600
        if cond.impact_above <= 0:
            c.add((*loc, field), "the amount must be more than 0 EUR")
        elif cond.impact_above > most:
            c.add((*loc, field), f"{cond.process!r} can cause at most {most:.0f} EUR of impact "
                  f"in {format_duration(horizon)}: {cond.impact_above:.0f} EUR "
                  "is never reached")  # fmt: skip


def _stands_on_data(c: _Checker, process: Asset) -> bool:
    """Whether `process` needs a data asset, directly or through others."""
    seen, todo = {process.id}, [process]
    while todo:
        for need in todo.pop().needs:
            for name, _share in providers_of(need):
                found = c.assets.get(name)
                if found is None or name in seen:
                    continue
                if found.kind is AssetKind.data:
                    return True
                seen.add(name)
                todo.append(found)
    return False


def _check_buffer_condition(c: _Checker, loc: Loc, cond: BufferCondition) -> None:
    target = c.asset((*loc, "asset"), cond.asset)
    if target is None:
        return
    buffers = {b.id: b for need in target.needs for b in need.buffers}
    found = buffers.get(cond.buffer)
    if found is None:
        known = ", ".join(repr(b) for b in buffers) or "none"
        c.add((*loc, "buffer"), f"asset {cond.asset!r} has no buffer {cond.buffer!r}"
              + (c.suggest(cond.buffer, buffers) or f" (its buffers: {known})"))  # fmt: skip
    elif cond.below >= found.capacity:
        c.add((*loc, "below"), f"{format_duration(cond.below)} is not below the capacity "
              f"{format_duration(found.capacity)} of buffer {cond.buffer!r}: "
              "the condition would hold from the start")  # fmt: skip


def _check_hazard_condition(c: _Checker, loc: Loc, cond: HazardCondition) -> None:
    specs = c.hazard_specs.get(cond.hazard)
    if specs is None:
        c.add((*loc, "hazard"), f"no hazard with id {cond.hazard!r} in this scenario"
              + suggestion(cond.hazard, c.hazards))  # fmt: skip
        return
    floods = [s for s in specs if isinstance(s, Flood)]
    if cond.is_ == "detected" and not any(isinstance(s, Ransomware) for s in specs):
        c.add((*loc, "is"), f"hazard {cond.hazard!r} is of type {specs[0].type}: "
              "only a ransomware is detected")  # fmt: skip
    elif cond.is_ == "peak_passed" and not floods:
        c.add((*loc, "is"), f"hazard {cond.hazard!r} is of type {specs[0].type}: "
              "only a flood has a peak")  # fmt: skip
    elif cond.alarm is not None:
        if not floods:
            c.add((*loc, "alarm"), f"hazard {cond.hazard!r} is of type {specs[0].type}: "
                  "only a flood has alarm levels")  # fmt: skip
        elif not any(cond.alarm in f.alarms for f in floods):
            levels = sorted({name for f in floods for name in f.alarms})
            known = ", ".join(repr(x) for x in levels) or "none"
            c.add((*loc, "alarm"), f"flood {cond.hazard!r} has no alarm level {cond.alarm!r}"
                  + (c.suggest(cond.alarm, levels) or f" (its levels: {known})"))  # fmt: skip
