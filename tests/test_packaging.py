"""How Tabletop is installed: the console script lives in the simulator, the
web part adds its commands through entry points, and a wheel carries the
bundled scenarios inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from simulator.cli import plugins
from simulator.cli.app import command_line

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".tools" / "bin" / "uv"  # scripts/setup.sh puts the pinned uv there


def test_the_web_part_adds_serve_and_exercises() -> None:
    names = set(typer.main.get_command(command_line()).commands)  # type: ignore[attr-defined]
    assert {"serve", "exercises", "run", "validate"} <= names
    help_text = subprocess.run([str(ROOT / ".venv" / "bin" / "tabletop"), "--help"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "serve" in help_text and "exercises" in help_text


def test_serve_without_the_web_extra_says_what_to_install() -> None:
    code = ("import sys; sys.modules['uvicorn'] = None; sys.argv = ['tabletop', 'serve']; "
            "from simulator.cli.app import main; main()")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    assert "tabletop serve needs the web extra (uvicorn is not installed)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_command_that_cannot_be_imported_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = EntryPoint(name="broken", value="no_such_module:command", group=plugins.GROUP)
    monkeypatch.setattr(plugins, "entry_points", lambda group: [broken])
    app = typer.Typer()

    @app.command()
    def hello() -> None:  # a second command, so typer keeps the names
        """Say hello."""

    plugins.add_plugins(app)
    plugins.add_plugins(app)  # once only
    assert [c.name for c in app.registered_commands] == [None, "broken"]
    result = CliRunner().invoke(app, ["broken"])
    assert result.exit_code == 2
    assert "tabletop broken is not available here (No module named 'no_such_module')" in (
        result.output)


@pytest.mark.skipif(not UV.exists(), reason="needs the pinned uv of scripts/setup.sh")
def test_a_wheel_carries_the_scenarios_and_runs_them(tmp_path: Path) -> None:
    """Build the wheel, install it without extras into a new virtual
    environment, and run a bundled scenario from the installed package."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never",
           "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"}  # fmt: skip
    subprocess.run([str(UV), "build", "--wheel", "-q", "-o", str(tmp_path / "dist"), str(ROOT)],
                   check=True, env=env, capture_output=True)  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("tabletop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "simulator/scenarios/dairy/blackout.yaml" in names
    assert "simulator/scenarios/README.md" in names
    assert "web/templates/base.html" in names
    venv = tmp_path / "venv"
    subprocess.run([str(UV), "venv", "-q", "--python", sys.executable, str(venv)],
                   check=True, env=env, capture_output=True)  # fmt: skip
    subprocess.run([str(UV), "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
                    str(wheel)], check=True, env=env, capture_output=True)  # fmt: skip
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import simulator; print(simulator.BUNDLED_SCENARIOS)"],
        capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()  # fmt: skip
    assert Path(where) == venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / (
        "site-packages/simulator/scenarios")
    tabletop = str(venv / "bin" / "tabletop")
    valid = subprocess.run([tabletop, "validate", f"{where}/dairy/blackout.yaml"],
                           capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert valid.returncode == 0, valid.stderr
    serve = subprocess.run([tabletop, "serve"], capture_output=True, text=True, cwd=tmp_path)
    assert serve.returncode == 2
    assert "pip install 'tabletop[web]'" in serve.stderr
