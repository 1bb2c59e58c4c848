"""What the transport helpers share: the response wrappers and the request headers."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from functools import partial
from typing import Callable, Generic, TypeVar

from .._events import ServerSentEvent
from .._iterate import aiter_events, iter_events
from .._parser import EventStreamParser

__all__ = [
    "BODY_START_SIZE",
    "READ_SIZE",
    "REQUEST_HEADERS",
    "AsyncEventStream",
    "EventStream",
    "aread_start",
    "no_chunks",
    "read_chunks",
    "read_start",
    "request_headers",
]

BODY_START_SIZE = 512
"""How much of a rejected response's body :class:`BadResponseError` carries."""

REQUEST_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}
"""What a browser's EventSource asks for (9.2.2: the request's cache mode is
"no-store"); set unless the caller set them already."""

READ_SIZE = 64 * 1024
"""The most a helper asks for in one read."""


def read_chunks(read1: Callable[[int], bytes]) -> Iterator[bytes]:
    """Yield what each ``read1(READ_SIZE)`` returns, until it returns ``b""``.

    Give it a ``read1``: it returns what has arrived, where ``read(n)`` would
    wait for ``n`` bytes (or the end) and hold events back.
    """
    return iter(partial(read1, READ_SIZE), b"")


ResponseT = TypeVar("ResponseT")


def request_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """``headers`` plus :data:`REQUEST_HEADERS` that it does not set (any case)."""
    given = dict(headers or {})
    present = {name.lower() for name in given}
    defaults = {
        name: value
        for name, value in REQUEST_HEADERS.items()
        if name.lower() not in present
    }
    return {**defaults, **given}


class EventStream(Generic[ResponseT]):
    """An accepted response to an event stream request, from ``connect_sse``.

    Attributes:
        response: the library's response object (status, headers, ...).
        parser: the parser that :meth:`iter_events` feeds; read
            ``parser.last_event_id`` and ``parser.retry`` from it.
    """

    __slots__ = ("_chunks", "parser", "response")

    def __init__(
        self,
        response: ResponseT,
        chunks: Iterable[bytes],
        parser: EventStreamParser | None = None,
    ) -> None:
        self.response = response
        self.parser = parser if parser is not None else EventStreamParser()
        self._chunks = chunks

    def iter_events(self) -> Iterator[ServerSentEvent]:
        """Yield the events of the body as they arrive (none for HTTP 204)."""
        return iter_events(self._chunks, self.parser)


class AsyncEventStream(Generic[ResponseT]):
    """An accepted response to an event stream request, from ``aconnect_sse``.

    Attributes:
        response: the library's response object (status, headers, ...).
        parser: the parser that :meth:`aiter_events` feeds.
    """

    __slots__ = ("_chunks", "parser", "response")

    def __init__(
        self,
        response: ResponseT,
        chunks: AsyncIterable[bytes],
        parser: EventStreamParser | None = None,
    ) -> None:
        self.response = response
        self.parser = parser if parser is not None else EventStreamParser()
        self._chunks = chunks

    def aiter_events(self) -> AsyncIterator[ServerSentEvent]:
        """Yield the events of the body as they arrive (none for HTTP 204)."""
        return aiter_events(self._chunks, self.parser)


async def no_chunks() -> AsyncIterator[bytes]:
    """An empty async body, for HTTP 204."""
    return
    yield  # makes this an async generator


def read_start(chunks: Iterable[bytes]) -> bytes:
    """Read up to :data:`BODY_START_SIZE` bytes of a rejected body, for the error.

    A failure while reading returns what was read: the body only illustrates
    the error, and must not replace it with a network error.
    """
    start = b""
    try:
        for chunk in chunks:
            start += chunk
            if len(start) >= BODY_START_SIZE:
                break
    except Exception:  # see the docstring
        pass
    return start[:BODY_START_SIZE]


async def aread_start(chunks: AsyncIterable[bytes]) -> bytes:
    """Async form of :func:`read_start`."""
    start = b""
    try:
        async for chunk in chunks:
            start += chunk
            if len(start) >= BODY_START_SIZE:
                break
    except Exception:  # see read_start
        pass
    return start[:BODY_START_SIZE]
