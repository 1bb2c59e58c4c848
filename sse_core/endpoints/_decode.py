"""From server-sent events to typed chunks: the stream rules.

For each event, in this order (writer-sdk's order, ``writerai/_streaming.py``,
with its mistakes corrected):

1. Data starting with ``[DONE]`` ends the stream: nothing after it is read.
   It is the SDK's prefix test, not an exact match: no JSON text can start
   with ``[DONE]``, so the prefix never swallows a chunk, and the stream stops
   exactly where the SDK (and the OpenAI SDK) stop.
2. An unnamed event, or ``event: message`` (the same thing to the HTML
   Standard; the SDK drops it), is a chunk:

   * empty or blank data is a heartbeat and is skipped (the SDK raises);
   * data that is not JSON raises :class:`InvalidJSONError`;
   * a JSON value that is not an object raises :class:`ChunkTypeError`;
   * an error object (a truthy ``"error"`` key, or a truthy ``"errors"`` key
     as in Writer's ``{"errors": [...]}``) raises :class:`APIError` (the SDK
     yields it as a chunk whose fields read ``None``).

3. ``event: error`` raises :class:`APIError`.
4. Any other named event (``ping``, ...) is skipped.

Comments, ``retry``-only blocks, ``id``-only blocks and a byte order mark
never reach this layer: the core parser dispatches none of them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Literal, TypeVar, Union, overload

from .._events import ServerSentEvent
from .._iterate import aiter_events, iter_events
from .._parser import EventStreamParser
from ._chunks import (
    ApplicationChunk,
    ChatCompletionChunk,
    CompletionChunk,
    QuestionChunk,
    WebSearchChunk,
)
from ._errors import APIError, ChunkTypeError, InvalidJSONError, error_message
from ._view import View

__all__ = [
    "ENDPOINTS",
    "Chunk",
    "EndpointName",
    "adecode_bytes",
    "adecode_chunks",
    "chunk_class",
    "decode_bytes",
    "decode_chunks",
    "decode_event",
]

EndpointName = Literal[
    "completions", "chat", "applications", "graphs.question", "web_search"
]
"""The names of the streaming endpoints."""

Chunk = Union[
    CompletionChunk,
    ChatCompletionChunk,
    ApplicationChunk,
    QuestionChunk,
    WebSearchChunk,
]
"""Any endpoint's chunk."""

_CHUNK_CLASSES: dict[str, type[View]] = {
    "completions": CompletionChunk,
    "chat": ChatCompletionChunk,
    "applications": ApplicationChunk,
    "graphs.question": QuestionChunk,
    "web_search": WebSearchChunk,
}

ENDPOINTS: tuple[str, ...] = tuple(_CHUNK_CLASSES)
"""The endpoint names :func:`decode_chunks` accepts."""

_C = TypeVar("_C", bound=View)
_Bytes = Union[bytes, bytearray, memoryview]


class _Done:
    """The ``[DONE]`` marker (a sentinel: only its identity matters)."""


DONE = _Done()


def _no_op() -> None:
    pass


def chunk_class(endpoint: str) -> type[View]:
    """The chunk class of an endpoint name; ``ValueError`` for an unknown name."""
    try:
        return _CHUNK_CLASSES[endpoint]
    except KeyError:
        names = ", ".join(repr(name) for name in ENDPOINTS)
        raise ValueError(
            f"unknown endpoint {endpoint!r}; expected one of {names}"
        ) from None


def decode_event(cls: type[_C], event: ServerSentEvent) -> _C | _Done | None:
    """Apply the stream rules to one event.

    Returns a chunk of class ``cls``, :data:`DONE` at the end marker, or
    ``None`` for an event that carries no chunk. Raises :class:`APIError`,
    :class:`InvalidJSONError` or :class:`ChunkTypeError`.
    """
    data = event.data
    if data.startswith("[DONE]"):
        return DONE
    name = event.event
    if name == "message":
        if not data or data.isspace():
            return None
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise InvalidJSONError(event, str(exc) or type(exc).__name__) from None
        if type(obj) is not dict:
            raise ChunkTypeError("", "a JSON object", obj)
        if obj.get("error") or obj.get("errors"):
            raise APIError(error_message(obj), obj, event)
        return cls(obj)
    if name == "error":
        raise _error_event(event)
    return None


def _error_event(event: ServerSentEvent) -> APIError:
    data = event.data
    if not data or data.isspace():
        return APIError("the server sent an error event with no data", data, event)
    body: object
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        body = data
    return APIError(error_message(body), body, event)


def _decode_all(cls: type[_C], events: Iterable[ServerSentEvent]) -> Iterator[_C]:
    for event in events:
        chunk = decode_event(cls, event)
        if chunk is None:
            continue
        if isinstance(chunk, _Done):
            return
        yield chunk


async def _adecode_all(
    cls: type[_C], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[_C]:
    async for event in events:
        chunk = decode_event(cls, event)
        if chunk is None:
            continue
        if isinstance(chunk, _Done):
            return
        yield chunk


@overload
def decode_chunks(
    endpoint: Literal["completions"], events: Iterable[ServerSentEvent]
) -> Iterator[CompletionChunk]: ...
@overload
def decode_chunks(
    endpoint: Literal["chat"], events: Iterable[ServerSentEvent]
) -> Iterator[ChatCompletionChunk]: ...
@overload
def decode_chunks(
    endpoint: Literal["applications"], events: Iterable[ServerSentEvent]
) -> Iterator[ApplicationChunk]: ...
@overload
def decode_chunks(
    endpoint: Literal["graphs.question"], events: Iterable[ServerSentEvent]
) -> Iterator[QuestionChunk]: ...
@overload
def decode_chunks(
    endpoint: Literal["web_search"], events: Iterable[ServerSentEvent]
) -> Iterator[WebSearchChunk]: ...
@overload
def decode_chunks(
    endpoint: str, events: Iterable[ServerSentEvent]
) -> Iterator[Chunk]: ...
def decode_chunks(endpoint: str, events: Iterable[ServerSentEvent]) -> Iterator[View]:
    """Yield the chunks of an endpoint's stream, given its events.

    ``events`` is any iterable of :class:`~sse_core.ServerSentEvent` (for
    example :func:`sse_core.iter_events`). Iteration stops at ``[DONE]``
    without reading further. The endpoint name is checked at once
    (``ValueError``); stream errors (:class:`StreamError`) are raised as the
    offending event is reached, after every chunk before it was yielded.
    """
    return _decode_all(chunk_class(endpoint), events)


@overload
def adecode_chunks(
    endpoint: Literal["completions"], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[CompletionChunk]: ...
@overload
def adecode_chunks(
    endpoint: Literal["chat"], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[ChatCompletionChunk]: ...
@overload
def adecode_chunks(
    endpoint: Literal["applications"], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[ApplicationChunk]: ...
@overload
def adecode_chunks(
    endpoint: Literal["graphs.question"], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[QuestionChunk]: ...
@overload
def adecode_chunks(
    endpoint: Literal["web_search"], events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[WebSearchChunk]: ...
@overload
def adecode_chunks(
    endpoint: str, events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[Chunk]: ...
def adecode_chunks(
    endpoint: str, events: AsyncIterable[ServerSentEvent]
) -> AsyncIterator[View]:
    """Async form of :func:`decode_chunks`, over an async iterable of events."""
    return _adecode_all(chunk_class(endpoint), events)


@overload
def decode_bytes(
    endpoint: Literal["completions"],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> Iterator[CompletionChunk]: ...
@overload
def decode_bytes(
    endpoint: Literal["chat"],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> Iterator[ChatCompletionChunk]: ...
@overload
def decode_bytes(
    endpoint: Literal["applications"],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> Iterator[ApplicationChunk]: ...
@overload
def decode_bytes(
    endpoint: Literal["graphs.question"],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> Iterator[QuestionChunk]: ...
@overload
def decode_bytes(
    endpoint: Literal["web_search"],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> Iterator[WebSearchChunk]: ...
@overload
def decode_bytes(
    endpoint: str, chunks: Iterable[_Bytes], parser: EventStreamParser | None = None
) -> Iterator[Chunk]: ...
def decode_bytes(
    endpoint: str, chunks: Iterable[_Bytes], parser: EventStreamParser | None = None
) -> Iterator[View]:
    """Yield the chunks of an endpoint's stream, given its raw bytes.

    ``chunks`` is the response body in any pieces (``response.iter_bytes()``);
    ``parser`` is an optional configured :class:`~sse_core.EventStreamParser`
    (read ``parser.last_event_id`` afterwards to resume). Bytes after
    ``[DONE]`` are not read.
    """
    return _decode_byte_chunks(chunk_class(endpoint), chunks, parser)


def _decode_byte_chunks(
    cls: type[_C], chunks: Iterable[_Bytes], parser: EventStreamParser | None
) -> Iterator[_C]:
    events = iter_events(chunks, parser)
    try:
        yield from _decode_all(cls, events)
    finally:
        # Stop the parser now, not when it is garbage-collected: after [DONE]
        # (or an error, or the caller leaving early) nothing more is read.
        getattr(events, "close", _no_op)()


@overload
def adecode_bytes(
    endpoint: Literal["completions"],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[CompletionChunk]: ...
@overload
def adecode_bytes(
    endpoint: Literal["chat"],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[ChatCompletionChunk]: ...
@overload
def adecode_bytes(
    endpoint: Literal["applications"],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[ApplicationChunk]: ...
@overload
def adecode_bytes(
    endpoint: Literal["graphs.question"],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[QuestionChunk]: ...
@overload
def adecode_bytes(
    endpoint: Literal["web_search"],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[WebSearchChunk]: ...
@overload
def adecode_bytes(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[Chunk]: ...
def adecode_bytes(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
) -> AsyncIterator[View]:
    """Async form of :func:`decode_bytes`, over an async iterable of byte chunks.

    Works with any event loop library (asyncio, trio, anyio): it only iterates.
    """
    return _adecode_byte_chunks(chunk_class(endpoint), chunks, parser)


async def _adecode_byte_chunks(
    cls: type[_C], chunks: AsyncIterable[_Bytes], parser: EventStreamParser | None
) -> AsyncIterator[_C]:
    events = aiter_events(chunks, parser)
    try:
        async for chunk in _adecode_all(cls, events):
            yield chunk
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
