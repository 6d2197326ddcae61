"""A scenario's MSEL (Drehbuch) as a spreadsheet: XLSX or CSV, one inject a row.

Columns follow HSEEP's master scenario events list, with German or English
headers and the aliases real MSELs use (`Nr.`, `Zeit`, `Einlage`, `Adressat`,
`Absender`, `erwartete Handlung`, `Übungsziel`, `Bemerkungen`, …). Headers are
compared without case, accents and punctuation. A localized text (title,
message, sender, expected action, notes) is one column (plain text) or two
marked `(de)` and `(en)`.

Three columns carry what only the simulator needs: `Condition` (`when`, YAML
flow), `Delay` and `Commands` (`do`, a YAML flow list such as `[{action: down,
asset: erp}]`). Importing over a scenario, a row replaces the inject of the
same id column by column: a column the sheet has decides (an empty cell
clears the field), a column it lacks keeps the inject's value. So a plain
HSEEP sheet without a Commands column keeps every inject's `do`.

The rows become the scenario's injects in sheet order (injects missing from
the sheet are dropped), and the scenario goes through the one seam
(`build.bundle_from_data`), every problem at its cell: `msel.xlsx:MSEL!B7:
Scenario time: …`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from simulator.model.schema import Scenario, ScenarioBundle, Text
from simulator.model.validation import Problem, ScenarioError
from simulator.readwrite.build import Source, bundle_from_data
from simulator.readwrite.cells import Cells
from simulator.readwrite.io import yaml_value
from simulator.readwrite.table import MAX_CELL_CHARS, Table, read_table
from simulator.terms.durations import format_duration, parse_duration

MAX_ROWS = 5_000
"""Injects a sheet: real MSELs hold tens to a few hundred."""
MAX_COLUMNS = 100
SHEETS = ("MSEL", "Drehbuch", "Einlagen", "Injects")
"""Sheet names looked for (a workbook of one sheet: that sheet)."""
HEADER_SEARCH = 10
"""Rows searched for the header row: sheets often open with a title block."""
TITLE_CHARS = 80


@dataclass(frozen=True)
class Column:
    key: str  # the MselInject field
    en: str
    de: str
    aliases: tuple[str, ...]
    localized: bool = False


COLUMNS = (
    Column("id", "Event No.", "Nr.", ("event no", "event number", "event", "no", "nr", "number",
           "msel", "msel no", "seq no", "sequence", "inject no", "inject number", "inject id",
           "id", "einlage nr", "einlagen nr", "einlagennummer", "lfd nr", "nummer")),
    Column("at", "Scenario time", "Übungszeit", ("scenario time", "time", "storytime",
           "story time", "designated scenario time", "zeit", "ubungszeit", "szenariozeit",
           "uhrzeit", "zeitpunkt")),
    Column("event_type", "Event type", "Einlageart", ("event type", "inject type", "type",
           "einlageart", "einlagetyp", "art", "typ")),
    Column("controller", "Responsible controller", "Eingespielt von", ("responsible controller",
           "controller", "eingespielt von", "verantwortlich", "steuernde", "steuerung")),
    Column("teams", "Intended player", "Adressat", ("intended player", "intended players",
           "intended player team", "player", "players", "team", "teams", "to", "recipient",
           "recipients", "adressat", "adressaten", "empfanger", "beubte stelle")),
    Column("sender", "Sender", "Absender", ("sender", "from", "originator", "persona",
           "absender"), localized=True),
    Column("method", "Method", "Meldeweg", ("method", "delivery method", "delivery",
           "meldeweg", "kommunikationsmittel", "medium", "kanal")),
    Column("title", "Title", "Titel", ("title", "subject", "heading", "titel", "betreff",
           "uberschrift"), localized=True),
    Column("message", "Message", "Einlagentext", ("message", "description", "description message",
           "event description", "inject description", "event synopsis", "synopsis", "inject",
           "text", "einlage", "einlagentext", "inhalt", "beschreibung", "nachricht"),
           localized=True),
    Column("expected_action", "Expected player action", "Erwartete Handlung", (
           "expected player action", "expected action", "expected response",
           "erwartete handlung", "erwartete reaktion", "erwartete massnahme"), localized=True),
    Column("objective", "Objective", "Übungsziel", ("objective", "exercise objective",
           "capability", "core capability", "ubungsziel", "ziel")),
    Column("notes", "Notes", "Bemerkungen", ("notes", "note", "remarks", "special instructions",
           "comments", "bemerkungen", "bemerkung", "hinweise", "hinweise fur steuernde",
           "anmerkungen"), localized=True),
    Column("when", "Condition", "Bedingung", ("condition", "when", "bedingung")),
    Column("delay", "Delay", "Verzögerung", ("delay", "verzogerung")),
    Column("do", "Commands", "Befehle", ("commands", "do", "effect", "befehle", "wirkung")),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
_ALIASES = {alias: c for c in COLUMNS for alias in (*c.aliases, c.key.replace("_", " "))}
HSEEP = ("id", "at", "event_type", "controller", "teams", "sender", "method", "title",
         "message", "expected_action", "objective", "notes")  # fmt: skip
SIMULATOR = ("when", "delay", "do")  # columns only the simulator needs

EVENT_TYPES = {
    "contextual": ("contextual", "context", "kontext", "lageeinlage", "lage"),
    # "Steuerungseinlage" as earlier German workbooks wrote it (a controller's inject
    # in German exercise language, so the sheets now say what HSEEP means)
    "expected_action": ("expected action", "expected_action", "einlage mit erwarteter handlung",
                        "steuerungseinlage", "handlungseinlage", "steuerung"),
    "contingency": ("contingency", "reserve", "reserveeinlage", "eventualeinlage"),
}  # fmt: skip
_EVENT_TYPE = {_n: key for key, names in EVENT_TYPES.items() for _n in names}
EVENT_TYPE_WORDS = {
    "en": {"contextual": "contextual", "expected_action": "expected action",
           "contingency": "contingency"},
    "de": {"contextual": "Lageeinlage", "expected_action": "Einlage mit erwarteter Handlung",
           "contingency": "Reserveeinlage"},
}  # fmt: skip

_LANG = re.compile(r"^(.*?)\s*[(\[]\s*(de|en|deutsch|german|englisch|english)\s*[)\]]\s*$", re.I)
_BRACKETS = re.compile(r"[(\[].*?[)\]]")
_CLOCK = re.compile(r"^(?:(\d+)\s*d\s*)?(\d+):([0-5]\d)(?::([0-5]\d))?$")


def normal(text: str) -> str:
    """A header or word as compared: no case, accents, brackets or punctuation."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _header(value: Any) -> tuple[Column, str | None] | None:
    """The column (and language, for `Title (de)`) a header names."""
    if not isinstance(value, str) or not value.strip():
        return None
    lang = None
    marked = _LANG.match(value.strip())
    if marked:
        value, lang = marked.group(1), marked.group(2).lower()[:2]
        lang = {"ge": "de"}.get(lang, lang)  # "german"
    column = _ALIASES.get(normal(_BRACKETS.sub(" ", value)))
    if column is None:
        return None
    return column, lang if column.localized else None


# --- scenario time ---------------------------------------------------------------


def scenario_time(value: Any, start: datetime) -> int:
    """Seconds since the start of a cell's scenario time: `T+0:30`, `T+4d1h`,
    `30min`, `1:30` (h:mm since the start), `2d 6:00`, an Excel time or
    duration, or a date and time (read in the scenario's zone). ValueError
    says what to write."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=start.tzinfo)
        seconds = (moment - start).total_seconds()
        if seconds < 0:
            raise ValueError(f"'{value:%Y-%m-%d %H:%M}' is before the scenario start "
                             f"'{start:%Y-%m-%d %H:%M}'")  # fmt: skip
        return round(seconds)
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    text = str(value).strip()
    rest = re.sub(r"^[Tt]\s*\+\s*", "", text)
    clock = _CLOCK.match(rest)
    if clock:
        days, hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return days * 86400 + hours * 3600 + minutes * 60 + seconds
    if rest == "0":
        return 0
    try:
        return parse_duration(rest)
    except ValueError:
        raise ValueError(f"not a scenario time: {text[:60]!r}; write T+0:30, 30min or "
                         "h:mm since the start") from None  # fmt: skip


# --- import ----------------------------------------------------------------------


@dataclass
class Layout:
    """Where each field is in the table: column index per (key, language)."""

    header_row: int
    columns: dict[tuple[str, str | None], int]
    names: dict[int, str]  # column index -> header as written

    def has(self, key: str) -> bool:
        return any(k == key for k, _ in self.columns)


def _layout(table: Table) -> Layout | None:
    """The header row (the first of the first rows naming two known columns)."""
    for number, values in table.rows[:HEADER_SEARCH]:
        found = [(i, _header(v)) for i, v in enumerate(values)]
        known = [(i, h) for i, h in found if h is not None]
        if len(known) < 2:
            continue
        layout = Layout(number, {}, {i: str(v).strip() for i, v in enumerate(values) if v})
        for i, (column, lang) in known:
            if (column.key, lang) in layout.columns:
                first = layout.names[layout.columns[(column.key, lang)]]
                table.problem(number, i, layout.names[i],
                              f"a second {column.en!r} column (first: {first!r})")  # fmt: skip
                continue
            layout.columns[(column.key, lang)] = i
        return layout
    wanted = ", ".join(repr(BY_KEY[k].en) for k in ("id", "at", "title"))
    table.problem(table.rows[0][0] if table.rows else 1, 0, "header",
                  f"no header row with the MSEL's columns (e.g. {wanted})")  # fmt: skip
    return None


def _text(value: Any) -> str | None:
    """A cell's value as text (numbers as written, 3.0 as 3); empty: None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _yaml_cell(text: str) -> Any:
    """A YAML flow value of a cell; anchors and aliases are refused (a few
    lines of them expand to billions of items)."""
    if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.SafeLoader)):
        raise ValueError("anchors and aliases (&, *) are not allowed here")
    return yaml_value(text)


@dataclass
class MselRead:
    """The injects read from a sheet and where each value came from."""

    injects: list[dict[str, Any]]
    cells: Cells
    problems: list[Problem]
    dropped: list[str]  # ids of the scenario's injects the sheet no longer has
    ignored: list[str]  # headers of columns not read


def read_msel(
    file: str, raw: bytes, existing: Sequence[Mapping[str, Any]], start: datetime
) -> MselRead:
    """The injects of an MSEL sheet (XLSX or CSV by the name's ending) merged
    over `existing` (the scenario's injects as data) by id; times relative to
    `start`. Problems the sheet itself shows are in `problems`; the seam finds
    the rest. ScenarioError if the file is no table at all."""
    table = read_table(file, raw, SHEETS, MAX_ROWS, MAX_COLUMNS)
    cells = Cells()
    out = MselRead([], cells, table.problems, [], [])
    if not table.rows:  # unreadable or too large: said so already
        return out
    layout = _layout(table)
    if layout is None:
        return out
    used = set(layout.columns.values())
    out.ignored = [name for i, name in layout.names.items() if i not in used]
    old = {str(i.get("id")): i for i in existing if isinstance(i, Mapping)}
    for number, values in table.rows:
        if number <= layout.header_row:
            continue
        if all(_text(v) is None for v in values) and not any(
            (number, i) in table.bad for i in range(len(values))
        ):
            continue  # blank separator rows are common in MSELs
        _row(table, layout, number, values, old, start, out)
    kept = {i.get("id") for i in out.injects}
    out.dropped = [k for k in old if k not in kept]
    return out


def _row(
    table: Table, layout: Layout, number: int, values: list[Any],
    old: Mapping[str, Mapping[str, Any]], start: datetime, out: MselRead,
) -> None:  # fmt: skip
    index = len(out.injects)
    first = min(layout.columns.values())
    out.cells.put(("injects", index), table.place(number, first), f"row {number}")

    def cell(key: str, lang: str | None = None) -> tuple[Any, int] | None:
        i = layout.columns.get((key, lang))
        if i is None:
            return None
        out.cells.put(("injects", index, key, *([lang] if lang else [])),
                      table.place(number, i), layout.names[i])  # fmt: skip
        value = values[i] if i < len(values) else None
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            table.problem(number, i, layout.names[i], f"longer than {MAX_CELL_CHARS} characters")
            return None, i
        return value, i

    def fail(i: int, message: str) -> None:
        table.problem(number, i, layout.names[i], message)

    ident = cell("id")
    row_id = _text(ident[0]) if ident else None
    inject: dict[str, Any] = dict(old.get(row_id, {})) if row_id else {}
    for key in HSEEP + SIMULATOR:
        if not layout.has(key):
            continue
        inject.pop(key, None)  # a column the sheet has decides
        column = BY_KEY[key]
        if column.localized:
            value = _localized(cell, key)
        else:
            found = cell(key)
            assert found is not None
            value = _value(key, found[0], start, lambda m, i=found[1]: fail(i, m))
            if key == "teams" and value:  # several teams in one cell: each is that cell
                for k in range(len(value)):
                    out.cells.put(("injects", index, key, k), table.place(number, found[1]),
                                  layout.names[found[1]])  # fmt: skip
        if value is not None:
            inject[key] = value
    if (
        not layout.has("title")
        and "title" not in inject
        and isinstance(inject.get("message"), str | dict)
    ):
        inject["title"] = _title_from(inject["message"])
    out.injects.append(inject)


def _localized(cell: Any, key: str) -> str | dict[str, str] | None:
    plain = cell(key)
    de, en = cell(key, "de"), cell(key, "en")
    if de is not None or en is not None:
        texts = {lang: _text(c[0]) for lang, c in (("de", de), ("en", en)) if c is not None}
        given = {lang: t for lang, t in texts.items() if t is not None}
        if given:
            return given
    return _text(plain[0]) if plain is not None else None


def _value(key: str, value: Any, start: datetime, fail: Any) -> Any:
    """The data of one cell for field `key`; a bad value: `fail(message)`, None."""
    if key == "at":
        if _text(value) is None:
            return None
        try:
            return format_duration(scenario_time(value, start))
        except ValueError as e:
            fail(str(e))
            return None
    text = _text(value)
    if text is None:
        return None
    if key == "teams":
        return [t.strip() for t in re.split(r"[,;\n]+", text) if t.strip()]
    if key == "event_type":
        return _EVENT_TYPE.get(normal(text), text)
    if key in ("when", "do"):
        try:
            return _yaml_cell(text)
        except (yaml.YAMLError, ValueError) as e:
            fail(f"not a YAML value: {getattr(e, 'problem', None) or e}")
            return None
    return text


def _title_from(message: str | dict[str, str]) -> str | dict[str, str]:
    """A title for a sheet without a title column: the message's first line."""

    def cut(text: str) -> str:
        line = text.strip().splitlines()[0] if text.strip() else text
        return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"

    if isinstance(message, str):
        return cut(message)
    return {lang: cut(t) for lang, t in message.items()}


def import_msel(
    file: str, raw: bytes, scenario_data: Mapping[str, Any], bundle: ScenarioBundle
) -> tuple[ScenarioBundle, dict[str, Any], MselRead]:
    """The scenario (as validated bundle and as data to write) with its injects
    read from the MSEL sheet `raw`; ScenarioError lists every problem of the
    sheet at its cell, those the sheet shows and those of the seam, at once."""
    existing = scenario_data.get("injects") or []
    read = read_msel(file, raw, existing if isinstance(existing, list) else [],
                     bundle.scenario.start)  # fmt: skip
    data = {**scenario_data, "injects": read.injects}
    try:
        built = bundle_from_data(Source(file, data, read.cells), bundle.company, read.problems)
    except ScenarioError as e:
        raise ScenarioError(e.problems) from None
    return built, data, read


# --- export ----------------------------------------------------------------------


def _flow(value: Any) -> str:
    """A value as one line of YAML flow style, as the Condition and Commands columns hold it."""
    dumped: str = yaml.safe_dump(value, default_flow_style=True, width=10**9,
                                 allow_unicode=True, sort_keys=False)  # fmt: skip
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def msel_rows(
    scenario: Scenario, raw_injects: Sequence[Mapping[str, Any]], lang: str = "en"
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a scenario's MSEL. `raw_injects` are the injects as
    written in the file (same order): Condition and Commands keep the author's
    spelling (`6h`, not 21600 seconds)."""
    injects = scenario.injects
    split = {
        key for key in HSEEP if BY_KEY[key].localized
        and any(isinstance(getattr(i, key), Text) for i in injects)
    }  # fmt: skip
    keys = [k for k in HSEEP if k in ("id", "at", "title") or k in split
            or any(getattr(i, k) is not None for i in injects)]  # fmt: skip
    keys += [k for k in SIMULATOR if any(
        (i.when is not None) if k == "when" else (i.delay if k == "delay" else i.do)
        for i in injects)]  # fmt: skip
    header: list[str] = []
    for key in keys:
        name = getattr(BY_KEY[key], lang)
        header += [f"{name} (de)", f"{name} (en)"] if key in split else [name]
    rows = []
    for inject, raw in zip(injects, raw_injects, strict=True):
        row: list[str] = []
        for key in keys:
            value = getattr(inject, key)
            if key in split:
                if isinstance(value, Text):
                    row += [value.de or "", value.en or ""]
                else:  # plain text among texts in two languages: in the sheet's language
                    plain = value or ""
                    row += [plain, ""] if lang == "de" else ["", plain]
            elif key == "at":
                row.append("" if value is None else f"T+{format_duration(value)}")
            elif key == "delay":
                row.append(format_duration(value) if value else "")
            elif key == "teams":
                row.append(", ".join(value or []))
            elif key == "event_type":
                row.append(EVENT_TYPE_WORDS[lang][value] if value else "")
            elif key in ("when", "do"):
                row.append(_flow(raw[key]) if raw.get(key) else "")
            else:
                row.append("" if value is None else str(value))
        rows.append(row)
    return header, rows


def msel_csv(header: list[str], rows: list[list[str]]) -> str:
    """CSV text with a byte order mark, so Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def msel_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    """An XLSX workbook with one sheet "MSEL"."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "MSEL"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append(values)
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            # Text that starts with "=" is text, not a formula to run.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, name in enumerate(header, 1):
        longest = max([len(name), *(len(r[i - 1]) for r in rows)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, longest + 2))
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
