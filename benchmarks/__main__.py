"""Run the benchmarks: ``python -m benchmarks [--quick] [--json PATH] ...``."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Sequence

from . import _limit
from ._compare import describe_differences
from ._machine import machine_info
from ._memory import idle_bytes, streaming_peak, unavailable
from ._peers import (
    PARSER_NAMES,
    Runner,
    available_runners,
    limit_runner,
    set_python_loop,
)
from ._probes import run_probes
from ._report import MemoryRow, Results, Row, format_report
from ._timing import best_of_interleaved, set_wall_clock, time_drip
from ._workloads import (
    HUGE_LINE_SIZES,
    WORKLOAD_NAMES,
    build_workload,
    huge_line_chunks,
)

__all__ = ["main"]

_SECTIONS = (*WORKLOAD_NAMES, "memory", "probes")


def _names(values: list[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if not values:
        return list(allowed)
    names = [
        name.strip() for value in values for name in value.split(",") if name.strip()
    ]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise SystemExit(
            f"unknown {what} {', '.join(unknown)}; choose from {', '.join(allowed)}"
        )
    return names


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="sse_core against the SSE decoders in use today.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="half-size workloads, 3 repeats (<20 s)"
    )
    parser.add_argument(
        "--repeat", type=int, help="repeats per parser (default 5, quick 3)"
    )
    parser.add_argument(
        "--workload",
        action="append",
        metavar="NAME",
        help=f"only these (repeatable, comma-separated): {', '.join(_SECTIONS)}",
    )
    parser.add_argument(
        "--parser",
        action="append",
        metavar="NAME",
        help="only these peers (sse_core and limit always run): "
        + ", ".join(PARSER_NAMES),
    )
    parser.add_argument("--json", metavar="PATH", help="save all results as JSON")
    parser.add_argument(
        "--gc", action="store_true", help="keep the garbage collector on while timing"
    )
    parser.add_argument(
        "--wall",
        action="store_true",
        help="time wall-clock (perf_counter) rather than process CPU time",
    )
    parser.add_argument(
        "--loop",
        action="store_true",
        help="visit every event in a Python for loop (sse_core: each read's list), "
        "as consumer code does, instead of the C-level drain",
    )
    return parser.parse_args(argv)


def _check_events(
    workload_name: str, runners: list[Runner], limit: Runner, chunks: Sequence[bytes]
) -> tuple[list[Row], list[Runner]]:
    # The untimed pass: every parser's events against sse_core's. A parser that
    # raises is reported and left out of the timing.
    size = sum(map(len, chunks))
    reference = runners[0].collect(chunks)
    pairs = limit.collect(chunks)
    if [event[:2] for event in reference] != [event[:2] for event in pairs]:
        raise AssertionError(
            f"{workload_name}: the limit's (event, data) pairs differ from sse_core's"
        )
    rows = []
    timed = []
    for runner in [*runners, limit]:
        row = Row(workload_name, runner.name, runner.version, size, len(chunks))
        if runner is limit:
            row.events = len(pairs)
        elif runner is runners[0]:
            row.events = len(reference)
        else:
            try:
                events = runner.collect(chunks)
            except Exception as exc:
                row.error = f"{type(exc).__name__}: {exc}"
                rows.append(row)
                continue
            row.events = len(events)
            row.differences = describe_differences(reference, events)
        rows.append(row)
        timed.append(runner)
    return rows, timed


def _run_workload(
    name: str, runners: list[Runner], args: argparse.Namespace, results: Results
) -> None:
    workload = build_workload(name, results.settings["scale"])
    limit = limit_runner(workload.limit)
    rows, timed = _check_events(name, runners, limit, workload.chunks)
    seconds = best_of_interleaved(
        timed, workload.chunks, results.settings["repeats"], args.gc
    )
    for row in rows:
        row.seconds = seconds.get(row.parser, [])
    results.rows.extend(rows)


def _run_drip(
    runners: list[Runner], args: argparse.Namespace, results: Results
) -> None:
    settings = results.settings
    sized = {
        label: (size, huge_line_chunks(size)) for label, size in HUGE_LINE_SIZES.items()
    }
    probes = {size: huge_line_chunks(size) for size in (128 << 10, 256 << 10)}
    limit = limit_runner(_limit.data_lines)
    # Check the events once, at the smaller probe size every parser can afford.
    check_chunks = probes[128 << 10]
    rows, timed = _check_events("huge-line-drip", runners, limit, check_chunks)
    timings = time_drip(
        timed,
        probes,
        sized,
        repeats=settings["repeats"],
        budget=settings["drip_budget"],
        keep_gc=args.gc,
    )
    results.drip = timings
    results.drip_sizes = {
        label: len(b"".join(chunks)) for label, (_, chunks) in sized.items()
    }
    largest = list(sized)[-1]
    stream_size = results.drip_sizes[largest]
    for row in rows:
        row.size = stream_size
        row.chunks = len(sized[largest][1])
        timing = timings.get(row.parser)
        if timing is None:
            continue
        if largest in timing.seconds:
            row.seconds = [timing.seconds[largest]]
        else:
            row.skipped = (
                f"{largest} drip not run: predicted {timing.estimated[largest]:.0f} s "
                f"(time grows as size^{timing.growth:.2f})"
            )
    results.rows.extend(rows)


def _run_memory(runners: list[Runner], results: Results) -> None:
    reason = unavailable()
    if reason:
        results.settings["memory_skipped"] = reason
        print(f"memory: skipped ({reason})", file=sys.stderr, flush=True)
        return
    workload = build_workload("big-data", results.settings["scale"])
    events = runners[0].collect(workload.chunks)
    # One event as Python holds it: a str is 1, 2 or 4 bytes per character
    # (PEP 393), 4 as soon as it holds one emoji.
    results.memory_reference = {
        "largest_event": max(sys.getsizeof(data) for _, data, _, _ in events),
        "largest_event_utf8": max(len(data.encode()) for _, data, _, _ in events),
        "largest_read": max(map(len, workload.chunks)),
    }
    for runner in runners:
        try:
            idle = idle_bytes(runner.idle) if runner.idle else None
            peak = streaming_peak(runner.drain, workload.chunks)
        except Exception as exc:
            results.memory.append(
                MemoryRow(runner.name, None, None, f"{type(exc).__name__}")
            )
            continue
        results.memory.append(MemoryRow(runner.name, idle, peak))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected sections, print the report, optionally save JSON."""
    args = _parse_args(argv)
    set_wall_clock(args.wall)
    set_python_loop(args.loop)
    sections = _names(args.workload, _SECTIONS, "workload")
    wanted = set(_names(args.parser, PARSER_NAMES, "parser")) | {"sse_core", "limit"}
    runners, missing = available_runners()
    # The peers' imports (pydantic, openai) leave ~100k tracked objects; freezing
    # them makes each gc.collect() before a timed run take microseconds, not
    # ~80 ms, and keeps them out of collections during --gc runs (PyPy has no
    # gc.freeze).
    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()
    runners = [runner for runner in runners if runner.name in wanted]
    repeats = args.repeat or (3 if args.quick else 5)
    if repeats < 1:
        raise SystemExit("--repeat must be at least 1")
    results = Results(
        machine=machine_info(),
        settings={
            "quick": args.quick,
            "repeats": repeats,
            "keep_gc": args.gc,
            "clock": "perf_counter" if args.wall else "process_time",
            "consumer": "for loop" if args.loop else "drain",
            "scale": 0.5 if args.quick else 1.0,
            "drip_budget": 2.0 if args.quick else 10.0,
            "sections": sections,
        },
        missing={name: reason for name, reason in missing.items() if name in wanted},
    )
    started = time.perf_counter()
    for section in sections:
        print(f"running {section} ...", file=sys.stderr, flush=True)
        if section == "huge-line-drip":
            _run_drip(runners, args, results)
        elif section == "memory":
            _run_memory(runners, results)
        elif section == "probes":
            results.probes = run_probes(runners)
        else:
            _run_workload(section, runners, args, results)
    results.settings["elapsed_seconds"] = round(time.perf_counter() - started, 1)
    print(format_report(results))
    if "memory_skipped" in results.settings:
        print(f"\nmemory: skipped ({results.settings['memory_skipped']})")
    print(f"\n(total {results.settings['elapsed_seconds']} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results.to_json(), out, indent=2)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
