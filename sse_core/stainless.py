"""A drop-in SSE decoder for Stainless-generated SDKs (writer-sdk, openai, anthropic).

Those SDKs parse ``text/event-stream`` responses with a decoder that their
client builds in ``_make_sse_decoder()``; ``Stream.__init__`` calls it once per
streamed response (``<sdk>/_streaming.py``). :func:`install` makes a client use
:class:`SSEDecoder` instead, so streams are parsed by sse_core's spec-exact
parser::

    import writerai
    from sse_core.stainless import install

    client = install(writerai.Writer())

On well-formed streams the SDK yields the same chunks as with its own decoder.
Where that decoder is wrong, it yields the right ones: a leading byte order mark
no longer loses the first event; a keep-alive comment after an ``id`` field, a
block with only ``retry`` or an ``event`` without data no longer dispatch an
empty event (whose JSON parsing failed); ``event: message`` is the default type
(writer-sdk dropped it); invalid UTF-8 decodes to U+FFFD instead of raising
``UnicodeDecodeError``.

Nothing here imports an SDK: the module is plain sse_core.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any, Callable, NamedTuple, TypeVar

from ._events import ServerSentEvent
from ._iterate import aiter_events, iter_events
from ._parser import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_SIZE, EventStreamParser

__all__ = ["SDKEvent", "SSEDecoder", "install"]

_ClientT = TypeVar("_ClientT")


class SDKEvent(NamedTuple):
    """An event shaped like the SDKs' own ``ServerSentEvent``.

    The SDKs' ``Stream`` reads ``event``, ``data`` and ``json()``; ``id`` and
    ``retry`` complete the shape of their class.

    * ``event``: ``None`` for the default type ``"message"`` (no ``event``
      field, an empty one, or an explicit ``event: message``: the standard
      makes them the same), else the event name. writer-sdk yields a chunk
      only when it is ``None``; openai yields every event but treats
      ``thread.*`` names apart; anthropic skips ``None`` and yields named ones.
    * ``data``: the data lines joined with ``"\\n"``.
    * ``id``: the last event ID at dispatch time; ``None`` when it is empty,
      as the SDKs report a stream that never set one.
    * ``retry``: a valid ``retry`` value (ms) from this event's own block.
    """

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """Return ``json.loads(self.data)`` (``json.JSONDecodeError`` if not JSON)."""
        return json.loads(self.data)


def _sdk_event(sse: ServerSentEvent) -> SDKEvent:
    return SDKEvent(
        None if sse.event == "message" else sse.event,
        sse.data,
        sse.id or None,
        sse.retry,
    )


class SSEDecoder:
    """Decodes a byte stream into :class:`SDKEvent` objects with sse_core.

    It has the two methods a Stainless ``Stream`` calls on its decoder
    (the ``SSEBytesDecoder`` protocol in ``<sdk>/_streaming.py``). Each call
    parses one whole stream with a fresh :class:`~sse_core.EventStreamParser`,
    so one decoder may serve any number of streams.

    The SDKs' decoder has no size bounds; sse_core's are generous (16 MiB per
    line, 32 Mi characters per event) and raise
    :class:`~sse_core.LimitExceededError` out of the SDK's iterator when
    crossed. Raise them here for streams that carry larger events.
    """

    __slots__ = ("_max_event_size", "_max_line_size")

    def __init__(
        self,
        *,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    ) -> None:
        self._max_line_size = max_line_size
        self._max_event_size = max_event_size
        # Reject bad bounds now rather than in the middle of a request.
        self._new_parser()

    def _new_parser(self) -> EventStreamParser:
        return EventStreamParser(
            max_line_size=self._max_line_size, max_event_size=self._max_event_size
        )

    def iter_bytes(
        self, iterator: Iterable[bytes | bytearray | memoryview]
    ) -> Iterator[SDKEvent]:
        """Yield the events of a stream given as byte chunks of any size."""
        for sse in iter_events(iterator, self._new_parser()):
            yield _sdk_event(sse)

    async def aiter_bytes(
        self, iterator: AsyncIterable[bytes | bytearray | memoryview]
    ) -> AsyncIterator[SDKEvent]:
        """Async form of :meth:`iter_bytes`."""
        async for sse in aiter_events(iterator, self._new_parser()):
            yield _sdk_event(sse)

    def __repr__(self) -> str:
        return (
            f"SSEDecoder(max_line_size={self._max_line_size}, "
            f"max_event_size={self._max_event_size})"
        )


def install(
    client: _ClientT,
    *,
    max_line_size: int = DEFAULT_MAX_LINE_SIZE,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
) -> _ClientT:
    """Make a Stainless-generated ``client`` decode its streams with sse_core.

    Works on sync and async clients (``writerai.Writer``, ``openai.OpenAI``,
    ``anthropic.AsyncAnthropic``, ...). It sets the instance's
    ``_make_sse_decoder``; every streamed call then uses :class:`SSEDecoder`,
    including the ``with_raw_response`` / ``with_streaming_response`` paths and
    the SDKs' streaming helpers, which all build their ``Stream`` with this
    client. ``copy()`` and ``with_options()`` build a new client from the class,
    so they are wrapped too: the clients they return are installed as well.

    Returns ``client`` itself, so it can wrap the constructor. Installing twice
    only updates the bounds.

    Raises:
        TypeError: ``client`` has no ``_make_sse_decoder()``, or it does not
            return the SDK's Server-Sent Events decoder (for example
            anthropic's Bedrock client, which reads AWS event streams).
    """
    make_decoder = getattr(client, "_make_sse_decoder", None)
    if not callable(make_decoder):
        raise TypeError(
            f"{type(client).__name__} is not a Stainless-generated client: "
            "it has no _make_sse_decoder()"
        )
    current = type(make_decoder())
    if current is not SSEDecoder and current.__name__ != "SSEDecoder":
        raise TypeError(
            f"{type(client).__name__} decodes streams with {current.__name__}, "
            "not Server-Sent Events; install() only replaces the SDK's SSEDecoder"
        )
    factory = functools.partial(
        SSEDecoder, max_line_size=max_line_size, max_event_size=max_event_size
    )
    factory()  # validates the bounds
    patch = vars(client)
    patch["_make_sse_decoder"] = factory
    for name in ("copy", "with_options"):
        method = getattr(type(client), name, None)
        if callable(method):
            patch[name] = _installing(method, client, factory.keywords)
    return client


def _installing(
    method: Callable[..., Any], client: object, bounds: dict[str, Any]
) -> Callable[..., Any]:
    # The SDKs' copy() returns ``self.__class__(...)``, a fresh instance that
    # would lose the instance attribute set by install().
    @functools.wraps(method)
    def copy(*args: Any, **kwargs: Any) -> Any:
        return install(method(client, *args, **kwargs), **bounds)

    return copy
