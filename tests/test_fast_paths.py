"""Every fast path of the parser equals the plain line-by-line path.

``_PlainEventStreamParser`` is the same scanner with only the reference
interpreter (``_Interpreter._interpret_lines``, the 9.2.6 steps one line at a
time): no one-event read shortcut, no one-line-event bulk path, no data-line
runs. The same chunks go through it and through :class:`EventStreamParser`,
and everything observable must be identical: the items returned (events and
comments, in order), ``on_comment`` calls, ``last_event_id``, ``retry``,
``truncated``, and on a crossed bound the bound's name and the events carried
by the error. Streams come from the grammar of ``test_properties`` and from
generators of the shapes the fast paths take (one-line ``data: `` events, one
event per read, long runs of ``data: `` lines), cut anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from sse_core import EventStreamParser, LimitExceededError
from sse_core._parser import _PlainEventStreamParser

from .test_properties import (
    NASTY_SPLITS,
    chunked,
    data_line,
    small_bounds,
    splits,
    terminated_line,
)


@dataclass(frozen=True)
class Run:
    """Everything a parser shows for one stream, fed chunk by chunk."""

    items: tuple[Any, ...]
    callbacks: tuple[str, ...]
    last_event_id: str
    retry: int | None
    truncated: bool | None
    error: tuple[str, int, int] | None


def run(parser_class: Any, chunks: list[bytes], **options: Any) -> Run:
    callbacks: list[str] = []
    parser = parser_class(comments=True, on_comment=callbacks.append, **options)
    items: list[Any] = []
    error = None
    truncated = None
    try:
        for chunk in chunks:
            items += parser.feed(chunk)
        items += parser.close()
        truncated = parser.truncated
    except LimitExceededError as exc:
        items += exc.events
        # Fast paths never cross a bound themselves: the plain path reports
        # the crossing, at the same line, with the same size.
        error = (exc.limit, exc.max_size, exc.size)
    return Run(
        tuple(items),
        tuple(callbacks),
        parser.last_event_id,
        parser.retry,
        truncated,
        error,
    )


def assert_same(chunks: list[bytes], **options: Any) -> None:
    assert run(EventStreamParser, chunks, **options) == run(
        _PlainEventStreamParser, chunks, **options
    )


# Streams in the shapes the fast paths take, with the lines that must make
# them fall back mixed in.
one_line_event = st.builds(
    lambda value: b"data: " + value + b"\n\n",
    st.one_of(
        st.sampled_from([b"", b"x", b'{"a":1}', b"\xc3\xa9", b"\xff", b"data: x"]),
        st.binary(max_size=20).map(lambda v: v.replace(b"\n", b"").replace(b"\r", b"")),
    ),
)
data_block = st.lists(data_line, min_size=1, max_size=6).map(
    lambda lines: b"\n".join(lines) + b"\n\n"
)
other_block = st.lists(terminated_line, min_size=1, max_size=3).map(
    lambda lines: b"".join(lines) + b"\n"
)
shaped_stream = st.lists(
    st.one_of(one_line_event, one_line_event, data_block, other_block),
    max_size=8,
).map(b"".join)


@st.composite
def event_reads(draw: st.DrawFn) -> list[bytes]:
    """One read per block, sometimes cut in two: the per-event workload."""
    blocks = draw(
        st.lists(st.one_of(one_line_event, data_block, other_block), max_size=8)
    )
    reads: list[bytes] = []
    for block in blocks:
        if len(block) > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, len(block) - 1))
            reads += [block[:cut], block[cut:]]
        else:
            reads.append(block)
    if draw(st.booleans()):
        reads.append(
            draw(st.sampled_from([b"data: x", b"data: x\n", b"\r", b"id: 1\n"]))
        )
    return reads


def examples_from_nasty_splits(test: Any) -> Any:
    for chunks in NASTY_SPLITS:
        test = example(chunks=chunks)(test)
    return test


@given(chunks=chunked())
@examples_from_nasty_splits
@example(chunks=[b"data: first\n\n:after\n"])
@example(chunks=[b"data: a\n\n", b"data: b\n\n", b"\xef\xbb\xbfdata: c\n\n"])
def test_grammar_streams_give_the_same_as_the_plain_path(chunks: list[bytes]) -> None:
    assert_same(chunks)


@given(chunks=shaped_stream.flatmap(splits))
def test_fast_path_shapes_give_the_same_as_the_plain_path(chunks: list[bytes]) -> None:
    assert_same(chunks)


@given(chunks=event_reads())
@example(chunks=[b"data: a\n\n", b"data: b\r\n\r\n", b"data: c\n\n"])
@example(chunks=[b"data: a\n\n", b"data: b\n", b"\n", b"data: c\n\n"])
@example(chunks=[b"id: 1\n\n", b"data: a\n\n", b"id: 2\n", b"data: b\n\n"])
# A line held between events (_HELD), then the read that ends it.
@example(chunks=[b"data: a\n\n", b"data: b", b"c\n\n"])
@example(chunks=[b"data: a\n\n", b"da", b"ta: b\n\ndata: c\n\n"])
@example(chunks=[b"data: a\n\n", b"data: b", b"\r\n\r\n"])
@example(chunks=[b"data: a\n\n", b"id", b": 1\n\n", b":x", b"\n"])
@example(chunks=[b"data: a\n\n", b"data: b", b"", b"c\n\n"])
def test_one_event_per_read_gives_the_same_as_the_plain_path(
    chunks: list[bytes],
) -> None:
    assert_same(chunks)


@given(
    chunks=st.one_of(chunked(), shaped_stream.flatmap(splits), event_reads()),
    bounds=small_bounds,
)
@example(
    chunks=[b"data: 12345\n\n"], bounds={"max_line_size": 11, "max_event_size": 99}
)
@example(chunks=[b"data: 12345\n\n"], bounds={"max_line_size": 99, "max_event_size": 4})
@example(chunks=[b"data: 12345\n\n"], bounds={"max_line_size": 99, "max_event_size": 5})
@example(
    chunks=[b"data: a\n\n", b"data: 12", b"345\n\n"],
    bounds={"max_line_size": 10, "max_event_size": 99},
)
@example(
    chunks=[b"data: a\n", b"data: bc\ndata: d\ndata: e\n\n"],
    bounds={"max_line_size": 99, "max_event_size": 5},
)
def test_bounds_give_the_same_as_the_plain_path(
    chunks: list[bytes], bounds: dict[str, int]
) -> None:
    assert_same(chunks, **bounds)


@given(
    chunks=st.one_of(chunked(), event_reads()), last_event_id=st.sampled_from(["", "7"])
)
def test_a_resumed_id_gives_the_same_as_the_plain_path(
    chunks: list[bytes], last_event_id: str
) -> None:
    assert_same(chunks, last_event_id=last_event_id)


def test_the_plain_parser_takes_no_fast_path() -> None:
    # What makes the comparison mean something: the plain parser really runs
    # the line loop for a read the one-event fast path would take.
    calls: list[int] = []

    class Counting(_PlainEventStreamParser[Any]):
        __slots__ = ()

        def _interpret_lines(self, lines: Any, out: Any) -> None:
            lines = list(lines)
            calls.append(len(lines))
            super()._interpret_lines(lines, out)

    parser = Counting()
    parser.feed(b"data: a\n\n")
    parser.feed(b"data: b\n\n")
    assert calls == [2, 2]
