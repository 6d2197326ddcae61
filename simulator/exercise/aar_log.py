"""The report's appendix: each log entry's kind by name and its content in
one readable line (QA 5: the raw kinds `msel`, `release` and JSON payloads
read as a programmer's dump to a BCM manager).

The line is a summary for reading; the evidence is the log itself, which
the download (GET .../log, `tabletop` log files) keeps in full and whose
SHA-256 the report prints.
"""

from __future__ import annotations

from simulator.exercise.log import (
    AnswerEntry,
    ClockEntry,
    InjectEntry,
    LogEntry,
    ObservationEntry,
    PersonEntry,
    PlanEntry,
    TriggerEntry,
)
from simulator.exercise.moment import describe
from simulator.model.schema import ScenarioBundle, text
from simulator.terms.messages import ENTRY_KINDS

LIMIT = 200  # characters of a line; the log download has the rest

WORDS: dict[str, dict[str, str]] = {
    "en": {"strength": "strength", "improvement": "area for improvement", "rating": "rating",
           "objective": "objective", "participant": "participant", "observer": "observer",
           "team": "team", "to": "to", "open": "open", "in_progress": "in progress", "done": "done",
           "dropped": "dropped", "owner": "owner", "due": "due", "disarm": "disarmed",
           "fire": "fired by hand", "release": "its inject released",
           "dismiss": "its inject dismissed"},
    "de": {"strength": "Stärke", "improvement": "Verbesserungspotenzial", "rating": "Bewertung",
           "objective": "Übungsziel", "participant": "Teilnehmende", "observer": "Beobachtung",
           "team": "Team", "to": "an", "open": "offen", "in_progress": "in Arbeit",
           "done": "erledigt", "dropped": "verworfen", "owner": "verantwortlich", "due": "Termin",
           "disarm": "entschärft", "fire": "von Hand ausgelöst",
           "release": "ihre Einlage eingespielt", "dismiss": "ihre Einlage verworfen"},
}  # fmt: skip


def kind_name(kind: str, lang: str) -> str:
    """An entry's kind in words ("msel" -> "Drehbuch-Einlage"); an unknown one as it is."""
    names = ENTRY_KINDS.get(kind)
    return kind if names is None else names[0 if lang == "de" else 1]


def line(bundle: ScenarioBundle, entry: LogEntry, lang: str,
         log: list[LogEntry] | None = None) -> str:  # fmt: skip
    """What the entry said, in one line of `lang` (cut at LIMIT characters);
    `log` lets an answer name the proposal it answers."""
    w = WORDS["de" if lang == "de" else "en"]
    match entry:
        case ClockEntry():
            said = describe(bundle, entry, lang)[1]
        case ObservationEntry():
            noted = entry.payload
            notes = [w[noted.tag]] if noted.tag else []
            if noted.rating:  # the scale's words stand under section 2
                notes.append(f"{w['rating']} {noted.rating}")
            if noted.objective:
                found = next((o for o in bundle.scenario.objectives if o.id == noted.objective),
                             None)  # fmt: skip
                title = noted.objective if found is None else text(found.title, lang)
                notes.append(f"{w['objective']}: {title}")
            said = noted.text + (f" – {'; '.join(notes)}" if notes else "")
        case PersonEntry():
            person = entry.payload
            said = ", ".join(x for x in (person.name, person.function) if x)
            said += f" – {w[person.role]}" + (f", {w['team']} {person.team}" if person.team else "")
        case PlanEntry():
            item = entry.payload
            said = f"{item.item}: {item.action} ({w[item.status]}"
            said += f", {w['owner']}: {item.owner}" if item.owner else ""
            said += (f", {w['due']}: {item.due.isoformat()}" if item.due else "") + ")"
        case TriggerEntry():
            said = f"{entry.payload.trigger}: {w[entry.payload.action]}"
        case AnswerEntry():  # which proposal it answers, by its number
            what = describe(bundle, entry, lang, log)[1]
            said = f"{kind_name('proposal', lang)} {entry.payload.proposal}: {what}"
        case InjectEntry() if entry.payload.teams:
            teams = ", ".join(entry.payload.teams)
            said = f"{describe(bundle, entry, lang)[1]} ({w['to']} {teams})"
        case _:
            said = describe(bundle, entry, lang, log)[1]
    said = " ".join(said.split())  # one line: a note's line breaks become spaces
    return said if len(said) <= LIMIT else said[: LIMIT - 1] + "…"
