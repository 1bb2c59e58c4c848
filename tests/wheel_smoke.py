"""The release smoke test: what a user gets from a built wheel or a checkout.

Run from the repository root (CI does, on every run)::

    python -m pip install -e ".[release]"
    python -m tests.wheel_smoke

It checks, each in a fresh virtual environment that holds nothing else:

1. ``python -m build`` makes an sdist and a wheel (the wheel from the sdist),
   and ``twine check`` passes on both;
2. the wheel contains ``sse_core/py.typed`` and the sample stream;
3. the wheel, installed alone, runs ``python -m sse_core`` on its sample and
   ``sse-core --help``, and its ``__version__`` is the installed metadata's;
4. after ``pip install -e .`` (the README's install), mypy and pyright
   resolve ``sse_core`` in a user's script outside the checkout, with its
   real types (not ``Any``).

It needs ``build``, ``twine``, ``mypy`` and ``pyright`` in the running
Python (the ``release`` and ``test`` extras) and the network or a pip cache
for the build backend.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent

# A user's script: strict checkers must see the real types, so an unresolved
# import (every name Any) fails both the import check and the assert_type lines.
USER_SCRIPT = """\
from __future__ import annotations

from typing_extensions import assert_type

from sse_core import EventStreamParser, ServerSentEvent

parser = EventStreamParser()
events = parser.feed(b"data: hi\\n\\n")
assert_type(events, list[ServerSentEvent])
assert_type(events[0].data, str)
"""


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    """Run a command, echoing it; fail loudly with its output."""
    command = [str(arg) for arg in args]
    print("+", " ".join(command), flush=True)
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}")
    return result.stdout


def _fresh_venv(path: Path) -> Path:
    """A venv without pip (the outer pip installs into it); its python."""
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    return path / "bin" / "python"


def _pip_into(python: Path, *args: str | Path) -> None:
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", *args)


def check_build(out: Path) -> Path:
    """Build sdist and wheel, twine-check them; return the wheel."""
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    dists = sorted(out.iterdir())
    _run(sys.executable, "-m", "twine", "check", "--strict", *dists)
    wheels = [path for path in dists if path.suffix == ".whl"]
    sdists = [path for path in dists if path.name.endswith(".tar.gz")]
    assert len(wheels) == 1 and len(sdists) == 1, dists
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    for required in ("sse_core/py.typed", "sse_core/sample.sse"):
        assert required in names, f"{required} missing from {wheels[0].name}"
    assert not any(name.startswith("tests/") for name in names), "tests in wheel"
    return wheels[0]


def check_wheel_alone(wheel: Path, work: Path) -> None:
    """The wheel, alone in a fresh venv: sample, sse-core --help, version."""
    python = _fresh_venv(work / "wheel-venv")
    _pip_into(python, "--no-deps", "--no-index", wheel)
    # cwd outside the checkout, so that the installed copy is the one imported.
    out = _run(python, "-m", "sse_core", cwd=work)
    lines = out.splitlines()
    assert lines, "python -m sse_core printed nothing"
    for line in lines:
        assert set(json.loads(line)) == {"event", "data", "id", "retry"}, line
    help_text = _run(python.parent / "sse-core", "--help", cwd=work)
    assert "usage:" in help_text, help_text
    _run(
        python,
        "-c",
        "import importlib.metadata as m, sse_core; "
        "assert sse_core.__file__.startswith(__import__('sys').prefix), "
        "sse_core.__file__; "
        "assert sse_core.__version__ == m.version('sse_core'), "
        "(sse_core.__version__, m.version('sse_core'))",
        cwd=work,
    )


def check_editable_types(work: Path) -> None:
    """After ``pip install -e .``, mypy and pyright resolve sse_core's types."""
    python = _fresh_venv(work / "editable-venv")
    _pip_into(python, "--no-deps", "-e", ROOT)
    user = work / "user"
    user.mkdir()
    script = user / "app.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    # typing_extensions comes from the checker's own environment (stub search).
    _run(
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--no-incremental",
        "--python-executable",
        python,
        script,
        cwd=user,
    )
    _run(
        sys.executable,
        "-m",
        "pyright",
        "--pythonpath",
        python,
        "--level",
        "error",
        script,
        cwd=user,
    )


def main() -> None:
    """Run every check; exit non-zero with the failing command's output."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sse-core-smoke-") as tmp:
        work = Path(tmp)
        wheel = check_build(work / "dist")
        check_wheel_alone(wheel, work)
        check_editable_types(work)
    print(f"wheel smoke: ok in {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
