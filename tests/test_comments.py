"""Comments in stream order: ``comments=True`` on the parser and the iterators.

The standard ignores comment lines (9.2.6 "If the line starts with a U+003A
COLON character"); servers send them as keep-alives. With ``comments=True``
the parser returns each one as a :class:`Comment` among the events, exactly
where the stream held it, whatever the split into reads. LaunchDarkly's SSE
contract tests expect this order from a client that reports comments.
"""

from __future__ import annotations

import asyncio
import re
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from mypy import api as mypy_api

from sse_core import (
    Comment,
    EventStreamParser,
    LimitExceededError,
    ServerSentEvent,
    aiter_events,
    iter_events,
)

from .sse_model import parse_stream
from .test_properties import chunked


def all_splits(stream: bytes) -> list[list[bytes]]:
    """The stream whole, cut at every point, and in single bytes."""
    cuts = [[stream[:cut], stream[cut:]] for cut in range(len(stream) + 1)]
    return [[stream], *cuts, [stream[i : i + 1] for i in range(len(stream))]]


def feed_items(chunks: list[bytes], **options: Any) -> list[Any]:
    parser = EventStreamParser(comments=True, **options)
    items: list[Any] = []
    for chunk in chunks:
        items += parser.feed(chunk)
    return items + parser.close()


def test_a_comment_after_an_event_comes_after_it_under_every_split() -> None:
    stream = b"data: first\n\n:after\n"
    for chunks in all_splits(stream):
        assert feed_items(chunks) == [ServerSentEvent(data="first"), Comment("after")]


def test_comments_keep_their_place_among_events_and_inside_blocks() -> None:
    stream = (
        b": open\r\n\r\n"
        b"data: a\r\n: inside a block\r\ndata: b\r\n\r\n"
        b":\n"
        b"data: c\n\n"
        b": \xff tail"  # unterminated: never a comment, the line never ended
    )
    expected = [
        Comment(" open"),
        Comment(" inside a block"),
        ServerSentEvent(data="a\nb"),
        Comment(""),
        ServerSentEvent(data="c"),
    ]
    for chunks in all_splits(stream):
        assert feed_items(chunks) == expected


def test_on_comment_still_fires_and_agrees_with_the_items() -> None:
    seen: list[str] = []
    parser = EventStreamParser(comments=True, on_comment=seen.append)
    items = parser.feed(b": one\ndata: x\n\n: two\n")
    assert items == [Comment(" one"), ServerSentEvent(data="x"), Comment(" two")]
    assert seen == [" one", " two"]


def test_without_comments_true_the_items_are_events_only() -> None:
    parser = EventStreamParser()
    assert not parser.comments
    assert parser.feed(b": ping\ndata: x\n\n: pong\n") == [ServerSentEvent(data="x")]


def test_a_comment_is_a_frozen_typed_value() -> None:
    comment = Comment(" ping")
    assert comment.text == " ping"
    assert comment == Comment(text=" ping")
    assert not isinstance(comment, ServerSentEvent)
    with pytest.raises(AttributeError):
        comment.text = "x"  # type: ignore[misc]


@given(chunks=chunked())
def test_items_are_the_models_events_and_comments_in_order(chunks: list[bytes]) -> None:
    # The model has no notion of interleaving; the items, split by kind, must
    # be its events and its comments, and the parser's event list must be
    # the items without the comments.
    stream = b"".join(chunks)
    model = parse_stream(stream)
    items = feed_items(chunks)
    assert [item for item in items if isinstance(item, ServerSentEvent)] == list(
        model.events
    )
    assert [item.text for item in items if isinstance(item, Comment)] == list(
        model.comments
    )
    assert feed_items([stream]) == items


def test_a_crossed_bound_carries_the_comments_before_it() -> None:
    parser = EventStreamParser(comments=True, max_event_size=3)
    with pytest.raises(LimitExceededError) as info:
        parser.feed(b": a\ndata: x\n\n: b\ndata: long\n\n: never\n")
    assert info.value.events == [
        Comment(" a"),
        ServerSentEvent(data="x"),
        Comment(" b"),
    ]


def test_iter_events_with_comments() -> None:
    chunks = [b"data: first\n", b"\n:after\n", b"data: second\n\n"]
    items = list(iter_events(chunks, comments=True))
    assert items == [
        ServerSentEvent(data="first"),
        Comment("after"),
        ServerSentEvent(data="second"),
    ]
    assert list(iter_events(chunks)) == [
        ServerSentEvent(data="first"),
        ServerSentEvent(data="second"),
    ]
    parser = EventStreamParser(comments=True)
    assert list(iter_events(chunks, parser)) == items


def test_aiter_events_with_comments() -> None:
    chunks = [b"data: first\n", b"\n:after\n", b"data: second\n\n"]

    async def source() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def collect(**options: Any) -> list[Any]:
        return [item async for item in aiter_events(source(), **options)]

    assert asyncio.run(collect(comments=True)) == list(
        iter_events(chunks, comments=True)
    )
    assert asyncio.run(collect()) == list(iter_events(chunks))


def test_iterators_carry_comments_before_a_crossed_bound() -> None:
    chunks = [b": a\ndata: x\n\n", b": b\ndata: long\n\n"]
    items: list[Any] = []
    with pytest.raises(LimitExceededError):
        for item in iter_events(
            chunks, EventStreamParser(comments=True, max_event_size=3)
        ):
            items.append(item)
    assert items == [Comment(" a"), ServerSentEvent(data="x"), Comment(" b")]


def test_comments_true_with_a_parser_without_it_is_refused() -> None:
    with pytest.raises(ValueError, match="comments=True"):
        list(iter_events([b""], EventStreamParser(), comments=True))  # type: ignore[call-overload]


TYPING_SNIPPET = """
from collections.abc import AsyncIterator
from sse_core import EventStreamParser, aiter_events, iter_events

def chunks() -> list[bytes]:
    return []

async def achunks() -> AsyncIterator[bytes]:
    yield b""

reveal_type(EventStreamParser().feed(b""))  # 1
reveal_type(EventStreamParser(comments=True).feed(b""))  # 2
reveal_type(EventStreamParser(comments=False, max_line_size=9).close())  # 3
reveal_type(iter_events(chunks()))  # 4
reveal_type(iter_events(chunks(), comments=True))  # 5
reveal_type(iter_events(chunks(), EventStreamParser(comments=True)))  # 6
reveal_type(aiter_events(achunks()))  # 7
reveal_type(aiter_events(achunks(), comments=True))  # 8

def helper(parser: EventStreamParser | None) -> None:  # bare: the default
    if parser is not None:
        reveal_type(parser.feed(b""))  # 9
"""

EVENT = "sse_core._events.ServerSentEvent"
ITEM = "sse_core._events.ServerSentEvent | sse_core._events.Comment"
EXPECTED_TYPES = [
    f"list[{EVENT}]",
    f"list[{ITEM}]",
    f"list[{EVENT}]",
    f"typing.Iterator[{EVENT}]",
    f"typing.Iterator[{ITEM}]",
    f"typing.Iterator[{ITEM}]",
    f"typing.AsyncIterator[{EVENT}]",
    f"typing.AsyncIterator[{ITEM}]",
    f"list[{EVENT}]",
]


def test_mypy_strict_sees_comments_in_the_item_type(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(TYPING_SNIPPET))
    out, err, _ = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(snippet),
        ]
    )
    assert not err
    revealed = re.findall(r'Revealed type is "(.*)"', out)
    # mypy shows a named tuple as tuple[<fields>, fallback=<its class>].
    revealed = [
        re.sub(r"tuple\[[^\[\]]*(?:\[[^\]]*\][^\[\]]*)*fallback=([\w.]+)\]", r"\1", t)
        for t in revealed
    ]
    assert [t.replace("builtins.", "") for t in revealed] == EXPECTED_TYPES, out
    assert not [line for line in out.splitlines() if ": error:" in line], out


def comment_stream_peak(lines: int) -> int:
    """Peak traced memory of parsing ``lines`` comment lines, read by read."""
    import tracemalloc

    read = b":\n" * 32 * 1024  # 64 KiB of the shortest comment line
    parser = EventStreamParser(comments=True)
    tracemalloc.start()
    try:
        for _ in range(lines // (32 * 1024)):
            items = parser.feed(read)
            assert len(items) == 32 * 1024
            del items  # a consumer that relays and drops them
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert parser.close() == []
    return peak


def test_comments_cost_memory_per_read_not_per_stream() -> None:
    # Every comment of a read is returned by that read's feed(), so what is
    # held is one read's worth of Comment items (about 100 bytes per line of
    # two bytes here, the worst case); nothing accumulates across reads.
    small = comment_stream_peak(4 * 32 * 1024)
    large = comment_stream_peak(16 * 32 * 1024)
    assert large <= small * 1.1 + 64 * 1024
    assert large <= 32 * 1024 * 160
