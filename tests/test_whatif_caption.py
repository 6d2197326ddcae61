"""The what-if's change in words (simulator/exercise/whatif_caption.py).

The small company of tests/data/whatif starts Mon 16.02.2026 08:00 CET
(MEZ); its catalogue: activate_standby "Activate the standby server" /
„Ersatzserver aktivieren“, restore_server "Restart the server" / „Server neu
starten“. The log below: the script at T+1 h and T+2 h, the standby decided
at T+3 h (entry 4, 11:00 CET), a participant's free-text proposal at T+4 h
(entry 5) accepted at T+4:30 (entry 6, 12:30 CET).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_logs import log
from typer.testing import CliRunner

from simulator.cli.app import app
from simulator.exercise.log import dumps_log, make_header
from simulator.exercise.whatif import Add, Drop, Move, Replace
from simulator.exercise.whatif_caption import caption
from simulator.model.schema import ScenarioBundle
from simulator.readwrite.io import load_bundle

SMALL = Path(__file__).resolve().parent / "data" / "whatif" / "scenario.yaml"
H = 3600
ENTRIES = log((0, "clock", {"action": "start"}), (H, "msel", {"inject": "crash"}),
              (2 * H, "msel", {"inject": "call"}),
              (3 * H, "decision", {"action": "activate_standby"}),
              (4 * H, "proposal", {"text": "Call the  vendor's\nhotline"}),
              (4 * H + 1800, "facilitator", "accept", {"proposal": 5}))  # fmt: skip


@pytest.fixture(scope="module")
def small() -> ScenarioBundle:
    return load_bundle(SMALL)


@pytest.mark.parametrize(("change", "de", "en"), [
    (Drop(4), "Ohne die Entscheidung „Ersatzserver aktivieren“ bei T+03:00 (Mo 16.02. 11:00 MEZ)",
     "Without the decision “Activate the standby server” at T+03:00 (Mon 16/02 11:00 CET)"),
    (Replace(4, "restore_server"),
     "Die Entscheidung „Ersatzserver aktivieren“ bei T+03:00 (Mo 16.02. 11:00 MEZ) ersetzt "
     "durch „Server neu starten“",
     "The decision “Activate the standby server” at T+03:00 (Mon 16/02 11:00 CET) replaced by "
     "“Restart the server”"),
    (Move(4, 6 * H),
     "Die Entscheidung „Ersatzserver aktivieren“ bei T+06:00 (Mo 16.02. 14:00 MEZ) statt bei "
     "T+03:00 (Mo 16.02. 11:00 MEZ)",
     "The decision “Activate the standby server” at T+06:00 (Mon 16/02 14:00 CET) instead of "
     "at T+03:00 (Mon 16/02 11:00 CET)"),
    (Add(26 * H, "restore_server"),  # the next day: T+1d 02:00 = Tue 10:00
     "Zusätzlich „Server neu starten“ bei T+1 Tg. 02:00 (Di 17.02. 10:00 MEZ)",
     "“Restart the server” added at T+1d 02:00 (Tue 17/02 10:00 CET)"),
    # a free-text proposal: its own words, whitespace and newlines folded
    (Drop(5), "Ohne den Vorschlag „Call the vendor's hotline“ bei T+04:00 (Mo 16.02. 12:00 MEZ)",
     "Without the proposal “Call the vendor's hotline” at T+04:00 (Mon 16/02 12:00 CET)"),
    # an answer: named by the proposal it answers, at its own time
    (Drop(6), "Ohne die Annahme des Vorschlags „Call the vendor's hotline“ bei T+04:30 "
              "(Mo 16.02. 12:30 MEZ)",
     "Without the acceptance of the proposal “Call the vendor's hotline” at T+04:30 "
     "(Mon 16/02 12:30 CET)"),
    # not a decision (edit refuses it first): its number is all there is to say
    (Drop(2), "Ohne Eintrag 2 bei T+01:00 (Mo 16.02. 09:00 MEZ)",
     "Without entry 2 at T+01:00 (Mon 16/02 09:00 CET)"),
    (Drop(99), "Ohne Eintrag 99", "Without entry 99"),
])  # fmt: skip
def test_the_caption_names_the_decision_and_its_time(
    small: ScenarioBundle, change: Drop | Replace | Move | Add, de: str, en: str
) -> None:
    assert caption(small, ENTRIES, change, "de") == de
    assert caption(small, ENTRIES, change, "en") == en


def test_a_long_or_hostile_title_is_cut_and_escaped(small: ScenarioBundle) -> None:
    entries = log((3 * H, "decision", {"text": "\x1b[31m" + "x" * 200}))
    got = caption(small, entries, Drop(1), "en")
    assert got.startswith("Without the decision “\\x1b[31mxxx")
    assert "\x1b" not in got and "x" * 80 not in got and "…”" in got


def test_the_cli_prints_the_caption(small: ScenarioBundle, tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(dumps_log(make_header(small, 3), ENTRIES[:4]),
                    encoding="utf-8")  # fmt: skip
    for lang, line in (("de", "Ohne die Entscheidung „Ersatzserver aktivieren“ bei T+03:00"),
                       ("en", "Without the decision “Activate the standby server” at T+03:00")):
        result = CliRunner().invoke(app, ["whatif", str(path), "--drop", "4", "--lang", lang])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[0].startswith(line), result.stdout
