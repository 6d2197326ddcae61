"""German texts of the library's messages (simulator/terms/messages.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.readwrite.io import validate_file
from simulator.terms.messages import GERMAN, translate

BAD = Path(__file__).parent / "data" / "bad"

# Phrases of the English messages; none may be left on a German page.
ENGLISH = (
    "unknown", "did you mean", "missing required", "required field", "Input should",
    "duplicate", "not a duration", "write a", "expected", "exceeds", "is after", "has no",
    "cannot", "must not", "empty file", "save it", "while parsing", "first at", "depends on",
    "not UTF-8", "found a", "horizon", "group has", "dependency cycle", "on line", "No such",
)  # fmt: skip


@pytest.mark.parametrize(
    ("english", "german"),
    [
        (
            "unknown asset 'sever'; did you mean 'server'?",
            "unbekannte Ressource 'sever'; meinten Sie 'server'?",
        ),
        ("unknown field; did you mean 'seed'?", "unbekanntes Feld; meinten Sie 'seed'?"),
        ("missing required field", "Pflichtfeld fehlt"),
        ("Input should be a valid integer", "muss eine ganze Zahl sein"),
        ("Input should be less than or equal to 1", "muss kleiner oder gleich 1 sein"),
        ("Input should be 'a', 'b' or 'c'", "muss 'a', 'b' oder 'c' sein"),
        (
            "k is 3 but the group has only 2 members",
            "k ist 3, aber die Gruppe hat nur 2 Mitglieder",
        ),
        (
            "duplicate inject id 'a' (first at injects[0].id)",
            "doppelte Einlage-ID 'a' (zuerst bei injects[0].id)",
        ),
        ("2d is after the end of the scenario (horizon 1d)",
         "2d liegt nach dem Ende des Szenarios (Horizont 1d)"),
        ("proposal 3 is already rejected", "Vorschlag 3 ist bereits abgelehnt"),
    ],
)  # fmt: skip
def test_german_by_hand(english: str, german: str) -> None:
    assert translate(english, "de") == german
    assert translate(english, "en") == english


def test_quoted_values_are_data_and_stay_as_written() -> None:
    # An id that reads like a message phrase is not translated.
    assert (
        translate("unknown asset 'unknown field'; did you mean \"Input should\"?", "de")
        == "unbekannte Ressource 'unknown field'; meinten Sie \"Input should\"?"
    )


def test_every_template_keeps_its_placeholders() -> None:
    slot = re.compile(r"\{[a-z]\w*\}")
    for english, german in GERMAN.items():
        assert sorted(slot.findall(english)) == sorted(slot.findall(german)), english


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.name)
def test_no_english_left_in_the_bad_files_problems(path: Path) -> None:
    problems = validate_file(path)
    assert problems
    for problem in problems:
        english, german = str(problem), problem.in_language("de")
        assert german != english
        # File and field stay as written: only the message is translated.
        assert german.startswith(english.rsplit(problem.message, 1)[0])
        message = german.removeprefix(english.rsplit(problem.message, 1)[0])
        unquoted = re.sub(r"'[^']*'", "", message)
        assert not [p for p in ENGLISH if p in unquoted], german


@pytest.mark.parametrize(
    "english",
    [
        "the exercise has ended",
        "the exercise log is full (5000 commands)",
        "20 proposals are waiting for the facilitator; wait until some are answered",
        "inject 'm1' has no time to delay",
        "no scheduled inject is pending",
        "the clock cannot go back",
        "'cloud_dr' is not a standby asset",
        "no running hazard 'locker' to detect",
        "give exactly one of action, text, accept, reject",
        "String should have at most 200 characters",
        "Input should be greater than 0",
        "Field required",
        "the body is not valid JSON",
        "the request body is larger than 1 MB",
        "took longer than 20 s to check",
        "cannot read: not a regular file (a device, pipe or socket)",
    ],
)
def test_the_servers_refusals_have_german_texts(english: str) -> None:
    german = translate(english, "de")
    assert german != english
    unquoted = re.sub(r"'[^']*'", "", german)
    assert not [p for p in (*ENGLISH, "the ", " is ", "give", "should") if p in unquoted], german


# Files that PyYAML (libyaml) or json cannot parse, and the German text each
# problem must read as (by hand); found by a German QA pass ("mapping values
# are not allowed in this context" under `tabletop validate --lang de`).
# (An anchor given twice, `&a a: &a b`, is valid YAML 1.2, as Tabletop reads it.)
UNPARSABLE = [
    ("a: 1\nb: c: d\n", "„Schlüssel: Wert“ ist an dieser Stelle nicht erlaubt"),
    ("a: 1\n  b: 2\n", "„Schlüssel: Wert“ ist an dieser Stelle nicht erlaubt"),
    ("a:\n\t- b\n", "ein Zeichen, mit dem hier nichts beginnen darf"),
    ("a: *x\n", "unbekannter Anker"),
    ('a: "\\q"\n', "unbekanntes Escape-Zeichen (beim Lesen eines Texts in Anführungszeichen"),
    ("a: 1\n---\nb: 2\n", "aber ein weiteres Dokument gefunden (erwartet wird nur ein Dokument"),
    ("a: !x!y z\n", "unbekanntes Tag-Kürzel (beim Lesen eines Werts in Zeile 1)"),
    ("a: 1\n...\nb\n", "erwarteter Dokumentbeginn (---) nicht gefunden"),
    ("a: >\n\tb\n", "ein Tabulator, wo ein Leerzeichen zum Einrücken erwartet wird"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "german"), UNPARSABLE)
def test_yaml_parser_messages_in_german(text: str, german: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    (problem,) = validate_file(path)
    said = problem.in_language("de")
    assert german in said, said
    unquoted = re.sub(r"'[^']*'", "", said.split(": ", 2)[-1])
    english = (*ENGLISH, "found", "allowed", "while", "document", "tab ", "alias", "anchor")
    assert not [p for p in english if p in unquoted], said


def test_json_parser_messages_in_german(tmp_path: Path) -> None:
    path = tmp_path / "company.json"
    path.write_text('{"company": {"id": "x\\u12"}}')
    (problem,) = validate_file(path)
    assert problem.in_language("de").endswith("json: ungültiges \\uXXXX-Escape-Zeichen")


def test_validate_in_german_on_the_command_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from simulator.cli.app import app

    path = tmp_path / "scenario.yaml"
    path.write_text("a: 1\nb: c: d\n")
    result = CliRunner().invoke(app, ["validate", str(path), "--lang", "de"])
    assert result.exit_code != 0
    assert "scenario.yaml:2: yaml: „Schlüssel: Wert“ ist an dieser Stelle nicht erlaubt" in (
        result.output)
    assert "mapping values" not in result.output


def test_the_duration_limit_in_german() -> None:
    """A jump of 5000d was refused in English on a German page (QA)."""
    from simulator.terms.messages import translate

    assert translate("Value error, longer than the limit of 3650d (ten years)", "de") == (
        "länger als die Grenze von 3650 Tagen (zehn Jahre)")


@pytest.mark.parametrize(("english", "german"), [
    ("entry 10 is a release entry, not a decision, proposal or answer to one",
     "Eintrag 10 (Einspielung) ist weder Entscheidung noch Vorschlag noch Antwort darauf"),
    ("entry 2 is a msel entry, not a decision or proposal",
     "Eintrag 2 (Drehbuch-Einlage) ist weder Entscheidung noch Vorschlag"),
    ("entry 4 is an observation entry, not a decision or proposal",
     "Eintrag 4 (Beobachtung) ist weder Entscheidung noch Vorschlag"),
    ("entry 5 is an accept entry, not a decision or proposal (its proposal is entry 3)",
     "Eintrag 5 (Zustimmung) ist weder Entscheidung noch Vorschlag (ihr Vorschlag ist Eintrag 3)"),
])  # fmt: skip
def test_a_what_if_refusal_names_the_entry_kind_in_german(english: str, german: str) -> None:
    """QA 5: "Eintrag 10 (Art release)" showed the log's raw kind."""
    assert translate(english, "de") == german
