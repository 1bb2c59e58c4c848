"""The README, the landing page: Quick start, install instructions, links.

Its Python examples run in tests/test_docs.py, with every docs page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")


def _quick_start_lines() -> list[str]:
    section = TEXT.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_quick_start_has_exactly_two_commands() -> None:
    assert _quick_start_lines() == [
        "python -m pip install . && python -m sse_core",
        'python -m pip install -e ".[test]" && python -m pytest',
    ]


def test_cli_runs_on_the_bundled_sample() -> None:
    # What the first Quick start command runs after installing.
    result = subprocess.run(
        [sys.executable, "-m", "sse_core"], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith('{"event": ') for line in lines)


def test_install_instructions_work_without_an_index() -> None:
    # sse_core is not on an index: every pip command installs from the
    # checkout or a built wheel, and the future name is said as such.
    shell_blocks = re.findall(r"^```\n(.*?)^```", TEXT, re.S | re.M)
    commands = re.findall(r"pip install [^\n#&]*", "".join(shell_blocks))
    assert commands
    for command in commands:
        target = command.split("pip install ", 1)[1].split()
        target = [word for word in target if not word.startswith("-")]
        assert target, command
        assert target[0].strip("\"'").startswith((".", "dist/", "build")), command
    assert 'python -m pip install ".[httpx]"' in TEXT
    assert re.search(r"published on PyPI the name will be `sse_core`", TEXT)


def test_links_into_the_docs_resolve() -> None:
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)", TEXT)
    assert any(target.startswith("docs/") for target in targets)
    for target in targets:
        assert (ROOT / target).exists(), target


def test_readme_is_a_landing_page() -> None:
    # The manual lives in docs/; the README pitches, starts, and links there.
    assert len(TEXT.splitlines()) < 250
    sections = re.findall(r"^## (.+)$", TEXT, re.M)
    assert sections[:3] == ["Quick start", "Install", "Examples"]
    assert "Transports and reconnection" in sections
    assert "Documentation" in sections
