"""Every analyst notebook (notebooks/*.py, jupytext percent format) runs top to bottom.

Each notebook is converted in memory with jupytext and executed with nbclient
on an ipykernel kernel named `python3`, with notebooks/ as the working
directory. The kernel spec is written at test time into a temporary
JUPYTER_PATH and points at this interpreter, so a fresh clone needs no
`ipykernel install` and the kernel always sees the project's packages. IPython
and Jupyter runtime files go to the same temporary folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.py"))
LOG = NOTEBOOKS_DIR / "data" / "exercise-log.jsonl"
CELL_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def jupyter_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JUPYTER_PATH whose `python3` kernel runs this interpreter."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Tabletop)",
        "language": "python",
    }))  # fmt: skip
    return home


def test_the_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_explore_scenario.py",
        "02_monte_carlo.py",
        "03_tune_mitigation.py",
        "04_exercise_log.py",
    ]
    assert not list(NOTEBOOKS_DIR.rglob("*.ipynb")), "notebooks live as jupytext .py files only"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_as_a_tutorial(path: Path) -> None:
    notebook = jupytext.read(path)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith("# ")  # a title
    assert kinds.count("markdown") >= kinds.count("code") // 2 + 1  # explained as it goes
    assert "code" in kinds


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, jupyter_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_home))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(jupyter_home / "runtime"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("IPYTHONDIR", str(jupyter_home / "ipython"))
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    client.execute()  # raises CellExecutionError with the cell and traceback on an error
    errors = [o for cell in notebook.cells if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]  # fmt: skip
    assert not errors


def test_shipped_exercise_log_is_what_make_log_writes(tmp_path: Path) -> None:
    """notebooks/data/exercise-log.jsonl is reproduced byte for byte by its script."""
    out = tmp_path / "log.jsonl"
    subprocess.run([sys.executable, str(NOTEBOOKS_DIR / "data" / "make_log.py"), str(out)],
                   check=True, cwd=tmp_path)  # fmt: skip
    assert out.read_bytes() == LOG.read_bytes()
    header, *entries = [json.loads(line) for line in LOG.read_text().splitlines()]
    assert {"scenario", "seed"} <= set(header)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert [e["sim_time"] for e in entries] == sorted(e["sim_time"] for e in entries)
    assert {"clock", "msel", "inject", "decision"} <= {e["kind"] for e in entries}
