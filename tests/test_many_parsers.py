"""10,000 parsers alive at once, fed interleaved reads, as a server multiplexing streams.

An SDK server that relays many model streams keeps one parser per
connection and feeds whichever connection has bytes. Parsers share nothing,
so interleaving must not matter; and idle or half-fed parsers must stay small,
since there may be thousands. Memory is measured with ``tracemalloc``.
"""

from __future__ import annotations

import random
import tracemalloc
from dataclasses import dataclass

from sse_core import EventStreamParser, ServerSentEvent

PARSERS = 10_000
LINE_ENDINGS = (b"\n", b"\r\n", b"\r")
# What one idle or half-fed parser may cost, in bytes: a parser is one object
# with __slots__, and half-fed it holds at most a short line and a few data
# lines of its stream.
IDLE_BUDGET = 512
MID_STREAM_BUDGET = 2048


@dataclass(frozen=True)
class Stream:
    """One connection's bytes, the events they carry, and how its reads are cut."""

    body: bytes
    events: tuple[ServerSentEvent, ...]
    last_event_id: str
    retry: int | None
    cuts: tuple[int, ...]  # read boundaries, ending at len(body)


def make_stream(number: int) -> Stream:
    """A stream of its own for connection ``number``: distinct text, ids and cuts."""
    rng = random.Random(number)
    nl = LINE_ENDINGS[number % 3]
    body = b""
    if number % 5 == 0:
        body += b"\xef\xbb\xbf"  # some servers send a BOM
    events = []
    retry = None
    for index in range(rng.randint(2, 5)):
        event_id = f"{number}-{index}"
        kind = "message" if index % 2 else "token"
        # Non-ASCII text, so that some reads end inside a UTF-8 sequence.
        lines = [f"connection {number} event {index}", "é" * rng.randint(0, 9) + "€"]
        block = b": keep-alive" + nl if rng.random() < 0.3 else b""
        block += f"id: {event_id}".encode() + nl
        if kind != "message":
            block += f"event: {kind}".encode() + nl
        event_retry = None
        if rng.random() < 0.2:
            event_retry = retry = rng.randint(0, 10_000)
            block += f"retry: {event_retry}".encode() + nl
        block += b"".join(f"data: {line}".encode() + nl for line in lines) + nl
        body += block
        events.append(ServerSentEvent(kind, "\n".join(lines), event_id, event_retry))
    cuts = []
    position = 0
    while position < len(body):
        position = min(len(body), position + rng.randint(1, 64))
        cuts.append(position)
    return Stream(body, tuple(events), events[-1].id, retry, tuple(cuts))


def feed_round_robin(
    parsers: list[EventStreamParser],
    streams: list[Stream],
    reads: list[int],
    matched: list[int],
    stop_at: list[int],
) -> None:
    """Give each parser its next read in turn, until each has had ``stop_at`` reads.

    Each event is checked against its stream's next expected event as it
    arrives, and not kept: memory measured between rounds is the parsers'.
    """
    pending = True
    while pending:
        pending = False
        for number, parser in enumerate(parsers):
            stream = streams[number]
            done = reads[number]
            if done == stop_at[number]:
                continue
            pending = True
            start = stream.cuts[done - 1] if done else 0
            # A fresh bytes object, as a socket read gives.
            piece = stream.body[start : stream.cuts[done]]
            for event in parser.feed(piece):
                assert event == stream.events[matched[number]], number
                matched[number] += 1
            reads[number] = done + 1


def test_ten_thousand_parsers_fed_interleaved_reads() -> None:
    streams = [make_stream(number) for number in range(PARSERS)]
    reads = [0] * PARSERS
    matched = [0] * PARSERS

    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        parsers = [EventStreamParser() for _ in range(PARSERS)]
        idle = (tracemalloc.get_traced_memory()[0] - before) / PARSERS

        # Half its reads each: every parser now holds part of a line, part
        # of an event, or both.
        halfway = [len(stream.cuts) // 2 for stream in streams]
        feed_round_robin(parsers, streams, reads, matched, halfway)
        mid_stream = (tracemalloc.get_traced_memory()[0] - before) / PARSERS
    finally:
        tracemalloc.stop()
    under_way = sum(0 < reads[n] < len(streams[n].cuts) for n in range(PARSERS))
    assert under_way == PARSERS

    ends = [len(stream.cuts) for stream in streams]
    feed_round_robin(parsers, streams, reads, matched, ends)

    for number, parser in enumerate(parsers):
        stream = streams[number]
        assert parser.close() == []
        assert matched[number] == len(stream.events), number
        assert (parser.last_event_id, parser.retry, parser.truncated) == (
            stream.last_event_id,
            stream.retry,
            False,
        )
    print(f"\nmemory per parser: idle {idle:.0f} B, mid-stream {mid_stream:.0f} B")
    assert idle <= IDLE_BUDGET
    assert mid_stream <= MID_STREAM_BUDGET
