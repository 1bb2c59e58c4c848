"""Project facts outside the code: one version, supported Pythons, changelog."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

import sse_core

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.9 and 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_version_is_written_once() -> None:
    # pyproject.toml holds no version of its own: the backend reads it from
    # the package, so the two cannot drift apart.
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "sse_core/__init__.py"
    source = (ROOT / "sse_core" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "([^"]+)"$', source, re.M) == [
        sse_core.__version__
    ]


def test_version_matches_installed_metadata() -> None:
    try:
        distribution = importlib.metadata.distribution("sse_core")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(
            "sse_core is not installed (a PYTHONPATH run); CI installs it, and "
            "tests/wheel_smoke.py checks the built wheel in a fresh venv"
        )
    assert sse_core.__version__ == distribution.version


def test_changelog_has_unreleased_and_this_version() -> None:
    headings = re.findall(
        r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", CHANGELOG, re.M
    )
    assert headings[0] == ("Unreleased", "")
    released = dict(headings[1:])
    assert sse_core.__version__ in released
    assert released[sse_core.__version__]  # a release date


def test_classifiers_list_each_supported_python() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    versions = [
        c.rsplit(" ", 1)[1]
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == ["3.9", "3.10", "3.11", "3.12", "3.13"]
    assert PYPROJECT["project"]["requires-python"] == ">=3.9"
    assert "Programming Language :: Python :: Implementation :: PyPy" in classifiers
