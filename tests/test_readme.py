"""The README's Python examples run, in order, as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples() -> None:
    assert len(_python_blocks()) >= 2


def test_readme_python_examples_run() -> None:
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in _python_blocks():
        exec(compile(block, str(README), "exec"), namespace)


def test_readme_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert "python -m sse_core" in lines[0]
    assert "pytest" in lines[1]


def test_cli_runs_on_the_bundled_sample() -> None:
    # What the first Quick start command runs after installing.
    result = subprocess.run(
        [sys.executable, "-m", "sse_core"], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith('{"event": ') for line in lines)
