"""What each audience of an exercise may see, defined once.

Facilitators and observers (evaluators, who may know the script) see
everything. Players see what happens to their company and what is said to
them — never the script ahead, the facilitator's handling of it (skips,
delays), observations, or the parameters of a hazard (a ransomware's dwell
time and spread, a flood's hydrograph): an ad hoc hazard reaches them by the
title and message the facilitator gives it, and its observable effects.
The live stream, the log download and every page use these functions.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Container, Mapping, Sequence
from typing import Any

from simulator.engine.records import EVENT_INJECT, Record
from simulator.exercise.log import LogHeader
from simulator.model.schema import NotifyAction, ScenarioBundle, text

FULL = "full"
PLAYER = "player"
AUDIENCES = (FULL, PLAYER)

HIDDEN_KINDS = frozenset({"skip", "delay", "observation", "person", "plan"})
"""Log entries players never see (the evaluation and the exercise's staffing
are the facilitator's and observers')."""

HIDDEN_EVENTS = frozenset({"compromised", "trigger", "hazard"})
"""Engine records only the attacker knows of: a ransomware's silent spread
(its effect, encryption, is seen; detection is announced by `detected`); and
the script's own: a trigger firing (what it releases is seen), and a hazard
starting ("ransomware", "flood"): players meet a hazard by its effects and
by what control tells them (an inject's title and message), as in a real
incident, where nobody announces the attack when it begins."""

LANGS = ("de", "en")


def audience_of(role: str, team: str | None = None) -> str:
    """Participants are players — of their team, if they have one ("player:<team>");
    facilitators and observers see everything."""
    if role != "participant":
        return FULL
    return PLAYER if team is None else f"{PLAYER}:{team}"


def team_of(audience: str) -> str | None:
    """The team a player audience is of (None: everyone's, or the full view)."""
    return audience.partition(":")[2] or None


def addressed_elsewhere(audience: str, teams: Sequence[str] | None) -> bool:
    """Whether an inject addressed to `teams` (None: everyone) is kept from
    `audience`: a player sees what is addressed to everyone or their team."""
    return audience != FULL and teams is not None and team_of(audience) not in teams


def shows_record(audience: str, record: Record,
                 addressed: Mapping[str, Sequence[str]] | None = None) -> bool:  # fmt: skip
    """Whether `audience` sees a record; `addressed`: the injects (by cause)
    addressed to some teams only — their message is for those teams."""
    if audience == FULL:
        return True
    if record.event == EVENT_INJECT and addressed and record.cause in addressed:
        return not addressed_elsewhere(audience, addressed[record.cause or ""])
    return record.event not in HIDDEN_EVENTS


def record_view(
    audience: str,
    record: Mapping[str, Any],
    numbering: Numbering | None = None,
    own: Container[str] = (),
) -> dict[str, Any]:
    """A shown record (as a dict) for `audience`. Players see what a trigger
    or a hazard did, never which one (a trigger's or hazard's id — the
    facilitator's own name for an ad hoc one — would tell the script's
    intent), and of an inject's record not the command it carried (an ad
    hoc hazard's parameters): what they are told is in the feed. A record
    caused by a log entry ("decision:<seq>", an ad hoc inject's
    "inject:<seq>", `own`) names it by the player's `numbering`, or only by
    its kind if they do not see it: the log's seq would count hidden entries.
    (The record's own `seq` is renumbered by the caller, who counts them.)"""
    out = dict(record)
    if audience == FULL:
        return out
    cause = out.get("cause") or ""
    for named in ("trigger", "hazard"):
        if cause.startswith(f"{named}:"):
            out["cause"] = named
    kind, _, ref = cause.partition(":")
    if kind == "decision" or cause in own:
        number = numbering.number_of(int(ref)) if numbering and ref.isdigit() else None
        out["cause"] = kind if number is None else f"{kind}:{number}"
    elif kind == "inject" and ref:  # a scripted inject: by its reference, if theirs to see
        bundle = numbering.bundle if numbering else None
        hidden = bundle is None or addressed_elsewhere(audience, scripted_teams(bundle, ref))
        out["cause"] = None if hidden else f"inject:{script_ref(bundle, ref)}"
    detail = out.get("detail") or ""
    if out.get("event") == EVENT_INJECT and not detail.startswith(MESSAGE_DETAIL):
        out["detail"] = None  # a message they read anyway; anything else: not its command
    return out


MESSAGE_DETAIL = '{"action": "message"'
"""How the engine's record of a message command begins (its keys sorted)."""


def header_view(audience: str, header: LogHeader) -> LogHeader:
    """A log's header as `audience` may see it: players get no bundle (the
    script and hazard parameters), seed (it replays what is ahead) or
    checkpoint."""
    if audience == FULL:
        return header
    return header.model_copy(update=dict.fromkeys(
        ("bundle", "seed", "bundle_hash", "checkpoint")))  # fmt: skip


def entry_view(
    audience: str, entry: Mapping[str, Any], bundle: ScenarioBundle
) -> dict[str, Any] | None:
    """A log or feed entry ({seq, kind, payload, ...}) as `audience` may see
    it, or None when it must not see it at all."""
    if audience == FULL:
        return dict(entry)
    kind, payload = entry["kind"], entry["payload"]
    if kind in HIDDEN_KINDS:
        return None
    if kind == "inject" and addressed_elsewhere(audience, payload.get("teams")):
        return None
    if kind == "trigger":  # the facilitator's hand on the script: only a release is said
        if payload.get("action") != "release":
            return None
        return {**entry, "payload": suggested_texts(bundle, payload["trigger"])}
    if kind in ("release", "msel"):
        if addressed_elsewhere(audience, scripted_teams(bundle, payload["inject"])):
            return None
        return {**entry, "payload": _released(bundle, payload["inject"])}
    if kind == "inject":
        return {**entry, "payload": _announced(payload)}
    return dict(entry)


class Numbering:
    """An audience's numbers for the log entries it sees. The log's seq
    counts every entry, the hidden ones too (observations, skips, another
    team's injects): a player who saw 4 and then 7 would know that two
    entries were kept from them, and when. So a player audience numbers the
    entries it sees 1, 2, 3 … in log order, without gaps, and pages and
    answers in these numbers; the full view keeps the log's seq.

    Entries are taken in log order (`take`, each once); what an audience
    sees of an entry never changes, so the numbers never do."""

    def __init__(self, audience: str, bundle: ScenarioBundle) -> None:
        self.audience, self.bundle = audience, bundle
        self.taken = 0  # log entries taken (the seq of the last one)
        self.seqs: list[int] = []  # a player's number n is the log's seq seqs[n - 1]
        self.numbers: dict[int, int] = {}  # the log's seq -> a player's number

    def take(self, entry: Mapping[str, Any]) -> None:
        """The next log entry ({seq, kind, payload, ...}): numbered if shown."""
        if entry["seq"] != self.taken + 1:
            raise ValueError(f"entry {entry['seq']} taken after {self.taken}")
        self.taken = entry["seq"]
        if self.audience != FULL and entry_view(self.audience, entry, self.bundle) is not None:
            self.seqs.append(self.taken)
            self.numbers[self.taken] = len(self.seqs)

    def pass_over(self, seq: int) -> None:
        """Entries up to `seq` that cannot be read (a damaged log): taken, not shown."""
        self.taken = max(self.taken, seq)

    def count(self, upto: int | None = None) -> int:
        """How many of the entries taken (of those up to seq `upto`) are shown."""
        upto = self.taken if upto is None else min(upto, self.taken)
        return upto if self.audience == FULL else bisect_right(self.seqs, upto)

    def seq_of(self, number: int) -> int:
        """The log's seq of a shown entry's number (1 … count())."""
        return number if self.audience == FULL else self.seqs[number - 1]

    def number_of(self, seq: int) -> int | None:
        """The number of the entry with the log's seq, None if not shown (or not taken)."""
        if self.audience == FULL:
            return seq if 1 <= seq <= self.taken else None
        return self.numbers.get(seq)

    def view(self, entry: Mapping[str, Any]) -> dict[str, Any] | None:
        """A taken entry as the audience sees it, by its number; an answer
        (accept, reject) names its proposal by the same numbers."""
        out = entry_view(self.audience, entry, self.bundle)
        if out is None or self.audience == FULL:
            return out
        number = self.numbers.get(entry["seq"])
        if number is None:
            raise ValueError(f"entry {entry['seq']} is not taken")
        out["seq"] = number
        if entry["kind"] in ("accept", "reject"):
            payload = dict(out["payload"])
            proposal = self.numbers.get(payload.get("proposal", 0))
            if proposal is None:
                payload.pop("proposal", None)
            else:
                payload["proposal"] = proposal
            out["payload"] = payload
        return out


def _released(bundle: ScenarioBundle, inject_id: str) -> dict[str, Any]:
    """A released scripted inject with its title and message in both
    languages: the players' page has no copy of the script. It is named by
    its `script_ref`, not its id."""
    return {"inject": script_ref(bundle, inject_id), **script_texts(bundle, inject_id)}


_SCRIPT_KEYS: dict[int, tuple[object, bytes]] = {}


def script_ref(bundle: ScenarioBundle | None, inject_id: str) -> str:
    """How players name a scripted inject: a digest of its id keyed by the
    whole script. The script's own ids (p01, p03, p04 …) would show players
    the gaps left by injects addressed to others, and how many are still to
    come; a digest shows nothing of the order, and only who has the script
    (ids, titles and messages of every inject) could compute it. The same
    inject has the same reference in the feed and in the engine's records,
    so the console shows it once."""
    if bundle is None:
        return "x"
    injects = bundle.scenario.injects
    cached = _SCRIPT_KEYS.get(id(injects))
    if cached is None or cached[0] is not injects:
        script = hashlib.sha256()
        for e in injects:
            script.update(repr((e.id, e.title, e.message, e.teams)).encode())
        if len(_SCRIPT_KEYS) > 256:  # the bundles of a few exercises at a time
            _SCRIPT_KEYS.clear()
        cached = _SCRIPT_KEYS[id(injects)] = (injects, script.digest())
    digest = hashlib.blake2s(inject_id.encode(), key=cached[1], digest_size=6)
    return f"s{digest.hexdigest()}"


def scripted_teams(bundle: ScenarioBundle, inject_id: str) -> list[str] | None:
    """The teams a scripted inject is addressed to (None: every player)."""
    found = next((e for e in bundle.scenario.injects if e.id == inject_id), None)
    return None if found is None or found.teams is None else list(found.teams)


def script_texts(bundle: ScenarioBundle, inject_id: str) -> dict[str, dict[str, str]]:
    """Title and message of a scripted inject in both languages ({} if there is
    no such inject); the stream's record of a played one carries them too."""
    found = next((e for e in bundle.scenario.injects if e.id == inject_id), None)
    if found is None:
        return {}
    return {
        name: {lang: text(value, lang) for lang in LANGS}
        for name, value in (("title", found.title), ("message", found.message))
    }


def suggested_texts(bundle: ScenarioBundle, trigger_id: str) -> dict[str, Any]:
    """Title and message (both languages) of the inject a notify trigger
    suggested, as players get it once released (nothing else of the trigger)."""
    found = next((t for t in bundle.scenario.triggers if t.id == trigger_id), None)
    for do in found.do if found is not None else ():
        if isinstance(do, NotifyAction):
            out: dict[str, Any] = {"title": {lang: text(do.notify.title, lang) for lang in LANGS}}
            if do.notify.message is not None:
                out["message"] = {lang: text(do.notify.message, lang) for lang in LANGS}
            return out
    return {}


def _announced(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An ad hoc inject as players learn of it: a message as written; a
    hazard or command only by the title and message the facilitator gave."""
    out = {key: payload[key] for key in ("title", "message") if payload.get(key) is not None}
    if "hazard" in payload or "command" in payload:
        out["event"] = True  # something happened; what it was is for them to find out
    return out
