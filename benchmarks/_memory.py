"""Memory, traced with tracemalloc: idle decoder objects and streaming peaks."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from typing import Callable

from ._peers import Chunks

__all__ = ["idle_bytes", "streaming_peak"]


def idle_bytes(factory: Callable[[], tuple[object, ...]], count: int = 10_000) -> float:
    """Bytes per stream for the objects ``factory`` builds, averaged over ``count``.

    The list that keeps them alive is subtracted; one call before tracing
    keeps one-off costs (imports, caches, loggers) out of the average.
    """
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
