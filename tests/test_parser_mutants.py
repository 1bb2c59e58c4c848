"""Assertions that mutation testing of ``sse_core/_parser.py`` showed were missing.

mutmut changed the parser one operator or constant at a time; a change that
no test noticed is a behaviour no test pinned down. Each test here pins one
such behaviour: the fast paths for ``data:`` lines (whose splitting and
joining must not mistake other lines for data lines), a line of exactly
``max_line_size`` bytes, a line long enough to be held in several buffers,
an event that crosses ``max_event_size`` in a later read, and the state and
messages of a closed or failed parser. The changes that survived and cannot
change behaviour (they only pick a slower path) are listed in the report of
issue 6, not tested.
"""

from __future__ import annotations

import pytest

from sse_core import (
    EventStreamParser,
    IncompleteEventError,
    LimitExceededError,
    ServerSentEvent,
    SSEUsageError,
)

from .sse_model import parse_stream

KiB = 1024

# Streams where a data-line shortcut that split or joined on the wrong
# separator would turn another line into data, or lose part of a value.
LOOKALIKE_STREAMS = [
    # Field names are case-sensitive: "DATA" is an unknown field, inside a
    # block of data lines and as a block of its own.
    b"data: a\nDATA: b\n\n",
    b"data: a\n\nDATA: b\n\n",
    b"data: \xc3\xa9\n\nDATA: b\n\n",
    # Values that end or start like a separator's neighbours.
    b"data: aXX\ndata: XXb\n\n",
    b"data: aXX\n\ndata: XXb\n\n",
    b"data: \xc3\xa9XX\n\ndata: XXb\n\n",
    b"data: a\ndata : b\ndata:c\n\ndata:  d\n\n",
]


@pytest.mark.parametrize("stream", LOOKALIKE_STREAMS)
def test_data_line_shortcuts_read_only_data_lines(stream: bytes) -> None:
    expected = parse_stream(stream)
    for cut in range(len(stream) + 1):
        parser = EventStreamParser()
        events = parser.feed(stream[:cut]) + parser.feed(stream[cut:])
        assert events == list(expected.events), cut


def test_blocks_after_a_long_finished_event_take_the_shortcut() -> None:
    # The event under way is finished more than 255 bytes into the read,
    # then the blocks after it go through the one-line shortcut.
    parser = EventStreamParser()
    assert parser.feed(b"data: " + b"a" * 10 + b"\n") == []
    events = parser.feed(b"data: " + b"b" * 300 + b"\n\ndata: c\n\ndata: d\n\n")
    assert events == [
        ServerSentEvent(data="a" * 10 + "\n" + "b" * 300),
        ServerSentEvent(data="c"),
        ServerSentEvent(data="d"),
    ]


@pytest.mark.parametrize(
    "bound", [64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 100_000, 128 * KiB, 128 * KiB + 1]
)
def test_a_line_of_exactly_max_line_size_is_accepted_in_one_read(bound: int) -> None:
    line = b"data: " + b"x" * (bound - 6)
    parser = EventStreamParser(max_line_size=bound)
    assert parser.feed(line) == []
    assert parser.feed(b"\n\n") == [ServerSentEvent(data="x" * (bound - 6))]

    parser = EventStreamParser(max_line_size=bound)
    with pytest.raises(LimitExceededError) as info:
        parser.feed(line + b"x")
    assert (info.value.limit, info.value.size) == ("max_line_size", bound + 1)


def test_a_line_held_across_many_reads_leaves_the_parser_as_new() -> None:
    # 140,000 bytes without a line ending: held in several buffers, joined
    # when the LF comes, at the very end of a read.
    parser = EventStreamParser()
    assert parser.feed(b"data: " + b"x" * 70_000) == []
    assert parser.feed(b"y" * 70_000) == []
    assert parser.feed(b"\n") == []
    assert parser.feed(b"\n") == [ServerSentEvent(data="x" * 70_000 + "y" * 70_000)]
    # Then a read without a line ending, one with, and the end of the stream.
    assert parser.feed(b"data: b") == []
    assert repr(parser).endswith(" buffered=7B>")
    assert parser.feed(b"\n\n") == [ServerSentEvent(data="b")]
    assert parser.feed(b"data: c") == []
    assert parser.close() == []
    assert parser.truncated


def test_an_event_under_way_crosses_max_event_size_in_a_later_read() -> None:
    # The later read is longer than the room left, and its blank line comes
    # after the crossing: the event must not be dispatched.
    parser = EventStreamParser(max_event_size=10)
    assert parser.feed(b"data: 12345\n") == []
    with pytest.raises(LimitExceededError) as info:
        parser.feed(b"data: 67890\n\n")
    assert (info.value.limit, info.value.size, info.value.events) == (
        "max_event_size",
        11,
        [],
    )


def test_bounded_reads_are_cut_at_line_endings_only() -> None:
    # A read longer than the room left under max_event_size is interpreted
    # in slices; a slice must end at a line ending, not inside "XX\nXX".
    comments: list[str] = []
    parser = EventStreamParser(max_event_size=16, on_comment=comments.append)
    assert parser.feed(b"data: a\n") == []
    assert parser.feed(b"data: XX\nXX: y\n:XX\nXX\n\n") == [
        ServerSentEvent(data="a\nXX")
    ]
    assert comments == ["XX"]


def test_close_after_a_failure_discards_nothing_more() -> None:
    parser = EventStreamParser(max_event_size=4, raise_on_incomplete=True)
    with pytest.raises(LimitExceededError):
        parser.feed(b"id: 1\ndata: 12345\n")
    assert parser.close() == []  # no IncompleteEventError: the failure said it
    assert not parser.truncated


def test_incomplete_event_data_joins_lines_from_several_reads() -> None:
    parser = EventStreamParser(raise_on_incomplete=True)
    assert parser.feed(b"data: a\n") == []
    assert parser.feed(b"data: b\ndata: c\n") == []
    with pytest.raises(IncompleteEventError) as info:
        parser.close()
    assert (info.value.data, info.value.partial_line) == ("a\nb\nc", b"")


def test_an_unusable_parser_says_why_and_what_to_do() -> None:
    parser = EventStreamParser()
    parser.close()
    assert repr(parser) == (
        "<EventStreamParser closed last_event_id='' retry=None buffered=0B>"
    )
    with pytest.raises(SSEUsageError, match=r"^feed\(\) called after close\(\); "):
        parser.feed(b"data: x\n\n")

    parser = EventStreamParser(max_line_size=8)
    with pytest.raises(LimitExceededError):
        parser.feed(b"retry: 7\ndata: too long\n")
    assert repr(parser) == (
        "<EventStreamParser failed last_event_id='' retry=7 buffered=0B>"
    )
    with pytest.raises(SSEUsageError, match=r"^parser failed on an earlier error; "):
        parser.feed(b"data: x\n\n")
    with pytest.raises(SSEUsageError, match=r"call reset\(\) to parse a new stream$"):
        parser.feed(b"")
