"""Runs the hostile-input corpus (tests/data/hostile/manifest.yaml) against the
CLI (in process, typer's runner), the API and the start page (starlette's
TestClient on SQLite), and the stream.

`python tests/hostile_corpus.py` prints one line per item and "N tried, N
clean"; tests/test_hostile.py asserts every item (one parametrized test).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "hostile"
WEB_SCENARIOS = HERE / "data" / "web"
GOOD = HERE / "data" / "good"
REJECT = ("Traceback", "Internal Server Error", "internal error")


def items() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((CORPUS / "manifest.yaml").read_text())
    return loaded


# --- generated inputs (too big for the repository) ------------------------------------


def _big_title(folder: Path) -> Path:
    """A scenario whose title is 100 KB of one word (rich wraps it in quadratic time)."""
    text = (GOOD / "scenario.yaml").read_text().replace("title: Grid blackout",
                                                        "title: " + "x" * 100_000, 1)  # fmt: skip
    (folder / "company.yaml").write_bytes((GOOD / "company.yaml").read_bytes())
    (folder / "big_title.yaml").write_text(text)
    return folder / "big_title.yaml"


def _bad_assets(folder: Path) -> Path:
    """A company of 900,000 assets of an unknown kind."""
    path = folder / "bad_assets.json"
    with path.open("w") as f:
        f.write('{"company": {"id": "c", "name": "n"}, "assets": [')
        f.write(",".join(f'{{"id": "a{i}", "kind": "castle"}}' for i in range(900_000)))
        f.write("]}")
    return path


def _cycle_company(folder: Path) -> Path:
    """A generated 100k-asset company with one instant dependency cycle: the
    last asset and one in the middle need each other with no delay or buffer."""
    from simulator.model.generate import generate

    company, _ = generate(100_000, seed=3)
    first, second = company["assets"][-1], company["assets"][50_000]
    first.setdefault("needs", []).append({"all_of": [second["id"]]})
    second.setdefault("needs", []).append({"all_of": [first["id"]]})
    path = folder / "cycle_company.json"
    path.write_text(json.dumps(company))
    return path


def _bia_bomb(folder: Path) -> Path:
    """An XLSX of 150 KB that unpacks to 129 MB of zeros (a zip bomb)."""
    import zipfile

    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", b"\0" * (129 * 1024 * 1024))
    return path


def _bia_wide(folder: Path) -> Path:
    """A BIA template whose Prozesse sheet has a value in column 1,000."""
    import io

    import openpyxl

    from simulator.readwrite.bia_write import template_xlsx

    book = openpyxl.load_workbook(io.BytesIO(template_xlsx("de")))
    book["Prozesse"].cell(row=2, column=1000, value="x")
    path = folder / "wide.xlsx"
    book.save(path)
    return path


GENERATORS: dict[str, Callable[[Path], Path | str]] = {
    "bia_bomb.xlsx": _bia_bomb,
    "bia_wide.xlsx": _bia_wide,
    "out_dir": lambda folder: folder / "out",
    "big_title.yaml": _big_title,
    "bad_assets.json": _bad_assets,
    "cycle_company.json": _cycle_company,
    "out.html": lambda folder: folder / "out.html",
    "5000_digits": lambda folder: "9" * 5000,
}


def resolve(value: str, folder: Path) -> str:
    """A manifest value: `gen:NAME` made by its generator, else itself."""
    if value.startswith("gen:"):
        return str(GENERATORS[value[4:]](folder))
    return value


# --- running an item ------------------------------------------------------------------


@dataclass
class Outcome:
    status: int | None
    output: str
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def run(item: dict[str, Any]) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="tabletop-hostile-") as tmp:
        folder = Path(tmp)
        target = item["target"]
        if target == "cli":
            outcome = _cli([resolve(a, folder) for a in item["args"]])
        elif target == "serve":
            with _missing(item["missing"]):
                # --demo of a missing file: should the imports work after all, serve
                # stops with another message (and never starts a server).
                outcome = _cli(["serve", "--demo", "missing.yaml"])
        else:
            outcome = _web(item, folder)
    _judge(item, outcome)
    return outcome


def _cli(args: list[str]) -> Outcome:
    from typer.testing import CliRunner

    from simulator.cli.app import command_line

    app = command_line()

    with chdir(CORPUS):  # paths are relative to the corpus folder, as the manifest writes them
        result = CliRunner().invoke(app, args)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: {type(result.exception).__name__}: {result.exception}"
    return Outcome(result.exit_code, output)


@contextmanager
def _missing(modules: list[str]) -> Iterator[None]:
    """Make `import NAME` fail for these modules, as without the web extra."""
    saved = {name: sys.modules.get(name) for name in modules}
    for name in modules:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _web(item: dict[str, Any], folder: Path) -> Outcome:
    from starlette.testclient import TestClient

    from web.app import create_app
    from web.settings import Settings

    settings = Settings(db_url=f"sqlite:///{folder}/hostile.db", scenarios_dir=WEB_SCENARIOS,
                        tick_s=0.01, publish_s=0.02)  # fmt: skip
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        target = item["target"]
        if target == "form":
            data = {"source": "bundled", "scenario": "scenario.yaml", "speed": "60", **item["form"]}
            r = client.post("/", data=data, headers={"accept-language": "en"})
            return Outcome(r.status_code, r.text)
        if target == "upload":
            files = {}
            for key in ("scenario_file", "company_file"):
                if key in item:
                    name, source = item[key]
                    files[key] = (name, (CORPUS / resolve(source, folder)).read_bytes())
            data = {"source": "upload", "speed": "60", **item.get("form", {})}
            r = client.post("/", data=data, files=files, headers={"accept-language": "en"})
            return Outcome(r.status_code, r.text)
        created = client.post("/api/exercises", json={"scenario": "scenario.yaml"}).json()
        auth = {"Authorization": f"Bearer {created['tokens']['facilitator']}"}
        if target == "stream":
            return _stream(client, created["id"], resolve(item["last_event_id"], folder))
        path = item["path"]
        if not path.startswith("/"):
            path = f"/api/exercises/{created['id']}/{path.removeprefix('exercise/')}"
        if "raw" in item:
            r = client.request(item["method"], path, content=item["raw"],
                               headers={**auth, "Content-Type": "application/json"})  # fmt: skip
        else:
            r = client.request(item["method"], path, json=item.get("json"), headers=auth)
        return _strict(Outcome(r.status_code, r.text))


def _strict(outcome: Outcome) -> Outcome:
    """An API answer must be strict JSON (no NaN or Infinity, which Python's
    json writes and reads but browsers' JSON.parse rejects)."""

    def refuse(name: str) -> None:
        raise ValueError(f"non-standard JSON constant {name}")

    try:
        json.loads(outcome.output, parse_constant=refuse)
    except ValueError as e:
        outcome.problems.append(f"not strict JSON: {e}")
    return outcome


def _stream(client: Any, exercise_id: str, header: str) -> Outcome:
    """The first frame a viewer gets for this Last-Event-ID header (the
    route's own parsing; an endless stream cannot go through TestClient)."""
    from web.routers.exercises import event_id

    live = client.app.state.manager.exercises[exercise_id]

    async def first() -> bytes:
        frames = live.frames("full", event_id(header))
        try:
            frame: bytes = await asyncio.wait_for(anext(frames), 10)
            if frame.startswith(b"retry:"):  # the reconnect delay comes first
                frame = await asyncio.wait_for(anext(frames), 10)
        finally:
            await frames.aclose()
        return frame

    try:
        frame = client.portal.call(first)
    except Exception as e:  # reported as unclean
        return Outcome(500, f"Traceback: {type(e).__name__}: {e}")
    return Outcome(200, frame.decode())


def _judge(item: dict[str, Any], outcome: Outcome) -> None:
    if outcome.status != item["status"]:
        outcome.problems.append(f"status {outcome.status}, expected {item['status']}")
    for text in item.get("expect", []):
        if text not in outcome.output:
            outcome.problems.append(f"missing {text!r}")
    for text in item.get("reject", REJECT):
        if text in outcome.output:
            outcome.problems.append(f"found {text!r}")


def main() -> int:
    tried = clean = 0
    for item in items():
        outcome = run(item)
        tried += 1
        clean += outcome.clean
        verdict = "clean" if outcome.clean else "NOT CLEAN: " + "; ".join(outcome.problems)
        print(f"{item['id']}: {verdict}", flush=True)
    print(f"{tried} tried, {clean} clean")
    return 0 if tried == clean else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    raise SystemExit(main())
