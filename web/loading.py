"""Loading scenarios for requests: uploads from memory, in a child process
with a time and memory budget.

An uploaded file is data, never a path: the scenario is parsed from its
bytes, and its `company:` is the uploaded company file (whatever its name) or
one of the bundled companies looked up by name in a table built from the
scenarios folder — no name from the upload is ever opened.

Parsing and validating run in a child process (`python -m web.loading`),
never on the event loop nor in the server's memory: a YAML alias bomb or a
pathological file is killed when it exceeds `timeout_s` or `memory_mb`, and
at most `workers` such children run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import pickle
import resource
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.model.schema import ScenarioBundle
from simulator.model.validation import ScenarioError
from simulator.readwrite.io import CompanyNotFound, load_bundle_data, parse_file, read_file


class LoadFailed(Exception):
    """The file could not be checked within its budget (`reason` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Upload:
    name: str  # the file name as shown in messages (no folders)
    data: bytes


def bundled_companies(root: Path) -> dict[str, str]:
    """Bundled company files by the names an upload may give in `company:`:
    the path under the scenarios folder ("dairy/company.yaml") and the
    company's id ("saechsische-molkerei") -> the file's path. The folder is
    the server's own (trusted); build this once."""
    root = root.resolve()
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.yaml")):
        try:
            data = parse_file(path).data
        except ScenarioError:
            continue
        if isinstance(data, dict) and "assets" in data:
            found[path.relative_to(root).as_posix()] = str(path)
            ident = data.get("company", {}).get("id") if isinstance(data.get("company"), dict) \
                else None  # fmt: skip
            if isinstance(ident, str):
                found.setdefault(ident, str(path))
    return found


def _load_upload(scenario: Upload, company: Upload | None,
                 bundled: dict[str, str]) -> ScenarioBundle:  # fmt: skip
    """Runs in the child: the bundle of an upload, or ScenarioError."""

    def source(ref: str) -> tuple[str, bytes]:
        if company is not None and company.name.lower().endswith(".xlsx"):
            return company.name, _workbook_company(company)
        if company is not None:
            return company.name, company.data
        path = bundled.get(ref.removeprefix("./"))
        if path is None:
            names = ", ".join(sorted(k for k in bundled if "/" in k))
            raise CompanyNotFound(
                "upload the company file too, or name a bundled company "
                f"({names or 'none available'})"
            )
        return ref, read_file(path, ref)

    return load_bundle_data(scenario.name, scenario.data, source)


def _workbook_company(workbook: Upload) -> bytes:
    """A BIA workbook's company as the text of a company file (JSON, which
    is YAML), read from memory; ScenarioError names its cells. The company is
    then checked once more with the scenario, as an uploaded file is."""
    from simulator.readwrite.bia_read import company_of, read_xlsx

    book = read_xlsx(workbook.data, workbook.name)
    company_of(book)  # every problem of the workbook, at its cell
    return json.dumps(book.data, ensure_ascii=False).encode()


Request = tuple[Upload, Upload | None, dict[str, str]]


def _check(memory_mb: int, request: Request) -> tuple[str, Any]:
    """Runs in the child: ("ok", bundle), ("problems", [...]) or ("failed", why)."""
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # not every platform allows it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        return "ok", _load_upload(*request)
    except ScenarioError as e:
        return "problems", e.problems
    except MemoryError:
        return "failed", f"needs more than {memory_mb} MB to check"
    except RecursionError:
        return "failed", "nested too deeply to check"
    except Exception as e:  # a bug: say so briefly
        return "failed", f"cannot be checked ({type(e).__name__})"


def main() -> None:
    """`python -m web.loading MEMORY_MB`: one check, request and result
    pickled on stdin and stdout (between this server and its own child)."""
    request = pickle.load(sys.stdin.buffer)
    result = _check(int(sys.argv[1]), request)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


class Loader:
    """Checks uploaded scenarios in child processes, `workers` at a time."""

    def __init__(self, workers: int = 2, timeout_s: float = 20.0, memory_mb: int = 2048) -> None:
        self.timeout_s, self.memory_mb = timeout_s, memory_mb
        self._slots = asyncio.Semaphore(workers)

    async def upload(self, scenario: Upload, company: Upload | None,
                     bundled: dict[str, str]) -> ScenarioBundle:  # fmt: skip
        """The validated bundle of an upload; ScenarioError with its problems,
        or LoadFailed when it exceeds the budget."""
        request = pickle.dumps((scenario, company, bundled), protocol=pickle.HIGHEST_PROTOCOL)
        async with self._slots:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "web.loading", str(self.memory_mb),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
            try:
                out, _ = await asyncio.wait_for(process.communicate(request), self.timeout_s)
            except TimeoutError:
                raise LoadFailed(f"took longer than {self.timeout_s:g} s to check") from None
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
        try:
            kind, value = pickle.loads(out)
        except Exception:  # the child died (out of memory, killed): no result
            raise LoadFailed(f"needs more than {self.memory_mb} MB to check") from None
        if kind == "ok":
            bundle: ScenarioBundle = value
            return bundle
        if kind == "problems":
            raise ScenarioError(value)
        raise LoadFailed(str(value))


if __name__ == "__main__":
    main()
