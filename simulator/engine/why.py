"""Why is it down: the chain of causes from an asset back to the hazard or inject.

Read from a simulation's present state, graph first: an asset is short of
capacity because something damaged it (a hazard, an inject, a decision: the
roots), because a need is short of supply (its providers are down, a buffer
ran dry, the time to impact ran out, it is cut off by an isolation), because
it waits for its restart, or because it is an idle standby. Each short need
names its providers that are not fully up, and the walk goes on to them —
every provider of a failed any-of or k-of-n group counts, as they fail it
together. The result is flat: one `Step` per asset reached (each asset once,
at its shallowest depth), in breadth-first order from the asked asset.

Nothing here changes the simulation; the walk touches only the asked
asset's ancestors, so it costs the size of the chain, not the company.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal

from simulator.engine.cascade import IDLE_STANDBY
from simulator.engine.compiled import DEP_TYPES
from simulator.engine.records import (
    EPSILON,
    EVENT_BUFFER_EMPTY,
    EVENT_DECISION,
    EVENT_INJECT,
    EVENT_STATE,
    State,
)
from simulator.engine.simulation import EVENT_HAZARD, Simulation
from simulator.engine.triggers import EVENT_TRIGGER
from simulator.model.graph import need_id
from simulator.model.schema import text
from simulator.terms.kinds import dep_type_name, hazard_name, need_name
from simulator.terms.wallclock import at as clock_at
from simulator.terms.wallclock import short

MAX_STEPS = 500  # a chain longer than this is cut (and says so): the answer stays bounded
MAX_LISTED = 50  # providers named per need; `down_total` counts them all
CauseKind = Literal["hazard", "inject", "decision", "other"]
Mode = Literal["all_of", "any_of", "k_of_n"]


@dataclass(frozen=True, slots=True)
class Cause:
    """A root: what damaged (or isolated) an asset itself, and since when.

    `source` is the engine's label ("hazard:1", "inject:m1", "inject:7",
    "decision:2"); `title` the scripted inject's title; `hazard` the hazard
    type and `action` the command (never their parameters: a participant may
    be shown a cause, not the hidden figures behind it)."""

    source: str
    kind: CauseKind
    ref: str
    at: int | None  # when the source began (its hazard / inject / decision record)
    effect: Literal["damage", "isolated"]
    capacity: float | None  # what the damage leaves; None for an isolation
    lasting: bool  # damage until restored, not healing by itself
    hazard: str | None = None
    action: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class BufferInfo:
    id: str
    left: int  # seconds of full cover left
    drawn: bool  # it covers the shortfall now
    empty_at: int | None  # when it last ran dry
    via: str | None  # the asset it runs through (a generator for its fuel)
    via_down: bool
    resupply_by: str | None
    resupply_down: bool


@dataclass(frozen=True, slots=True)
class NeedInfo:
    """A need short of supply: which providers fail it and what softens it."""

    id: str
    type: str
    mode: Mode
    k: int  # providers needed (1 for all_of: every one; any_of: one full share)
    of: int
    supply: float  # what the providers deliver now, before buffers and delays
    effective: float  # what reaches the asset
    down: tuple[str, ...]  # providers not fully up (or cut off): the causes (the first 50)
    down_total: int
    isolated: bool  # the asset itself is cut off for this need's type
    delay: int  # time to impact
    pending: bool  # the loss waits out its time to impact: it has not bitten yet
    covered: bool  # a buffer covers the shortfall now
    buffers: tuple[BufferInfo, ...]
    name: str = ""  # the need in the chain's language ("Strom" for power), else its id


@dataclass(frozen=True, slots=True)
class Step:
    asset: str
    kind: str
    depth: int
    parent: str | None  # the step that reached it first (the chain as a tree)
    state: State
    capacity: float
    since: int | None  # when it entered this state (None: from the start)
    causes: tuple[Cause, ...]  # own damage and isolation: the roots
    needs: tuple[NeedInfo, ...]  # needs short of supply
    restart: int | None  # supply is back; it restarts after this long
    standby: bool  # an idle standby, not activated
    workaround: bool  # a workaround carries it now
    restoring: bool  # a recovery process is on it (waiting or working)


@dataclass(frozen=True, slots=True)
class Why:
    asset: str
    t: int
    steps: tuple[Step, ...]
    truncated: bool = False

    @property
    def roots(self) -> list[tuple[str, Cause]]:
        """(asset, cause) of every root in the chain."""
        return [(s.asset, c) for s in self.steps for c in s.causes]

    def step(self, asset: str) -> Step | None:
        return next((s for s in self.steps if s.asset == asset), None)

    def to_dict(self) -> dict[str, Any]:
        return {"asset": self.asset, "t": self.t, "truncated": self.truncated,
                "steps": [asdict(s) for s in self.steps]}  # fmt: skip


class RecordIndex:
    """What the chain needs from the record stream: when each asset entered
    its state, when each source began, when buffers ran dry, which isolations
    stand. Fed incrementally (`sync`), so a live exercise asked again and
    again reads each record once."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.fed = 0
        self.since: dict[str, int] = {}
        self.started: dict[str, int] = {}  # source -> time of its first record
        self.detail: dict[str, str | None] = {}  # source -> detail of that record
        self.empty_at: dict[tuple[str, str], int] = {}
        self.isolations: dict[str, str] = {}  # asset -> source of its standing isolation
        self._state: dict[str, State] = {}
        self._msel = {e.id: e for e in sim.bundle.scenario.injects}

    def sync(self) -> RecordIndex:
        records = self.sim.records
        for r in records[self.fed :]:
            if r.event == EVENT_STATE and r.asset is not None and r.state is not None:
                if self._state.get(r.asset, "up") != r.state:
                    self.since[r.asset] = r.t
                self._state[r.asset] = r.state
            elif r.event in (EVENT_HAZARD, EVENT_INJECT, EVENT_DECISION) and r.cause:
                if r.cause not in self.started:
                    self.started[r.cause] = r.t
                    self.detail[r.cause] = r.detail
                self._isolations(r.event, r.cause, r.detail)
            elif r.event == EVENT_TRIGGER and r.cause:  # its commands' effects: since it fired
                self.started.setdefault(r.cause, r.t)
            elif r.event == EVENT_BUFFER_EMPTY and r.asset is not None and r.detail:
                self.empty_at[(r.asset, r.detail)] = r.t
        self.fed = len(records)
        return self

    def _isolations(self, event: str, cause: str, detail: str | None) -> None:
        entry = self._msel.get(cause[7:]) if cause.startswith("inject:") else None
        if event == EVENT_INJECT and entry is not None:  # a scripted inject: its commands
            commands = [c.model_dump(mode="json") for c in entry.do]
        else:  # a facilitator's inject or a decision: the command itself
            commands = [_json(detail)]
        for command in commands:
            if command.get("action") == "isolate":
                self.isolations[str(command.get("asset"))] = cause
            elif command.get("action") == "reconnect":
                self.isolations.pop(str(command.get("asset")), None)


def _json(detail: str | None) -> dict[str, Any]:
    if not detail or not detail.startswith("{"):
        return {}
    try:
        value = json.loads(detail)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _cause(sim: Simulation, seen: RecordIndex, lang: str, source: str,
           effect: Literal["damage", "isolated"], capacity: float | None,
           lasting: bool) -> Cause:  # fmt: skip
    """Name a source: kind, reference, start time, and what it is (hazard
    type, command action or scripted title) without its parameters."""
    base = source.split("/", 1)[0]  # "hazard:2/cleanup": the flood's clean-up phase
    prefix, _, ref = base.partition(":")
    kind: CauseKind = prefix if prefix in ("hazard", "inject", "decision") else "other"  # type: ignore[assignment]
    hazard = action = title = None
    detail = seen.detail.get(base)
    if kind == "hazard":
        hazard = detail
    elif kind == "inject" and any(e.id == ref for e in sim.bundle.scenario.injects):
        entry = next(e for e in sim.bundle.scenario.injects if e.id == ref)
        title = text(entry.title, lang) or None
    else:
        command = _json(detail)
        action = command.get("action") if isinstance(command.get("action"), str) else None
        if action == "hazard":
            spec = command.get("hazard")
            hazard = spec.get("type") if isinstance(spec, dict) else None
    return Cause(source, kind, ref, seen.started.get(base), effect, capacity, lasting,
                 hazard, action, title)  # fmt: skip


def explain(sim: Simulation, asset: str, lang: str = "en", limit: int = MAX_STEPS,
            index: RecordIndex | None = None) -> Why:  # fmt: skip
    """The chain of causes of `asset`'s state now (scripted injects' titles
    in `lang`). Pass the same `index` on each call to a running simulation to
    read its records once. Raises KeyError for an unknown asset."""
    start = sim.model.index[asset]
    if index is not None and index.sim is not sim:
        raise ValueError("the record index belongs to another simulation")
    seen = (index or RecordIndex(sim)).sync()
    steps: list[Step] = []
    depth = {start: 0}
    parent: dict[int, int | None] = {start: None}
    todo = deque([start])
    truncated = False
    while todo:
        a = todo.popleft()
        if len(steps) >= limit:
            truncated = True
            break
        up = parent[a]
        step, upstream = _step(sim, seen, lang, a, depth[a],
                              None if up is None else sim.model.ids[up])  # fmt: skip
        steps.append(step)
        for p in upstream:
            if p not in depth:
                depth[p], parent[p] = depth[a] + 1, a
                todo.append(p)
    return Why(asset, sim.now, tuple(steps), truncated)


def _step(sim: Simulation, seen: RecordIndex, lang: str, a: int, depth: int,
          parent: str | None) -> tuple[Step, list[int]]:  # fmt: skip
    m, c = sim.model, sim.cascade
    name = m.ids[a]
    schema = sim.bundle.company.assets[a]
    causes = [
        _cause(sim, seen, lang, source, "damage", capacity, lasting)
        for source, (capacity, lasting) in c.damage.get(a, {}).items()
        if source != IDLE_STANDBY
    ]
    cut = [t.value for i, t in enumerate(DEP_TYPES) if c.isolated.get(a, 0) & (1 << i)]
    if cut:
        source = seen.isolations.get(name, "other:isolate")
        causes.append(_cause(sim, seen, lang, source, "isolated", None, False))
    needs: list[NeedInfo] = []
    upstream: list[int] = []
    for position, n in enumerate(m.needs_of(a)):
        info, down = _need(sim, seen, n, need_id(schema.needs[position], position), lang)
        if info is not None:
            needs.append(info)
            upstream.extend(down)
    cap = c.cap[a]
    restart = m.restart.get(a) if c.restarting(a) else None
    step = Step(
        asset=name, kind=m.kinds[a].value, depth=depth, parent=parent, state=c.state(a),
        capacity=round(cap, 6), since=seen.since.get(name), causes=tuple(causes),
        needs=tuple(needs), restart=restart, standby=IDLE_STANDBY in c.damage.get(a, {}),
        workaround=a in c.workarounds, restoring=sim.is_restoring(name),
    )  # fmt: skip
    return step, upstream


def _need(
    sim: Simulation, seen: RecordIndex, n: int, nid: str, lang: str = "en"
) -> tuple[NeedInfo | None, list[int]]:
    """A need short of supply (None if it is fully supplied) and the assets
    that explain it: providers not fully up, a buffer's route or supplier."""
    m, c = sim.model, sim.cascade
    owner = m.need_owner[n]
    supply = c.supply(n)
    effective = c.eff[n]
    if supply >= 1 - EPSILON and effective >= 1 - EPSILON:
        return None, []
    bit = 1 << m.need_type[n]
    isolated = bool(c.isolated.get(owner, 0) & bit)
    providers = list(m.providers(n))
    down = [p for p in providers if c.cap[p] < 1 - EPSILON or c.isolated.get(p, 0) & bit]
    need = sim.bundle.company.assets[owner].needs[n - m.need_start[owner]]
    mode: Mode = "all_of" if need.all_of is not None else "any_of" if need.any_of else "k_of_n"
    k = need.k_of_n.k if need.k_of_n is not None else 1
    buffers: list[BufferInfo] = []
    explain = list(down)
    covered = False
    owner_id = m.ids[owner]
    for b in c.buffers.get(n, []):
        left = int(b.level_at(sim.now))
        via_down = b.via is not None and c.cap[b.via] <= EPSILON
        by_down = b.by is not None and c.cap[b.by] <= EPSILON
        drawn = b.rate < 0 and effective >= 1 - EPSILON
        covered = covered or drawn
        buffers.append(BufferInfo(
            b.spec.id, left, drawn, seen.empty_at.get((owner_id, b.spec.id)),
            m.ids[b.via] if b.via is not None else None, via_down,
            m.ids[b.by] if b.by is not None else None, by_down,
        ))  # fmt: skip
        explain += [x for x, gone in ((b.via, via_down), (b.by, by_down)) if gone and x is not None]
    info = NeedInfo(
        id=nid, type=DEP_TYPES[m.need_type[n]].value, mode=mode, k=k, of=len(providers),
        supply=round(supply, 6), effective=round(effective, 6),
        down=tuple(m.ids[p] for p in down[:MAX_LISTED]), down_total=len(down),
        isolated=isolated, delay=m.need_delay[n], pending=c.impact_pending(n), covered=covered,
        buffers=tuple(buffers), name=need_name(nid, lang),
    )  # fmt: skip
    return info, explain


# --- in words (the command line) -------------------------------------------------------

_WORDS = {
    "en": {
        "up": "up", "degraded": "degraded", "down": "down", "standby": "standby",
        "since": "since", "by": "by", "needs": "needs", "of": "of", "all": "all {n} needed",
        "units": "d h min",
        "any": "any 1 of {n}", "k_of_n": "{k} of {n} needed",
        "from": "from", "missing": "missing", "covered": "covered by buffer",
        "left": "left", "empty": "ran dry at", "via_down": "cannot run: {via} is down",
        "by_down": "no resupply: {by} is down", "pending": "impact after {delay} (not yet)",
        "delay": "after a time to impact of {delay}", "isolated": "cut off (isolated)",
        "restart": "restarting ({restart} after a stop)",
        "standby_idle": "standby not activated", "workaround": "workaround active",
        "restoring": "being restored", "hazard": "hazard", "inject": "inject",
        "decision": "decision", "other": "cause", "damage": "damaged by",
        "isolated_by": "isolated by", "started": "started", "up_now": "{asset} is up.",
        "truncated": "… chain cut after {n} assets", "at": "at",
    },
    "de": {
        "up": "in Betrieb", "degraded": "eingeschränkt", "down": "ausgefallen",
        "standby": "in Bereitschaft", "since": "seit", "by": "durch", "needs": "braucht",
        "of": "von", "all": "alle {n} nötig", "units": "Tg. Std. Min.",
        "any": "1 von {n} genügt", "k_of_n": "{k} von {n} nötig", "from": "aus", "missing": "fehlt",
        "covered": "überbrückt durch Puffer", "left": "Rest", "empty": "leer seit",
        "via_down": "nicht nutzbar: {via} ist ausgefallen",
        "by_down": "kein Nachschub: {by} ist ausgefallen",
        "pending": "wirkt erst nach {delay} (noch nicht)",
        "delay": "nach einer Vorlaufzeit von {delay}", "isolated": "abgetrennt (isoliert)",
        "restart": "Wiederanlauf ({restart} nach Stillstand)",
        "standby_idle": "Bereitschaft nicht aktiviert", "workaround": "Notbetrieb aktiv",
        "restoring": "wird wiederhergestellt", "hazard": "Gefährdung", "inject": "Einlage",
        "decision": "Entscheidung", "other": "Ursache", "damage": "beschädigt durch",
        "isolated_by": "isoliert durch", "started": "begann", "up_now": "{asset} ist in Betrieb.",
        "truncated": "… Kette nach {n} Ressourcen abgeschnitten", "at": "bei",
    },
}


def _dur(seconds: int, lang: str = "en") -> str:
    """A span: "1d 21h 15min", in German "1 Tg. 21 Std. 15 Min." (as the console)."""
    d, rest = divmod(max(0, int(seconds)), 86400)
    h, rest = divmod(rest, 3600)
    mi = rest // 60
    if lang == "de":
        units = _WORDS["de"]["units"].split()
        parts = [f"{v} {u}" for v, u in zip((d, h, mi), units, strict=True) if v]
        return " ".join(parts) or f"{seconds} Sek."
    parts = [f"{d}d" if d else "", f"{h}h" if h else "", f"{mi}min" if mi else ""]
    return " ".join(p for p in parts if p) or f"{seconds}s"


def moment(seconds: int, lang: str = "en") -> str:
    """A simulated moment as the console writes it: "T+1d 03:00", in German
    "T+1 Tg. 03:00" (days, then the hour of that day)."""
    d, rest = divmod(max(0, int(seconds)), 86400)
    day = "" if not d else f"{d} Tg. " if lang == "de" else f"{d}d "
    return f"T+{day}{rest // 3600:02d}:{rest % 3600 // 60:02d}"


def describe(why: Why, names: dict[str, str], lang: str = "en",
             start: datetime | None = None) -> list[str]:  # fmt: skip
    """The chain as indented lines of text; `names` maps asset ids to names.
    With the scenario's `start`, each time also gets its calendar time in the
    scenario's zone ('T+1d 01:00, Sun 29/03 13:00 CEST')."""
    w = _WORDS["de" if lang == "de" else "en"]

    def when(seconds: int) -> str:
        if start is None:
            return moment(seconds, lang)
        return f"{moment(seconds, lang)}, {short(clock_at(start, seconds), lang)}"

    def label(asset: str) -> str:
        return f"{names.get(asset, asset)} ({asset})"

    first = why.steps[0] if why.steps else None
    if first is not None and first.state == "up" and not first.needs and not first.causes:
        return [w["up_now"].format(asset=label(why.asset))]
    lines: list[str] = []
    children: dict[str | None, list[Step]] = {}
    for s in why.steps:
        children.setdefault(s.parent, []).append(s)
    order: list[Step] = []
    todo = list(reversed(children.get(None, [])))
    while todo:  # depth first: each asset right under the one it explains
        s = todo.pop()
        order.append(s)
        todo.extend(reversed(children.get(s.asset, [])))
    for s in order:
        pad = "  " * s.depth
        head = f"{pad}{label(s.asset)}: {w[s.state]} ({round(s.capacity * 100)} %)"
        if s.since is not None and s.state != "up":
            head += f" {w['since']} {when(s.since)}"
        lines.append(head)
        for cause in s.causes:
            lines.append(f"{pad}  ← {_cause_words(cause, w, when, lang)}")
        for need in s.needs:
            lines.append(f"{pad}  {_need_words(need, w, names, when, lang)}")
        restart = w["restart"].format(restart=_dur(s.restart, lang)) if s.restart else ""
        flags = [w["standby_idle"] if s.standby else "", w["workaround"] if s.workaround else "",
                 w["restoring"] if s.restoring else "", restart]  # fmt: skip
        lines += [f"{pad}  · {f}" for f in flags if f]
    if why.truncated:
        lines.append(w["truncated"].format(n=len(why.steps)))
    return lines


def _cause_words(cause: Cause, w: dict[str, str], when: Callable[[int], str],
                 lang: str = "en") -> str:  # fmt: skip
    hazard = hazard_name(cause.hazard, lang) if cause.hazard else None
    what = cause.title or hazard or cause.action or cause.ref
    verb = w["isolated_by"] if cause.effect == "isolated" else w["damage"]
    out = f"{verb} {w[cause.kind]} {cause.ref}: {what}"
    if cause.at is not None:
        out += f" ({w['started']} {when(cause.at)})"
    return out


def _need_words(need: NeedInfo, w: dict[str, str], names: dict[str, str],
                when: Callable[[int], str], lang: str = "en") -> str:  # fmt: skip
    """A need in words: its name and type in `lang`, how many providers it
    needs (not for a single one: "all 1 needed" says nothing), what is missing."""
    group = {"all_of": w["all"], "any_of": w["any"], "k_of_n": w["k_of_n"]}[need.mode].format(
        k=need.k, n=need.of)
    kind = dep_type_name(need.type, lang) + ("" if need.of == 1 else f", {group}")
    down = ", ".join(names.get(p, p) for p in need.down)
    if need.down_total > len(need.down):
        down += f" (+{need.down_total - len(need.down)})"
    out = f"{w['needs']} {need_name(need.id, lang)} [{kind}]: {w['missing']} {down or '–'}"
    if need.isolated:
        out += f"; {w['isolated']}"
    if need.pending:
        out += f"; {w['pending'].format(delay=_dur(need.delay, lang))}"
    elif need.delay and need.effective < 1 - EPSILON:
        out += f"; {w['delay'].format(delay=_dur(need.delay, lang))}"
    for b in need.buffers:
        out += f"; {b.id}: "
        if b.drawn:
            out += f"{w['covered']}, {_dur(b.left, lang)} {w['left']}"
        elif b.empty_at is not None:
            out += f"{w['empty']} {when(b.empty_at)}"
        else:
            out += f"{_dur(b.left, lang)} {w['left']}"
        if b.via_down:
            out += f", {w['via_down'].format(via=names.get(b.via or '', b.via))}"
        if b.resupply_down:
            out += f", {w['by_down'].format(by=names.get(b.resupply_by or '', b.resupply_by))}"
    return out

