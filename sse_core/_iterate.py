"""Iterator helpers: parse a whole stream of byte chunks, sync or async."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Literal, Union, overload

from ._errors import LimitExceededError
from ._events import Comment, ServerSentEvent
from ._parser import EventStreamParser

if TYPE_CHECKING:
    from ._parser import ItemT

__all__ = ["aiter_events", "iter_events"]

Chunk = Union[bytes, bytearray, memoryview]


def _parser_for(
    parser: EventStreamParser[ItemT] | None, comments: bool
) -> EventStreamParser[ItemT]:
    if parser is None:
        return EventStreamParser(comments=comments)  # type: ignore[return-value]
    if comments and not parser.comments:
        raise ValueError(
            "comments=True with a parser: build the parser with comments=True"
        )
    return parser


@overload
def iter_events(
    chunks: Iterable[Chunk], parser: EventStreamParser[ItemT]
) -> Iterator[ItemT]: ...


@overload
def iter_events(
    chunks: Iterable[Chunk], parser: None = ..., *, comments: Literal[False] = ...
) -> Iterator[ServerSentEvent]: ...


@overload
def iter_events(
    chunks: Iterable[Chunk], parser: None = ..., *, comments: Literal[True]
) -> Iterator[ServerSentEvent | Comment]: ...


def iter_events(
    chunks: Iterable[Chunk],
    parser: EventStreamParser[ItemT] | None = None,
    *,
    comments: bool = False,
) -> Iterator[ItemT]:
    """Yield the events of a stream given as an iterable of byte chunks.

    ``parser`` lets the caller choose options (bounds, ``on_comment``,
    ``raise_on_incomplete``, ``comments``) and read ``last_event_id``/``retry``
    afterwards; by default a fresh :class:`EventStreamParser` is used. With
    ``comments=True`` (and no ``parser``) the comments are yielded too, as
    :class:`Comment` items, in stream order among the events. The parser is
    closed when ``chunks`` is exhausted. If a bound is crossed, the events
    completed before it are yielded first, then :class:`LimitExceededError`
    is raised.
    """
    parser = _parser_for(parser, comments)
    feed = parser.feed
    for chunk in chunks:
        try:
            events = feed(chunk)
        except LimitExceededError as exc:
            yield from exc.events  # type: ignore[misc]
            raise
        # A loop, not `yield from`: no delegation set up per read (one read
        # often holds one event or none).
        for item in events:  # noqa: UP028
            yield item
    yield from parser.close()


@overload
def aiter_events(
    chunks: AsyncIterable[Chunk], parser: EventStreamParser[ItemT]
) -> AsyncIterator[ItemT]: ...


@overload
def aiter_events(
    chunks: AsyncIterable[Chunk], parser: None = ..., *, comments: Literal[False] = ...
) -> AsyncIterator[ServerSentEvent]: ...


@overload
def aiter_events(
    chunks: AsyncIterable[Chunk], parser: None = ..., *, comments: Literal[True]
) -> AsyncIterator[ServerSentEvent | Comment]: ...


async def aiter_events(
    chunks: AsyncIterable[Chunk],
    parser: EventStreamParser[ItemT] | None = None,
    *,
    comments: bool = False,
) -> AsyncIterator[ItemT]:
    """Async form of :func:`iter_events`, over any async iterable of byte chunks.

    Works with any event loop library (asyncio, trio, anyio): it only iterates.
    """
    parser = _parser_for(parser, comments)
    feed = parser.feed
    async for chunk in chunks:
        try:
            events = feed(chunk)
        except LimitExceededError as exc:
            for done in exc.events:
                yield done  # type: ignore[misc]
            raise
        for item in events:
            yield item
    for item in parser.close():
        yield item
