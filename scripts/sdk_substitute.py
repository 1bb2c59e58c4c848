"""A pytest plugin: every Stainless SDK in the process decodes with sse_core.

Loaded by ``scripts/sdk_suites.py`` (``-p sdk_substitute``) before the SDK's
own test modules are imported, it replaces the SDK's ``SSEDecoder`` class in
``<sdk>._streaming`` and ``<sdk>._base_client`` with
:class:`sse_core.stainless.SSEDecoder`, configured for that SDK exactly as
:func:`sse_core.stainless.install` configures it. So every path is covered:
``client._make_sse_decoder()``, anthropic's ``Stream.raw_events`` and the
tests that build ``SSEDecoder()`` themselves.
"""

from __future__ import annotations

import importlib
from typing import Any

from sse_core import stainless

__all__: list[str] = []


def _substitute(package: str) -> None:
    try:
        streaming = importlib.import_module(f"{package}._streaming")
        base_client = importlib.import_module(f"{package}._base_client")
    except ImportError:
        return
    explicit = package not in stainless._DEFAULT_TYPE_IS_NONE

    class SSEDecoder(stainless.SSEDecoder):
        __slots__ = ()

        def __init__(self, **bounds: Any) -> None:
            super().__init__(explicit_message=explicit, **bounds)

    SSEDecoder.__module__ = "sse_core.stainless"
    for module in (streaming, base_client):
        if hasattr(module, "SSEDecoder"):
            module.SSEDecoder = SSEDecoder  # type: ignore[attr-defined]


for _package in ("writerai", "openai", "anthropic"):
    _substitute(_package)
