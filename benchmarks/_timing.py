"""Timing: best of several interleaved repeats, the garbage collector held off.

Why the collector is disabled while a run is timed (``--gc`` keeps it on):
the harness holds every workload in memory, and a collection pass walks all
tracked objects in the process, not the parser's. When a pass lands inside a
run depends on allocation counts left by whatever ran before, so it adds
noise that follows run order rather than the parser. Parsers that allocate
more still pay for it in time spent allocating; the ``--gc`` switch shows the
difference.

Why CPU time (``time.process_time``) by default: on a machine shared with
other work, wall time also counts the time the process waited for a core,
which lands on whichever parser happened to be running. ``--wall`` times
with ``time.perf_counter`` instead (on an idle machine the two agree).

Why repeats are interleaved: on a shared machine, load comes in bursts. Each
repeat runs every parser once, in an order rotated by one each repeat, so a
burst hits all parsers alike instead of all repeats of one parser; the best
repeat of each is kept.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Callable

from ._peers import Chunks, Runner

__all__ = [
    "DripTiming",
    "best_of_interleaved",
    "set_wall_clock",
    "time_drip",
    "time_once",
]

# The clock in use, in a one-item list so that set_wall_clock can swap it.
_CLOCK: list[Callable[[], float]] = [time.process_time]


def set_wall_clock(wall: bool) -> None:
    """Time with ``time.perf_counter`` (wall) instead of ``time.process_time``."""
    _CLOCK[0] = time.perf_counter if wall else time.process_time


def time_once(
    drain: Callable[[Chunks], object], chunks: Chunks, keep_gc: bool
) -> float:
    """Seconds for one ``drain(chunks)``."""
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        clock = _CLOCK[0]
        start = clock()
        drain(chunks)
        return clock() - start
    finally:
        gc.enable()


def best_of_interleaved(
    runners: Sequence[Runner], chunks: Chunks, repeats: int, keep_gc: bool
) -> dict[str, list[float]]:
    """Every repeat's seconds per runner, repeats interleaved across runners."""
    seconds: dict[str, list[float]] = {runner.name: [] for runner in runners}
    for repeat in range(repeats):
        shift = repeat % len(runners)
        for runner in [*runners[shift:], *runners[:shift]]:
            seconds[runner.name].append(time_once(runner.drain, chunks, keep_gc))
    return seconds


@dataclass
class DripTiming:
    """The huge line fed in 64-byte reads, at several sizes, for one parser."""

    parser: str
    seconds: dict[str, float]
    """Best seconds per size label; absent when skipped."""
    estimated: dict[str, float]
    """Predicted seconds for each skipped size."""
    growth: float
    """k in time ~ size**k, from the two largest sizes measured."""
    whole_feed: float | None = None
    """Best seconds for the largest measured size delivered as one read."""


def _growth(points: dict[int, float]) -> float:
    # k in time ~ size**k from the two largest sizes measured so far.
    (size_a, t_a), (size_b, t_b) = sorted(points.items())[-2:]
    return math.log(max(t_b, 1e-9) / max(t_a, 1e-9)) / math.log(size_b / size_a)


def time_drip(
    runners: Sequence[Runner],
    probe_chunks: Mapping[int, Chunks],
    sized_chunks: Mapping[str, tuple[int, Chunks]],
    *,
    repeats: int,
    budget: float,
    keep_gc: bool,
) -> dict[str, DripTiming]:
    """Time each runner at each size, skipping sizes predicted to exceed ``budget``.

    Sizes are climbed in order, each predicted from the growth between the two
    largest sizes measured so far (starting with the small probe sizes); a size
    predicted above ``budget`` seconds is skipped with everything larger (a
    quadratic peer would need minutes for 8 MiB) and its prediction reported.
    The climb is the first repeat; the others are interleaved across runners.
    """
    plans: dict[str, DripTiming] = {}
    for runner in runners:
        points = {
            size: min(time_once(runner.drain, chunks, keep_gc) for _ in range(3))
            for size, chunks in sorted(probe_chunks.items())
        }
        timing = DripTiming(runner.name, {}, {}, _growth(points))
        for label, (size, chunks) in sized_chunks.items():
            last = max(points)
            predicted = points[last] * (size / last) ** min(
                max(_growth(points), 1.0), 3.0
            )
            if timing.estimated or predicted > budget:
                timing.estimated[label] = predicted
                continue
            points[size] = timing.seconds[label] = time_once(
                runner.drain, chunks, keep_gc
            )
        timing.growth = _growth(points)
        plans[runner.name] = timing
    for repeat in range(1, repeats):
        shift = repeat % len(runners)
        for runner in [*runners[shift:], *runners[:shift]]:
            timing = plans[runner.name]
            for label, (_, chunks) in sized_chunks.items():
                if label in timing.seconds:
                    elapsed = time_once(runner.drain, chunks, keep_gc)
                    timing.seconds[label] = min(timing.seconds[label], elapsed)
    largest = list(sized_chunks)[-1]
    whole = (b"".join(sized_chunks[largest][1]),)
    for runner in runners:
        timing = plans[runner.name]
        if largest in timing.seconds:
            timing.whole_feed = min(
                time_once(runner.drain, whole, keep_gc) for _ in range(repeats)
            )
    for timing in plans.values():
        measured = {sized_chunks[label][0]: s for label, s in timing.seconds.items()}
        if len(measured) >= 2:
            timing.growth = _growth(measured)
    return plans
