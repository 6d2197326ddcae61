"""Read a BIA workbook (XLSX, or a folder of CSV files with the same columns)
into a company, every problem reported at once at its cell.

The reader turns rows into the company's data (the shape of a company file,
scenarios/README.md), notes for every value the cell it came from (`Cells`)
and hands both to the one loading seam (`readwrite.build`), which runs the
schema and the cross-reference checks. What only the reader can see -- a
missing sheet, an unknown header, a merged cell, a formula, a date where an id
belongs, a dependency from an unknown asset -- it reports itself, at its
cell, together with the seam's problems.

Use: `read_company(raw, "bia.xlsx")` (or a mapping of CSV file names to
bytes) -> a validated Company. To combine a workbook with another source (a
NetBox inventory), `read_xlsx`/`read_csv` give the `Workbook` (the company's
data, its `cells`, the reader's own problems); add the other assets to
`book.data["assets"]` and call `company_of(book)`: dependencies of the
workbook's processes on those assets are then checked by the seam, and the
problems of the workbook's rows are still reported at their cells.

Input is bytes (an upload is never written to disk). It is hostile until
proven otherwise: the file size, the unpacked size of the XLSX zip (checked
from its directory before openpyxl opens it: a zip bomb is refused unread),
rows, columns and cell length are all bounded.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import functools
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.model.gcpause import paused_gc
from simulator.model.schema import Company
from simulator.model.validation import Loc, Problem, ScenarioError, suggestion
from simulator.readwrite.bia_columns import (
    BUFFERS,
    CHOICES,
    COMPANY,
    DEPENDENCIES,
    IMPACT,
    PROCESSES,
    RESOURCES,
    SHEETS,
    TEAMS,
    Column,
    Sheet,
    Type,
    choice_label,
    choice_names,
    column_names,
    normalize,
    sheet_names,
    without_unit,
)
from simulator.readwrite.build import Source, company_from_data
from simulator.readwrite.cells import Cells
from simulator.terms.durations import format_duration

MAX_BYTES = 16 * 1024 * 1024
"""Largest workbook or CSV file read (a 10,000-asset BIA is about 1 MB)."""
MAX_UNPACKED = 128 * 1024 * 1024
"""Largest total unpacked size of an XLSX's parts: a zip bomb stops here."""
MAX_PARTS = 1_000
MAX_ROWS = 200_000
"""Rows per sheet, header included."""
MAX_COLUMNS = 200
MAX_CELL = 10_000
"""Characters in one cell."""
MAX_CSV_FILES = 20


class SheetCells(Cells):
    """`Cells` that note a whole row at once: the row's place in the data and
    its sheet's column paths, each cell located only when a problem asks
    (a 10,000-asset workbook has half a million cells, nearly all fine)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[Loc, tuple[Row, Mapping[tuple[str, ...], str]]] = {}

    def row(self, base: Loc, row: Row, paths: Mapping[tuple[str, ...], str]) -> None:
        """The values of `row` went to `base` + the paths of `paths` (path -> column key)."""
        self._rows[tuple(base)] = (row, paths)

    def _nearest(self, path: Sequence[str | int]) -> tuple[Loc, tuple[str, str]] | None:
        best = super()._nearest(path)
        for k in range(len(path), -1, -1):
            entry = self._rows.get(tuple(path[:k]))
            if entry is None:
                continue
            row, paths = entry
            rest = tuple(str(p) for p in path[k:])
            for end in range(len(rest), 0, -1):
                cell = row.cells.get(paths.get(rest[:end], ""))
                if cell is not None:
                    if best is None or k + end > len(best[0]):
                        best = (tuple(path[: k + end]), (cell.where, cell.header))
                    break
            break  # the deepest row only
        return best

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, tuple):
            return False
        found = self._nearest(path)
        return found is not None and found[0] == path


@dataclass
class Grid:
    """One sheet as rows of cell values, read from a workbook or a CSV file."""

    sheet: Sheet
    label: str  # the sheet's title, or the CSV file's name
    csv: bool
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, values)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column index)

    def where(self, row: int, col: int) -> str:
        if self.csv:
            return f"{self.label}:row {row}"
        return f"{self.label}!{_letter(col)}{row}"


def _letter(col: int) -> str:
    """Column index (0-based) -> its letters: 0 -> A, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return out


class Cell:
    """A value and its column's header; where it is, worked out when asked."""

    __slots__ = ("value", "header", "_grid", "_row", "_col")

    @property
    def place(self) -> tuple[str, int, int]:
        return self._grid.label, self._row, self._col

    def __init__(self, value: Any, header: str, grid: Grid, row: int, col: int) -> None:
        self.value, self.header = value, header
        self._grid, self._row, self._col = grid, row, col

    @property
    def where(self) -> str:
        return self._grid.where(self._row, self._col)


class RowCells(Mapping[str, Cell]):
    """The cells of a row by column key: every column of its sheet's header,
    filled or not; a Cell is made only when asked for."""

    __slots__ = ("_grid", "_number", "_columns", "_values")

    def __init__(self, grid: Grid, number: int, columns: Mapping[str, tuple[int, str]],
                 values: dict[str, Any]) -> None:  # fmt: skip
        self._grid, self._number, self._columns, self._values = grid, number, columns, values

    def __getitem__(self, key: str) -> Cell:
        col, header = self._columns[key]
        return Cell(self._values.get(key), header, self._grid, self._number, col)

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


@dataclass
class Row:
    number: int
    first: str  # where the row is: its first cell
    cells: RowCells  # column key -> cell (every column of the header)
    values: dict[str, Any]  # column key -> value, the filled cells only

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class Workbook:
    """What a reader made of a workbook: the company's data, where each value
    came from, and the problems it found itself (the seam adds its own)."""

    file: str
    data: dict[str, Any]
    cells: SheetCells
    problems: list[Problem]
    size: int
    csv: bool
    sheets: list[str]  # labels of the sheets read, in workbook order
    missing: set[str] = field(default_factory=set)  # ".bia.rto": a required column not given

    def source(self) -> Source:
        return Source(self.file, self.data, self.cells, self.size, from_file=True)


# --- reading the file ---------------------------------------------------------------


def _xlsx_grids(raw: bytes, file: str, problems: list[Problem]) -> dict[str, Grid]:
    """The known sheets of an XLSX workbook, bounded; problems say what is wrong."""

    def fail(message: str) -> dict[str, Grid]:
        problems.append(Problem(file, None, "file", message))
        return {}

    if len(raw) > MAX_BYTES:
        return fail(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return fail("not an XLSX workbook (save it as .xlsx, or as CSV files in a folder)")
    if len(parts) > MAX_PARTS:
        return fail(f"not an XLSX workbook: more than {MAX_PARTS} parts")
    # zipfile never unpacks a part beyond the size its directory states, so
    # the directory bounds the memory openpyxl can be made to use.
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED:
        return fail(f"unpacks to {unpacked // (1024 * 1024)} MB, more than "
                    f"{MAX_UNPACKED // (1024 * 1024)} MB")  # fmt: skip
    import openpyxl  # the report extra; imported only when a workbook is read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "data validation extension not supported"
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises anything from KeyError to XML errors
        return fail(f"cannot read the workbook: {type(e).__name__}")
    names = sheet_names()
    grids: dict[str, Grid] = {}
    try:
        for ws in book.worksheets:
            sheet = names.get(normalize(ws.title))
            if sheet is None:
                continue  # notes, pivot tables, a practitioner's own sheets
            if sheet.key in grids:
                first = grids[sheet.key].label
                message = f"sheet {ws.title!r} given twice (also {first!r})"
                problems.append(Problem(file, f"{ws.title}!A1", "sheet", message))
                continue
            grid = Grid(sheet, ws.title, csv=False)
            _read_sheet(ws, grid, file, problems)
            for ref in _merged(archive, getattr(ws, "_worksheet_path", "")):
                top_left = ref.split(":")[0]
                problems.append(Problem(file, f"{ws.title}!{top_left}", "cell",
                                        f"merged cells {ref}; unmerge them (a merged cell "
                                        "holds one value for several)"))  # fmt: skip
            grids[sheet.key] = grid
    except Exception as e:  # a broken part found while streaming the rows
        return fail(f"cannot read the workbook: {type(e).__name__}")
    finally:
        book.close()
    return grids


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")


def _merged(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The merged ranges of a sheet (openpyxl's read-only mode does not read them)."""
    try:
        xml = archive.read(path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return []
    return [m.decode() for m in _MERGE.findall(xml, max(0, xml.rfind(b"</sheetData>")))]


def _read_sheet(ws: Any, grid: Grid, file: str, problems: list[Problem]) -> None:
    too_wide = False
    for number, row in enumerate(ws.iter_rows(), start=1):
        if number > MAX_ROWS:
            problems.append(Problem(file, f"{grid.label}!A{number}", "sheet",
                                    f"more than {MAX_ROWS} rows"))  # fmt: skip
            return
        values: list[Any] = []
        for col, cell in enumerate(row):
            value = cell.value
            if value is None:
                values.append(None)
                continue
            if col >= MAX_COLUMNS:
                if not too_wide:
                    problems.append(Problem(file, grid.where(number, col), "sheet",
                                            f"more than {MAX_COLUMNS} columns"))  # fmt: skip
                too_wide = True
                break
            if cell.data_type == "f" or not isinstance(
                value, str | int | float | dt.date | dt.time | dt.timedelta | bool
            ):
                grid.formulas.add((number, col))
                value = None
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        grid.rows.append((number, values))


def _csv_grids(files: Mapping[str, bytes], folder: str, problems: list[Problem]) -> dict[str, Grid]:
    names = sheet_names()
    grids: dict[str, Grid] = {}
    if len(files) > MAX_CSV_FILES:
        problems.append(Problem(folder, None, "file", f"more than {MAX_CSV_FILES} CSV files"))
        return grids
    for name, raw in sorted(files.items()):
        stem = re.sub(r"\.csv$", "", name, flags=re.IGNORECASE)
        sheet = names.get(normalize(stem))
        if sheet is None:
            known = [f"{s.de}.csv" for s in SHEETS] + [f"{s.en}.csv" for s in SHEETS]
            message = f"unknown sheet {name!r}{suggestion(name, known)}"
            problems.append(Problem(folder, f"{name}:row 1", "file", message))
            continue
        if sheet.key in grids:
            message = f"sheet {name!r} given twice (also {grids[sheet.key].label!r})"
            problems.append(Problem(folder, f"{name}:row 1", "file", message))
            continue
        grid = Grid(sheet, name, csv=True)
        if len(raw) > MAX_BYTES:
            problems.append(Problem(folder, f"{name}:row 1", "file",
                                    f"larger than {MAX_BYTES // (1024 * 1024)} MB"))  # fmt: skip
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            row = raw.count(b"\n", 0, e.start) + 1
            problems.append(Problem(folder, f"{name}:row {row}", "file",
                                    f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as "
                                    "'CSV UTF-8'"))  # fmt: skip
            continue
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        try:
            for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter),
                                            start=1):  # fmt: skip
                if number > MAX_ROWS:
                    problems.append(Problem(folder, f"{name}:row {number}", "sheet",
                                            f"more than {MAX_ROWS} rows"))  # fmt: skip
                    break
                if len(values) > MAX_COLUMNS:
                    problems.append(Problem(folder, f"{name}:row {number}", "sheet",
                                            f"more than {MAX_COLUMNS} columns"))  # fmt: skip
                    values = values[:MAX_COLUMNS]
                grid.rows.append((number, [v if v.strip() else None for v in values]))
        except csv.Error as e:
            problems.append(Problem(folder, f"{name}:row {len(grid.rows) + 1}", "file",
                                    f"not a CSV file: {e}"))  # fmt: skip
        grids[sheet.key] = grid
    return grids


# --- rows and cells -----------------------------------------------------------------


def _lang(grid: Grid) -> str:
    name = normalize(re.sub(r"\.csv$", "", grid.label, flags=re.IGNORECASE))
    return "en" if name == normalize(grid.sheet.en) and name != normalize(grid.sheet.de) else "de"


def _rows(grid: Grid, file: str, problems: list[Problem], missing: set[str]) -> list[Row]:
    """The data rows of a sheet, each with a cell for every column of its header."""
    if not grid.rows:
        problems.append(Problem(file, grid.where(1, 0), "sheet", "empty sheet: no header row"))
        return []
    header_number, header = grid.rows[0]
    names = column_names(grid.sheet)
    lang = _lang(grid)
    columns: list[tuple[int, Column, str]] = []
    seen: dict[str, str] = {}
    for col, value in enumerate(header):
        where = grid.where(header_number, col)
        if (header_number, col) in grid.formulas:
            problems.append(Problem(file, where, "header", "formula in cell; paste values"))
            continue
        if value is None:
            continue
        text = str(value).strip()
        key = normalize(text)
        if key.startswith("#"):
            continue  # the author's own column, kept but not imported
        column = names.get(key) or names.get(without_unit(key))
        if column is None:
            close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
            hint = f"; did you mean {names[close[0]].header(lang)!r}?" if close else ""
            problems.append(Problem(file, where, "header",
                                    f"unknown column {text!r}{hint} (a "
                                    "column to keep but not import: start its header with "
                                    "'#')"))  # fmt: skip
            continue
        if column.key in seen:
            message = f"column {text!r} given twice (first at {seen[column.key]})"
            problems.append(Problem(file, where, "header", message))
            continue
        seen[column.key] = where
        columns.append((col, column, text))
    for column in grid.sheet.columns:
        if column.required and column.key not in seen:
            problems.append(Problem(file, grid.where(header_number, 0), "header",
                                    f"missing column {column.header(lang)!r}"))  # fmt: skip
            if column.path:
                missing.add("." + ".".join(column.path))
    rows: list[Row] = []
    kept = {col for col, _, _ in columns}
    by_key = {column.key: (col, text) for col, column, text in columns}
    by_row: dict[int, list[int]] = {}
    for row_number, col in sorted(grid.formulas):
        by_row.setdefault(row_number, []).append(col)
    for number, values in grid.rows[1:]:
        # From the set, not the values: a formula in a row's last cell is
        # not in `values` (trailing blanks are cut), and must still be refused.
        formulas = by_row.get(number, [])
        if all(_blank(v) for v in values) and not formulas:
            continue  # empty rows between blocks are common
        for col in formulas:
            header_text = next((t for c, _, t in columns if c == col), _letter(col))
            problems.append(Problem(file, grid.where(number, col), header_text,
                                    "formula in cell; paste values"))  # fmt: skip
        for col, value in enumerate(values):
            if col not in kept and not _blank(value) and col < len(header) and header[col] is None:
                problems.append(Problem(file, grid.where(number, col), _letter(col),
                                        "a value in a column without a header"))  # fmt: skip
        filled: dict[str, Any] = {}
        for col, column, text in columns:
            raw = values[col] if col < len(values) else None
            if raw is not None:
                value, note = _value(column, raw, lang)
                if note is not None:
                    problems.append(Problem(file, grid.where(number, col), text, note))
                if value is not None:
                    filled[column.key] = value
        first = grid.where(number, columns[0][0] if columns else 0)
        rows.append(Row(number, first, RowCells(grid, number, by_key, filled), filled))
    return rows


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.IGNORECASE)
_PERCENT = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*%$")
_NUMBER = {  # a number as people in each language write it: thousands, decimals
    "de": (re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^-?\d+,\d+$"), ".", ","),
    "en": (re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"), ",", "."),
}
_CHOICES = {t: choice_names(t) for t in (Type.kind, Type.utility, Type.dep_type, Type.mode,
                                         Type.dist)}  # fmt: skip
_CHOICE_WHAT = {Type.kind: "kind", Type.utility: "utility", Type.dep_type: "dependency type",
                Type.mode: "mode", Type.dist: "distribution"}  # fmt: skip


def _value(column: Column, raw: Any, lang: str) -> tuple[Any, str | None]:
    """A cell's value as the company's data holds it, and a message where it
    cannot be (the value is then None, or the raw value for the seam to judge)."""
    if isinstance(raw, str):
        if len(raw) > MAX_CELL:
            return None, f"more than {MAX_CELL} characters"
        if not raw.strip():
            return None, None
        if column.type is not Type.text:  # free text is kept as written (a last line break)
            raw = raw.strip()
        if column.type is Type.id or column.type is Type.text:
            return raw, None  # the common case first
    if isinstance(raw, bool):
        return None, "true/false in this cell; write the value as text"
    if isinstance(raw, dt.datetime | dt.date):
        if column.type is Type.duration and isinstance(raw, dt.datetime) and raw.year < 1901:
            # Excel's "[h]:mm" for more than a day: a date in early 1900
            span = raw - dt.datetime(1899, 12, 30)
            return format_duration(round(span.total_seconds())), None
        return None, "a date in this cell; format the cell as text and write the value"
    kind = column.type
    if kind is Type.duration:
        if isinstance(raw, dt.time):
            return format_duration(raw.hour * 3600 + raw.minute * 60 + raw.second), None
        if isinstance(raw, dt.timedelta):
            return format_duration(round(raw.total_seconds())), None
        if isinstance(raw, str):
            iso = _ISO.match(raw)
            if iso and any(iso.groups()):
                d, h, m, s = (int(x or 0) for x in iso.groups())
                return format_duration(((d * 24 + h) * 60 + m) * 60 + s), None
        return raw, None  # text for the seam to parse; a bare number: it asks for a unit
    if isinstance(raw, dt.time | dt.timedelta):
        return None, "a time in this cell; format the cell as text and write the value"
    if kind in (Type.text, Type.id, Type.ids):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, float):
            return None, (
                "a number with decimals in this cell; format the cell as text and write the value"
            )
        text = str(raw)
        if kind is Type.ids:
            return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()], None
        return text, None
    if kind in _CHOICES:
        return _choice(kind, str(raw), lang)
    if isinstance(raw, int | float):
        if kind is Type.integer and isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        return raw, None
    return _number(kind, str(raw), lang), None


@functools.lru_cache(maxsize=1024)  # a sheet repeats a few spellings thousands of times
def _choice(kind: Type, raw: str, lang: str) -> tuple[str | None, str | None]:
    spelled = normalize(raw).replace("-", " ")
    value = _CHOICES[kind].get(spelled) or _CHOICES[kind].get(normalize(raw))
    if value is not None:
        return value, None
    labels = [c.de if lang == "de" else c.en for c in CHOICES[kind]]
    close = difflib.get_close_matches(spelled, list(_CHOICES[kind]), n=1, cutoff=0.6)
    hint = (
        f"; did you mean {choice_label(kind, _CHOICES[kind][close[0]], lang)!r}?" if close else ""
    )
    return (
        None,
        f"unknown {_CHOICE_WHAT[kind]} {raw!r}{hint} (expected one of: {', '.join(labels)})",
    )


def _number(kind: Type, raw: str, lang: str) -> Any:
    """A number written as text: "60 %", "1.234,5" (German), "1,234.5", "12.000 €";
    else the text, which the seam reports as not a number at its cell."""
    text = raw.replace("\u00a0", " ").strip()
    percent = _PERCENT.match(text)
    if percent and kind is Type.fraction:
        return float(percent.group(1).replace(",", ".")) / 100
    if kind is Type.eur:
        text = re.sub(r"\s*(€|EUR)\s*", "", text, flags=re.IGNORECASE).replace(" ", "")
    pattern, thousands, decimal = _NUMBER[lang]
    if pattern.match(text):
        text = text.replace(thousands, "").replace(decimal, ".")
    try:
        number = float(text)
    except ValueError:
        return text
    if kind is Type.integer and number.is_integer():
        return int(number)
    return int(number) if re.fullmatch(r"-?\d+", text) else number


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _put_row(obj: dict[str, Any], row: Row, sheet: Sheet, base: tuple[Any, ...],
             cells: SheetCells, skip: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Every column of `row` with a path into `obj`; the row noted at `base`,
    so a problem at any of its paths is found at its cell."""
    paths, columns = _paths(sheet, skip)
    cells.row(base, row, paths)
    for key, path in columns:
        value = row.values.get(key)
        if value is not None:
            with contextlib.suppress(AttributeError, TypeError):  # "Name" and "Name (de)"
                _set(obj, path, value)


_Paths = tuple[dict[tuple[str, ...], str], list[tuple[str, tuple[str, ...]]]]
_PATHS: dict[tuple[str, tuple[str, ...]], _Paths] = {}


def _paths(sheet: Sheet, skip: tuple[str, ...]) -> _Paths:
    """The column paths of a sheet (path -> column key; a part of a path such
    as `bia` -> its first column) and the (key, path) of every column with one."""
    known = _PATHS.get((sheet.key, skip))
    if known is not None:
        return known
    paths: dict[tuple[str, ...], str] = {}
    columns = [(c.key, c.path) for c in sheet.columns if c.path and c.key not in skip]
    for key, path in columns:
        for end in range(1, len(path)):
            paths.setdefault(path[:end], key)
        paths[path] = key
    _PATHS[(sheet.key, skip)] = (paths, columns)
    return paths, columns


_RECOVERY = ("recovery_time", "recovery_dist", "recovery_min", "recovery_max", "recovery_sigma")


def _recovery(asset: dict[str, Any], row: Row, base: tuple[Any, ...], cells: SheetCells,
              file: str, problems: list[Problem]) -> None:  # fmt: skip
    """The recovery time: fixed, or a distribution spread over five columns."""
    time, dist, low, high, sigma = (row.cells.get(k) for k in _RECOVERY)
    path = (*base, "recovery", "time")
    if time is not None:
        cells.put(path, time.where, time.header)
        if (*base, "recovery") not in cells:
            cells.put((*base, "recovery"), time.where, time.header)
    law = None if dist is None else dist.value
    given = {name: c for name, c in (("min", low), ("max", high), ("sigma", sigma))
             if c is not None and c.value is not None}  # fmt: skip
    uses = {None: (), "fixed": (), "triangular": ("min", "max"), "uniform": ("min", "max"),
            "lognormal": ("sigma",)}[law]  # fmt: skip
    for name, extra in given.items():
        if name not in uses:
            problems.append(Problem(file, extra.where, extra.header,
                                    f"only for a distribution with {name} (set the "
                                    "distribution: triangular, uniform, lognormal)"))  # fmt: skip
    if law in (None, "fixed"):
        if time is not None and time.value is not None:
            _set(asset, ("recovery", "time"), time.value)
        return
    assert dist is not None
    cells.put((*path, "dist"), dist.where, dist.header)
    value: dict[str, Any] = {"dist": law}
    if (*base, "recovery") not in cells:
        cells.put((*base, "recovery"), dist.where, dist.header)
    centre = {"triangular": "mode", "lognormal": "median", "uniform": None}[law]
    if centre is not None and time is not None:
        cells.put((*path, centre), time.where, time.header)
        if time.value is not None:
            value[centre] = time.value
    elif centre is None and time is not None and time.value is not None:
        problems.append(Problem(file, time.where, time.header,
                                "a uniform distribution takes min and max only"))  # fmt: skip
    for name in uses:
        c: Cell | None = {"min": low, "max": high, "sigma": sigma}[name]
        if c is not None:
            cells.put((*path, name), c.where, c.header)
            if c.value is not None:
                value[name] = c.value
    _set(asset, ("recovery", "time"), value)


def _localized_clash(row: Row, keys: Iterable[str], file: str, problems: list[Problem]) -> None:
    """A text the same in both languages and a German or English one: which?"""
    for key in keys:
        same = row.cells.get(key)
        if same is None or same.value is None:
            continue
        for lang in ("de", "en"):
            other = row.cells.get(f"{key}_{lang}")
            if other is not None and other.value is not None:
                problems.append(Problem(file, other.where, other.header,
                                        f"give {same.header!r} or the texts per language, "
                                        "not both"))  # fmt: skip


_TEXTS = ("name", "description", "workaround_name")


# --- sheets -> the company's data ----------------------------------------------------


@dataclass
class _Need:
    asset: int
    index: int
    data: dict[str, Any]
    mode: str
    first: dict[str, tuple[Any, Cell]]  # column key -> (value, cell) of the group's first value
    buffers: int = 0


class _Builder:
    def __init__(self, file: str, grids: dict[str, Grid], problems: list[Problem]) -> None:
        self.file = file
        self.grids = grids
        self.problems = problems
        self.cells = SheetCells()
        self.data: dict[str, Any] = {}
        self.assets: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}  # asset id -> first index
        self.needs: dict[tuple[int, str], _Need] = {}
        self.missing: set[str] = set()  # paths of required columns not in their sheet

    def problem(self, where: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, field, message))

    def rows(self, sheet: Sheet) -> list[Row]:
        grid = self.grids.get(sheet.key)
        return [] if grid is None else _rows(grid, self.file, self.problems, self.missing)

    def build(self) -> dict[str, Any]:
        self.company()
        self.data["teams"] = {}
        self.teams()
        for sheet in (RESOURCES, PROCESSES):
            self.asset_sheet(sheet)
        self.data["assets"] = self.assets
        self.dependencies()
        self.buffers()
        self.impact()
        if not self.data["teams"]:
            del self.data["teams"]
        return self.data

    def company(self) -> None:
        rows = self.rows(COMPANY)
        grid = self.grids.get(COMPANY.key)
        if grid is not None:
            self.cells.put(("company",), grid.where(1, 0), grid.label)
        if not rows:
            if grid is not None and grid.rows:
                self.problem(grid.where(2, 0), grid.label, "no company row")
            return
        company: dict[str, Any] = {}
        _localized_clash(rows[0], ("name", "description"), self.file, self.problems)
        self.cells.put(("company",), rows[0].first, grid.label if grid else "company")
        _put_row(company, rows[0], COMPANY, ("company",), self.cells)
        self.data["company"] = company
        for extra in rows[1:]:
            self.problem(
                extra.first,
                grid.label if grid else "company",
                "one row only: the company (this is a second one)",
            )

    def teams(self) -> None:
        seen: dict[str, str] = {}
        for row in self.rows(TEAMS):
            ident = row.get("id")
            cell = row.cells.get("id")
            if ident is None or cell is None:
                if cell is not None:
                    self.problem(cell.where, cell.header, "missing required field")
                continue
            if ident in seen:
                message = f"duplicate team id {ident!r} (first at {seen[ident]})"
                self.cells.duplicate(("teams", ident), cell.where, message)
                continue
            seen[ident] = cell.where
            _localized_clash(row, ("name",), self.file, self.problems)
            team: dict[str, Any] = {}
            self.cells.put(("teams", ident), cell.where, cell.header)
            _put_row(team, row, TEAMS, ("teams", ident), self.cells)
            self.data["teams"][ident] = team

    def asset_sheet(self, sheet: Sheet) -> None:
        for row in self.rows(sheet):
            i = len(self.assets)
            base = ("assets", i)
            asset: dict[str, Any] = {}
            self.cells.put(base, row.first, row.cells["id"].header if "id" in row.cells else "ID")
            _localized_clash(row, _TEXTS, self.file, self.problems)
            _put_row(asset, row, sheet, base, self.cells, skip=_RECOVERY)
            _recovery(asset, row, base, self.cells, self.file, self.problems)
            if sheet is PROCESSES and "kind" not in asset:
                asset["kind"] = "business_process"
            # Keys in the order of a company file, so that a written file reads well.
            ordered = {k: asset[k] for k in _ASSET_ORDER if k in asset}
            self.assets.append(ordered)
            ident = asset.get("id")
            if isinstance(ident, str):
                self.index.setdefault(ident, i)
        self.cells.put(("assets",), self._sheet_place(PROCESSES), self._sheet_label(PROCESSES))

    def _sheet_place(self, sheet: Sheet) -> str:
        grid = self.grids.get(sheet.key)
        return grid.where(1, 0) if grid else f"{sheet.de}!A1"

    def _sheet_label(self, sheet: Sheet) -> str:
        grid = self.grids.get(sheet.key)
        return grid.label if grid else sheet.de

    def _asset_of(self, cell: Cell | None, what: str = "asset") -> int | None:
        if cell is None or cell.value is None:
            if cell is not None:
                self.problem(cell.where, cell.header, "missing required field")
            return None
        i = self.index.get(cell.value)
        if i is None:
            hint = suggestion(cell.value, self.index)
            self.problem(cell.where, cell.header, f"unknown {what} {cell.value!r}{hint}")
        return i

    def dependencies(self) -> None:
        for row in self.rows(DEPENDENCIES):
            a = self._asset_of(row.cells.get("from"))
            to = row.cells.get("to")
            if to is not None and to.value is None:
                self.problem(to.where, to.header, "missing required field")
            if a is None or to is None or to.value is None:
                continue
            need_id = row.get("need")
            group = self.needs.get((a, need_id)) if need_id is not None else None
            if group is None:
                group = self._new_need(a, row, need_id)
            self._provider(group, row, to)

    def _new_need(self, a: int, row: Row, need_id: str | None) -> _Need:
        needs = self.assets[a].setdefault("needs", [])
        n = len(needs)
        base = ("assets", a, "needs", n)
        self.cells.put(base, row.first, row.cells["from"].header)
        data: dict[str, Any] = {}
        _put_row(data, row, DEPENDENCIES, base, self.cells)
        mode = row.get("mode") or "all"
        key = {"all": "all_of", "any": "any_of", "k": "k_of_n"}[mode]
        where = row.cells.get("mode") or row.cells["to"]
        self.cells.put((*base, key), where.where, where.header)
        if mode == "k":
            data.setdefault("k_of_n", {})["of"] = []
        else:
            data[key] = []
        # Keys in the order of a company file.
        keys = ("id", "type", "all_of", "any_of", "k_of_n", "delay")
        need: dict[str, Any] = {k: data[k] for k in keys if k in data}
        needs.append(need)
        shared = [k for k in ("type", "mode", "k", "delay") if k in row.cells]
        first: dict[str, tuple[Any, Cell]] = {k: (row.get(k), row.cells[k]) for k in shared}
        group = _Need(a, n, need, mode, first)
        if need_id is not None:
            self.needs[(a, need_id)] = group
        elif (a, "") not in self.needs:
            self.needs[(a, "")] = group  # so that the buffers sheet can say "name the need"
        return group

    def _provider(self, group: _Need, row: Row, to: Cell) -> None:
        for key, (value, cell) in group.first.items():
            mine = row.values.get(key)
            if mine is None or (mine == value and value is not None):
                continue
            if cell.place == (row.cells[key].place if key in row.cells else None):
                continue  # the group's first row itself
            if value is None:
                group.first[key] = (mine, row.cells[key])
                if key in ("type", "delay"):
                    group.data[key] = mine
            else:
                other = row.cells[key]
                self.problem(other.where, other.header,
                             f"differs from the first row of need {row.get('need')!r} "
                             f"({cell.where}): rows of one need share it")  # fmt: skip
        share = row.cells.get("share") if "share" in row.values else None
        if group.mode != "k" and "k" in row.values:
            k = row.cells["k"]
            self.problem(k.where, k.header, "k is only for the mode k of n")
        base: tuple[str | int, ...] = ("assets", group.asset, "needs", group.index)
        path: tuple[str | int, ...]
        if group.mode == "all":
            members = group.data["all_of"]
            path = (*base, "all_of", len(members))
            if share is not None and share.value is not None:
                self.problem(share.where, share.header,
                             "a share is only for the modes any and k of n")  # fmt: skip
            members.append(to.value)
            self.cells.put(path, to.where, to.header)
            return
        if group.mode == "any":
            members = group.data["any_of"]
            path = (*base, "any_of", len(members))
        else:
            members = group.data["k_of_n"]["of"]
            path = (*base, "k_of_n", "of", len(members))
        self.cells.put(path, to.where, to.header)
        if share is not None and share.value is not None:
            members.append({"asset": to.value, "share": share.value})
            self.cells.put((*path, "asset"), to.where, to.header)
            self.cells.put((*path, "share"), share.where, share.header)
        else:
            members.append(to.value)

    def buffers(self) -> None:
        for row in self.rows(BUFFERS):
            a = self._asset_of(row.cells.get("asset"))
            need = row.cells.get("need")
            if a is None or need is None:
                continue
            if need.value is None:
                self.problem(need.where, need.header, "missing required field")
                continue
            group = self.needs.get((a, need.value))
            if group is None:
                named = [n for (i, n) in self.needs if i == a and n]
                listed = ", ".join(named) if named else "none"
                self.problem(need.where, need.header,
                             f"unknown need {need.value!r} of asset "
                             f"{self.assets[a].get('id')!r}{suggestion(need.value, named)} "
                             f"(its needs: {listed})")  # fmt: skip
                continue
            buffers = group.data.setdefault("buffers", [])
            base = ("assets", a, "needs", group.index, "buffers", len(buffers))
            self.cells.put(base, row.first, row.cells["asset"].header)
            buffer: dict[str, Any] = {}
            _localized_clash(row, ("name",), self.file, self.problems)
            _put_row(buffer, row, BUFFERS, base, self.cells)
            buffers.append(buffer)
            # buffers after the delay, as a company file lists them
            delay = group.data.pop("delay", None)
            if delay is not None:
                group.data["delay"] = delay
            group.data["buffers"] = group.data.pop("buffers")

    def impact(self) -> None:
        for row in self.rows(IMPACT):
            a = self._asset_of(row.cells.get("process"), "process")
            if a is None:
                continue
            bia = self.assets[a].setdefault("bia", {})
            steps = bia.setdefault("impact", [])
            base = ("assets", a, "bia", "impact", len(steps))
            self.cells.put(base, row.first, row.cells["process"].header)
            if ("assets", a, "bia") not in self.cells:
                self.cells.put(("assets", a, "bia"), row.first, row.cells["process"].header)
            step: dict[str, Any] = {}
            _put_row(step, row, IMPACT, base, self.cells)
            steps.append(step)


_ASSET_ORDER = ("id", "kind", "name", "description", "utility", "location", "tags", "trust",
                "flood", "needs", "restart", "recovery", "standby", "backup", "bia",
                "workaround")  # fmt: skip


# --- entry points ---------------------------------------------------------------------


@paused_gc()  # rows of dicts without cycles: the collector would only rescan them
def read_xlsx(raw: bytes, file: str) -> Workbook:
    """The company's data of an XLSX workbook, with the reader's own problems."""
    problems: list[Problem] = []
    grids = _xlsx_grids(raw, file, problems)
    return _workbook(file, grids, problems, len(raw), csv=False, opened=bool(grids) or not problems)


@paused_gc()
def read_csv(files: Mapping[str, bytes], folder: str) -> Workbook:
    """The company's data of CSV files, one per sheet, named by the sheet
    (`Prozesse.csv` or `Processes.csv`, …), UTF-8 with or without BOM, `;` or `,`."""
    problems: list[Problem] = []
    grids = _csv_grids(files, folder, problems)
    size = sum(len(raw) for raw in files.values())
    return _workbook(folder, grids, problems, size, csv=True, opened=True)


def _workbook(file: str, grids: dict[str, Grid], problems: list[Problem], size: int, csv: bool,
              opened: bool) -> Workbook:  # fmt: skip
    if opened:
        for sheet in SHEETS:
            if sheet.required and sheet.key not in grids:
                found = [grids[s.key].label for s in SHEETS if s.key in grids]
                problems.append(Problem(file, None, "sheet",
                                        f"missing sheet {sheet.de!r} (or {sheet.en!r})"
                                        + (f"; found: {', '.join(map(repr, found))}"
                                           if found else "")))  # fmt: skip
    builder = _Builder(file, grids, problems)
    data = builder.build() if grids else {}
    # Problems are listed sheet by sheet: in workbook order, CSV files in the template's.
    order = list(grids.values()) if not csv else [grids[s.key] for s in SHEETS if s.key in grids]
    return Workbook(file, data, builder.cells, problems, size, csv,
                    [g.label for g in order], builder.missing)  # fmt: skip


def company_of(book: Workbook) -> Company:
    """The validated company of a workbook read by `read_xlsx`/`read_csv`;
    ScenarioError lists the reader's and the seam's problems together, each at
    its cell (a CSV problem names its file: `bia/Prozesse.csv:row 12`)."""
    mine = list(book.problems)
    theirs: list[Problem] = []
    company: Company | None = None
    if book.data:
        try:
            company = company_from_data(book.source())
        except ScenarioError as e:
            theirs = e.problems
    reported = {p.line for p in mine if p.line is not None}
    missing_sheet = any(p.field == "sheet" and p.line is None for p in mine)
    # A cell the reader already complained about needs no second complaint.
    theirs = [
        p
        for p in theirs
        if p.line not in reported
        and not (missing_sheet and p.line is None)
        and not (
            p.message == "missing required field" and any(p.field.endswith(m) for m in book.missing)
        )
    ]  # a missing column
    theirs = [_first_at(book, p) for p in theirs]
    problems = sorted(mine + theirs, key=lambda p: _order(book, p))
    if problems or company is None:
        raise ScenarioError([_relocate(book, p) for p in problems] or
                            [Problem(book.file, None, "file", "no sheets to read")])  # fmt: skip
    return company


def read_company(raw: bytes | Mapping[str, bytes], file: str) -> Company:
    """A validated company from an XLSX's bytes, or from CSV files' bytes by name."""
    book = read_csv(raw, file) if isinstance(raw, Mapping) else read_xlsx(raw, file)
    return company_of(book)


_FIRST_AT = re.compile(r"\(first at ([A-Za-z_][\w.\[\]]*)\)")


def _first_at(book: Workbook, problem: Problem) -> Problem:
    """ "duplicate asset id 'x' (first at assets[0].id)" names the cell instead
    of the path, which means nothing to the author of a workbook."""
    m = _FIRST_AT.search(problem.message)
    if m is None:
        return problem
    path = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", m[1]))
    where = book.cells.line(path)
    if not isinstance(where, str):
        return problem
    shown = where.replace(":row ", " row ") if book.csv else where
    message = problem.message[: m.start(1)] + shown + problem.message[m.end(1) :]
    return Problem(problem.file, problem.line, problem.field, message)


_CELL = re.compile(r"^(?P<sheet>.*?)(?:!(?P<col>[A-Z]+)(?P<row>\d+)|:row (?P<csvrow>\d+))$")


def _order(book: Workbook, problem: Problem) -> tuple[int, int, int]:
    """Problems sheet by sheet (workbook order), row by row, column by column."""
    if not isinstance(problem.line, str):
        return (-1, 0, 0)
    m = _CELL.match(problem.line)
    if m is None:
        return (len(book.sheets), 0, 0)
    sheet = book.sheets.index(m["sheet"]) if m["sheet"] in book.sheets else len(book.sheets)
    row = int(m["row"] or m["csvrow"])
    col = 0
    for ch in m["col"] or "":
        col = col * 26 + ord(ch) - 64
    return (sheet, row, col)


def _relocate(book: Workbook, problem: Problem) -> Problem:
    """In a folder of CSV files, a problem names its file: `dir/Prozesse.csv:row 12`."""
    if not book.csv or not isinstance(problem.line, str):
        return problem
    name, sep, row = problem.line.rpartition(":row ")
    if not sep:
        return problem
    return Problem(f"{book.file.rstrip('/')}/{name}", f"row {row}", problem.field, problem.message)
