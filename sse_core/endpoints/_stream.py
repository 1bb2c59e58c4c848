"""The convenience over raw bytes: decode, accumulate, iterate, get the result.

::

    with stream_events("chat", response.iter_bytes()) as stream:
        for event in stream:
            ...
        completion = stream.final()

It wires :func:`decode_bytes` to the endpoint's accumulator, and yields the
accumulator's events: for every endpoint a ``chunk`` event per chunk,
``content.delta`` events with the streamed text, the endpoint's own events
and the ``.done`` events (see :mod:`sse_core.endpoints._events`). Leaving the
``with`` block closes the byte source if it has a ``close()`` (``aclose()``
when async), as a response's byte iterator does.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Generator,
    Iterable,
    Iterator,
)
from types import TracebackType
from typing import Any, Callable, Generic, TypeVar, Union, cast, overload

from .._parser import EventStreamParser
from ._decode import adecode_byte_chunks, decode_byte_chunks
from ._events import StreamEvent
from ._limits import DEFAULT_LIMITS, Limits
from ._records import Accumulator, Endpoint, lookup

__all__ = ["AsyncEndpointStream", "EndpointStream", "astream_events", "stream_events"]

_C = TypeVar("_C")
_E = TypeVar("_E")
_R = TypeVar("_R")
_Bytes = Union[bytes, bytearray, memoryview]


def _close(source: object) -> None:
    close = getattr(source, "close", None)
    if callable(close):
        close()


class EndpointStream(Generic[_E, _R]):
    """An endpoint's stream, read from raw bytes: iterate events, then :meth:`final`.

    Made by :func:`stream_events`. Iterating it reads the bytes as it goes;
    a :class:`~sse_core.endpoints.StreamError` is raised at the event that
    caused it, after every event before it.
    """

    __slots__ = ("_accumulator", "_error", "_events", "_source", "parser")

    def __init__(
        self,
        endpoint: Endpoint[Any, _E, _R] | str,
        source: Iterable[_Bytes],
        parser: EventStreamParser | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        record = lookup(endpoint)
        self._accumulator: Accumulator[Any, _E, _R] = record.accumulator(limits)
        self.parser = parser if parser is not None else EventStreamParser()
        """The parser reading the bytes (``last_event_id``, ``retry``, ...)."""
        self._source = source
        self._error: Exception | None = None
        chunks = decode_byte_chunks(
            record.chunk_class, source, self.parser, limits.max_payload_size
        )
        self._events = self._run(chunks)

    def _run(self, chunks: Iterator[Any]) -> Generator[_E, None, None]:
        accumulator = self._accumulator
        try:
            for chunk in chunks:
                yield from accumulator.add(chunk)
            yield from accumulator.end()
        except Exception as exc:
            self._error = exc
            raise

    def __iter__(self) -> Iterator[_E]:
        # The events generator itself, so that a ``for`` loop skips the
        # frame of __next__ per event (a fifth of the helper's own cost);
        # it yields what __next__ returns, in the same order.
        return self._events

    def __next__(self) -> _E:
        return next(self._events)

    def final(self) -> _R:
        """Read the rest of the stream and return its result.

        Re-raises the error that ended the stream, if one did. After
        :meth:`close`, returns what was accumulated until then.
        """
        for _ in self._events:
            pass
        if self._error is not None:
            raise self._error
        return self._accumulator.result()

    def close(self) -> None:
        """Stop reading, and close the byte source if it has ``close()``."""
        self._events.close()
        _close(self._source)

    def __enter__(self) -> EndpointStream[_E, _R]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEndpointStream(Generic[_E, _R]):
    """Async form of :class:`EndpointStream`, made by :func:`astream_events`."""

    __slots__ = ("_accumulator", "_error", "_events", "_source", "parser")

    def __init__(
        self,
        endpoint: Endpoint[Any, _E, _R] | str,
        source: AsyncIterable[_Bytes],
        parser: EventStreamParser | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        record = lookup(endpoint)
        self._accumulator: Accumulator[Any, _E, _R] = record.accumulator(limits)
        self.parser = parser if parser is not None else EventStreamParser()
        """The parser reading the bytes (``last_event_id``, ``retry``, ...)."""
        self._source = source
        self._error: Exception | None = None
        chunks = adecode_byte_chunks(
            record.chunk_class, source, self.parser, limits.max_payload_size
        )
        self._events = self._run(chunks)

    async def _run(self, chunks: AsyncIterator[Any]) -> AsyncGenerator[_E, None]:
        accumulator = self._accumulator
        try:
            async for chunk in chunks:
                for event in accumulator.add(chunk):
                    yield event
            for event in accumulator.end():
                yield event
        except Exception as exc:
            self._error = exc
            raise

    def __aiter__(self) -> AsyncIterator[_E]:
        # As EndpointStream.__iter__: the generator itself, equal to __anext__.
        return self._events

    async def __anext__(self) -> _E:
        return await self._events.__anext__()

    async def final(self) -> _R:
        """Read the rest of the stream and return its result.

        See :meth:`EndpointStream.final`.
        """
        async for _ in self._events:
            pass
        if self._error is not None:
            raise self._error
        return self._accumulator.result()

    async def aclose(self) -> None:
        """Stop reading, and close the byte source if it has ``aclose()``."""
        await self._events.aclose()
        aclose = getattr(self._source, "aclose", None)
        if callable(aclose):
            await cast("Callable[[], Awaitable[object]]", aclose)()

    async def __aenter__(self) -> AsyncEndpointStream[_E, _R]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


@overload
def stream_events(
    endpoint: Endpoint[Any, _E, _R],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = ...,
) -> EndpointStream[_E, _R]: ...
@overload
def stream_events(
    endpoint: str,
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = ...,
) -> EndpointStream[StreamEvent, Any]: ...
def stream_events(
    endpoint: Endpoint[Any, Any, Any] | str,
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> EndpointStream[Any, Any]:
    """Read an endpoint's stream from raw byte chunks, with its accumulator.

    ``endpoint`` is a record (:data:`CHAT`, ...: exact static types) or its
    name. Iterate the returned stream for its events (a ``chunk`` event per
    chunk, ``content.delta`` events with the text, the endpoint's own
    events, ``.done`` events), then call ``final()`` for the result: a
    :class:`ChatCompletion`, the completed text (``str``), an
    :class:`ApplicationOutput`, a :class:`Question` or a
    :class:`WebSearchResponse`. ``limits`` bounds what one stream may cost
    (:class:`Limits`).
    """
    return EndpointStream(endpoint, chunks, parser, limits)


@overload
def astream_events(
    endpoint: Endpoint[Any, _E, _R],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = ...,
) -> AsyncEndpointStream[_E, _R]: ...
@overload
def astream_events(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = ...,
) -> AsyncEndpointStream[StreamEvent, Any]: ...
def astream_events(
    endpoint: Endpoint[Any, Any, Any] | str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> AsyncEndpointStream[Any, Any]:
    """Async form of :func:`stream_events`, over an async iterable of byte chunks."""
    return AsyncEndpointStream(endpoint, chunks, parser, limits)
