"""The value of each decision of a finished exercise, measured with forks.

A decision's value is the difference it made: the log as played against the
same log without it (its counterfactual), on the exercise's seed, to the
horizon. Where the action could have been taken earlier — every catalogue
action is open from the start — it is also played at the first inject
instead, the earliest moment the players knew something was wrong.

Figures (all processes together, see whatif.Totals):
- `avoided_eur`: impact without the decision − impact with it (> 0: it paid);
- `avoided_breach_h`: hours below the MBCO beyond the RTO, summed over the
  processes and their outages, without − with;
- `avoided_rto_breaches`, `avoided_mtpd_breaches`: processes that breach
  their RTO / MTPD without it but not with it, net;
- `earlier_gain_eur`: impact as played − impact had it come at the first
  inject (> 0: earlier would have been better).

Each play costs one replay of the log (tens of milliseconds on the dairy), so
all variants are simply replayed; SimPy's generators cannot be copied to
fork a common prefix (copy.deepcopy fails on them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.analysis.metrics import SECONDS_PER_HOUR
from simulator.exercise.log import AnswerEntry, DecisionEntry, LogEntry
from simulator.exercise.moment import hours
from simulator.exercise.whatif import (
    Add,
    Comparison,
    Drop,
    Edit,
    Move,
    Played,
    compare_played,
    edit_all,
    play,
)
from simulator.model.schema import ScenarioBundle, text

INJECT_KINDS = frozenset({"inject", "release", "msel"})
LANGS = ("en", "de")


@dataclass(frozen=True)
class DecisionValue:
    """One decision: what it changed (`without`: as played → without it) and
    what taking it at the first inject would have changed (`earlier`)."""

    seq: int  # the decision, or the proposal that was accepted
    effect_seq: int  # the entry it took effect with (the decision or the accept)
    sim_time: int  # when it took effect
    action: str
    actor: str
    without: Comparison
    earlier: Comparison | None
    earlier_at: int | None
    sentence: dict[str, str]  # "en", "de"

    @property
    def avoided_eur(self) -> float:
        return self.without.diff.impact_eur

    @property
    def avoided_breach_h(self) -> float:
        return self.without.diff.breach_h

    @property
    def avoided_rto_breaches(self) -> int:
        return self.without.diff.rto_breaches

    @property
    def avoided_mtpd_breaches(self) -> int:
        return self.without.diff.mtpd_breaches

    @property
    def kept_within_mtpd(self) -> tuple[str, ...]:
        """Processes past their MTPD without the decision, within it with it."""
        return tuple(p.id for p in self.without.processes if p.diff.mtpd_breaches > 0)

    @property
    def pushed_past_mtpd(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.without.processes if p.diff.mtpd_breaches < 0)

    @property
    def kept_within_rto(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.without.processes if p.diff.rto_breaches > 0)

    @property
    def earlier_gain_eur(self) -> float | None:
        return None if self.earlier is None else 0.0 - self.earlier.diff.impact_eur + 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "effect_seq": self.effect_seq, "sim_time": self.sim_time,
            "t_h": round(self.sim_time / SECONDS_PER_HOUR, 4), "action": self.action,
            "actor": self.actor, "avoided_eur": self.avoided_eur,
            "avoided_breach_h": self.avoided_breach_h,
            "avoided_rto_breaches": self.avoided_rto_breaches,
            "avoided_mtpd_breaches": self.avoided_mtpd_breaches,
            "kept_within_rto": list(self.kept_within_rto),
            "kept_within_mtpd": list(self.kept_within_mtpd),
            "pushed_past_mtpd": list(self.pushed_past_mtpd),
            "earlier_at": self.earlier_at, "earlier_gain_eur": self.earlier_gain_eur,
            "sentence": dict(self.sentence),
            "without": self.without.to_dict(),
            "earlier": None if self.earlier is None else self.earlier.to_dict(),
        }  # fmt: skip


@dataclass(frozen=True)
class DecisionValues:
    seed: int
    horizon: int
    first_inject_at: int | None
    decisions: tuple[DecisionValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "horizon_h": round(self.horizon / SECONDS_PER_HOUR, 4),
                "first_inject_at": self.first_inject_at,
                "decisions": [d.to_dict() for d in self.decisions]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Taken:
    seq: int
    effect: LogEntry
    action: str
    actor: str
    proposal: bool


def _taken(bundle: ScenarioBundle, entries: Sequence[LogEntry]) -> list[_Taken]:
    """Decisions with a catalogue action, and accepted proposals, in log order."""
    actions = {a.id for a in bundle.scenario.actions}
    proposals = {e.seq: e for e in entries if isinstance(e, DecisionEntry) and e.kind == "proposal"}
    out = []
    for e in entries:
        if isinstance(e, DecisionEntry) and e.kind == "decision":
            if e.payload.action in actions:
                out.append(_Taken(e.seq, e, e.payload.action, e.actor, False))
        elif isinstance(e, AnswerEntry) and e.kind == "accept":
            p = proposals.get(e.payload.proposal)
            if p is not None and p.payload.action in actions:
                out.append(_Taken(p.seq, e, p.payload.action, p.actor, True))
    return sorted(out, key=lambda d: (d.effect.sim_time, d.seq))


def first_inject(entries: Sequence[LogEntry]) -> int | None:
    """When the first inject reached the players (a facilitator's or the script's)."""
    return next((e.sim_time for e in entries if e.kind in INJECT_KINDS), None)


def decision_values(bundle: ScenarioBundle, seed: int, entries: Sequence[LogEntry]
                    ) -> DecisionValues:  # fmt: skip
    """The value of every decision of the log (see the module's docstring)."""
    played = play(bundle, seed, entries)
    first = first_inject(entries)
    out = []
    for d in _taken(bundle, entries):
        without = compare_played(seed, played, _variant(bundle, seed, entries, [Drop(d.seq)]))
        earlier = None
        at = first if first is not None and first < d.effect.sim_time else None
        if at is not None:
            change: list[Edit] = ([Drop(d.seq), Add(at, d.action, d.actor)] if d.proposal
                                  else [Move(d.seq, at)])  # fmt: skip
            earlier = compare_played(seed, played, _variant(bundle, seed, entries, change))
        partial = DecisionValue(d.seq, d.effect.seq, d.effect.sim_time, d.action, d.actor,
                                without, earlier, at, {})  # fmt: skip
        sentence = {lang: describe(bundle, partial, lang) for lang in LANGS}
        out.append(DecisionValue(d.seq, d.effect.seq, d.effect.sim_time, d.action, d.actor,
                                 without, earlier, at, sentence))  # fmt: skip
    return DecisionValues(seed, played.horizon, first, tuple(out))


def _variant(bundle: ScenarioBundle, seed: int, entries: Sequence[LogEntry],
             changes: list[Edit]) -> Played:  # fmt: skip
    return play(bundle, seed, edit_all(bundle, entries, changes))


# --------------------------------------------------------------------------- sentences

_WORDS = {
    "en": {"at": "at", "impact": "of impact", "added_impact": "of impact",
           "no_impact": "did not change the impact", "avoided": "avoided", "added": "added",
           "rto": "beyond the RTO", "and": "and", "but": "but",
           "kept": "kept {names} within {its} MTPD", "pushed": "it pushed {names} past {its} MTPD",
           "its": "its", "their": "their",
           "earlier": "Taken at the first inject ({when}) it would have",
           "earlier_gain": "avoided a further {money}",
           "earlier_loss": "added {money} of impact", "earlier_none": "made no difference"},
    "de": {"at": "bei", "impact": "Schaden", "added_impact": "zusätzlichen Schaden",
           "no_impact": "änderte den Schaden nicht", "avoided": "vermied",
           "added": "verursachte", "rto": "über der WAZ", "and": "und", "but": "aber",
           "kept": "hielt {names} innerhalb der MTA", "pushed": "sie brachte {names} über die MTA",
           "its": "", "their": "",
           "earlier": "Bei der ersten Einlage ({when}) getroffen, hätte sie",
           "earlier_gain": "weitere {money} vermieden",
           "earlier_loss": "{money} mehr Schaden verursacht", "earlier_none": "nichts geändert"},
}  # fmt: skip


def describe(bundle: ScenarioBundle, value: DecisionValue, lang: str = "en") -> str:
    """One sentence on what the decision did, e.g. “Activate the cloud DR
    site” at T+101 h avoided 1.2 M EUR of impact and kept Order entry within
    its MTPD."""
    w = _WORDS.get(lang, _WORDS["en"])
    action = next(a for a in bundle.scenario.actions if a.id == value.action)
    title = text(action.title, lang) or value.action
    quoted = f"„{title}“" if lang == "de" else f"“{title}”"
    eur, hours = value.avoided_eur, value.avoided_breach_h
    if abs(eur) < 1:
        clause = w["no_impact"]
    else:
        verb, noun = (w["avoided"], w["impact"]) if eur > 0 else (w["added"], w["added_impact"])
        clause = f"{verb} {_money(abs(eur), lang)} {noun}"
    if abs(hours) >= 0.05:
        beyond = f"{_hours(abs(hours), lang)} {w['rto']}"
        if abs(eur) >= 1 and (hours > 0) == (eur > 0):
            clause += f" {w['and']} {beyond}"
        else:
            comma = "," if lang == "de" else ""
            verb = w["avoided"] if hours > 0 else w["added"]
            clause += f"{comma} {w['but']} {verb} {beyond}"
    out = f"{quoted} {w['at']} {_when(value.sim_time, lang)} {clause}"
    names = _names(bundle, value.kept_within_mtpd, lang)
    if names:
        its = w["its"] if len(value.kept_within_mtpd) == 1 else w["their"]
        comma = "," if lang == "en" else ""
        out += f"{comma} {w['and']} " + w["kept"].format(names=names, its=its).replace("  ", " ")
    pushed = _names(bundle, value.pushed_past_mtpd, lang)
    if pushed:
        its = w["its"] if len(value.pushed_past_mtpd) == 1 else w["their"]
        out += "; " + w["pushed"].format(names=pushed, its=its).replace("  ", " ")
    out += "."
    if value.earlier is not None and value.earlier_at is not None:
        gain = value.earlier_gain_eur or 0.0
        key = "earlier_none" if abs(gain) < 1 else "earlier_gain" if gain > 0 else "earlier_loss"
        tail = w[key].format(money=_money(abs(gain), lang))
        out += f" {w['earlier'].format(when=_when(value.earlier_at, lang))} {tail}."
    return out


def _names(bundle: ScenarioBundle, ids: Sequence[str], lang: str) -> str:
    names = {a.id: text(a.name, lang) or a.id for a in bundle.company.assets}
    shown = [names.get(i, i) for i in ids]
    if len(shown) <= 1:
        return "".join(shown)
    # Names may contain "and" themselves ("Cold storage and dispatch"): the
    # last one is joined so that the list still reads unambiguously.
    last = ", and" if lang == "en" else " sowie"
    return f"{', '.join(shown[:-1])}{last} {shown[-1]}"


def figure(value: float, digits: int, lang: str) -> str:
    """1,234.5 in English, 1.234,5 in German (as simulator.analysis.report prints)."""
    out = f"{value:,.{digits}f}"
    return out.translate(str.maketrans(",.", ".,")) if lang == "de" else out


def _money(eur: float, lang: str) -> str:
    if eur >= 1e6:
        return f"{figure(eur / 1e6, 1, lang)} {'Mio.' if lang == 'de' else 'M'} EUR"
    if eur >= 1e4:
        return f"{figure(eur / 1e3, 0, lang)} {'Tsd.' if lang == 'de' else 'k'} EUR"
    return f"{figure(eur, 0, lang)} EUR"


def _hours(h: float, lang: str) -> str:
    digits = 0 if h >= 10 else 1
    return f"{figure(h, digits, lang)} {'Std.' if lang == 'de' else 'h'}"


def _when(t: int, lang: str) -> str:
    """T+4 d 5 h / T+4 Tg. 5 Std., T+35 min (whole minutes, as the replay says)."""
    return f"T+{hours(t, lang)}"
