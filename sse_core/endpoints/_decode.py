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
   * data longer than ``max_payload_size`` characters raises
     :class:`EndpointLimitError` before it is decoded;
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
from typing import Any, TypeVar, Union, cast, overload

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
from ._errors import (
    APIError,
    ChunkTypeError,
    EndpointLimitError,
    InvalidJSONError,
    error_message,
    json_error_reason,
)
from ._limits import DEFAULT_LIMITS
from ._records import Endpoint, lookup
from ._view import View, new_object, set_obj, set_path

__all__ = [
    "Chunk",
    "adecode_byte_chunks",
    "adecode_bytes",
    "adecode_chunks",
    "decode_byte_chunks",
    "decode_bytes",
    "decode_chunks",
    "decode_event",
]

Chunk = Union[
    CompletionChunk,
    ChatCompletionChunk,
    ApplicationChunk,
    QuestionChunk,
    WebSearchChunk,
]
"""Any endpoint's chunk."""

_C = TypeVar("_C")
_V = TypeVar("_V", bound=View)
_Bytes = Union[bytes, bytearray, memoryview]
_MAX_PAYLOAD_SIZE = DEFAULT_LIMITS.max_payload_size


class _Done:
    """The ``[DONE]`` marker (a sentinel: only its identity matters)."""


DONE = _Done()


def _no_op() -> None:
    pass


def decode_event(
    cls: type[_V], event: ServerSentEvent, max_payload_size: int = _MAX_PAYLOAD_SIZE
) -> _V | _Done | None:
    """Apply the stream rules to one event.

    Returns a chunk of class ``cls``, :data:`DONE` at the end marker, or
    ``None`` for an event that carries no chunk. Raises :class:`APIError`,
    :class:`InvalidJSONError`, :class:`ChunkTypeError` or
    :class:`EndpointLimitError`.
    """
    data = event.data
    if data.startswith("[DONE]"):
        return DONE
    name = event.event
    if name == "message":
        if len(data) > max_payload_size:
            raise EndpointLimitError("max_payload_size", max_payload_size, len(data))
        if not data or data.isspace():
            return None
        try:
            decoded: Any = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise InvalidJSONError(event, json_error_reason(exc)) from None
        if type(decoded) is not dict:
            raise ChunkTypeError("", "a JSON object", decoded)
        obj = cast("dict[str, Any]", decoded)
        if obj.get("error") or obj.get("errors"):
            raise APIError(error_message(obj), obj, event)
        return cls(obj)
    if name == "error":
        raise _error_event(event, max_payload_size)
    return None


def _error_event(event: ServerSentEvent, max_payload_size: int) -> APIError:
    data = event.data
    if not data or data.isspace():
        return APIError("the server sent an error event with no data", data, event)
    if len(data) > max_payload_size:
        # Too large to decode safely: the message is the start of the text.
        return APIError(data[:997] + "...", data, event)
    body: object
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        body = data
    return APIError(error_message(body), body, event)


def _decode_all(
    cls: type[_V],
    events: Iterable[ServerSentEvent],
    max_payload_size: int,
    owned: bool = False,
) -> Iterator[_V]:
    # ``owned``: the events come from our own parser, closed on the way out.
    loads = json.loads
    limit = max_payload_size
    # ``cls(obj)`` is View.__init__ for every chunk class but QuestionChunk:
    # for those, build the view without that frame (the same view, path ()).
    plain = cls.__init__ is View.__init__
    try:
        for event in events:
            data = event.data
            if event.event == "message" and data[:1] == "{" and len(data) <= limit:
                # decode_event's common case inlined (a fifth of the decoding
                # cost): an object that is no error. Anything else goes to
                # decode_event, which raises or skips (tests check they agree).
                try:
                    decoded: Any = loads(data)
                except (ValueError, RecursionError):
                    decoded = None
                if type(decoded) is dict:
                    obj = cast("dict[str, Any]", decoded)
                    if not (obj.get("error") or obj.get("errors")):
                        if plain:
                            view: _V = new_object(cls)
                            set_obj(view, obj)
                            set_path(view, ())
                            yield view
                        else:
                            yield cls(obj)
                        continue
            chunk = decode_event(cls, event, max_payload_size)
            if chunk is None:
                continue
            if isinstance(chunk, _Done):
                return
            yield chunk
    finally:
        if owned:
            # Stop the parser now, not when it is garbage-collected: after
            # [DONE] (or an error, or the caller leaving early) nothing more
            # is read.
            getattr(events, "close", _no_op)()


async def _adecode_all(
    cls: type[_V],
    events: AsyncIterable[ServerSentEvent],
    max_payload_size: int,
    owned: bool = False,
) -> AsyncIterator[_V]:
    # _decode_all's twin; it calls decode_event for every event (an event
    # loop's own cost per item dwarfs the call that _decode_all inlines).
    try:
        async for event in events:
            chunk = decode_event(cls, event, max_payload_size)
            if chunk is None:
                continue
            if isinstance(chunk, _Done):
                return
            yield chunk
    finally:
        if owned:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()


@overload
def decode_chunks(
    endpoint: Endpoint[_C, Any, Any],
    events: Iterable[ServerSentEvent],
    *,
    max_payload_size: int = ...,
) -> Iterator[_C]: ...
@overload
def decode_chunks(
    endpoint: str, events: Iterable[ServerSentEvent], *, max_payload_size: int = ...
) -> Iterator[Chunk]: ...
def decode_chunks(
    endpoint: Endpoint[Any, Any, Any] | str,
    events: Iterable[ServerSentEvent],
    *,
    max_payload_size: int = _MAX_PAYLOAD_SIZE,
) -> Iterator[Any]:
    """Yield the chunks of an endpoint's stream, given its events.

    ``endpoint`` is an endpoint record (:data:`CHAT`, ...; exact static
    types) or its name (``"chat"``, ...). ``events`` is any iterable of
    :class:`~sse_core.ServerSentEvent` (for example
    :func:`sse_core.iter_events`). Iteration stops at ``[DONE]`` without
    reading further. The endpoint is checked at once
    (:class:`UnknownEndpointError`, a ``ValueError``); stream errors
    (:class:`StreamError`) are raised as the offending event is reached,
    after every chunk before it was yielded.
    """
    return _decode_all(lookup(endpoint).chunk_class, events, max_payload_size)


@overload
def adecode_chunks(
    endpoint: Endpoint[_C, Any, Any],
    events: AsyncIterable[ServerSentEvent],
    *,
    max_payload_size: int = ...,
) -> AsyncIterator[_C]: ...
@overload
def adecode_chunks(
    endpoint: str,
    events: AsyncIterable[ServerSentEvent],
    *,
    max_payload_size: int = ...,
) -> AsyncIterator[Chunk]: ...
def adecode_chunks(
    endpoint: Endpoint[Any, Any, Any] | str,
    events: AsyncIterable[ServerSentEvent],
    *,
    max_payload_size: int = _MAX_PAYLOAD_SIZE,
) -> AsyncIterator[Any]:
    """Async form of :func:`decode_chunks`, over an async iterable of events."""
    return _adecode_all(lookup(endpoint).chunk_class, events, max_payload_size)


@overload
def decode_bytes(
    endpoint: Endpoint[_C, Any, Any],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = ...,
) -> Iterator[_C]: ...
@overload
def decode_bytes(
    endpoint: str,
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = ...,
) -> Iterator[Chunk]: ...
def decode_bytes(
    endpoint: Endpoint[Any, Any, Any] | str,
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = _MAX_PAYLOAD_SIZE,
) -> Iterator[Any]:
    """Yield the chunks of an endpoint's stream, given its raw bytes.

    ``chunks`` is the response body in any pieces (``response.iter_bytes()``);
    ``parser`` is an optional configured :class:`~sse_core.EventStreamParser`
    (read ``parser.last_event_id`` afterwards to resume). Bytes after
    ``[DONE]`` are not read. See :func:`decode_chunks`.
    """
    cls = lookup(endpoint).chunk_class
    return decode_byte_chunks(cls, chunks, parser, max_payload_size)


def decode_byte_chunks(
    cls: type[_V],
    chunks: Iterable[_Bytes],
    parser: EventStreamParser | None,
    max_payload_size: int,
) -> Iterator[_V]:
    """The chunks of class ``cls`` in a stream's bytes (no endpoint lookup)."""
    return _decode_all(cls, iter_events(chunks, parser), max_payload_size, True)


@overload
def adecode_bytes(
    endpoint: Endpoint[_C, Any, Any],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = ...,
) -> AsyncIterator[_C]: ...
@overload
def adecode_bytes(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = ...,
) -> AsyncIterator[Chunk]: ...
def adecode_bytes(
    endpoint: Endpoint[Any, Any, Any] | str,
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None = None,
    *,
    max_payload_size: int = _MAX_PAYLOAD_SIZE,
) -> AsyncIterator[Any]:
    """Async form of :func:`decode_bytes`, over an async iterable of byte chunks.

    Works with any event loop library (asyncio, trio, anyio): it only iterates.
    """
    cls = lookup(endpoint).chunk_class
    return adecode_byte_chunks(cls, chunks, parser, max_payload_size)


def adecode_byte_chunks(
    cls: type[_V],
    chunks: AsyncIterable[_Bytes],
    parser: EventStreamParser | None,
    max_payload_size: int,
) -> AsyncIterator[_V]:
    """Async form of :func:`decode_byte_chunks`."""
    return _adecode_all(cls, aiter_events(chunks, parser), max_payload_size, True)
