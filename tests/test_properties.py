"""Property-based tests of the core parser, against the reference model.

Streams are generated from a grammar of the event stream format (every field,
odd field names, comments, all three line endings, BOMs, multibyte and invalid
UTF-8, NUL, odd retry values, unterminated endings), then cut into pieces at
arbitrary points, with a bias towards the worst places: inside a CRLF pair,
inside a UTF-8 sequence, inside the BOM. ``tests/sse_model.py`` says what each
whole stream must give.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sse_core import (
    MAX_RETRY,
    EncodeError,
    EventStreamEncoder,
    EventStreamParser,
    IncompleteEventError,
    LimitExceededError,
    ServerSentEvent,
    SSEUsageError,
    aiter_events,
    encode,
    iter_events,
)

from .sse_model import parse_stream

BOM = b"\xef\xbb\xbf"
LINE_ENDINGS = (b"\r\n", b"\n", b"\r")

# -- running the parser ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Everything a stream gives, for comparing two runs in one assertion."""

    events: tuple[ServerSentEvent, ...]
    last_event_id: str
    retry: int | None
    truncated: bool
    comments: tuple[str, ...]


def feed_all(chunks: Iterable[Any], **options: Any) -> Outcome:
    """Feed every chunk, close, and collect what the parser reports."""
    comments: list[str] = []
    parser = EventStreamParser(on_comment=comments.append, **options)
    events = []
    for chunk in chunks:
        events += parser.feed(chunk)
    events += parser.close()
    return Outcome(
        tuple(events),
        parser.last_event_id,
        parser.retry,
        parser.truncated,
        tuple(comments),
    )


def model_outcome(stream: bytes, **options: Any) -> Outcome:
    """What the reference model says an unbounded parser reports."""
    model = parse_stream(stream, **options)
    assert model.violation is None
    return Outcome(
        model.events,
        model.last_event_id,
        model.retry,
        model.truncated,
        model.comments,
    )


def feed_until_limit(
    parser: EventStreamParser, chunks: list[bytes]
) -> tuple[list[ServerSentEvent], LimitExceededError | None]:
    """Feed chunks until the end or a LimitExceededError; close if no error.

    Returns every event the caller received: those returned by the feeds and
    those carried by the error.
    """
    events: list[ServerSentEvent] = []
    try:
        for chunk in chunks:
            events += parser.feed(chunk)
    except LimitExceededError as exc:
        return events + exc.events, exc
    events += parser.close()
    return events, None


# -- the model itself --------------------------------------------------------------

# Small streams whose meaning the standard spells out, to check the model
# before trusting it: (stream, events as (type, data, id, retry)).
MODEL_CASES = [
    # 9.2.6: two blocks with the same data; the space after the colon is
    # optional.
    (b"data:test\n\ndata: test\n\n", [("message", "test", "", None)] * 2),
    # An empty data line makes an empty event; two make one LF; a final
    # "data:" without its blank line is never dispatched.
    (
        b"data\n\ndata\ndata\n\ndata:",
        [("message", "", "", None), ("message", "\n", "", None)],
    ),
    # A field name is compared exactly: "Data" and "data " are unknown.
    (b"Data: a\ndata : b\ndata:  c\n\n", [("message", " c", "", None)]),
    # The id persists; an id with NUL is ignored; "id" alone resets it.
    (
        b"id: 1\ndata: a\n\nid: 2\x00\ndata: b\n\nid\ndata: c\n\n",
        [
            ("message", "a", "1", None),
            ("message", "b", "1", None),
            ("message", "c", "", None),
        ],
    ),
    # Only ASCII digits make a retry; huge values are clamped; an empty event
    # type is "message".
    (
        b"retry: +5\nretry: \xd9\xa5\nevent:\ndata: a\n\nretry: 0"
        + b"9" * 100_000
        + b"\r\ndata: b\r\r",
        [("message", "a", "", None), ("message", "b", "", MAX_RETRY)],
    ),
    # U+2028, U+0085 and FF are not line endings; only the first U+FEFF is a
    # BOM; invalid UTF-8 becomes U+FFFD.
    (
        BOM + b"data: \xef\xbb\xbfa\xe2\x80\xa8b\xc2\x85c\x0cd\xff\n\n",
        [("message", "\ufeffa\u2028b\x85c\x0cd\ufffd", "", None)],
    ),
    # A second U+FEFF at the start makes the field name "\ufeffdata": unknown.
    (BOM + BOM + b"data: a\n\n", []),
]


@pytest.mark.parametrize(("stream", "expected"), MODEL_CASES)
def test_model_follows_the_standard(stream: bytes, expected: list[tuple]) -> None:
    events = [ServerSentEvent(*fields) for fields in expected]
    assert list(parse_stream(stream).events) == events


# (stream, bounds, the bound crossed, events before it, truncated)
MODEL_END_CASES: list[tuple[bytes, dict[str, int], str | None, int, bool]] = [
    (b"", {}, None, 0, False),
    (b"data: x", {}, None, 0, True),
    (b"data: x\n", {}, None, 0, True),
    (b"id: 1\n", {}, None, 0, True),
    (b"id: 1\n\n", {}, None, 0, False),
    (b":comment", {}, None, 0, True),
    (b"data: x\n\r", {}, None, 1, False),
    # The unterminated line counts as soon as it is too long.
    (b"data: a\n\nxxxxxxxx", {"max_line_size": 7}, "max_line_size", 1, False),
    (b"data: a\n\nxxxxxxx", {"max_line_size": 7}, None, 1, True),
    # A BOM is counted in line 1.
    (BOM + b"data: a\n\n", {"max_line_size": 9}, "max_line_size", 0, False),
    (BOM + b"data: a\n\n", {"max_line_size": 10}, None, 1, False),
    # Event data is counted in bytes, with one per LF joining two lines.
    (b"data: \xc3\xa9\n\n", {"max_event_size": 1}, "max_event_size", 0, False),
    (b"data: a\ndata: b\n\n", {"max_event_size": 3}, None, 1, False),
    (b"data: a\ndata: bc\n\n", {"max_event_size": 3}, "max_event_size", 0, False),
    # Whichever bound is crossed first in the stream wins.
    (
        b"data: ab\n" + b"x" * 20 + b"\n",
        {"max_line_size": 10, "max_event_size": 1},
        "max_event_size",
        0,
        False,
    ),
]


@pytest.mark.parametrize(
    ("stream", "bounds", "violation", "count", "truncated"), MODEL_END_CASES
)
def test_model_bounds_and_truncation(
    stream: bytes,
    bounds: dict[str, int],
    violation: str | None,
    count: int,
    truncated: bool,
) -> None:
    model = parse_stream(stream, **bounds)
    assert (model.violation, len(model.events), model.truncated) == (
        violation,
        count,
        truncated,
    )


# -- the grammar ------------------------------------------------------------------

# Characters that are not line endings but look like one to some decoders or to
# str.splitlines (U+2028, U+2029, U+0085, VT, FF, FS), multibyte characters of
# every length, U+FEFF, NUL and the colon.
SPECIAL_CHARS = (
    "\0\t\x0b\x0c\x1c\x7f :"
    "\u00e9\u00ff\u0100\u0085"  # 2 bytes
    "\u4e2d\u6587\u20ac\u2028\u2029\ufeff\ufffd"  # 3 bytes
    "\U0001f600\U0001f44d\U00010000\U0010ffff"  # 4 bytes
)
INVALID_UTF8 = (
    b"\x80",  # lone continuation bytes
    b"\xbf\x80",
    b"\xc3",  # sequences cut short
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xc0\xaf",  # overlong encodings
    b"\xe0\x80\xaf",
    b"\xf0\x80\x80\xaf",
    b"\xed\xa0\x80",  # encoded surrogates
    b"\xed\xbf\xbf",
    b"\xff",
    b"\xfe",
    b"\xf5\x80\x80\x80",  # beyond U+10FFFF
    b"\xef\xbb",  # a BOM cut short
)

text_chars = st.one_of(
    st.sampled_from("abcxyz 019:"),
    st.sampled_from(SPECIAL_CHARS),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
)
value_text = st.text(text_chars, max_size=12)
utf8_text = value_text.map(lambda text: text.encode("utf-8"))
value_bytes = st.lists(
    st.one_of(
        utf8_text,
        utf8_text,
        st.sampled_from(INVALID_UTF8),
        # Now and then a long run, so that small bounds are crossed.
        st.integers(0, 120).map(lambda size: b"x" * size),
    ),
    max_size=3,
).map(b"".join)

FIELD_NAMES = (
    b"data",
    b"event",
    b"id",
    b"retry",
    # Unknown to 9.2.6, so ignored: other case, a space, a prefix, a suffix.
    b"Data",
    b"DATA",
    b"data ",
    b" data",
    b"dat",
    b"datas",
    b"Event",
    b"event ",
    b"ID",
    b"id ",
    b"Retry",
    b"retry ",
    b"foo",
    # A U+FEFF before a name: ignored, unless it is the stream's BOM.
    b"\xef\xbb\xbfdata",
)
leading_spaces = st.sampled_from([b"", b" ", b"  "])

RETRY_VALUES = (
    "0",
    "5",
    "007",
    "000",
    "+5",
    "1_000",
    "-1",
    " 5",
    "5 ",
    "1.5",
    "1e3",
    "0x10",
    "",
    "\u0665",  # ARABIC-INDIC DIGIT FIVE: a digit, but not an ASCII one
    "\uff15",  # FULLWIDTH DIGIT FIVE
    "\u00b2",  # SUPERSCRIPT TWO: str.isdigit() is true
    str(MAX_RETRY),
    str(MAX_RETRY + 1),
    "0" * 40 + "42",
    "9" * 100_000,
)
retry_values = st.one_of(
    st.sampled_from(RETRY_VALUES),
    st.integers(0, 2**70).map(str),
    st.from_regex(r"\A[0-9]{1,30}\Z"),
).map(lambda text: text.encode("utf-8"))

field_line = st.builds(
    lambda name, spaces, value: name + b":" + spaces + value,
    st.sampled_from(FIELD_NAMES),
    leading_spaces,
    value_bytes,
)
data_line = st.builds(
    lambda spaces, value: b"data:" + spaces + value, leading_spaces, value_bytes
)
id_line = st.builds(
    lambda spaces, value: b"id:" + spaces + value,
    leading_spaces,
    st.one_of(st.sampled_from([b"", b"1", b"a\0b", b"\0"]), value_bytes),
)
retry_line = st.builds(
    lambda spaces, value: b"retry:" + spaces + value, leading_spaces, retry_values
)
comment_line = value_bytes.map(lambda value: b":" + value)
# A line without a colon: a bare field name, or any text.
bare_line = st.one_of(
    st.sampled_from(FIELD_NAMES),
    value_bytes.map(lambda value: value.replace(b":", b"")),
)
event_line = st.builds(
    lambda spaces, value: b"event:" + spaces + value, leading_spaces, value_bytes
)
any_line = st.one_of(
    data_line,
    data_line,
    data_line,
    event_line,
    id_line,
    retry_line,
    comment_line,
    field_line,
    bare_line,
)
line_ending = st.sampled_from(LINE_ENDINGS)
terminated_line = st.builds(bytes.__add__, any_line, line_ending)
# One blank line or a run of them.
blank_lines = st.lists(line_ending, min_size=1, max_size=3).map(b"".join)
some_lines = st.lists(terminated_line, max_size=3).map(b"".join)
# Mostly blocks with a data line somewhere, which dispatch an event; also
# blocks without one (only an id, a retry, comments), which dispatch nothing.
block_lines = st.one_of(
    st.builds(
        lambda before, data, ending, after: before + data + ending + after,
        some_lines,
        data_line,
        line_ending,
        some_lines,
    ),
    some_lines,
)
block = st.builds(bytes.__add__, block_lines, blank_lines)
# How a stream may end: cleanly, inside a line, or after lines of an event
# that never gets its blank line.
stream_end = st.one_of(
    st.just(b""),
    st.just(b""),
    any_line,
    st.lists(terminated_line, min_size=1, max_size=3).map(b"".join),
)


@st.composite
def grammar_streams(draw: st.DrawFn) -> bytes:
    """A stream built from the grammar: BOM?, blank lines?, blocks, an ending."""
    head = draw(st.sampled_from([b"", b"", BOM, b"\n", b"\r\n", BOM + b"\r"]))
    blocks = draw(st.lists(block, max_size=5))
    return head + b"".join(blocks) + draw(stream_end)


@st.composite
def mutated_streams(draw: st.DrawFn) -> bytes:
    """A grammar stream with a few bytes replaced, inserted or deleted."""
    stream = bytearray(draw(grammar_streams()))
    noise = st.one_of(
        st.binary(min_size=1, max_size=3),
        st.sampled_from([b"\r", b"\n", b"\r\n", b":", b"\0", BOM, *INVALID_UTF8]),
    )
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(stream)))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        if action == "insert":
            stream[at:at] = draw(noise)
        elif action == "replace" and at < len(stream):
            stream[at] = draw(st.integers(0, 255))
        else:
            del stream[at : at + draw(st.integers(1, 4))]
    return bytes(stream)


any_stream = st.one_of(
    grammar_streams(), grammar_streams(), mutated_streams(), st.binary(max_size=200)
)

# -- splitting --------------------------------------------------------------------


def awkward_cuts(stream: bytes) -> list[int]:
    """Cut points inside a CRLF pair or a UTF-8 sequence (the BOM is one)."""
    cuts = []
    for index in range(1, len(stream)):
        inside_crlf = stream[index - 1 : index + 1] == b"\r\n"
        # A continuation byte: a cut before it splits a (possibly invalid)
        # multibyte sequence.
        inside_sequence = 0x80 <= stream[index] <= 0xBF
        if inside_crlf or inside_sequence:
            cuts.append(index)
    return cuts


@st.composite
def splits(draw: st.DrawFn, stream: bytes) -> list[bytes]:
    """Cut a stream into pieces: one piece, bytes, or arbitrary (empty ones too)."""
    size = len(stream)
    how = draw(st.sampled_from(["whole", "bytes", "random", "awkward"]))
    if how == "whole":
        return [stream]
    if how == "bytes" and size <= 1000:
        return [stream[index : index + 1] for index in range(size)]
    point = st.integers(0, size)
    awkward = awkward_cuts(stream)
    if how == "awkward" and awkward:
        point = st.one_of(st.sampled_from(awkward), point)
    # Repeated points and points at either end make empty pieces.
    cuts = sorted(draw(st.lists(point, max_size=12)))
    bounds = [0, *cuts, size]
    return [stream[start:end] for start, end in zip(bounds, bounds[1:])]


def chunked(streams: st.SearchStrategy[bytes] = any_stream) -> Any:
    """Streams cut into pieces; ``b"".join(pieces)`` is the stream."""
    return streams.flatmap(splits)


small_bound = st.one_of(st.integers(1, 40), st.integers(1, 200))
# Both bounds small, or one of them out of the way, so that each is also
# crossed on its own.
small_bounds = st.one_of(
    st.fixed_dictionaries(
        {"max_line_size": small_bound, "max_event_size": small_bound}
    ),
    st.fixed_dictionaries(
        {"max_line_size": small_bound, "max_event_size": st.just(10**6)}
    ),
    st.fixed_dictionaries(
        {"max_line_size": st.just(10**6), "max_event_size": small_bound}
    ),
)

# The nastiest splits: every property that takes chunks runs them first.
NASTY_SPLITS = [
    # CR | LF across feeds: one line ending, not two (else a blank line would
    # dispatch "a" alone).
    [b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"],
    [b"data: a\r", b"", b"\n", b"\r", b"\n"],
    # A 4-byte emoji cut 1|3, 2|2, 3|1 and into single bytes.
    [b"data: \xf0", b"\x9f\x98\x80\n\n"],
    [b"data: \xf0\x9f", b"\x98\x80\n\n"],
    [b"data: \xf0\x9f\x98", b"\x80\n\n"],
    [b"data: \xf0", b"\x9f", b"\x98", b"\x80\n\n"],
    # The BOM cut 1|2 and 2|1, and a second U+FEFF that is content.
    [b"\xef", b"\xbb\xbfdata: x\n\n"],
    [b"\xef\xbb", b"\xbf\xef\xbb\xbfdata: x\n\n"],
    # A stream that is only a BOM: nothing was discarded at its end.
    [b"\xef\xbb\xbf"],
    [b"\xef", b"\xbb\xbf"],
    # A CR at the very end of the stream ends its line: "x" is dispatched.
    [b"data: x\n\r"],
    [b"data: x\n", b"\r"],
    [b"data: x\r", b"\r"],
    [b"id: 1\ndata: x\r\r"],
]


def with_nasty_splits(**other_arguments: Any) -> Any:
    """Decorate a ``chunks`` property with an explicit example per nasty split."""

    def decorate(test: Any) -> Any:
        for chunks in reversed(NASTY_SPLITS):
            test = example(chunks=chunks, **other_arguments)(test)
        return test

    return decorate


# -- (a) any split gives the same result as one feed ------------------------------


@given(chunks=chunked())
@with_nasty_splits()
def test_any_split_gives_the_same_result_as_one_feed(chunks: list[bytes]) -> None:
    assert feed_all(chunks) == feed_all([b"".join(chunks)])


# -- (b) the parser agrees with the model -----------------------------------------


@given(
    chunks=chunked(),
    last_event_id=st.sampled_from(["", "7", "\u4e2d"]),
)
@with_nasty_splits(last_event_id="")
def test_parser_agrees_with_the_model(chunks: list[bytes], last_event_id: str) -> None:
    stream = b"".join(chunks)
    expected = model_outcome(stream, last_event_id=last_event_id)
    assert feed_all(chunks, last_event_id=last_event_id) == expected


@given(chunks=chunked())
@with_nasty_splits()
def test_incomplete_event_error_agrees_with_the_model(chunks: list[bytes]) -> None:
    model = parse_stream(b"".join(chunks))
    parser = EventStreamParser(raise_on_incomplete=True)
    for chunk in chunks:
        parser.feed(chunk)
    if not model.truncated:
        assert parser.close() == []
        assert not parser.truncated
        return
    with pytest.raises(IncompleteEventError) as caught:
        parser.close()
    assert caught.value.data == model.pending_data
    assert caught.value.partial_line == model.partial_line
    assert parser.truncated


# -- (c) nothing but SSE errors escapes -------------------------------------------


@given(
    chunks=chunked(st.one_of(st.binary(max_size=500), mutated_streams())),
    bounds=st.one_of(st.just({}), small_bounds),
    raise_on_incomplete=st.booleans(),
)
def test_arbitrary_bytes_raise_only_protocol_errors(
    chunks: list[bytes], bounds: dict[str, int], raise_on_incomplete: bool
) -> None:
    parser = EventStreamParser(raise_on_incomplete=raise_on_incomplete, **bounds)
    allowed: list[type[Exception]] = []
    if bounds:
        allowed.append(LimitExceededError)
    if raise_on_incomplete:
        allowed.append(IncompleteEventError)
    try:
        for chunk in chunks:
            for event in parser.feed(chunk):
                assert type(event) is ServerSentEvent
        parser.close()
    except Exception as exc:
        # Anything else (UnicodeDecodeError, IndexError, a usage error on a
        # correctly used parser, ...) is a bug.
        if not isinstance(exc, tuple(allowed)):
            raise


# -- (d) bytes, bytearray and memoryview ------------------------------------------


@given(chunks=chunked())
def test_bytes_bytearray_and_memoryview_give_the_same(chunks: list[bytes]) -> None:
    expected = feed_all(chunks)
    assert feed_all([bytearray(chunk) for chunk in chunks]) == expected
    # A view into the middle of a larger buffer, not starting at offset 0.
    views = [memoryview(b"<" + chunk + b">")[1:-1] for chunk in chunks]
    assert feed_all(views) == expected
    assert feed_all([memoryview(bytearray(chunk)) for chunk in chunks]) == expected


# -- (e) bounds -------------------------------------------------------------------


@given(chunks=chunked(), bounds=small_bounds)
def test_bounds_are_enforced_where_the_model_says(
    chunks: list[bytes], bounds: dict[str, int]
) -> None:
    stream = b"".join(chunks)
    model = parse_stream(stream, **bounds)
    parser = EventStreamParser(**bounds)
    events, error = feed_until_limit(parser, chunks)

    assert events == list(model.events)
    if model.violation is None:
        assert error is None
        unbounded = feed_all(chunks)
        assert tuple(events) == unbounded.events
        assert parser.last_event_id == unbounded.last_event_id
        assert parser.retry == unbounded.retry
        assert parser.truncated == unbounded.truncated
        return

    assert error is not None
    assert error.limit == model.violation
    assert error.max_size == bounds[model.violation]
    assert error.size > error.max_size
    # A failed parser refuses input until reset.
    for _ in range(2):
        with pytest.raises(SSEUsageError):
            parser.feed(b"data: more\n\n")
    parser.reset()
    if bounds["max_line_size"] >= len(b"data"):
        assert parser.feed(b"data\n\n") == [
            ServerSentEvent(data="", id=parser.last_event_id)
        ]
    else:
        assert parser.feed(b":\n\n") == []


# -- (f) the encoder round trip ---------------------------------------------------

no_surrogates = {"blacklist_categories": ("Cs",)}
one_line_text = st.text(
    st.one_of(
        st.sampled_from(SPECIAL_CHARS.replace("\0", "")),
        st.characters(blacklist_characters="\r\n", **no_surrogates),
    ),
    max_size=15,
)
encodable_events = st.builds(
    ServerSentEvent,
    # The parser never produces an empty event type.
    event=st.one_of(st.just("message"), one_line_text.filter(bool)),
    data=st.text(
        st.one_of(
            st.sampled_from(SPECIAL_CHARS + "\n"),
            st.characters(blacklist_characters="\r", **no_surrogates),
        ),
        max_size=30,
    ),
    # A small pool as well, so that ids repeat and the encoder leaves them out.
    id=st.one_of(
        st.sampled_from(["", "1", " 1"]),
        one_line_text.map(lambda text: text.replace("\0", "")),
    ),
    retry=st.one_of(st.none(), st.integers(0, MAX_RETRY)),
)


@given(
    events=st.lists(encodable_events, max_size=6),
    start_id=st.sampled_from(["", "1"]),
    data=st.data(),
)
def test_encoder_output_parses_back_to_the_events(
    events: list[ServerSentEvent], start_id: str, data: st.DataObject
) -> None:
    encoder = EventStreamEncoder(start_id)
    stream = b"".join(encoder.encode(event) for event in events)
    chunks = data.draw(splits(stream))
    parsed = feed_all(chunks, last_event_id=start_id)
    assert list(parsed.events) == events
    assert not parsed.truncated


# Each way to make a field unencodable: (field, what is inserted into it).
UNENCODABLE = [
    ("event", "\r"),
    ("event", "\n"),
    ("event", "\ud800"),
    ("id", "\r"),
    ("id", "\n"),
    ("id", "\0"),
    ("id", "\udfff"),
    ("data", "\r"),
    ("data", "\ud83d"),
]


@given(
    event=encodable_events,
    flaw=st.sampled_from(UNENCODABLE),
    position=st.integers(0, 40),
)
def test_unencodable_values_raise_encode_error(
    event: ServerSentEvent, flaw: tuple[str, str], position: int
) -> None:
    name, bad = flaw
    value = getattr(event, name)
    position = min(position, len(value))
    event = event._replace(**{name: value[:position] + bad + value[position:]})
    with pytest.raises(EncodeError):
        encode(event.data, event=event.event, id=event.id, retry=event.retry)
    with pytest.raises(EncodeError):
        EventStreamEncoder().encode(event)


@given(retry=st.one_of(st.integers(max_value=-1), st.integers(min_value=MAX_RETRY + 1)))
@example(retry=-1)
@example(retry=MAX_RETRY + 1)
def test_retry_out_of_range_raises_encode_error(retry: int) -> None:
    # A parser reads a larger value back as MAX_RETRY: it cannot round-trip.
    with pytest.raises(EncodeError):
        encode("x", retry=retry)
    with pytest.raises(EncodeError):
        EventStreamEncoder().encode(ServerSentEvent(data="x", retry=retry))


# -- (g) the iterator helpers -----------------------------------------------------


async def async_chunks(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def collect_async(
    chunks: list[bytes], parser: EventStreamParser
) -> tuple[list[ServerSentEvent], LimitExceededError | None]:
    events: list[ServerSentEvent] = []
    try:
        async for event in aiter_events(async_chunks(chunks), parser):
            events.append(event)
    except LimitExceededError as exc:
        return events, exc
    return events, None


def collect_sync(
    chunks: list[bytes], parser: EventStreamParser
) -> tuple[list[ServerSentEvent], LimitExceededError | None]:
    events: list[ServerSentEvent] = []
    try:
        events.extend(iter_events(chunks, parser))
    except LimitExceededError as exc:
        return events, exc
    return events, None


@given(chunks=chunked(), bounds=st.one_of(st.just({}), small_bounds))
def test_iter_events_and_aiter_events_give_the_same_as_feeding(
    chunks: list[bytes], bounds: dict[str, int]
) -> None:
    fed = EventStreamParser(**bounds)
    expected, expected_error = feed_until_limit(fed, chunks)

    sync_parser = EventStreamParser(**bounds)
    async_parser = EventStreamParser(**bounds)
    runs = [
        (sync_parser, collect_sync(chunks, sync_parser)),
        (async_parser, asyncio.run(collect_async(chunks, async_parser))),
    ]
    for parser, (events, error) in runs:
        assert events == expected
        if expected_error is not None:
            assert error is not None
            assert error.limit == expected_error.limit
            continue
        assert error is None
        assert parser.closed
        assert parser.last_event_id == fed.last_event_id
        assert parser.retry == fed.retry
        assert parser.truncated == fed.truncated
