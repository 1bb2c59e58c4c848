"""Iterator helpers: parse a whole stream of byte chunks, sync or async."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from ._errors import LimitExceededError
from ._events import ServerSentEvent
from ._parser import EventStreamParser

__all__ = ["aiter_events", "iter_events"]


def iter_events(
    chunks: Iterable[bytes | bytearray | memoryview],
    parser: EventStreamParser | None = None,
) -> Iterator[ServerSentEvent]:
    """Yield the events of a stream given as an iterable of byte chunks.

    ``parser`` lets the caller choose options (bounds, ``on_comment``,
    ``raise_on_incomplete``) and read ``last_event_id``/``retry`` afterwards;
    by default a fresh :class:`EventStreamParser` is used. The parser is closed
    when ``chunks`` is exhausted. If a bound is crossed, the events completed
    before it are yielded first, then :class:`LimitExceededError` is raised.
    """
    if parser is None:
        parser = EventStreamParser()
    feed = parser.feed
    for chunk in chunks:
        try:
            events = feed(chunk)
        except LimitExceededError as exc:
            yield from exc.events
            raise
        yield from events
    yield from parser.close()


async def aiter_events(
    chunks: AsyncIterable[bytes | bytearray | memoryview],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[ServerSentEvent]:
    """Async form of :func:`iter_events`, over any async iterable of byte chunks.

    Works with any event loop library (asyncio, trio, anyio): it only iterates.
    """
    if parser is None:
        parser = EventStreamParser()
    feed = parser.feed
    async for chunk in chunks:
        try:
            events = feed(chunk)
        except LimitExceededError as exc:
            for event in exc.events:
                yield event
            raise
        for event in events:
            yield event
    for event in parser.close():
        yield event
