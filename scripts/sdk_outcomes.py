"""A pytest plugin: write each test's node id and outcome to ``$SDK_OUTCOMES``.

Used by ``scripts/sdk_suites.py`` to compare two runs of an SDK's tests.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["pytest_runtest_logreport"]


def pytest_runtest_logreport(report: Any) -> None:
    """Record a failure at any phase, a pass at the call phase, skips apart."""
    if report.when == "call" or report.outcome != "passed":
        with open(os.environ["SDK_OUTCOMES"], "a", encoding="utf-8") as out:
            out.write(f"{report.outcome}\t{report.nodeid}\n")
