"""The one loading seam: plain data, as any reader produces it (YAML, JSON,
a BIA workbook, a NetBox export, a GraphML file, a parameter sweep), becomes a
validated company or scenario bundle, every problem reported at once.

Readers differ only in how they say where a problem is: a `Locator` turns a
path in the data (`("assets", 3, "bia", "rto")`) into a line of a YAML file,
a cell of a workbook (`BIA!C12`) or a row of a CSV file (`row 12`), and names
the field the way the source does (a path, a column header). The checks
themselves -- pydantic's schema and `simulator.model.validation`'s cross-references
-- are written once, here, for all of them.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from simulator.model.gcpause import paused_gc
from simulator.model.schema import Company, Scenario, ScenarioBundle
from simulator.model.validation import (
    Finding,
    Loc,
    Problem,
    ScenarioError,
    check_company,
    check_scenario,
    render_loc,
)

M = TypeVar("M", bound=BaseModel)

MAX_PROBLEMS = 300
"""Problems reported in detail per file and kind (schema, cross-references);
the rest are counted: 900,000 broken assets must not take minutes and
gigabytes to report."""
CHUNK = 10_000
"""Items of a long list validated at a time once a file is known to be full of problems."""
FULL_CHECK_BYTES = 2_000_000
"""Files up to this size are always scanned for duplicate keys; larger ones
(generated benchmark companies) only when they have other problems."""

Where = int | str | None
"""Where a problem is in its file: a line number, a cell (`BIA!C12`), a row
(`row 12`), or None when the source has no positions."""


class Locator(Protocol):
    """How a reader says where a path of the data came from."""

    def line(self, path: Sequence[str | int]) -> Where:
        """Where the value at `path` is; where the path leaves the data (a
        missing field) the place of the deepest part that exists."""
        ...

    def field(self, path: Loc) -> str:
        """The name of the field at `path` as the author knows it."""
        ...

    def duplicate_keys(self) -> list[tuple[Loc, Where, str]]:
        """(path, where, message) of every key given twice, which the data no
        longer shows (a parser keeps only one)."""
        ...


class Nowhere:
    """A source without positions (data built in memory): problems name the
    field's path."""

    def line(self, path: Sequence[str | int]) -> Where:
        return None

    def field(self, path: Loc) -> str:
        return render_loc(path)

    def duplicate_keys(self) -> list[tuple[Loc, Where, str]]:
        return []


@dataclass
class Source:
    """The data of one file (or upload, or sheet set) and how to locate in it."""

    file: str
    data: Any
    locator: Locator = field(default_factory=Nowhere)
    size: int = 0  # bytes read; small sources always get the duplicate-key scan
    from_file: bool = True  # written by people: durations must spell their unit
    # (a bare 2 could mean minutes or hours); False for data dumped by code,
    # whose durations are whole seconds.
    model: Any = None  # the data already validated by the schema (a reader's fast
    # path for a large file): only the cross-checks run, once.


def _sort_key(problem: Problem) -> tuple[bool, int]:
    """Problems by line; cells and rows keep the order they were found in
    (sheet by sheet, row by row: the readers emit them so)."""
    return isinstance(problem, _More), problem.line if isinstance(problem.line, int) else 0


@paused_gc()
def company_from_data(source: Source) -> Company:
    """A validated company from data; ScenarioError lists every problem, each
    where `source.locator` says it is."""
    problems: list[Problem] = []
    company = _company(source, problems)
    if problems or company.model is None:
        raise ScenarioError(problems)
    return company.model


@paused_gc()
def bundle_from_data(
    scenario: Source, company: Source | Company | None, problems: Sequence[Problem] = ()
) -> ScenarioBundle:
    """A validated scenario with its company (data or an already validated
    model; None when it could not be read, `problems` then say why). Problems
    of the scenario come first, then the company's."""
    mine: list[Problem] = list(problems)
    theirs: list[Problem] = []
    checked = _validate(Scenario, scenario, mine)
    if isinstance(company, Company):
        their = _Validated[Company](company)
    elif company is None:
        their = _Validated[Company](None)
    else:
        their = _company(company, theirs)
    if checked.model is not None and their.model is not None:
        findings = check_scenario(checked.model, their.model, checked.broken | their.broken)
        mine += _findings(scenario, checked, findings)
    _finish(scenario, mine, 0)
    mine += theirs
    if mine or checked.model is None or their.model is None:
        raise ScenarioError(mine)
    return ScenarioBundle(scenario=checked.model, company=their.model)


def company_problems(source: Source) -> list[Problem]:
    """Every problem of a company's data; none: it is valid."""
    problems: list[Problem] = []
    _company(source, problems)
    return problems


def _mapping_problems(parsed: Source) -> list[Problem]:
    if parsed.data is None:
        return [Problem(parsed.file, None, "file", "empty file")]
    if not isinstance(parsed.data, dict):
        kind = "list" if isinstance(parsed.data, list) else type(parsed.data).__name__
        message = f"expected a mapping of keys at the top level, found a {kind}"
        return [Problem(parsed.file, parsed.locator.line(()), "file", message)]
    return []


@dataclass
class _Validated(Generic[M]):
    """A file's model, or, when some parts had schema errors, the model of the
    rest: the cross-reference checks then still run, so one pass reports both
    kinds of problem."""

    model: M | None
    index: dict[str, list[int]] = field(default_factory=dict)  # kept items' original indices
    broken: set[str] = field(default_factory=set)  # ids of the parts left out

    def loc(self, loc: Loc) -> Loc:
        """A location in the model of the rest -> the location in the file."""
        kept = self.index.get(str(loc[0])) if len(loc) >= 2 else None
        if kept is None or not isinstance(loc[1], int):
            return loc
        return (loc[0], kept[loc[1]], *loc[2:])


def _validate(model: type[M], parsed: Source, problems: list[Problem]) -> _Validated[M]:
    """Validate a parsed file, adding its schema problems to `problems`."""
    found = _mapping_problems(parsed)
    if found:
        problems += found
        return _Validated(None)
    if isinstance(parsed.model, model):
        return _Validated(parsed.model)
    ctx = {"from_file": parsed.from_file}
    many = _many_problems(model, parsed.data, ctx)
    if many is not None:  # the first ones in detail, the rest counted
        errors, total = many
        found, _ = _pydantic_problems(parsed, model, errors)
        problems += [*found, _more(parsed.file, total - len(found))]
        return _Validated(None)
    try:
        return _Validated(model.model_validate(parsed.data, context=ctx))
    except ValidationError as e:
        error = e
    found, paths = _pydantic_problems(parsed, model, _first_errors(model, parsed.data, error, ctx))
    problems += found
    if error.error_count() > MAX_PROBLEMS:  # the rest is counted, not checked further
        problems.append(_more(parsed.file, error.error_count() - len(found)))
        return _Validated(None)
    rest = _prune(parsed.data, paths)
    try:
        rest.model = model.model_validate(rest.model, context=ctx)
    except ValidationError:
        return _Validated(None)
    return typing.cast(_Validated[M], rest)


def _many_problems(
    model: type[M], data: dict[Any, Any], ctx: dict[str, Any]
) -> tuple[list[Any], int] | None:
    """(errors of the first problems, count of all) when the longest list is
    longer than CHUNK and its first CHUNK items hold more than MAX_PROBLEMS
    problems, else None.

    The list is validated a chunk at a time, so pydantic never holds all the
    errors of 900,000 broken assets at once (about 0.5 GB); a valid or mostly
    valid file pays one extra validation of its first chunk."""
    lists = [key for key, value in data.items() if isinstance(value, list)]
    key = max(lists, key=lambda k: len(data[k]), default=None)
    if key is None or len(data[key]) <= CHUNK:
        return None
    items = data[key]

    def error_of(part: list[Any]) -> ValidationError | None:
        try:
            model.model_validate({**data, key: part}, context=ctx)
        except ValidationError as e:
            return e
        return None

    first = error_of(items[:CHUNK])
    if first is None or first.error_count() <= MAX_PROBLEMS:
        return None
    listed = first.errors(include_url=False, include_input=False)
    outside = sum(1 for e in listed if not e["loc"] or e["loc"][0] != key)  # in every chunk
    total = len(listed)
    for start in range(CHUNK, len(items), CHUNK):
        error = error_of(items[start : start + CHUNK])
        total += 0 if error is None else error.error_count() - outside
    return listed[:MAX_PROBLEMS], total


def _first_errors(
    model: type[M], data: dict[Any, Any], error: ValidationError, ctx: dict[str, Any]
) -> list[Any]:
    """The pydantic errors of about the first MAX_PROBLEMS problems.

    Listing all of 900,000 errors takes pydantic seconds and gigabytes, so with
    that many the data is validated again with its longest list cut short
    (errors come in the data's order), growing the cut until it holds enough."""
    if error.error_count() <= MAX_PROBLEMS:
        return error.errors(include_url=False, include_input=False)
    lists = [key for key, value in data.items() if isinstance(value, list)]
    longest = max(lists, key=lambda key: len(data[key]), default=None)
    size = 64
    while longest is not None and size < len(data[longest]):
        try:
            model.model_validate({**data, longest: data[longest][:size]},
                                 context=ctx)  # fmt: skip
        except ValidationError as e:
            if e.error_count() >= MAX_PROBLEMS:
                return e.errors(include_url=False, include_input=False)[:MAX_PROBLEMS]
        size *= 4
    return error.errors(include_url=False, include_input=False)[:MAX_PROBLEMS]


@dataclass(frozen=True)
class _More(Problem):
    """The count of the problems not shown; listed after them."""


def _more(file: str, count: int) -> Problem:
    return _More(file, None, "", f"{count} more problems not shown (fix the first {MAX_PROBLEMS}"
                                 " and check again)")  # fmt: skip


def _prune(data: dict[Any, Any], paths: Iterable[Loc]) -> _Validated[Any]:
    """The data without the top-level entries, list items or dict entries that
    have errors (`model` holds the pruned data, not yet validated)."""
    drop_keys: set[Any] = set()
    drop_items: dict[Any, set[Any]] = {}
    for path in paths:
        if not path:
            return _Validated(None)
        if len(path) >= 2 and isinstance(data.get(path[0]), list | dict):
            drop_items.setdefault(path[0], set()).add(path[1])
        else:
            drop_keys.add(path[0])
    rest = _Validated[Any](None)
    pruned: dict[Any, Any] = {}
    for key, value in data.items():
        gone = drop_items.get(key, set())
        if key in drop_keys:
            continue
        if isinstance(value, list) and gone:
            rest.index[str(key)] = kept = [i for i in range(len(value)) if i not in gone]
            pruned[key] = [value[i] for i in kept]
            for i in gone & set(range(len(value))):
                ident = value[i].get("id") if isinstance(value[i], dict) else None
                if isinstance(ident, str):
                    rest.broken.add(ident)
        elif isinstance(value, dict) and gone:
            pruned[key] = {k: v for k, v in value.items() if k not in gone}
            rest.broken.update(k for k in gone if isinstance(k, str))
        else:
            pruned[key] = value
    rest.model = pruned
    return rest


def _finish(parsed: Source, problems: list[Problem], start: int) -> None:
    """Add duplicate keys (when affordable or anyway failing) and sort the
    problems of one file, those from index `start` on, by line."""
    if parsed.size <= FULL_CHECK_BYTES or len(problems) > start:
        problems += [
            Problem(parsed.file, line, _field(parsed, path), message)
            for path, line, message in parsed.locator.duplicate_keys()
        ]
    mine = sorted(problems[start:], key=_sort_key)
    problems[start:] = list(dict.fromkeys(mine))


def _field(parsed: Source, path: Loc) -> str:
    """The field of a problem as the source's locator names it; where that
    is the bare path (YAML, JSON, a graph), the items on it that have an id
    are named by it too: `assets[79] (app-0003).needs[0] (power).all_of`.
    Only reported problems get here, at most MAX_PROBLEMS a file."""
    name = parsed.locator.field(path)
    return render_loc(path, parsed.data) if name == render_loc(path) else name


def _findings(
    parsed: Source, checked: _Validated[Any], findings: Iterable[Finding]
) -> list[Problem]:
    out = []
    findings = list(findings)
    for at, message in findings[:MAX_PROBLEMS]:
        loc = checked.loc(at)
        where, name = parsed.locator.line(loc), _field(parsed, loc)
        out.append(Problem(parsed.file, where, name, message))
    if len(findings) > MAX_PROBLEMS:
        out.append(_more(parsed.file, len(findings) - MAX_PROBLEMS))
    return out


def _company(parsed: Source, problems: list[Problem]) -> _Validated[Company]:
    start = len(problems)
    company = _validate(Company, parsed, problems)
    if company.model is not None:
        problems += _findings(parsed, company, check_company(company.model, company.broken))
    _finish(parsed, problems, start)
    return company


# --- pydantic errors -> problems ------------------------------------------------

_MISSING = object()


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part, _MISSING)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _MISSING


def _at(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        data = _child(data, part)
    return data


def _split_loc(data: Any, loc: tuple[str | int, ...], keep_last: bool) -> list[int]:
    """Positions in a pydantic error location that are real keys or indices of
    `data`; the others are union labels ("Provider", "tagged-union[...]", a
    discriminator tag) that mean nothing to an author.

    A label can equal a key (the command `action: hazard` has a field
    `hazard`), so this takes the reading that matches most of the location,
    preferring labels first on a tie: pydantic puts a label before its fields.
    """
    memo: dict[tuple[int, int], tuple[int, list[int]]] = {}

    def walk(node: Any, i: int) -> tuple[int, list[int]]:
        if i == len(loc):
            return 0, []
        key = (i, id(node))
        if key in memo:
            return memo[key]
        part = loc[i]
        best = walk(node, i + 1)  # `part` as a label
        child = _child(node, part)
        if child is not _MISSING or (keep_last and i == len(loc) - 1):
            score, kept = walk(child, i + 1)
            if score + 1 > best[0]:
                best = (score + 1, [i, *kept])
        memo[key] = best
        return best

    return walk(data, 0)[1]


def _resolve(tp: Any, node: Any) -> Any:
    """The concrete type behind Annotated/Optional/unions for this data node:
    a union's model member whose literal fields (the discriminator) match."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is typing.Union or origin is types.UnionType:
            members = [_resolve(m, node) for m in typing.get_args(tp) if m is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            fitting = [m for m in models if isinstance(node, dict) and _literals_match(m, node)]
            chosen = fitting or models or members
            return chosen[0] if chosen else None
        else:
            return tp


def _literals_match(model: type[BaseModel], node: dict[Any, Any]) -> bool:
    for name, info in model.model_fields.items():
        if typing.get_origin(info.annotation) is typing.Literal and (
            node.get(name) not in typing.get_args(info.annotation)
        ):
            return False
    return True


def _model_at(root: type[BaseModel], data: Any, path: Sequence[str | int]) -> Any:
    """The type expected at `path` of `data`, following the root model's fields."""
    tp: Any = root
    node = data
    for part in path:
        tp = _resolve(tp, node)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(str(part))
            if info is None:
                return None
            tp = info.annotation
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
        node = _child(node, part)
    return _resolve(tp, node)


def _message(error: Any, model: Any, key: str | int) -> str:
    kind = error["type"]
    if kind in ("missing", "union_tag_not_found"):
        return "missing required field"
    if kind == "extra_forbidden":
        fields = (
            list(model.model_fields)
            if isinstance(model, type) and issubclass(model, BaseModel)
            else []
        )
        match = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
        if match:
            return f"unknown field; did you mean {match[0]!r}?"
        home = _nested_home(model, str(key))
        return "unknown field" + (f"; did you mean '{home}: {{{key}: …}}'?" if home else "")
    if kind == "union_tag_invalid":
        tags = [t.strip("' ") for t in str(error["ctx"]["expected_tags"]).split(",")]
        tag = str(error["ctx"]["tag"])
        match = difflib.get_close_matches(tag, tags, n=1, cutoff=0.6)
        return (
            f"unknown {key} {tag!r}"
            + (f"; did you mean {match[0]!r}?" if match else "")
            + f" (expected one of: {', '.join(tags)})"
        )
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def _nested_home(model: Any, key: str) -> str | None:
    """The field of `model` whose model has a field `key`: a key written one
    level too high (a scenario's hazard entry given `type:` beside `at:`,
    where it belongs under `hazard:`)."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    for name, info in model.model_fields.items():
        if any(key in inner.model_fields for inner in _models_in(info.annotation)):
            return name
    return None


def _models_in(tp: Any, depth: int = 0) -> list[type[BaseModel]]:
    """The pydantic models a field's type names (through unions, lists, Annotated)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    if depth > 4:
        return []
    return [m for arg in typing.get_args(tp) for m in _models_in(arg, depth + 1)]


def _pydantic_problems(
    parsed: Source, root: type[BaseModel], errors: list[Any]
) -> tuple[list[Problem], list[Loc]]:
    """One problem per pydantic error, with union noise removed, and the
    location in the data of every error.

    For a value matching none of a union's members pydantic reports why each
    member failed ("not a string", "not a Provider"); only the member that got
    furthest into the value says something useful, so the others are dropped.
    """
    split: list[tuple[Any, list[int], list[int]]] = []
    sites: dict[tuple[str | int, ...], dict[str | int, tuple[int, int]]] = {}
    for e in errors:
        loc = tuple(e["loc"])
        kept = _split_loc(parsed.data, loc, keep_last=e["type"] == "missing")
        labels = sorted(set(range(len(loc))) - set(kept))
        split.append((e, kept, labels))
        depth = len(kept)
        # "not a string" for a mapping says least; a validator's complaint more.
        quality = 0 if e["type"].endswith("_type") else 1 if e["type"] == "value_error" else 2
        for i in labels:
            branches = sites.setdefault(loc[:i], {})
            branches[loc[i]] = max(branches.get(loc[i], (-1, -1)), (depth, quality))
    out: list[Problem] = []
    paths: list[Loc] = []
    for e, kept, labels in split:
        loc = tuple(e["loc"])
        paths.append(tuple(loc[i] for i in kept))
        if any(_winner(sites[loc[:i]]) != loc[i] for i in labels):
            continue
        path = tuple(loc[i] for i in kept)
        if e["type"].startswith("union_tag_") and isinstance(_at(parsed.data, path), dict):
            # The discriminator is wrong or missing: point at it, not at the whole entry.
            path = (*path, str(e["ctx"]["discriminator"]).strip("'"))
        model = _model_at(root, parsed.data, path[:-1]) if e["type"] == "extra_forbidden" else None
        out.append(
            Problem(
                parsed.file,
                parsed.locator.line(path),
                _field(parsed, path) or "(top level)",
                _message(e, model, path[-1] if path else ""),
            )
        )
    return list(dict.fromkeys(out)), paths


def _winner(branches: Mapping[str | int, tuple[int, int]]) -> str | int:
    """The union member whose errors went deepest into the value, then whose
    errors are not mere kind mismatches; the first on a tie."""
    return max(branches, key=lambda label: branches[label])
