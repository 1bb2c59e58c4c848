"""The fuzz targets: one input in, ``AssertionError`` out if an invariant breaks.

They are plain Python and need no fuzzer: atheris drives them
(``python -m tests.fuzz``), and ``tests/test_fuzz.py`` replays the corpora
through them. An exception other than ``AssertionError`` escaping a target is
a finding too: it means the code under test let a foreign error out.

An input is read from the front by :class:`Reader`: a few option bytes, then
the payload. Reading past the end gives zeros and empty bytes, so every input
is valid. (atheris' ``FuzzedDataProvider`` would do the same job, but it is a
C extension: the replay must run where atheris does not install.)
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sse_core import (
    MAX_RETRY,
    EncodeError,
    EventStreamEncoder,
    EventStreamParser,
    IncompleteEventError,
    LimitExceededError,
    ServerSentEvent,
    encode,
    encode_comment,
    iter_events,
)
from sse_core.endpoints import (
    ENDPOINTS,
    FinishReasonError,
    StreamError,
    View,
    adecode_bytes,
    astream_events,
    decode_bytes,
    decode_chunks,
    stream_events,
)
from sse_core.endpoints._records import lookup
from sse_core.endpoints._view import Field

from ..sse_model import parse_stream

__all__ = ["TARGETS", "Reader", "check_encoder", "check_endpoints", "check_parser"]

_T = TypeVar("_T")


class Reader:
    """Consumes an input from the front; past its end, reads give zeros."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def byte(self) -> int:
        """The next byte, 0..255."""
        pos = self._pos
        self._pos = pos + 1
        return self._data[pos] if pos < len(self._data) else 0

    def uint(self, size: int) -> int:
        """The next ``size`` bytes as a big-endian unsigned integer."""
        return int.from_bytes(self.take(size).ljust(size, b"\0"), "big")

    def take(self, size: int) -> bytes:
        """The next ``size`` bytes (fewer at the end)."""
        chunk = self._data[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def text(self) -> str:
        """A length byte, then that many bytes as text.

        Invalid UTF-8 decodes to lone surrogates (``surrogateescape``), so
        the text can hold every kind of character an encoder must refuse.
        """
        return self.take(self.byte()).decode("utf-8", "surrogateescape")

    def rest(self) -> bytes:
        """Everything not read yet."""
        rest = self._data[self._pos :]
        self._pos = len(self._data)
        return rest


# -- the parser -------------------------------------------------------------------


@dataclass(frozen=True)
class ParserOptions:
    """The parser options an input chooses (its first bytes)."""

    max_line_size: int | None
    max_event_size: int | None
    raise_on_incomplete: bool
    last_event_id: str
    # Whether on_comment is set: without it, comments take other code paths.
    report_comments: bool

    def make(self, comments: list[str]) -> EventStreamParser:
        bounds = {
            name: value
            for name, value in (
                ("max_line_size", self.max_line_size),
                ("max_event_size", self.max_event_size),
            )
            if value is not None
        }
        return EventStreamParser(
            on_comment=comments.append if self.report_comments else None,
            raise_on_incomplete=self.raise_on_incomplete,
            last_event_id=self.last_event_id,
            **bounds,
        )


@dataclass(frozen=True)
class Outcome:
    """Everything one run of the parser reported, for comparing runs."""

    events: tuple[ServerSentEvent, ...]
    comments: tuple[str, ...]
    # ("max_line_size",), ("max_event_size",), ("incomplete", data, partial) or ().
    error: tuple[object, ...]
    # The state after close(); None after a LimitExceededError, where the
    # parser promises nothing about it.
    last_event_id: str | None
    retry: int | None
    truncated: bool | None


def _piece(raw: bytes, kind: int) -> bytes | bytearray | memoryview:
    # The buffer types a transport may hand over, including a view that
    # does not start at offset 0 of its buffer.
    if kind == 1:
        return bytearray(raw)
    if kind == 2:
        return memoryview(raw)
    if kind == 3:
        return memoryview(b"<" + raw + b">")[1:-1]
    return raw


def run_parser(
    options: ParserOptions, pieces: Iterable[bytes | bytearray | memoryview]
) -> Outcome:
    """Feed the pieces, then close; collect what the parser reported.

    Raises whatever the parser raises other than the two errors the options
    allow (``LimitExceededError``; ``IncompleteEventError`` if asked for).
    """
    comments: list[str] = []
    parser = options.make(comments)
    events: list[ServerSentEvent] = []
    try:
        for piece in pieces:
            events += parser.feed(piece)
    except LimitExceededError as exc:
        assert options.max_line_size or options.max_event_size, exc
        events += exc.events
        error: tuple[object, ...] = (exc.limit,)
        assert exc.max_size == getattr(options, exc.limit), exc
        assert exc.size > exc.max_size, exc
        return Outcome(tuple(events), tuple(comments), error, None, None, None)
    try:
        events += parser.close()
        error = ()
    except IncompleteEventError as exc:
        assert options.raise_on_incomplete, exc
        error = ("incomplete", exc.data, exc.partial_line)
    assert parser.closed
    return Outcome(
        tuple(events),
        tuple(comments),
        error,
        parser.last_event_id,
        parser.retry,
        parser.truncated,
    )


def model_outcome(options: ParserOptions, stream: bytes) -> Outcome:
    """What ``tests/sse_model.py`` says the parser must report."""
    model = parse_stream(
        stream,
        last_event_id=options.last_event_id,
        max_line_size=options.max_line_size,
        max_event_size=options.max_event_size,
    )
    comments = model.comments if options.report_comments else ()
    if model.violation is not None:
        return Outcome(model.events, comments, (model.violation,), None, None, None)
    error: tuple[object, ...] = ()
    if options.raise_on_incomplete and model.truncated:
        error = ("incomplete", model.pending_data, model.partial_line)
    return Outcome(
        model.events,
        comments,
        error,
        model.last_event_id,
        model.retry,
        model.truncated,
    )


_NOT_IN_AN_ID = dict.fromkeys(map(ord, "\0\r\n"))


def read_parser_input(data: bytes) -> tuple[ParserOptions, list[int], int, bytes]:
    """Split a parser input into options, cut points, piece kinds and stream.

    Layout: a flags byte (bit 0: small bounds; bit 1: raise_on_incomplete;
    bit 2: a last_event_id; bit 3: also feed one byte at a time; bits 4-7:
    the number of cuts); a byte whose bit pairs give the pieces' buffer
    types; a byte that, when its low two bits are set, inserts up to 248 KiB
    of ``x`` in the middle of the stream (so that lines longer than the
    parser's 64 KiB buffer segments occur, which a 4 KiB input cannot hold)
    and whose bit 7 leaves ``on_comment`` unset;
    then, as the flags say, one byte per bound (1 to 256), a text for the
    last_event_id and three bytes per cut; the rest is the stream.
    """
    reader = Reader(data)
    flags = reader.byte()
    kinds = reader.byte() | (flags & 8) << 5
    size = reader.byte()
    line_bound = event_bound = None
    if flags & 1:
        line_bound = 1 + reader.byte()
        event_bound = 1 + reader.byte()
    last_event_id = ""
    if flags & 4:
        # The constructor refuses NUL, CR and LF, which no stream can put in
        # an ID (a usage error, not a stream error).
        last_event_id = reader.text().translate(_NOT_IN_AN_ID)
    cuts = [reader.uint(3) for _ in range(flags >> 4)]
    stream = reader.rest()
    if size & 3 == 3:
        middle = len(stream) // 2
        padding = b"x" * (8192 * (size >> 2 & 31))
        stream = stream[:middle] + padding + stream[middle:]
    options = ParserOptions(
        line_bound, event_bound, bool(flags & 2), last_event_id, not size & 128
    )
    cuts = sorted(cut % (len(stream) + 1) for cut in cuts)
    return options, cuts, kinds, stream


def check_parser(data: bytes) -> None:
    """Any bytes, any split, any buffer type: the model's answer, or a typed error.

    * only ``LimitExceededError`` (with bounds) and ``IncompleteEventError``
      (with ``raise_on_incomplete``) escape, and only where the model says;
    * one feed gives exactly what ``tests/sse_model.py`` gives;
    * the input's split, with the input's mix of bytes, bytearray and
      memoryview pieces, gives the same as one feed, and so does
      ``iter_events``; with flag bit 3, so does one byte at a time.
    """
    options, cuts, kinds, stream = read_parser_input(data)
    whole = run_parser(options, [stream])
    assert whole == model_outcome(options, stream), (whole, stream)

    bounds = [0, *cuts, len(stream)]
    pieces = [
        _piece(stream[start:stop], kinds >> (2 * (i % 4)) & 3)
        for i, (start, stop) in enumerate(zip(bounds, bounds[1:]))
    ]
    split = run_parser(options, pieces)
    assert split == whole, (cuts, split, whole)

    if not whole.error:
        comments: list[str] = []
        events = tuple(iter_events(pieces, options.make(comments)))
        assert (events, tuple(comments)) == (whole.events, whole.comments)

    if kinds & 256 and len(stream) <= 2048:
        view = memoryview(stream)
        one_by_one = run_parser(options, (view[i : i + 1] for i in range(len(view))))
        assert one_by_one == whole, (one_by_one, whole)


# -- the encoder ------------------------------------------------------------------


def _read_retry(reader: Reader) -> Any:
    kind = reader.byte() % 4
    if kind == 0:
        return reader.byte()
    if kind == 1:
        return reader.uint(8)  # half of these are above MAX_RETRY
    if kind == 2:
        return -1 - reader.byte()
    return bool(reader.byte() & 1)  # bool is an int subclass: not a retry


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _unencodable(
    data: str | None,
    event: str | None,
    id: str | None,
    retry: Any,
    comment: str | None,
) -> str | None:
    """Why these values cannot round-trip, or None if they can.

    Written from the standard, not from the encoder: 9.2.5 ends a line at CR
    or LF (so no field but data may hold one, and data may not hold CR,
    which comes back as LF); 9.2.6 ignores an id holding NUL; a retry is a
    run of ASCII digits (and sse_core clamps above MAX_RETRY); the stream is
    UTF-8, which has no lone surrogates.
    """
    texts = [text for text in (data, event, id, comment) if text is not None]
    if any(_has_surrogate(text) for text in texts):
        return "a lone surrogate"
    if data is not None and "\r" in data:
        return "CR in data"
    for name, value in (("event", event), ("id", id), ("comment", comment)):
        if value is not None and ("\r" in value or "\n" in value):
            return f"a line ending in {name}"
    if id is not None and "\0" in id:
        return "NUL in id"
    if retry is not None and (type(retry) is not int or not 0 <= retry <= MAX_RETRY):
        return "retry out of range"
    return None


def _parse_all(
    stream: bytes,
) -> tuple[list[ServerSentEvent], EventStreamParser, list[str]]:
    comments: list[str] = []
    parser = EventStreamParser(on_comment=comments.append)
    events = parser.feed(stream) + parser.close()
    assert not parser.truncated, stream
    return events, parser, comments


def _check_encode(reader: Reader) -> None:
    flags = reader.byte()
    data = reader.text() if flags & 1 else None
    event = reader.text() if flags & 2 else None
    id = reader.text() if flags & 4 else None
    retry = _read_retry(reader) if flags & 8 else None
    comment = reader.text() if flags & 16 else None
    problem = _unencodable(data, event, id, retry, comment)
    try:
        block = encode(data, event=event, id=id, retry=retry, comment=comment)
    except EncodeError:
        assert problem is not None, (data, event, id, retry, comment)
        return
    assert problem is None, (problem, data, event, id, retry, comment)

    # One block: a single blank line, at its end.
    assert block.endswith(b"\n") and b"\n\n" not in block[:-1], block
    events, parser, comments = _parse_all(block)
    expected_id = id if id is not None else ""
    assert events == (
        []
        if data is None
        else [ServerSentEvent(event or "message", data, expected_id, retry)]
    ), (block, events)
    assert (parser.last_event_id, parser.retry) == (expected_id, retry), block
    assert comments == ([] if comment is None else [comment]), block


def _check_encode_comment(reader: Reader) -> None:
    text = reader.text()
    problem = _unencodable(None, None, None, None, text)
    try:
        block = encode_comment(text)
    except EncodeError:
        assert problem is not None, text
        return
    assert problem is None, (problem, text)
    events, _, comments = _parse_all(block)
    assert (events, comments) == ([], [text]), block


def _check_encoder_sequence(reader: Reader) -> None:
    # Events as a parser dispatches them: the id persists from one event to
    # the next unless the input changes it, so the encoder's "id line only
    # when it changes" is exercised.
    events: list[ServerSentEvent] = []
    last_id = ""
    for _ in range(1 + reader.byte() % 8):
        flags = reader.byte()
        data = reader.text()
        event = (reader.text() or "message") if flags & 1 else "message"
        if flags & 2:
            last_id = reader.text()
        retry = _read_retry(reader) if flags & 4 else None
        events.append(ServerSentEvent(event, data, last_id, retry))

    encoder = EventStreamEncoder()
    blocks = []
    for event in events:
        problem = _unencodable(event.data, event.event, event.id, event.retry, None)
        try:
            blocks.append(encoder.encode(event))
        except EncodeError:
            assert problem is not None, event
            break
        assert problem is None, (problem, event)
    parsed, parser, _ = _parse_all(b"".join(blocks))
    assert parsed == events[: len(blocks)], (blocks, parsed)
    if blocks:
        assert parser.last_event_id == events[len(blocks) - 1].id
    retries = [
        event.retry for event in events[: len(blocks)] if event.retry is not None
    ]
    assert parser.retry == (retries[-1] if retries else None)


def check_encoder(data: bytes) -> None:
    """``parse(encode(x)) == x`` when ``x`` can round-trip; ``EncodeError`` otherwise.

    The first byte picks ``encode`` (with any subset of its fields),
    ``encode_comment``, or a sequence of events through
    ``EventStreamEncoder``; the rest builds the values.
    """
    reader = Reader(data)
    mode = reader.byte() % 3
    if mode == 0:
        _check_encode(reader)
    elif mode == 1:
        _check_encode_comment(reader)
    else:
        _check_encoder_sequence(reader)


# -- the endpoint decoders --------------------------------------------------------


def _public_attributes(obj: object) -> Iterator[Any]:
    # Fields and properties, as a user reads them: a wrong JSON type must
    # surface as ChunkTypeError here, never as anything else.
    cls = type(obj)
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attribute = inspect.getattr_static(cls, name)
        if isinstance(attribute, (Field, property)):
            yield getattr(obj, name)
    if dataclasses.is_dataclass(obj):
        for field in dataclasses.fields(obj):
            yield getattr(obj, field.name)


def walk(value: object) -> None:
    """Read every field and property of a chunk, result or event, recursively."""
    if isinstance(value, (tuple, list)):
        for item in value:
            walk(item)
        return
    if isinstance(value, View):
        repr(value)
        value.to_dict()
    elif not dataclasses.is_dataclass(value):
        return
    for attribute in _public_attributes(value):
        walk(attribute)


def canonical(value: object) -> str:
    """A view's JSON (or a str result) as text, for comparing two passes.

    Views compare their dicts, and ``json.loads("NaN")`` makes a float that
    equals nothing, not even an equal float from another pass: compare text.
    Iterative, unlike ``json.dumps``: JSON nested as deep as ``json.loads``
    allows must not make the harness itself overflow the stack.
    """
    parts: list[str] = []
    stack: list[object] = [value.raw if isinstance(value, View) else value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            parts.append(item.text)
        elif isinstance(item, dict):
            stack.append(_Token("}"))
            parts.append("{")
            for key in sorted(item, reverse=True):
                stack += (item[key], _Token(json.dumps(key) + ":"))
        elif isinstance(item, list):
            stack.append(_Token("]"))
            stack.extend(reversed(item))
            parts.append("[")
        else:
            parts.append(json.dumps(item))
    return ",".join(parts)


@dataclass(frozen=True)
class _Token:
    text: str


@dataclass(frozen=True)
class Decoded:
    """What one pass over an endpoint's events gave, as comparable text."""

    chunks: tuple[str, ...]
    error: type[StreamError] | None
    result: str | None


def _accumulate(endpoint: str, chunks: Iterable[View]) -> Decoded:
    accumulator = lookup(endpoint).accumulator()
    seen: list[str] = []
    try:
        for chunk in chunks:
            walk(chunk)
            walk(accumulator.add(chunk))
            seen.append(canonical(chunk))
        if endpoint == "chat":
            walk(accumulator.end())
            assert accumulator.end() == []
        result = accumulator.result()
        walk(result)
        if endpoint == "chat":
            try:
                assert result.raise_for_finish_reason() is result
            except FinishReasonError as exc:
                assert exc.completion is result
                assert exc.finish_reason in ("length", "content_filter")
    except StreamError as exc:
        assert not isinstance(exc, FinishReasonError), exc
        return Decoded(tuple(seen), type(exc), None)
    return Decoded(tuple(seen), None, canonical(result))


def _decoded(chunks: Iterable[View]) -> tuple[tuple[str, ...], type | None]:
    """The chunks up to the first error, and the error's type (no accumulating)."""
    seen = []
    try:
        for chunk in chunks:
            seen.append(canonical(chunk))
    except StreamError as exc:
        return tuple(seen), type(exc)
    return tuple(seen), None


def _complete(awaitable: Awaitable[_T]) -> _T:
    # Drive a coroutine that never really suspends (its source is an async
    # generator over a list) without an event loop: one send() finishes it.
    coroutine = _as_coroutine(awaitable)
    try:
        coroutine.send(None)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    coroutine.close()
    raise AssertionError("the async decoders waited on something")


async def _as_coroutine(awaitable: Awaitable[_T]) -> _T:
    return await awaitable


async def _source(pieces: list[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


async def _adecoded(
    endpoint: str, pieces: list[bytes]
) -> tuple[tuple[str, ...], type | None]:
    seen = []
    try:
        async for chunk in adecode_bytes(endpoint, _source(pieces)):
            seen.append(canonical(chunk))
    except StreamError as exc:
        return tuple(seen), type(exc)
    return tuple(seen), None


async def _afinal(endpoint: str, pieces: list[bytes]) -> tuple[str | None, type | None]:
    helper = astream_events(endpoint, _source(pieces))
    try:
        async for item in helper:
            walk(item)
        return canonical(await helper.final()), None
    except StreamError as exc:
        return None, type(exc)


def check_endpoints(data: bytes) -> None:
    """Any event stream through each endpoint layer: chunks, or ``StreamError``.

    The first byte picks the endpoint (and a split point from its high bits);
    the rest is the raw stream. The events go through ``decode_chunks``, each
    chunk is read field by field and merged by the endpoint's accumulator;
    nothing but a :class:`StreamError` may escape. ``decode_bytes``,
    ``adecode_bytes``, ``stream_events(...).final()`` and
    ``astream_events(...).final()`` over the split stream must agree with
    that pass.
    """
    reader = Reader(data)
    selector = reader.byte()
    endpoint = ENDPOINTS[selector % len(ENDPOINTS)]
    stream = reader.rest()
    cut = (selector >> 3) * len(stream) // 32
    pieces = [stream[:cut], stream[cut:]]

    parser = EventStreamParser()
    events = parser.feed(stream) + parser.close()
    expected = _accumulate(endpoint, decode_chunks(endpoint, events))

    from_bytes = _accumulate(endpoint, decode_bytes(endpoint, pieces))
    assert from_bytes == expected, (from_bytes, expected)

    decoded = _decoded(decode_chunks(endpoint, events))
    assert _complete(_adecoded(endpoint, pieces)) == decoded

    helper = stream_events(endpoint, pieces)
    try:
        for item in helper:
            walk(item)
        final = (canonical(helper.final()), None)
    except StreamError as exc:
        final = (None, type(exc))
    assert final == (expected.result, expected.error), (final, expected)
    assert _complete(_afinal(endpoint, pieces)) == final


TARGETS: dict[str, Callable[[bytes], None]] = {
    "parser": check_parser,
    "encoder": check_encoder,
    "endpoints": check_endpoints,
}
"""Every fuzz target, by the name the runner and the corpus directories use."""
