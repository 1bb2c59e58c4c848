"""Shared test configuration: Hypothesis profiles.

``dev`` (the default) is quick; ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by
``.ci/run``) runs more examples with no deadline so that a slow CI machine does
not flake; ``light`` (``HYPOTHESIS_PROFILE=light``, the noxfile's default for
the other Pythons and PyPy) runs few examples, since the full run on one
Python already explores deeply.
"""

from __future__ import annotations

import os
import sys
import types
from typing import NoReturn

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
)
settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=False,
    print_blob=True,
)
settings.register_profile(
    "light",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


class _MissingOnThisPython(types.ModuleType):
    """A stand-in for a stdlib module this interpreter lacks.

    PyPy has no ``tracemalloc``. The memory tests import it at module level;
    with this stand-in the rest of their module still runs, and each test that
    touches ``tracemalloc`` is skipped, saying why.
    """

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(name)
        pytest.skip(f"{self.__name__} is not available on {sys.implementation.name}")


try:
    import tracemalloc  # noqa: F401
except ImportError:  # PyPy
    sys.modules["tracemalloc"] = _MissingOnThisPython("tracemalloc")
