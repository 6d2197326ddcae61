"""A what-if's change in words that name the decision, for the caption of
the comparison (replay page, `tabletop whatif`) and its curve's legend.

A manager reading "without entry 12" does not know what entry 12 was; the
caption says what was decided and when: 'Ohne die Entscheidung „Manuelle
Auftragserfassung“ bei T+4 Tg. 04:00 (Di 17.03. 02:00 MEZ)'. The time is written
as the console writes it (simulated, then calendar time in the scenario's
zone). An edit that does not fit the log is refused by `whatif.edit` before
any caption is asked for; here such a seq falls back to its number.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.analysis.report import printable
from simulator.engine.why import moment
from simulator.exercise.log import AnswerEntry, DecisionEntry, LogEntry
from simulator.exercise.whatif import Add, Edit, Move, Replace
from simulator.model.schema import ScenarioBundle, text
from simulator.terms.wallclock import at, short

TITLE_CHARS = 80
"""A free-text decision is cut to this many characters in a caption."""

_WORDS = {
    "de": {
        "drop": "Ohne {what} {title} bei {when}",
        "replace": "{What} {title} bei {when} ersetzt durch {action}",
        "move": "{What} {title} bei {to} statt bei {when}",
        "add": "Zusätzlich {action} bei {to}",
        "decision": "die Entscheidung", "proposal": "den Vorschlag",
        "accept": "die Annahme des Vorschlags", "reject": "die Ablehnung des Vorschlags",
        "entry": "Eintrag {seq}",
    },
    "en": {
        "drop": "Without {what} {title} at {when}",
        "replace": "{What} {title} at {when} replaced by {action}",
        "move": "{What} {title} at {to} instead of at {when}",
        "add": "{action} added at {to}",
        "decision": "the decision", "proposal": "the proposal",
        "accept": "the acceptance of the proposal", "reject": "the rejection of the proposal",
        "entry": "entry {seq}",
    },
}  # fmt: skip


def caption(bundle: ScenarioBundle, entries: Sequence[LogEntry], change: Edit,
            lang: str = "en") -> str:  # fmt: skip
    """The change in words, e.g. 'Without the decision “Request standby
    power” at T+12:40 (Mon 16/02 18:40 CET)'; `entries` is the log as played."""
    w = _WORDS["de" if lang == "de" else "en"]
    if isinstance(change, Add):
        return w["add"].format(action=_action(bundle, change.action, lang),
                               to=_when(bundle, change.at, lang))  # fmt: skip
    seq = change.seq
    entry = next((e for e in entries if e.seq == seq), None)
    what, title = _named(bundle, entries, entry, lang)
    if not title:  # not a decision of this log: only its number is known
        what, title = w["entry"].format(seq=seq), ""
    else:
        what = w[what]
    if entry is None:  # refused by `edit` before a caption is shown; no time to tell
        return " ".join(w["drop"].format(what=what, title="", when="").split()[:-1])
    when = _when(bundle, entry.sim_time, lang)
    values = {"what": what, "What": what[:1].upper() + what[1:], "title": title, "when": when}
    match change:
        case Replace(_, action):
            out = w["replace"].format(action=_action(bundle, action, lang), **values)
        case Move(_, to):
            out = w["move"].format(to=_when(bundle, to, lang), **values)
        case _:
            out = w["drop"].format(**values)
    return " ".join(out.split())  # no double space where an entry has no title


def _named(bundle: ScenarioBundle, entries: Sequence[LogEntry], entry: LogEntry | None,
           lang: str) -> tuple[str, str]:  # fmt: skip
    """What the entry is (decision, proposal, accept, reject) and its title in
    quotes; ("", "") for an entry that is neither."""
    if isinstance(entry, AnswerEntry):
        proposal = next((e for e in entries if e.seq == entry.payload.proposal), None)
        _, title = _named(bundle, entries, proposal, lang)
        return (entry.kind, title) if title else ("", "")
    if not isinstance(entry, DecisionEntry):
        return "", ""
    p = entry.payload
    title = _action(bundle, p.action, lang) if p.action else _quoted(p.text or "", lang)
    return entry.kind, title


def _action(bundle: ScenarioBundle, action: str, lang: str) -> str:
    """A catalogue action's title in quotes (its id if it has none)."""
    found = next((a for a in bundle.scenario.actions if a.id == action), None)
    return _quoted((text(found.title, lang) if found else "") or action, lang)


def _quoted(title: str, lang: str) -> str:
    shown = printable(" ".join(title.split()), TITLE_CHARS)
    return f"„{shown}“" if lang == "de" else f"“{shown}”"


def _when(bundle: ScenarioBundle, t: int, lang: str) -> str:
    """T+ as the console writes it, then the calendar time in the scenario's zone."""
    return f"{moment(t, lang)} ({short(at(bundle.scenario.start, t), lang)})"
