"""What viewers of an exercise are sent: full states and updates, per audience.

A `Publication` keeps the cursor of what was published (records, log
entries, proposals); `message(audience, full)` is a full state or the
changes since the last `sent()`. What an audience may see is decided by
simulator.exercise.audience — here it is only applied. The server adds
its wall-clock fields (clock state, speed) and streams the result.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.records import EVENT_INJECT, Record
from simulator.engine.triggers import describe
from simulator.exercise.audience import (
    FULL,
    Numbering,
    record_view,
    script_texts,
    shows_record,
    team_of,
)
from simulator.exercise.log import LogEntry, TriggerEntry
from simulator.exercise.objectives import LiveObjectives, result_view
from simulator.exercise.readmodels import ReadModels
from simulator.exercise.session import Exercise, Proposal
from simulator.model.schema import NotifyAction, ReleaseAction, Trigger, text

DECIDED_SHOWN = 50  # answered proposals a full state carries (every open one too)


def feed_item(entry: LogEntry) -> dict[str, Any]:
    """A log entry as the console's feed shows it."""
    return {"seq": entry.seq, "t": entry.sim_time, "actor": entry.actor, "kind": entry.kind,
            "payload": entry.payload.model_dump(mode="json", exclude_none=True)}  # fmt: skip


def graph(exercise: Exercise) -> dict[str, Any]:
    """Assets and dependencies for drawing (names in both languages; the
    location, by which the timeline groups)."""
    bundle, m = exercise.bundle, exercise.sim.model
    nodes = [{"id": a.id, "kind": a.kind.value, "location": a.location,
              "name": {lang: text(a.name, lang) or a.id for lang in ("de", "en")}}
             for a in bundle.company.assets]  # fmt: skip
    edges = [[m.ids[m.prov[i]], m.ids[m.need_owner[n]]]
             for n in range(len(m.need_owner))
             for i in range(m.prov_start[n], m.prov_start[n + 1])]  # fmt: skip
    return {"nodes": nodes, "edges": edges, "start": bundle.scenario.start.isoformat()}


def triggers(exercise: Exercise) -> list[dict[str, Any]]:
    """The scenario's triggers for the facilitator: armed or not, the
    condition in words (English, `when`) and as data (`condition`, which the
    console words in the page's language), what it does, since when it holds,
    when each fired (`by_hand`: the facilitator's firings) and why (the last)."""
    own = {t.id: t for t in exercise.bundle.scenario.triggers}
    by_hand: dict[str, set[int]] = {}
    for entry in exercise.log:
        if isinstance(entry, TriggerEntry) and entry.payload.action == "fire":
            by_hand.setdefault(entry.payload.trigger, set()).add(entry.sim_time)
    out = []
    for t in exercise.sim.triggers():
        last = exercise.fired.get(t.id)
        hand = by_hand.get(t.id, set())
        out.append({"id": t.id, "armed": t.armed, "when": describe(t.when),
                    "condition": t.when.model_dump(mode="json", exclude_none=True),
                    "delay": t.delay, "once": t.once, "min_interval": t.min_interval,
                    "does": _does(t.id, own.get(t.id)), "since": t.since,
                    "fired": list(t.fired), "by_hand": [f for f in t.fired if f in hand],
                    "why": last[1] if last else None})  # fmt: skip
    return out


def _does(trigger_id: str, trigger: Trigger | None) -> list[dict[str, Any]]:
    """What a trigger does, by kind: suggest an inject (`notify`), release a
    scripted one, start a hazard, or apply a command (its action)."""
    if trigger is None:  # an inject's or a hazard's own `when`
        kind, _, ref = trigger_id.partition(":")
        return [{"release" if kind == "inject" else "hazard": ref}]
    out: list[dict[str, Any]] = []
    for do in trigger.do:
        if isinstance(do, NotifyAction):  # its title, as the suggestion will say it
            out.append({"notify": {lang: text(do.notify.title, lang) for lang in ("de", "en")}})
        elif isinstance(do, ReleaseAction):
            out.append({"release": do.release})
        else:
            out.append({"command": str(getattr(do, "action", ""))})
    return out


def people(exercise: Exercise, audience: str) -> dict[str, dict[str, Any]]:
    """The named people `audience` may see by name (id -> name, function,
    team, role), so pages show actors as people, not ids: facilitators and
    observers see everyone; a team's players their own team only (the people
    they sit with; who else plays is the exercise's staffing, not theirs);
    anonymous players no one."""
    team = team_of(audience)
    if audience != FULL and team is None:
        return {}
    return {p.id: p.model_dump(mode="json", exclude_none=True, exclude={"id"})
            for p in exercise.people.values() if audience == FULL or p.team == team}  # fmt: skip


class Publication:
    """The stream of one exercise: full states and updates since the last one."""

    def __init__(self, exercise: Exercise, init_feed: int = 200) -> None:
        self.exercise = exercise
        self.models = ReadModels(exercise.bundle)  # board, timeline, impact: incremental
        self.objectives = LiveObjectives(exercise)  # judged on the board, as it goes
        self.init_feed = init_feed  # log entries a full state carries (older ones by page)
        self.records = 0  # records and log entries published so far
        self.entries = 0
        self.intervals = 0  # cursors of the timeline's and the impact curve's changes
        self.impact = 0
        self._fed = 0  # records the read models have taken in
        # Per audience: its numbers of the log entries it sees (players': 1, 2, 3 …),
        # and of its records (scanned so far, shown among them): see audience.Numbering.
        self._numberings: dict[str, Numbering] = {}
        self._record_counts: dict[str, tuple[int, int]] = {}
        self._sent_at = -1  # the exercise's time at the last `sent()`
        # Per audience, the objectives and people it was last sent: a change
        # there is news even when no entry it sees is new (a decision meets an
        # objective; a person joins its team).
        self._told: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]] = {}

    def _sync(self) -> None:
        """Feed the read models the engine's new records (O(new records))."""
        records = self.exercise.sim.records
        if self._fed < len(records):
            self.models.feed(records[self._fed :])
            self._fed = len(records)

    def board(self, lang: str = "en") -> list[dict[str, Any]]:
        """The process board now: each process against its BIA, with countdowns."""
        self._sync()
        return self.models.board.rows(self.exercise.now, lang)

    def objective_states(self, audience: str) -> list[dict[str, Any]]:
        """Each objective's live state (met so far, missed, pending) and its
        evidence: every audience knows its objectives."""
        self._sync()
        ex = self.exercise
        out = [result_view(ex.bundle, r, audience != FULL)
               for r in self.objectives.results(self.models.board)]  # fmt: skip
        if audience == FULL:  # who decided, by name: the console says "by Anna Krause"
            for o in out:
                actor = o["evidence"].get("actor")
                if actor in ex.people:  # a role ("facilitator") is named by the page
                    o["evidence"]["actor_name"] = ex.actor_name(actor)
        return out

    def sent(self) -> None:
        """Everything so far is published."""
        ex = self.exercise
        self._sync()
        self.records, self.entries = len(ex.sim.records), len(ex.log)
        self._sent_at = ex.now
        self.intervals = self.models.timeline.changes(self.intervals, ex.now)[1]
        self.impact = self.models.impact.since(self.impact, ex.now)[1]

    def skip_to_now(self) -> None:
        """Start publishing from here (a rebuilt exercise: viewers get a full state)."""
        self.sent()

    def news_for(self, audience: str) -> bool:
        """Whether the changes since `sent()` show `audience` anything. A
        player's stream gets no update for what only others see (an
        observation, another team's inject, a skip, a plan): an empty update
        at that moment would tell them that something hidden happened. Time
        moving on and new records are news for everyone (the board, the
        timeline and the impact follow them); the full view hears of every
        change."""
        ex = self.exercise
        if audience == FULL or ex.now != self._sent_at or len(ex.sim.records) > self.records:
            return True
        numbering = self.numbering(audience)
        if numbering.count(len(ex.log)) > numbering.count(self.entries) or self.changed_proposals():
            return True
        return self._told.get(audience) != (self.objective_states(audience), people(ex, audience))

    def record(self, r: Record) -> dict[str, Any]:
        """A record for the stream. The engine names a played scripted inject
        by its English title; the record carries both languages, so every
        page shows it in its own (a flood alarm releases one with no entry)."""
        out = r.to_dict()
        cause = r.cause or ""
        scripted = cause.startswith("inject:") and cause not in self.exercise.own_sources
        if r.event == EVENT_INJECT and scripted:
            out.update(script_texts(self.exercise.bundle, cause.removeprefix("inject:")))
        return out

    def message(self, audience: str, full: bool,
                board: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
        """A full state (every record published so far, the newest feed
        entries, open and recent proposals) or the changes since `sent()`, in
        `audience`'s view."""
        ex = self.exercise
        self._sync()
        timeline, impact = self.models.timeline, self.models.impact
        numbering = self.numbering(audience)
        if full:
            first, records = 0, ex.sim.records[: self.records]
            feed, before = self.feed_tail(audience, numbering.count(self.entries), self.init_feed)
            proposals = self.recent_proposals()
        else:
            first, records = self.records, ex.sim.records[self.records :]
            feed = self._view(numbering, ex.log[self.entries :])
            before = None
            proposals = self.changed_proposals()
        message: dict[str, Any] = {
            "type": "init" if full else "update",
            "t": ex.now,
            "horizon": ex.horizon,
            "records": self._records(audience, first, records, numbering),
            "board": self.board() if board is None else board,
            "feed": feed,
            "proposals": [{"seq": numbering.number_of(p.seq), "status": p.status, **p.payload}
                          for p in proposals],  # fmt: skip
            "objectives": self.objective_states(audience),
        }
        told = people(ex, audience)
        if full or any(e.kind == "person" for e in ex.log[self.entries :]):
            message["people"] = told
        if not full:  # what the stream's updates said: a viewer's full state is not one
            self._told[audience] = (message["objectives"], told)
        if full:
            message["feed_before"] = before  # older entries: GET .../feed?before=<its number>
            message["graph"] = graph(ex)
            # every asset's stretches not up, and the impact so far: drawn as sent
            message["intervals"] = [iv.to_dict() for ivs in timeline.intervals(ex.now).values()
                                    for iv in ivs]  # fmt: skip
            message["impact"] = [list(p) for p in impact.points(ex.now)]
        else:  # intervals new or closed (replace by asset and start); impact from `start` on
            message["intervals"] = [iv.to_dict() for iv in timeline.changes(self.intervals,
                                                                            ex.now)[0]]
            message["impact"] = impact.since(self.impact, ex.now)[0].to_dict()
        if audience == FULL:  # the script and its triggers: never for players
            message["msel"] = [vars(m) for m in ex.msel.values()]
            message["triggers"] = triggers(ex)
            message["suggestions"] = [vars(s) for s in ex.suggestions.values()]
        return message

    def changed_proposals(self) -> list[Proposal]:
        """Proposals made or answered by the entries not yet published."""
        ex, seqs = self.exercise, set()
        for entry in ex.log[self.entries :]:
            if entry.kind == "proposal":
                seqs.add(entry.seq)
            elif entry.kind in ("accept", "reject"):
                seqs.add(entry.payload.proposal)
        return [ex.proposals[s] for s in sorted(seqs) if s in ex.proposals]

    def recent_proposals(self) -> list[Proposal]:
        """Every open proposal and the latest DECIDED_SHOWN answered ones."""
        props = self.exercise.proposals.values()
        answered = [p for p in props if p.status != "open"][-DECIDED_SHOWN:]
        keep = {p.seq for p in answered}
        return [p for p in props if p.status == "open" or p.seq in keep]

    def numbering(self, audience: str) -> Numbering:
        """`audience`'s numbers of the log entries, taken up to the log's end."""
        numbering = self._numberings.get(audience)
        if numbering is None:
            numbering = self._numberings[audience] = Numbering(audience, self.exercise.bundle)
        log = self.exercise.log
        for entry in log[numbering.taken :]:
            numbering.take(feed_item(entry))
        return numbering

    def _records(self, audience: str, first: int, records: list[Record],
                 numbering: Numbering) -> list[dict[str, Any]]:  # fmt: skip
        """The records from index `first` on that `audience` sees, in its view.
        A player's are numbered by their position among those it sees: the
        engine's seq would count the hidden ones (an attacker's silent spread,
        a trigger, another team's inject)."""
        ex = self.exercise
        shown = [r for r in records if shows_record(audience, r, ex.addressed)]
        out = [record_view(audience, self.record(r), numbering, ex.own_sources) for r in shown]
        if audience != FULL:
            before = self._shown_records(audience, first)
            for number, r in enumerate(out, before + 1):
                r["seq"] = number
        return out

    def _shown_records(self, audience: str, end: int) -> int:
        """How many of records[:end] `audience` sees (counted on from the last call)."""
        if end == 0:  # a full state counts from the first record
            return 0
        scanned, count = self._record_counts.get(audience, (0, 0))
        if end < scanned:  # not from the stream (its cursor only grows): count afresh
            scanned, count = 0, 0
        records, addressed = self.exercise.sim.records, self.exercise.addressed
        count += sum(shows_record(audience, r, addressed) for r in records[scanned:end])
        self._record_counts[audience] = (end, count)
        return count

    def _view(self, numbering: Numbering, entries: list[LogEntry]) -> list[dict[str, Any]]:
        seen = (numbering.view(feed_item(e)) for e in entries)
        return [e for e in seen if e is not None]

    def feed_tail(self, audience: str, end: int,
                  limit: int) -> tuple[list[dict[str, Any]], int | None]:  # fmt: skip
        """The newest `limit` of the first `end` entries `audience` sees (by its
        numbers: the log's seq for the full view, 1, 2, 3 … for players), and
        the number of the oldest one given when older ones exist (else None)."""
        numbering, log = self.numbering(audience), self.exercise.log
        end = min(max(end, 0), numbering.count())
        start = max(end - limit, 0)
        seen = (numbering.view(feed_item(log[numbering.seq_of(n) - 1]))
                for n in range(start + 1, end + 1))  # entry seq s is log[s - 1]
        out = [e for e in seen if e is not None]
        return out, (out[0]["seq"] if out and start > 0 else None)

    def feed_page(self, audience: str, before: int, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` feed entries older than number `before` (the log's
        seq for the full view, a player's own numbers for players), oldest first."""
        return self.feed_tail(audience, before - 1, limit)[0]
