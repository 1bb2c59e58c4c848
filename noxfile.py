"""Test sse_core on every supported Python: ``nox`` (or ``nox -s tests-3.9``).

Sessions:

* ``tests-3.9`` ... ``tests-3.13``: the core and endpoint tests on each CPython,
  with the ``light`` Hypothesis profile (``--full`` after ``--`` runs the
  whole suite with the project's ``test`` extra instead);
* ``pypy``: the same tests on PyPy 3 (Debian's ``pypy3``, or any ``pypy3`` on
  ``PATH``).

Interpreters are found without this machine's paths: pyenv's versions (under
``$PYENV_ROOT`` or ``pyenv root``), then ``python3.X`` / ``pypy3`` on ``PATH``.
pyenv's shims are not used: a shim for a version that is not selected fails
when run. A missing interpreter skips its session with a message saying
where it was looked for. ``nox -l`` lists the sessions.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

#: The supported CPythons; the classifiers in pyproject.toml list the same.
PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]

#: The tests that need only pytest and Hypothesis: the parser, the encoder,
#: the endpoints, the CLI on files, the attacks. The rest need transports'
#: libraries and SDKs, and run with the full suite.
CORE_TESTS = [
    "tests/test_parser.py",
    "tests/test_conformance.py",
    "tests/test_properties.py",
    "tests/test_parser_mutants.py",
    "tests/test_fast_paths.py",
    "tests/test_encoder_roundtrip.py",
    "tests/test_adversarial.py",
    "tests/test_many_parsers.py",
    "tests/test_endpoints.py",
    "tests/test_endpoint_helpers.py",
    "tests/test_endpoint_records.py",
    "tests/test_endpoint_hostile.py",
    "tests/test_endpoint_view_fast_paths.py",
    "tests/test_endpoint_cli.py",
    "tests/test_cli.py",
]
CORE_DEPS = ["pytest>=7", "hypothesis>=6.80"]
#: Hypothesis 6.141 (the last for Python 3.9) fails on PyPy when a strategy
#: maps a builtin such as ``bytes.__add__`` (its lambda-source cache reads
#: ``co_code``, which PyPy's builtin code objects lack); 6.135 works.
PYPY_DEPS = ["pytest>=7", "hypothesis>=6.80,<6.136"]

nox.options.sessions = [*(f"tests-{version}" for version in PYTHONS), "pypy"]
# Skip, rather than fail, a session whose interpreter is missing (nox fails
# on CI by default); the message below says what was looked for.
nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True
if shutil.which("uv"):
    nox.options.default_venv_backend = "uv"


def _pyenv_root() -> Path | None:
    root = os.environ.get("PYENV_ROOT")
    if root:
        return Path(root)
    pyenv = shutil.which("pyenv")
    if pyenv:
        result = subprocess.run(
            [pyenv, "root"], capture_output=True, text=True, check=False
        )
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip())
    default = Path.home() / ".pyenv"
    return default if default.is_dir() else None


def _works(python: Path) -> bool:
    result = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def _patch(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.name))


def _use_pyenv_versions() -> dict[str, Path]:
    """Put pyenv's real interpreters first on PATH; drop its shims.

    Returns the version -> bin directory found, for the messages.
    """
    found: dict[str, Path] = {}
    root = _pyenv_root()
    if root is not None:
        for version in PYTHONS:
            candidates = sorted(
                (
                    path
                    for path in (root / "versions").glob(f"{version}.*")
                    if re.fullmatch(rf"{re.escape(version)}\.\d+", path.name)
                ),
                key=_patch,
                reverse=True,
            )
            for candidate in candidates:
                if _works(candidate / "bin" / f"python{version}"):
                    found[version] = candidate / "bin"
                    break
    shims = str(root / "shims") if root is not None else None
    rest = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and entry != shims
    ]
    os.environ["PATH"] = os.pathsep.join([*map(str, found.values()), *rest])
    return found


FOUND = _use_pyenv_versions()


def _tests(session: nox.Session, deps: list[str] = CORE_DEPS) -> None:
    args = list(session.posargs)
    if "--full" in args:
        args.remove("--full")
        session.install("-e", ".[test]")
        paths: list[str] = []
    else:
        session.install(*deps)
        paths = CORE_TESTS
        # The checkout is imported directly: no build step per interpreter.
        session.env["PYTHONPATH"] = str(Path(__file__).resolve().parent)
    session.env.setdefault("HYPOTHESIS_PROFILE", "light")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *paths, *args)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The core and endpoint tests on one CPython (light Hypothesis profile)."""
    version = session.python
    assert isinstance(version, str)
    where = FOUND.get(version)
    session.log(
        f"Python {version}: "
        + (f"pyenv's {where}" if where else f"python{version} from PATH")
    )
    _tests(session)


@nox.session(python="pypy3")
def pypy(session: nox.Session) -> None:
    """The core and endpoint tests on PyPy 3 (light Hypothesis profile)."""
    _tests(session, PYPY_DEPS)


def _report_missing() -> None:
    # nox's own skip line ("interpreter not found") gives no reason: say
    # where each interpreter was looked for, once, when the noxfile loads.
    for version in PYTHONS:
        if version not in FOUND and shutil.which(f"python{version}") is None:
            print(
                f"noxfile: Python {version} not found (not in pyenv's versions, "
                f"no python{version} on PATH): session tests-{version} will be "
                "skipped"
            )
    if shutil.which("pypy3") is None:
        print(
            "noxfile: pypy3 not found on PATH (Debian: apt-get install pypy3): "
            "session pypy will be skipped"
        )


_report_missing()
