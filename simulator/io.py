"""Reading scenario and company files, writing results: the only module of
`simulator` that touches the disk, so the engine stays a pure library.

Loading reports every problem of both files at once as `file:line: field:
message`, with the line found in PyYAML's node tree: an author fixing a file
wants all mistakes in one pass, each where it is, not one traceback per run.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import threading
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from simulator.gcpause import paused_gc
from simulator.schema import Company, Scenario, ScenarioBundle
from simulator.validation import (
    Finding,
    Loc,
    Problem,
    ScenarioError,
    check_company,
    check_scenario,
    render_loc,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml: same results, slower
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathLike = str | os.PathLike[str]
M = TypeVar("M", bound=BaseModel)

MAX_FILE_BYTES = 512 * 1024 * 1024
"""The largest scenario or company file read: a generated 100k-asset company
is ~60 MB as JSON; anything far beyond is a mistake (or /dev/zero)."""

MAX_PROBLEMS = 300
"""Problems reported in detail per file and kind (schema, cross-references);
the rest are counted: 900,000 broken assets must not take minutes and
gigabytes to report."""
CHUNK = 10_000
"""Items of a long list validated at a time once a file is known to be full of problems."""
MAX_LINE_LOOKUP_BYTES = 20_000_000
"""JSON files larger than this get no line numbers: composing one as YAML (to
find lines) takes minutes; the field path still says where a problem is."""
FULL_CHECK_BYTES = 2_000_000
"""Files up to this size are always scanned for duplicate keys; larger ones
(generated benchmark companies) only when they have other problems."""


# Characters JSON allows but YAML refuses (tabs between tokens, DEL, C1
# controls, noncharacters): blanked, one for one, before a JSON file is
# composed as YAML to find lines, so every line keeps its number.
_YAML_UNSAFE = re.compile("[\t\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

TOO_DEEP = "nested too deeply (more than about 1000 levels of lists and mappings)"


class LineMap:
    """Line numbers of a parsed YAML file, from its node tree.

    PyYAML's data carries no positions, so problems found in the data (by
    pydantic or the checks) are located by walking the same path of keys and
    indices through the nodes.
    """

    def __init__(self, root: yaml.Node | None, text: str | None = None) -> None:
        self._root = root
        self._text = text  # parsed into nodes only when a line is asked for

    @property
    def root(self) -> yaml.Node | None:
        if self._text is not None:
            text, self._text = self._text, None
            if len(text) > MAX_LINE_LOOKUP_BYTES:
                return None
            try:
                self._root = yaml.compose(text, Loader=_Loader)
            except yaml.YAMLError:  # lines are a help: without them, messages still name fields
                self._root = None
        return self._root

    def line(self, path: Sequence[str | int]) -> int | None:
        """1-based line of the value at `path`; where the path leaves the file
        (a missing field) the line of the deepest part that exists."""
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = _lookup(node, part)
                if found is None:
                    break
                key, node = found
                line = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def duplicate_keys(self) -> list[tuple[Loc, int, str]]:
        """(path, line, message) of every mapping key given twice: PyYAML keeps
        the last silently, so the first would be ignored without a word."""
        out: list[tuple[Loc, int, str]] = []
        if self.root is None:
            return out
        seen: set[int] = set()
        stack: list[tuple[yaml.Node, Loc]] = [(self.root, ())]
        while stack:
            node, path = stack.pop()
            if id(node) in seen:  # an alias: walked already
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                first: dict[str, int] = {}
                for key, value in node.value:
                    if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                        line = key.start_mark.line + 1
                        if key.value in first:
                            out.append(
                                (
                                    (*path, key.value),
                                    line,
                                    f"duplicate key {key.value!r} (first on line "
                                    f"{first[key.value]}); YAML would keep only the last",
                                )
                            )
                        else:
                            first[key.value] = line
                        stack.append((value, (*path, key.value)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
        out.sort(key=lambda found: found[1])
        return out


def _lookup(node: yaml.MappingNode, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(key node, value node) of `part` in a mapping: the last of duplicates,
    as PyYAML keeps it, else through `<<` merge keys."""
    want = str(part)
    merged: list[yaml.Node] = []
    for key, value in reversed(node.value):
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.tag == "tag:yaml.org,2002:merge":
            merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
        elif key.value == want:
            return key, value
    for source in merged:
        if isinstance(source, yaml.MappingNode):
            found = _lookup(source, part)
            if found is not None:
                return found
    return None


@dataclass
class _Parsed:
    file: str
    data: Any
    lines: LineMap
    size: int


class _CannotRead(ScenarioError):
    """The file is missing or unreadable (`reason` says why)."""

    def __init__(self, file: str, reason: str) -> None:
        self.reason = reason
        super().__init__([Problem(file, None, "file", f"cannot read: {reason}")])


def read_file(path: PathLike, name: str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Anything else is refused before it is read: a folder, a device such as
    /dev/zero (would fill memory), a FIFO (would block forever; opened
    non-blocking so that opening cannot hang either). _CannotRead says why."""
    file = name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as e:  # ValueError: a NUL byte in the name
        raise _CannotRead(file, getattr(e, "strerror", None) or str(e)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise _CannotRead(file, f"not a regular file ({what})")
    with os.fdopen(fd, "rb") as f:
        if info.st_size > limit:
            raise _CannotRead(file, f"larger than {limit // (1024 * 1024)} MB")
        try:
            raw = f.read(limit + 1)
        except OSError as e:
            raise _CannotRead(file, e.strerror or str(e)) from None
        if len(raw) > limit:  # it grew while being read
            raise _CannotRead(file, f"larger than {limit // (1024 * 1024)} MB")
        return raw


def _parse(path: PathLike, name: str | None = None) -> _Parsed:
    """Read and parse a YAML file, raising ScenarioError when that fails."""
    file = name or str(path)
    return _parse_bytes(read_file(path, file), file)


def _parse_bytes(raw: bytes, file: str) -> _Parsed:
    """Parse the bytes of a YAML (or, by its name, JSON) file named `file`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        message = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as UTF-8"
        raise ScenarioError([Problem(file, line, "file", message)]) from None
    if file.endswith(".json"):
        # JSON is YAML too, but json parses a generated 100k-asset company
        # ~30x faster; lines are looked up (through YAML) only for problems.
        try:
            data = json.loads(text)
            return _Parsed(file, data, LineMap(None, _YAML_UNSAFE.sub(" ", text)), len(raw))
        except json.JSONDecodeError as e:
            raise ScenarioError([Problem(file, e.lineno, "json", e.msg)]) from None
        except RecursionError:
            raise ScenarioError([Problem(file, None, "json", TOO_DEEP)]) from None
    # yaml.load composes the node tree anyway (also with libyaml); keeping it
    # costs nothing and gives line numbers without parsing twice.
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = e.problem or e.context or "invalid YAML"
        if e.context and e.problem and e.context_mark:
            message += f" ({e.context} on line {e.context_mark.line + 1})"
        raise ScenarioError(
            [Problem(file, mark.line + 1 if mark else None, "yaml", message)]
        ) from None
    except yaml.YAMLError as e:
        raise ScenarioError([Problem(file, None, "yaml", str(e))]) from None
    finally:
        loader.dispose()
    return _Parsed(file, data, LineMap(root), len(raw))


@paused_gc()
def read_yaml(path: PathLike) -> tuple[Any, LineMap]:
    """The data of a YAML file and its line map; ScenarioError if it cannot be
    read or parsed."""
    parsed = _parse(path)
    return parsed.data, parsed.lines


def _mapping_problems(parsed: _Parsed) -> list[Problem]:
    if parsed.data is None:
        return [Problem(parsed.file, None, "file", "empty file")]
    if not isinstance(parsed.data, dict):
        kind = "list" if isinstance(parsed.data, list) else type(parsed.data).__name__
        message = f"expected a mapping of keys at the top level, found a {kind}"
        return [Problem(parsed.file, parsed.lines.line(()), "file", message)]
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


def _validate(model: type[M], parsed: _Parsed, problems: list[Problem]) -> _Validated[M]:
    """Validate a parsed file, adding its schema problems to `problems`."""
    found = _mapping_problems(parsed)
    if found:
        problems += found
        return _Validated(None)
    many = _many_problems(model, parsed.data)
    if many is not None:  # the first ones in detail, the rest counted
        errors, total = many
        found, _ = _pydantic_problems(parsed, model, errors)
        problems += [*found, _more(parsed.file, total - len(found))]
        return _Validated(None)
    try:
        return _Validated(model.model_validate(parsed.data, context={"from_file": True}))
    except ValidationError as e:
        error = e
    found, paths = _pydantic_problems(parsed, model, _first_errors(model, parsed.data, error))
    problems += found
    if error.error_count() > MAX_PROBLEMS:  # the rest is counted, not checked further
        problems.append(_more(parsed.file, error.error_count() - len(found)))
        return _Validated(None)
    rest = _prune(parsed.data, paths)
    try:
        rest.model = model.model_validate(rest.model, context={"from_file": True})
    except ValidationError:
        return _Validated(None)
    return typing.cast(_Validated[M], rest)


def _many_problems(model: type[M], data: dict[Any, Any]) -> tuple[list[Any], int] | None:
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
            model.model_validate({**data, key: part}, context={"from_file": True})
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


def _first_errors(model: type[M], data: dict[Any, Any], error: ValidationError) -> list[Any]:
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
                                 context={"from_file": True})  # fmt: skip
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


def _finish(parsed: _Parsed, problems: list[Problem], start: int) -> None:
    """Add duplicate keys (when affordable or anyway failing) and sort the
    problems of one file, those from index `start` on, by line."""
    if parsed.size <= FULL_CHECK_BYTES or len(problems) > start:
        problems += [
            Problem(parsed.file, line, render_loc(path), message)
            for path, line, message in parsed.lines.duplicate_keys()
        ]
    mine = sorted(problems[start:], key=lambda p: (isinstance(p, _More), p.line or 0))
    problems[start:] = list(dict.fromkeys(mine))


def _findings(
    parsed: _Parsed, checked: _Validated[Any], findings: Iterable[Finding]
) -> list[Problem]:
    out = []
    findings = list(findings)
    for at, message in findings[:MAX_PROBLEMS]:
        loc = checked.loc(at)
        out.append(Problem(parsed.file, parsed.lines.line(loc), render_loc(loc), message))
    if len(findings) > MAX_PROBLEMS:
        out.append(_more(parsed.file, len(findings) - MAX_PROBLEMS))
    return out


@paused_gc()
def load_company(path: PathLike) -> Company:
    """A validated company model; ScenarioError lists every problem of the file."""
    parsed = _parse(path)
    problems: list[Problem] = []
    company = _company(parsed, problems)
    if problems or company.model is None:
        raise ScenarioError(problems)
    return company.model


def _company(parsed: _Parsed, problems: list[Problem]) -> _Validated[Company]:
    start = len(problems)
    company = _validate(Company, parsed, problems)
    if company.model is not None:
        problems += _findings(parsed, company, check_company(company.model, company.broken))
    _finish(parsed, problems, start)
    return company


CompanySource = typing.Callable[[str], tuple[str, bytes]]
"""Finds the company a scenario names in `company:`: (file name for messages,
its bytes); raises _CannotRead (via `read_file`) or CompanyNotFound."""


class CompanyNotFound(LookupError):
    """No company under the name a scenario gives (`reason` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _beside(path: Path) -> CompanySource:
    """The command line's rule: `company:` is a file relative to the scenario
    file, anywhere the user can read, but only a regular file of bounded size."""

    def source(ref: str) -> tuple[str, bytes]:
        company_path = path.parent / ref
        name = os.path.normpath(company_path)
        return name, read_file(company_path, name)

    return source


@paused_gc()
def load_bundle(path: PathLike) -> ScenarioBundle:
    """A scenario and its company (`company:` is relative to the scenario file),
    validated together; ScenarioError lists every problem of both files."""
    return _bundle(_parse(path), _beside(Path(path)))


@paused_gc()
def load_bundle_data(file: str, data: bytes, company: CompanySource) -> ScenarioBundle:
    """A scenario given as bytes (an upload) with its company from `company`,
    which never opens a path taken from the data: uploads are loaded from
    memory. `file` names the scenario in messages."""
    return _bundle(_parse_bytes(data, file), company)


def _clean_json_company(file: str, raw: bytes) -> Company | None:
    """A JSON company that is entirely valid, parsed and validated by pydantic
    in one pass (no intermediate dicts to build and free: a 100k-asset
    company loads ~2x faster); None for anything else, which then takes the
    path that locates every problem."""
    if not file.endswith(".json") or len(raw) <= FULL_CHECK_BYTES:
        return None  # small files also get the duplicate-key check
    try:
        company = Company.model_validate_json(raw, context={"from_file": True})
    except ValidationError:
        return None
    return None if check_company(company) else company


def _bundle(parsed: _Parsed, source: CompanySource) -> ScenarioBundle:
    problems: list[Problem] = []
    scenario = _validate(Scenario, parsed, problems)
    company = _Validated[Company](None)
    ref = parsed.data.get("company") if isinstance(parsed.data, dict) else None
    company_problems: list[Problem] = []
    if isinstance(ref, str):
        try:
            name, raw = source(ref)
        except (_CannotRead, CompanyNotFound) as e:
            line = parsed.lines.line(("company",))
            message = f"cannot read company file {ref!r}: {e.reason}"
            problems.append(Problem(parsed.file, line, "company", message))
        else:
            fast = _clean_json_company(name, raw)
            if fast is not None:
                company = _Validated(fast)
            else:
                try:
                    company = _company(_parse_bytes(raw, name), company_problems)
                except ScenarioError as e:
                    company_problems += e.problems
    if scenario.model is not None and company.model is not None:
        findings = check_scenario(scenario.model, company.model, scenario.broken | company.broken)
        problems += _findings(parsed, scenario, findings)
    _finish(parsed, problems, 0)
    problems += company_problems
    if problems or scenario.model is None or company.model is None:
        raise ScenarioError(problems)
    return ScenarioBundle(scenario=scenario.model, company=company.model)


@paused_gc()
def validate_file(path: PathLike) -> list[Problem]:
    """Every problem of a scenario file (with its company) or a company file,
    told apart by content: a company file has `assets`, a scenario names its
    company file in `company`. No problems: the file is valid."""
    try:
        parsed = _parse(path)
        if isinstance(parsed.data, dict) and (
            "assets" in parsed.data or isinstance(parsed.data.get("company"), dict)
        ):
            problems: list[Problem] = []
            _company(parsed, problems)
            return problems
        _bundle(parsed, _beside(Path(path)))
    except ScenarioError as e:
        return e.problems
    return []


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
        return "unknown field" + (f"; did you mean {match[0]!r}?" if match else "")
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


def _pydantic_problems(
    parsed: _Parsed, root: type[BaseModel], errors: list[Any]
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
                parsed.lines.line(path),
                render_loc(path) or "(top level)",
                _message(e, model, path[-1] if path else ""),
            )
        )
    return list(dict.fromkeys(out)), paths


def _winner(branches: Mapping[str | int, tuple[int, int]]) -> str | int:
    """The union member whose errors went deepest into the value, then whose
    errors are not mere kind mismatches; the first on a tie."""
    return max(branches, key=lambda label: branches[label])


# --- writing ----------------------------------------------------------------------


def _replace_atomically(path: PathLike, write: typing.Callable[[typing.TextIO], None]) -> None:
    """Write to a temporary file beside `path`, then rename it into place, so a
    reader (the web app, a file watcher) never sees half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as f:
            write(f)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: PathLike, text: str) -> None:
    """Write UTF-8 text with Unix newlines, creating folders as needed."""

    def write(f: typing.TextIO) -> None:
        f.write(text)

    _replace_atomically(path, write)


def write_jsonl(path: PathLike, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write one compact JSON object per line (JSON Lines), keys in the order
    given; returns the number of rows. Streams: `rows` may be a generator."""
    count = 0

    def write(f: typing.TextIO) -> None:
        nonlocal count
        for row in rows:
            f.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False, allow_nan=False))
            f.write("\n")
            count += 1

    _replace_atomically(path, write)
    return count


def write_data(path: PathLike, data: Any) -> None:
    """Write plain data as YAML, or as JSON when `path` ends in .json (which
    loads ~30x faster for generated companies of 100k assets)."""
    if str(path).endswith(".json"):
        write_text(path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
        return
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    write_text(path, yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))


def write_bytes(path: PathLike, data: bytes) -> None:
    """Write a binary file (a PDF, an XLSX) atomically, creating folders as needed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
