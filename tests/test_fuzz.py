"""The fuzz harness in tests/fuzz: replay its corpora, then run a short campaign.

The replay (always run, a second or two) passes every seed and every past
regression through its target's invariants. The campaign runs each target
under atheris for a fixed number of executions, in a subprocess; atheris is a
test dependency wherever it publishes wheels (Linux x86_64), so there a missing
atheris fails the test instead of skipping it.
"""

from __future__ import annotations

import base64
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from .fuzz.targets import TARGETS

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "tests" / "fuzz"

# Executions per target, sized for about a minute in all on a 2-core CI
# machine (parser about 1,500 executions/s, endpoints 500/s, encoder 20,000/s).
RUNS = {"parser": 25_000, "encoder": 100_000, "endpoints": 8_000}


def inputs(kind: str, target: str) -> list[Path]:
    """The inputs of one target's corpus or regressions (not the .gitkeep)."""
    directory = FUZZ / kind / target
    return sorted(path for path in directory.iterdir() if not path.name.startswith("."))


def test_every_target_has_a_seed_corpus_and_a_regression_directory() -> None:
    for target in TARGETS:
        assert len(inputs("corpus", target)) >= 10, target
        assert (FUZZ / "regressions" / target).is_dir(), target
    assert set(RUNS) == set(TARGETS)


def test_every_regression_is_explained_in_the_readme() -> None:
    readme = (FUZZ / "regressions" / "README.md").read_text(encoding="utf-8")
    for target in TARGETS:
        for path in inputs("regressions", target):
            assert f"| {target} | `{path.name}` |" in readme, path


@pytest.mark.parametrize("target", list(TARGETS))
def test_the_seed_corpus_keeps_the_invariants(target: str) -> None:
    failures = [
        failure
        for path in inputs("corpus", target)
        if (failure := _failure(target, path)) is not None
    ]
    assert failures == []


def _failure(target: str, path: Path) -> str | None:
    """What replaying one input found, as text; None if it kept the invariants."""
    try:
        TARGETS[target](path.read_bytes())
    except Exception as exc:
        return f"{path.relative_to(FUZZ)}: {exc!r}"[:2000]
    return None


REGRESSIONS = [
    pytest.param(target, path, id=f"{target}/{path.name[:12]}")
    for target in TARGETS
    for path in inputs("regressions", target)
]


@pytest.mark.parametrize(("target", "path"), REGRESSIONS)
def test_a_past_finding_stays_fixed(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


def _require_atheris() -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        if sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64"):
            pytest.fail(
                "atheris is a test dependency on Linux x86_64, where it ships "
                "wheels: python -m pip install -e '.[test]'"
            )
        pytest.skip(
            "atheris ships wheels for Linux x86_64 only (an old universal2 one "
            "for macOS); the corpus replay above still ran"
        )


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_short_fuzzing_campaign_finds_nothing(target: str, tmp_path: Path) -> None:
    _require_atheris()
    found = tmp_path / "found"
    found.mkdir()
    command = [
        sys.executable,
        "-m",
        "tests.fuzz",
        target,
        f"-runs={RUNS[target]}",
        "-seed=1",
        f"-artifact_prefix={tmp_path}/",
        str(found),
        str(FUZZ / "corpus" / target),
        str(FUZZ / "regressions" / target),
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    crashes = sorted(tmp_path.glob("crash-*"))
    report = "\n".join(
        f"{path.name} (base64): {base64.b64encode(path.read_bytes()).decode()}"
        for path in crashes
    )
    assert result.returncode == 0 and not crashes, (
        f"atheris found a failing input; add it to tests/fuzz/regressions/{target}/ "
        f"and to its README.\n{report}\n{result.stderr[-4000:]}"
    )
    assert f"Done {RUNS[target]} runs" in result.stderr
