"""Write exercise-log.jsonl: the command log of a scripted ransomware exercise.

    .venv/bin/python notebooks/data/make_log.py [OUT]   # default: next to this script

The file is what the live server's GET /api/exercises/{id}/log returns to a
facilitator (simulator/exercise/log.py): a header line (format, engine, seed,
the scenario bundle and its hash, a checkpoint), then one entry per accepted
command {"seq", "sim_time", "wall_time", "actor", "kind", "payload"}.

The script plays the facilitator, the players and the server's pacer on the
exercise object the server drives (`simulator.exercise.session.Exercise`):
scheduled injects are released when they fall due (kind "msel", actor
"system", unless the facilitator skipped them), the scripted injects and
decisions are applied at their simulated times, each checked before it is
logged. Wall times follow the exercise
clock (48x, later 96x; a jump moves simulated time only) from a fixed morning,
so the file is the same on every run; tests/test_notebooks.py checks that.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simulator.exercise.log import ClockEntry, dumps_log, make_header
from simulator.exercise.session import Exercise
from simulator.readwrite.io import load_bundle
from simulator.terms.durations import parse_duration

HERE = Path(__file__).resolve().parent
SCENARIO = "dairy/ransomware.yaml"  # relative to scenarios/, as the server names it
SEED = 4711  # the exercise's seed, chosen when it was created
EXERCISE = "3f9a1c07b2e4"
WALL_START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def t(text: str) -> int:
    return parse_duration(text)


# (simulated time, role, kind, payload); "accept" names the proposal by the
# index of its line in this list, turned into its log seq when written.
SCRIPT: list[tuple[int, str, str, dict[str, Any]]] = [
    (0, "facilitator", "clock", {"action": "start"}),
    (t("2d"), "facilitator", "skip", {"inject": "r03"}),
    (t("2d"), "facilitator", "clock", {"action": "speed", "speed": 96}),
    (t("3d13h"), "participant", "decision",
     {"text": "Ask the IT provider to look into the outbound traffic."}),
    (t("4d1h30min"), "participant", "decision", {"action": "isolate_ot"}),
    (t("4d2h"), "participant", "decision", {"action": "external_ir"}),
    (t("4d4h"), "participant", "decision", {"action": "manual_orders"}),
    (t("4d5h"), "participant", "proposal", {"action": "activate_dr"}),
    (t("4d5h30min"), "facilitator", "accept", {"proposal": 7}),
    (t("4d10h"), "facilitator", "inject",
     {"message": "A journalist calls the switchboard and asks about empty shelves."}),
    (t("4d13h"), "participant", "decision", {"action": "manual_dispatch"}),
    (t("4d14h"), "participant", "decision", {"action": "paper_release"}),
    (t("4d15h"), "facilitator", "inject",
     {"hazard": {"type": "outage", "assets": ["telephony"], "duration": "8h"},
      "id": "switchboard"}),
    (t("4d20h"), "participant", "decision", {"action": "manual_production"}),
    (t("5d"), "facilitator", "observation",
     {"text": "External responders were called two hours after the ransom note."}),
    (t("5d6h"), "facilitator", "clock", {"action": "jump", "to": t("7d")}),
    (t("7d"), "facilitator", "clock", {"action": "pause"}),
    # The evaluation after play (issue 11): the people who took part, the
    # observer's ratings on the objectives and the improvement plan. Logged
    # after the pause, so the entries above keep their seqs.
    (t("7d"), "facilitator", "person", {"id": "p-ks01", "name": "Jens Hoffmann",
     "function": "Leiter Krisenstab", "team": "Krisenstab", "role": "participant"}),
    (t("7d"), "facilitator", "person", {"id": "p-it01", "name": "Aylin Demir",
     "function": "IT-Leitung", "team": "IT", "role": "participant"}),
    (t("7d"), "facilitator", "person", {"id": "p-ob01", "name": "Dr. Karin Weber",
     "function": "Übungsbeobachterin", "team": "Auswertung", "role": "observer"}),
    (t("7d"), "p-ob01", "observation",
     {"text": "Der Krisenstab hat die Auftragserfassung früh auf Papier umgestellt.",
      "objective": "orders_rto", "tag": "strength", "rating": "S"}),
    (t("7d"), "p-ob01", "observation",
     {"text": "Der Wiederanlauf aus dem Ausweichrechenzentrum wurde erst nach "
              "Rückfrage der Übungsleitung beantragt.",
      "objective": "dispatch_mtpd", "tag": "improvement", "rating": "M"}),
    (t("7d"), "p-ob01", "observation",
     {"text": "Die Milchannahme lief im Notbetrieb weiter; die Sammeltouren wurden "
              "ohne Verzug umgeplant.", "objective": "milk_mtpd", "tag": "strength",
      "rating": "P"}),
    (t("7d"), "facilitator", "plan",
     {"item": "M1", "issue": "Wiederanlauf aus dem Ausweichrechenzentrum zu spät beantragt",
      "action": "Alarmierungskette IT-Notfall um die Freigabe des Wiederanlaufs ergänzen",
      "objective": "dispatch_mtpd", "owner": "Aylin Demir (IT-Leitung)",
      "due": "2027-01-31", "status": "open"}),
    (t("7d"), "facilitator", "plan",
     {"item": "M2", "issue": "Externe Incident Responder erst zwei Stunden nach der "
                             "Lösegeldforderung gerufen",
      "action": "Rahmenvertrag mit einem IR-Dienstleister abschließen, Rufnummer im "
                "Notfallhandbuch", "objective": "orders_rto",
      "owner": "Jens Hoffmann (Leiter Krisenstab)", "due": "2027-02-28",
      "status": "in_progress"}),
]  # fmt: skip


class Script:
    """The facilitator, the players and the server's pacer, on the exercise
    object the server drives (simulator.exercise): every command is checked
    by it before it is logged, and scheduled injects are released as they
    fall due."""

    def __init__(self) -> None:
        self.bundle = load_bundle(HERE.parent.parent / "scenarios" / SCENARIO)
        self.exercise = Exercise(self.bundle, SEED)
        self.wall, self.sim_at_wall, self.speed = WALL_START, 0, 48.0

    def wall_time(self, sim_time: int) -> datetime:
        return self.wall + timedelta(seconds=(sim_time - self.sim_at_wall) / self.speed)

    def advance(self, until: int, wall: datetime | None = None) -> None:
        """The pacer: on to `until`, releasing what falls due on the way."""
        ex = self.exercise
        while (due := ex.step(until)) is not None:
            stamp = wall or self.wall_time(ex.now)
            ex.apply(due.model_copy(update={"wall_time": stamp}))

    def log(self, role: str, kind: str, payload: dict[str, Any]) -> int:
        ex = self.exercise
        entry = ex.command(role, kind, payload, self.wall_time(ex.now))
        ex.apply(entry)
        if isinstance(entry, ClockEntry) and entry.payload.speed is not None:
            self.wall, self.sim_at_wall = self.wall_time(ex.now), ex.now
            self.speed = entry.payload.speed
        return entry.seq

    def play(self) -> None:
        seqs: list[int] = []
        for sim_time, role, kind, payload in SCRIPT:
            self.advance(sim_time)
            if kind == "accept":
                payload = {"proposal": seqs[payload["proposal"]]}
            seqs.append(self.log(role, kind, payload))
            if kind == "clock" and payload["action"] == "jump":
                wall = self.wall_time(sim_time)  # the jump takes no wall time
                self.advance(payload["to"], wall)
                self.wall, self.sim_at_wall = wall, payload["to"]

    def text(self) -> str:
        header = make_header(self.bundle, SEED, exercise=EXERCISE, scenario=SCENARIO)
        header = header.model_copy(update={"checkpoint": self.exercise.checkpoint()})
        return dumps_log(header, self.exercise.log)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "exercise-log.jsonl"
    script = Script()
    script.play()
    out.write_text(script.text(), encoding="utf-8")
    print(f"{out}: {len(script.exercise.log)} entries, simulated time "
          f"{script.exercise.now / 3600:g} h")  # fmt: skip


if __name__ == "__main__":
    main()
