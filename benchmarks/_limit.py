"""The "limit" baselines: the floor for pure Python on each workload.

A limit is not a parser. It sees the whole stream at once (one ``b"".join``
of the reads), knows which line forms the workload uses, and does the least
work that yields the same ``(event type, data)`` pairs as a parser: one split
into events, one decode per event, a few C-level string operations per event,
no bounds and no state carried between reads.
The harness asserts that its pairs equal sse_core's, so a limit cannot cheat
by skipping work the workload needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

__all__ = ["crlf_fields", "data_lines", "single_data_line"]

_WINDOW = 64 * 1024


def _event_runs(blob: bytes) -> Iterator[bytes]:
    # Runs of whole events of about 64 KiB, cut at a blank line, without the
    # run's last blank line. Splitting and decoding run by run keeps their
    # copies in the CPU cache: 9.7 ms instead of 16.9 ms for one split of the
    # whole 7.5 MB llm-tokens stream (CPython 3.11), a floor sse_core beat.
    start = 0
    size = len(blob)
    while start < size:
        end = blob.rfind(b"\n\n", start, start + _WINDOW)
        if end <= start:
            end = blob.find(b"\n\n", start)
        yield blob[start:end]
        start = end + 2


def single_data_line(chunks: Sequence[bytes]) -> list[tuple[str, str]]:
    """Events of exactly one ``data: `` line each, LF line endings."""
    pairs: list[tuple[str, str]] = []
    for run in _event_runs(b"".join(chunks)):
        # Splitting on the blank line plus the next line's prefix strips both.
        pairs += [("message", data.decode()) for data in run[6:].split(b"\n\ndata: ")]
    return pairs


def data_lines(chunks: Sequence[bytes]) -> list[tuple[str, str]]:
    """Events made of one or more ``data: `` lines, LF line endings."""
    pairs: list[tuple[str, str]] = []
    for run in _event_runs(b"".join(chunks)):
        pairs += [
            ("message", data.replace(b"\ndata: ", b"\n").decode())
            for data in run[6:].split(b"\n\ndata: ")
        ]
    return pairs


def crlf_fields(chunks: Sequence[bytes]) -> list[tuple[str, str]]:
    """Any field forms, comments and a leading BOM, CRLF line endings."""
    blob = b"".join(chunks).replace(b"\r\n", b"\n")
    if blob[:3] == b"\xef\xbb\xbf":
        blob = blob[3:]
    blocks = blob.split(b"\n\n")
    del blocks[-1]
    pairs = []
    for block in blocks:
        event = "message"
        data = []
        for line in block.decode().split("\n"):
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            if name == "data":
                data.append(value)
            elif name == "event":
                event = value or "message"
            # Comments (empty name), id, retry and unknown fields do not change
            # the (event type, data) pair.
        if data:
            pairs.append((event, "\n".join(data)))
    return pairs
