"""Tiny streams that each pin one rule of the standard, to explain differences.

The workload tables say *that* a peer's events differ from sse_core's; these
probes say *which rule* it breaks. Expected events are written from the HTML
Standard, 9.2.5 "Parsing an event stream" and 9.2.6 "Interpreting an event
stream", not taken from sse_core, and sse_core is probed like every peer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._compare import describe_differences
from ._peers import Event, Runner

__all__ = ["PROBES", "Probe", "ProbeResult", "run_probes"]


@dataclass(frozen=True)
class Probe:
    """A stream, how it is cut into reads, and the events the standard gives."""

    name: str
    rule: str
    chunks: tuple[bytes, ...]
    expected: tuple[Event, ...]


def _message(data: str, event_id: str = "", retry: int | None = None) -> Event:
    return ("message", data, event_id, retry)


PROBES = (
    Probe(
        "bom",
        "9.2.5: one leading byte order mark is ignored",
        (b"\xef\xbb\xbfid: 1\ndata: a\n\n",),
        (_message("a", "1"),),
    ),
    Probe(
        "cr-only",
        "9.2.5: a lone CR ends a line",
        (b"data: a\rdata: b\r\r",),
        (_message("a\nb"),),
    ),
    Probe(
        "crlf-split",
        "9.2.5: CRLF cut between two reads is one line ending",
        (b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"),
        (_message("a"), _message("b")),
    ),
    Probe(
        "u2028",
        "9.2.5: only CR and LF end lines; U+2028, U+0085 are content",
        ("data: a\u2028b\x85c\n\n".encode(),),
        (_message("a\u2028b\x85c"),),
    ),
    Probe(
        "utf8-split",
        "9.2.5: the stream is decoded as a whole, reads may cut a character",
        (b"data: \xe4\xbd", b"\xa0\n\n"),
        (_message("\u4f60"),),
    ),
    Probe(
        "invalid-utf8",
        "9.2.5: UTF-8 decode, invalid bytes become U+FFFD",
        (b"data: \xff\n\n",),
        (_message("\ufffd"),),
    ),
    Probe(
        "blank-after-id",
        "9.2.6 dispatch: no data, no event (a keep-alive after an id)",
        (b"id: 1\ndata: a\n\n: ping\n\n",),
        (_message("a", "1"),),
    ),
    Probe(
        "retry-only",
        "9.2.6 dispatch: a retry-only block dispatches nothing",
        (b"retry: 5\n\n",),
        (),
    ),
    Probe(
        "id-persists",
        "9.2.6: lastEventId stays until an id field changes it",
        (b"id: 7\ndata: a\n\ndata: b\n\n",),
        (_message("a", "7"), _message("b", "7")),
    ),
    Probe(
        "id-nul",
        "9.2.6 id: a value containing U+0000 is ignored",
        (b"id: 1\x00\ndata: a\n\n",),
        (_message("a"),),
    ),
    Probe(
        "retry-sign",
        "9.2.6 retry: only ASCII digits, '+5' is ignored",
        (b"retry: +5\ndata: a\n\n",),
        (_message("a"),),
    ),
    Probe(
        "empty-event",
        "9.2.6 dispatch: an empty event type means 'message'",
        (b"event:\ndata: a\n\n",),
        (_message("a"),),
    ),
    Probe(
        "data-no-colon",
        "9.2.6: 'data' without a colon appends an empty line",
        (b"data\ndata\n\n",),
        (_message("\n"),),
    ),
    Probe(
        "unterminated",
        "9.2.6 end of file: an event without its blank line is discarded",
        (b"data: a\n\ndata: b",),
        (_message("a"),),
    ),
)


@dataclass(frozen=True)
class ProbeResult:
    """``status`` is "ok", "differs" or "raises"; ``detail`` says how."""

    probe: str
    parser: str
    status: str
    detail: str


def run_probes(runners: list[Runner]) -> list[ProbeResult]:
    """Every probe through every runner's collect path."""
    results = []
    for probe in PROBES:
        for runner in runners:
            try:
                got = runner.collect(probe.chunks)
            except Exception as exc:
                results.append(
                    ProbeResult(
                        probe.name,
                        runner.name,
                        "raises",
                        f"{type(exc).__name__}: {exc}",
                    )
                )
                continue
            differences = describe_differences(probe.expected, got)
            status = "differs" if differences else "ok"
            results.append(
                ProbeResult(probe.name, runner.name, status, "; ".join(differences))
            )
    return results
