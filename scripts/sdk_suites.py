"""Run the Stainless SDKs' own streaming tests with sse_core substituted.

For writer-sdk, openai and anthropic (the versions installed here), this
downloads the SDK's source distribution from PyPI (its ``tests/`` ship in
it), runs the streaming tests twice, with the SDK's own decoder and with
:mod:`sse_core.stainless` in its place (``scripts/sdk_substitute.py``), and
compares: a test that passes with the SDK's decoder and fails with sse_core's
is a difference. Every expected difference is listed in ``DIFFERENCES`` with
its reason; the script fails on any other.

Usage (from the repository root, about a minute)::

    python scripts/sdk_suites.py [--work DIR] [--sdk writer-sdk ...]

``DIR`` defaults to ``$TMPDIR/sse_core_sdk_suites`` and keeps the downloads
between runs. The SDKs' test dependencies are installed into ``DIR/deps``
(``pip install --target``), so the environment running sse_core's tests is
left alone. Exit status 1 if a difference is not listed.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The SDKs' test dependencies (their dev dependency groups, the part their
# streaming tests import), installed without their own dependencies: pytest,
# httpx, pydantic and the SDKs come from the environment running the script.
TEST_DEPENDENCIES = (
    "pytest-asyncio",
    "pytest-xdist",  # their addopts say "-n auto"
    "execnet",
    "inline-snapshot",
    "executing",
    "asttokens",
    "respx",
    "dirty-equals",
    "time-machine",
    "http-snapshot==0.1.9",
    "nest_asyncio",
    "rich",
    "markdown-it-py",
    "mdurl",
    "pygments",
)

# distribution -> its streaming tests.
SUITES = {
    "writer-sdk": ("tests/test_streaming.py",),
    "openai": (
        "tests/test_streaming.py",
        "tests/test_sse_framing.py",
        "tests/lib/streaming",
        "tests/lib/test_streaming_deltas.py",
        "tests/lib/chat/test_completions_streaming.py",
    ),
    "anthropic": (
        "tests/test_streaming.py",
        "tests/lib/streaming",
        "tests/lib/test_refusal_fallback_streaming.py",
    ),
}

_NO_DATA = (
    "WHATWG HTML 9.2.6 'dispatch the event' step 2: a block without data "
    "('event: ping' then a blank line) is not dispatched; the SDK's decoder "
    "dispatches it"
)
_PRIVATE = "asserts the SDK decoder's private attribute _data"

# (distribution, test id prefix) -> reason. A prefix covers its parameters.
DIFFERENCES = {
    ("writer-sdk", "tests/test_streaming.py::test_event_missing_data"): _NO_DATA,
    ("writer-sdk", "tests/test_streaming.py::test_multiple_events["): _NO_DATA,
    ("openai", "tests/test_streaming.py::test_event_missing_data"): _NO_DATA,
    ("openai", "tests/test_streaming.py::test_multiple_events["): _NO_DATA,
    ("openai", "tests/test_sse_framing.py::test_unterminated_event"): _PRIVATE,
    (
        "openai",
        "tests/test_sse_framing.py::test_ignored_lines_are_discarded_incrementally",
    ): _PRIVATE,
    ("openai", "tests/test_sse_framing.py::test_sync_interruption"): _PRIVATE,
    ("openai", "tests/test_sse_framing.py::test_async_interruption"): _PRIVATE,
    ("openai", "tests/test_sse_framing.py::test_cancellation_clears"): _PRIVATE,
    ("anthropic", "tests/test_streaming.py::test_event_missing_data"): _NO_DATA,
    ("anthropic", "tests/test_streaming.py::test_multiple_events["): _NO_DATA,
}


def _source(work: Path, distribution: str) -> Path:
    version = importlib.metadata.version(distribution)
    name = f"{distribution.replace('-', '_')}-{version}"
    extracted = work / name
    if not extracted.is_dir():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"{distribution}=={version}",
                "-d",
                str(work),
            ],
            check=True,
        )
        archive = next(work.glob(f"{name}.tar.gz"), None) or next(
            work.glob(f"{distribution}-{version}.tar.gz")
        )
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data") if hasattr(
                tarfile, "data_filter"
            ) else tar.extractall(work)
        if not extracted.is_dir():
            extracted = work / f"{distribution}-{version}"
    return extracted


def _dependencies(work: Path) -> Path:
    target = work / "deps"
    if not all((target / name).is_dir() for name in ("pytest_asyncio", "xdist")):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                *TEST_DEPENDENCIES,
            ],
            check=True,
        )
    return target


def _run(
    source: Path, paths: tuple[str, ...], deps: Path, substitute: bool, report: Path
) -> dict[str, bool]:
    python_path = [str(deps), str(ROOT / "scripts")]
    plugins = ["-p", "sdk_outcomes"]
    if substitute:
        python_path.insert(0, str(ROOT))
        plugins += ["-p", "sdk_substitute"]
    report.unlink(missing_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(python_path),
        "SDK_OUTCOMES": str(report),
    }
    present = [path for path in paths if (source / path).exists()]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *plugins,
            *present,
        ],
        cwd=source,
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    if not report.exists():
        # pytest stopped before running a test (a usage error, a missing
        # plugin): say so instead of failing on the missing report.
        raise SystemExit(f"pytest ran no test in {source}: see its output above")
    outcomes: dict[str, bool] = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        outcome, test = line.split("\t", 1)
        if outcome == "skipped":
            outcomes.pop(test, None)
        else:
            outcomes[test] = outcomes.get(test, True) and outcome == "passed"
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """Run the suites; return 1 if a difference is not listed in DIFFERENCES."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "sse_core_sdk_suites"
    )
    parser.add_argument("--sdk", action="append", choices=sorted(SUITES))
    args = parser.parse_args(argv)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    deps = _dependencies(work)
    unexpected = 0
    for distribution in args.sdk or SUITES:
        started = time.perf_counter()
        source = _source(work, distribution)
        paths = SUITES[distribution]
        own = _run(source, paths, deps, False, work / f"{distribution}-own.txt")
        ours = _run(source, paths, deps, True, work / f"{distribution}-sse_core.txt")
        differences = sorted(
            t for t, ok in own.items() if ok and not ours.get(t, False)
        )
        gained = sorted(t for t, ok in ours.items() if ok and not own.get(t, True))
        passed = sum(ours.values())
        print(
            f"{distribution} {importlib.metadata.version(distribution)}: "
            f"{passed}/{len(ours)} pass with sse_core ({sum(own.values())}/{len(own)}"
            f" with its own decoder), {time.perf_counter() - started:.0f} s"
        )
        for test in differences:
            reason = next(
                (
                    why
                    for (dist, prefix), why in DIFFERENCES.items()
                    if dist == distribution and test.startswith(prefix)
                ),
                None,
            )
            if reason is None:
                unexpected += 1
                print(f"  UNEXPECTED {test}")
            else:
                print(f"  expected   {test}: {reason}")
        for test in gained:
            print(f"  fixed      {test}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
