"""Results, the targets of issue 9, and the printed tables."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from ._probes import PROBES, ProbeResult
from ._timing import DripTiming

__all__ = [
    "IDLE_TARGET",
    "LINEARITY_TARGET",
    "TARGETS",
    "MemoryRow",
    "Results",
    "Row",
    "format_report",
]

# Issue 9: (sse_core / fastest peer, sse_core / limit); None means "report".
TARGETS: dict[str, tuple[float, float | None]] = {
    "llm-tokens": (2.5, None),
    "per-event": (3.0, None),
    "tiny-feeds": (1.3, None),
    "big-data": (2.0, None),
    "spec-mix": (1.3, None),
}
LINEARITY_TARGET = 1.2
IDLE_TARGET = 200


@dataclass
class Row:
    """One parser on one workload."""

    workload: str
    parser: str
    version: str
    size: int
    chunks: int
    events: int = 0
    seconds: list[float] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None
    differences: list[str] = field(default_factory=list)

    @property
    def best(self) -> float | None:
        return min(self.seconds) if self.seconds else None

    @property
    def mb_per_s(self) -> float | None:
        best = self.best
        return self.size / best / 1e6 if best else None

    @property
    def events_per_s(self) -> float | None:
        best = self.best
        return self.events / best if best else None


@dataclass
class MemoryRow:
    """Idle decoder size and peak while streaming big-data, for one parser."""

    parser: str
    idle_bytes: float | None
    peak_bytes: int | None
    error: str | None = None


@dataclass
class Results:
    """Everything one run measured."""

    machine: dict[str, Any]
    settings: dict[str, Any]
    rows: list[Row] = field(default_factory=list)
    drip: dict[str, DripTiming] = field(default_factory=dict)
    drip_sizes: dict[str, int] = field(default_factory=dict)
    memory: list[MemoryRow] = field(default_factory=list)
    memory_reference: dict[str, int] = field(default_factory=dict)
    probes: list[ProbeResult] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)

    def rows_for(self, workload: str) -> list[Row]:
        return [row for row in self.rows if row.workload == workload]

    def targets(self) -> list[dict[str, Any]]:
        """Per workload: sse_core against the fastest peer and the limit."""
        summary = []
        for workload in dict.fromkeys(row.workload for row in self.rows):
            rows = {row.parser: row for row in self.rows_for(workload)}
            core = rows.get("sse_core")
            limit = rows.get("limit")
            if core is None or core.mb_per_s is None:
                continue
            peers = [
                row
                for name, row in rows.items()
                if name not in ("sse_core", "limit") and row.mb_per_s is not None
            ]
            fastest = max(peers, key=lambda row: row.mb_per_s or 0.0, default=None)
            vs_peer_target, vs_limit_target = TARGETS.get(workload, (None, None))
            entry: dict[str, Any] = {
                "workload": workload,
                "fastest_peer": fastest.parser if fastest else None,
                "vs_fastest_peer": _ratio(core, fastest),
                "vs_fastest_peer_target": vs_peer_target,
                "vs_limit": _ratio(core, limit),
                "vs_limit_target": vs_limit_target,
                "fastest_peer_vs_limit": _ratio(fastest, limit),
            }
            entry["met"] = (
                None
                if workload not in TARGETS
                else _met(entry["vs_fastest_peer"], vs_peer_target)
                and _met(entry["vs_limit"], vs_limit_target)
            )
            summary.append(entry)
        return summary

    def other_targets(self) -> list[dict[str, Any]]:
        """The linearity and memory targets, for sse_core; met is None for "report"."""
        summary = []
        drip = self.drip.get("sse_core")
        labels = list(self.drip_sizes)
        if drip and labels and all(label in drip.seconds for label in labels):
            small, big = labels[0], labels[-1]
            per_byte = (drip.seconds[big] / self.drip_sizes[big]) / (
                drip.seconds[small] / self.drip_sizes[small]
            )
            summary.append(
                {
                    "target": f"huge-line-drip: time per byte, {big} vs {small} event",
                    "value": per_byte,
                    "text": f"{per_byte:.2f}x (<= {LINEARITY_TARGET}x)",
                    "met": per_byte <= LINEARITY_TARGET,
                }
            )
            if drip.whole_feed:
                ratio = drip.seconds[big] / drip.whole_feed
                summary.append(
                    {
                        "target": f"huge-line-drip: {big} dripped vs in one read",
                        "value": ratio,
                        "text": f"{ratio:.2f}x slower (report)",
                        "met": None,
                    }
                )
        memory = next((row for row in self.memory if row.parser == "sse_core"), None)
        if memory and memory.idle_bytes is not None:
            summary.append(
                {
                    "target": "idle EventStreamParser",
                    "value": memory.idle_bytes,
                    "text": f"{memory.idle_bytes:.0f} B (<= {IDLE_TARGET} B)",
                    "met": memory.idle_bytes <= IDLE_TARGET,
                }
            )
        reference = self.memory_reference
        one = reference.get("largest_event", 0) + reference.get("largest_read", 0)
        if memory and memory.peak_bytes is not None and one:
            summary.append(
                {
                    "target": "peak while streaming big-data",
                    "value": memory.peak_bytes,
                    "text": f"{memory.peak_bytes / 1024:.0f} KiB = "
                    f"{memory.peak_bytes / one:.1f}x (one event as str + one read) "
                    "(about 1x; report)",
                    "met": None,
                }
            )
        return summary

    def to_json(self) -> dict[str, Any]:
        rows = []
        for row in self.rows:
            item = asdict(row)
            item.update(
                best_seconds=row.best,
                mb_per_s=row.mb_per_s,
                events_per_s=row.events_per_s,
            )
            core = next(
                (r for r in self.rows_for(row.workload) if r.parser == "sse_core"), None
            )
            item["sse_core_speed_ratio"] = _ratio(core, row)
            rows.append(item)
        return {
            "machine": self.machine,
            "settings": self.settings,
            "results": rows,
            "targets": self.targets(),
            "other_targets": self.other_targets(),
            "huge_line_drip": {
                "sizes": self.drip_sizes,
                "parsers": {name: asdict(timing) for name, timing in self.drip.items()},
                "linearity_target": LINEARITY_TARGET,
            },
            "memory": {
                "rows": [asdict(row) for row in self.memory],
                "reference": self.memory_reference,
                "idle_target_bytes": IDLE_TARGET,
            },
            "probes": [asdict(result) for result in self.probes],
            "missing_peers": self.missing,
        }


def _ratio(numerator: Row | None, denominator: Row | None) -> float | None:
    if numerator is None or denominator is None:
        return None
    if numerator.mb_per_s is None or denominator.mb_per_s is None:
        return None
    return numerator.mb_per_s / denominator.mb_per_s


def _met(value: float | None, target: float | None) -> bool:
    return target is None or (value is not None and value >= target)


def _verdict(met: bool | None) -> str:
    return "-" if met is None else "yes" if met else "NO"


# -- formatting ------------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "-"
    if value >= 100_000:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _table(header: list[str], body: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def render(line: list[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [render(header), rule, *(render(line) for line in body)]


def _main_table(results: Results) -> tuple[list[str], list[str]]:
    header = ["workload", "parser", "MB/s", "events/s", "sse_core x", "check"]
    body = []
    notes: list[str] = []
    for workload in dict.fromkeys(row.workload for row in results.rows):
        rows = results.rows_for(workload)
        core = next((row for row in rows if row.parser == "sse_core"), None)
        for index, row in enumerate(rows):
            if row.error:
                check = f"RAISES [{len(notes) + 1}]"
                notes.append(
                    f"[{len(notes) + 1}] {workload} / {row.parser}: raises {row.error}"
                )
            elif row.skipped:
                check = f"skipped [{len(notes) + 1}]"
                notes.append(
                    f"[{len(notes) + 1}] {workload} / {row.parser}: {row.skipped}"
                )
            elif row.differences:
                check = f"DIFFERS [{len(notes) + 1}]"
                notes.append(
                    f"[{len(notes) + 1}] {workload} / {row.parser} vs sse_core:\n      "
                    + "\n      ".join(row.differences)
                )
            elif row.parser == "sse_core":
                check = "reference"
            elif row.parser == "limit":
                check = "same pairs"
            else:
                check = "same events"
            body.append(
                [
                    workload if index == 0 else "",
                    row.parser,
                    _num(row.mb_per_s),
                    _num(row.events_per_s, 0),
                    _x(_ratio(core, row)) if row.parser != "sse_core" else "",
                    check,
                ]
            )
    return _table(header, body, {2, 3, 4}), notes


def _targets_table(results: Results) -> list[str]:
    header = [
        "workload",
        "fastest peer",
        "vs fastest peer",
        "target",
        "vs limit",
        "target",
        "peer vs limit",
        "met",
    ]
    body = []
    for entry in results.targets():
        peer_target = entry["vs_fastest_peer_target"]
        limit_target = entry["vs_limit_target"]
        body.append(
            [
                entry["workload"],
                entry["fastest_peer"] or "-",
                _x(entry["vs_fastest_peer"]),
                f">= {peer_target}" if peer_target else "-",
                _num(entry["vs_limit"], 2),
                f">= {limit_target}" if limit_target else "report",
                _num(entry["fastest_peer_vs_limit"], 2),
                _verdict(entry["met"]),
            ]
        )
    return _table(header, body, {2, 4, 6})


def _drip_table(results: Results) -> list[str]:
    labels = list(results.drip_sizes)
    largest = labels[-1]
    header = [
        "parser",
        *(f"{label} s" for label in labels),
        f"MB/s {largest}",
        f"per-byte {labels[-1]}/{labels[0]}",
        "growth k",
        "whole-feed s",
        "drip/whole",
    ]
    body = []
    for name, timing in results.drip.items():
        cells = [name]
        for label in labels:
            if label in timing.seconds:
                cells.append(f"{timing.seconds[label]:.3f}")
            else:
                cells.append(f"skip (~{timing.estimated.get(label, math.nan):.1f})")
        big = timing.seconds.get(largest)
        small = timing.seconds.get(labels[0])
        size_big = results.drip_sizes[largest]
        size_small = results.drip_sizes[labels[0]]
        cells.append(_num(size_big / big / 1e6) if big else "-")
        cells.append(
            _x((big / size_big) / (small / size_small)) if big and small else "-"
        )
        cells.append(f"{timing.growth:.2f}")
        cells.append(f"{timing.whole_feed:.4f}" if timing.whole_feed else "-")
        cells.append(_x(big / timing.whole_feed) if big and timing.whole_feed else "-")
        body.append(cells)
    return _table(header, body, set(range(1, len(header))))


def _memory_table(results: Results) -> list[str]:
    reference = results.memory_reference
    one_event_and_read = reference.get("largest_event", 0) + reference.get(
        "largest_read", 0
    )
    header = ["parser", "idle bytes", "big-data peak KiB", "peak / (event + read)"]
    body = []
    for row in results.memory:
        if row.error:
            body.append([row.parser, "-", f"raises {row.error}", ""])
            continue
        peak = row.peak_bytes
        body.append(
            [
                row.parser,
                _num(row.idle_bytes, 0),
                _num(peak / 1024 if peak is not None else None),
                _x(peak / one_event_and_read)
                if peak is not None and one_event_and_read
                else "-",
            ]
        )
    return _table(header, body, {1, 2, 3})


def _probe_table(results: Results) -> tuple[list[str], list[str]]:
    parsers = list(dict.fromkeys(result.parser for result in results.probes))
    probes = list(dict.fromkeys(result.probe for result in results.probes))
    cell = {(r.probe, r.parser): r for r in results.probes}
    marks = {"ok": "ok", "differs": "DIFFERS", "raises": "RAISES"}
    body = [
        [probe, *(marks[cell[probe, parser].status] for parser in parsers)]
        for probe in probes
    ]
    rules = {probe.name: probe.rule for probe in PROBES}
    notes: list[str] = []
    for probe in probes:
        failures = [r for r in results.probes if r.probe == probe and r.status != "ok"]
        if failures:
            notes.append(f"{probe} ({rules[probe]}):")
            notes += [f"    {r.parser}: {r.detail}" for r in failures]
    return _table(["probe", *parsers], body, set()), notes


def format_report(results: Results) -> str:
    """The whole report as printed."""
    machine = results.machine
    settings = results.settings
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    out = [
        f"machine: {machine['cpu']} x{machine['cpus']}, {machine['python']}, "
        f"{machine['platform']}, load {machine['load_average']}",
        f"packages: {packages}",
        f"settings: best of {settings['repeats']} interleaved repeats, "
        f"gc {'on' if settings['keep_gc'] else 'off'} while timed, "
        f"clock {settings.get('clock', 'perf_counter')}, "
        f"consumer {settings.get('consumer', 'drain')}, "
        f"scale {settings['scale']}, MB = 10^6 bytes"
        + (", --quick" if settings["quick"] else ""),
    ]
    for name, reason in results.missing.items():
        out.append(f"peer {name}: {reason}")
    if results.rows:
        table, notes = _main_table(results)
        out += ["", *table]
        if notes:
            out += [
                "",
                "Differences from sse_core (the spec reference; see probes below):",
            ]
            out += notes
        out += [
            "",
            "Targets (issue 9): sse_core speed / fastest peer, sse_core speed / limit",
            "",
        ]
        out += _targets_table(results)
    if results.drip:
        sizes = ", ".join(
            f"{label} = {size:,} B" for label, size in results.drip_sizes.items()
        )
        out += [
            "",
            f"huge-line-drip: one data line fed in 64-byte reads ({sizes});",
            f"  per-byte ratio target <= {LINEARITY_TARGET}x; 'skip (~s)' = predicted "
            f"seconds over the budget of {settings['drip_budget']} s; "
            "growth k: time ~ size^k",
            "",
            *_drip_table(results),
        ]
    others = results.other_targets()
    if others:
        out += ["", "Other targets (issues 4 and 9), sse_core:"]
        width = max(len(entry["target"]) for entry in others)
        for entry in others:
            verdict = _verdict(entry["met"])
            out.append(f"  {entry['target'].ljust(width)}  {entry['text']}  {verdict}")
    if results.memory:
        reference = results.memory_reference
        out += [
            "",
            "memory (tracemalloc): idle = one stream's decoder objects, mean of 10,000 "
            f"(target for sse_core <= {IDLE_TARGET} B); peak while streaming big-data, "
            f"largest event as str {reference.get('largest_event', 0):,} B "
            f"({reference.get('largest_event_utf8', 0):,} B as UTF-8) + largest read "
            f"{reference.get('largest_read', 0):,} B",
            "",
            *_memory_table(results),
        ]
    if results.probes:
        table, notes = _probe_table(results)
        out += [
            "",
            "spec probes (expected events written from WHATWG HTML 9.2.5/9.2.6):",
            "",
        ]
        out += table
        if notes:
            out += ["", *notes]
    return "\n".join(out)
