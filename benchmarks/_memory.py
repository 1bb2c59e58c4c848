"""Memory, traced with tracemalloc: idle decoder objects and streaming peaks.

``tracemalloc`` is imported where memory is measured, not on import: PyPy
has none, and the timings run without it (:func:`unavailable` says why).
"""

from __future__ import annotations

import gc
import platform
import sys
from typing import Callable

from ._peers import Chunks

__all__ = ["idle_bytes", "streaming_peak", "unavailable"]


def unavailable() -> str | None:
    """Why memory cannot be measured on this interpreter, or ``None``."""
    try:
        import tracemalloc  # noqa: F401
    except ImportError:
        return f"tracemalloc is not available on {platform.python_implementation()}"
    return None


def idle_bytes(factory: Callable[[], tuple[object, ...]], count: int = 10_000) -> float:
    """Bytes per stream for the objects ``factory`` builds, averaged over ``count``.

    The list that keeps them alive is subtracted; one call before tracing
    keeps one-off costs (imports, caches, loggers) out of the average.
    """
    import tracemalloc

    factory()
    gc.collect()
    tracemalloc.start()
    try:
        keep: list[object] = []
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(count):
            keep.extend(factory())
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before - sys.getsizeof(keep)) / count


def streaming_peak(drain: Callable[[Chunks], object], chunks: Chunks) -> int:
    """Peak bytes allocated while ``drain`` streams ``chunks`` (already in memory)."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        drain(chunks)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - before
