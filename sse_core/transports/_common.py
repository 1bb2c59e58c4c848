"""The response wrappers the transport helpers give (``connect_sse``).

The rest of what transports share (request headers, the response check,
bounded decoding, the reconnect loop) is in :mod:`sse_core._http`, which the
core may import too.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Generic, TypeVar

from .._events import ServerSentEvent
from .._iterate import aiter_events, iter_events
from .._parser import EventStreamParser

__all__ = ["AsyncEventStream", "EventStream"]

ResponseT = TypeVar("ResponseT")


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
