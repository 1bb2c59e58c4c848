"""Shared test configuration: Hypothesis profiles.

``dev`` (the default) is quick; ``ci`` (``HYPOTHESIS_PROFILE=ci``, set by
``.ci/run``) runs more examples with no deadline so that a slow CI machine does
not flake.
"""

from __future__ import annotations

import os

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
