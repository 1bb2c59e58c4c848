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
empty event (whose JSON parsing failed); invalid UTF-8 decodes to U+FFFD
instead of raising ``UnicodeDecodeError``.

The event name is reported the way each SDK's ``Stream`` expects it
(:attr:`SDKEvent.event`): writer-sdk yields chunks only for events it sees as
unnamed, so for it the default type ``message`` is ``None`` whether the block
named it or not (its own decoder made ``event: message`` a dropped event);
openai and anthropic get the name as their own decoders report it (``None``
without an ``event`` field, else its value, ``"message"`` included), because
anthropic passes named events it does not know through.

Nothing here imports an SDK: the module is plain sse_core.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any, Callable, NamedTuple, TypeVar

from ._events import ServerSentEvent
from ._parser import EventStreamParser

__all__ = [
    "SDK_MAX_EVENT_SIZE",
    "SDK_MAX_LINE_SIZE",
    "SDKEvent",
    "SSEDecoder",
    "install",
]

_ClientT = TypeVar("_ClientT")

SDK_MAX_LINE_SIZE = 256 * 1024 * 1024
"""The line bound of :class:`SSEDecoder` and :func:`install` (256 MiB).

The SDKs' own decoders have no bound at all, and openai tests that an event of
64 MiB + 1 byte is delivered; these bounds are four times that, so the SDKs'
legitimate traffic passes and a hostile stream still ends in
:class:`~sse_core.LimitExceededError` rather than in exhausted memory. They
are far above the parser's own defaults (16 MiB and 32 Mi characters), which
suit a stream read directly with sse_core.
"""

SDK_MAX_EVENT_SIZE = 256 * 1024 * 1024
"""The event bound (characters of data) of :class:`SSEDecoder` and
:func:`install` (256 Mi); see :data:`SDK_MAX_LINE_SIZE`."""


class SDKEvent(NamedTuple):
    """An event shaped like the SDKs' own ``ServerSentEvent``.

    The SDKs' ``Stream`` reads ``event``, ``data`` and ``json()``; ``id``,
    ``retry`` and ``raw`` complete the shape of their class.

    * ``event``: the event name as the SDK expects it (see the module's
      docstring): ``None`` for the default type, except that openai and
      anthropic see an explicit ``event: message`` as ``"message"``.
    * ``data``: the data lines joined with ``"\\n"``.
    * ``id``: the last event ID at dispatch time; ``None`` when it is empty,
      as the SDKs report a stream that never set one.
    * ``retry``: a valid ``retry`` value (ms) from this event's own block.
    * ``raw``: the lines of the event's block as received, without their
      line endings: comments and unknown fields included, the blank line
      that ended the block and a leading byte order mark excluded
      (anthropic's ``ServerSentEvent.raw``, which its refusal fallback uses
      to pass an event through unchanged).
    """

    event: str | None = None
    data: str = ""
    id: str | None = None
    retry: int | None = None
    raw: tuple[str, ...] = ()

    def json(self) -> Any:
        """Return ``json.loads(self.data)`` (``json.JSONDecodeError`` if not JSON)."""
        return json.loads(self.data)


def _event_field(lines: list[str]) -> str | None:
    # The value of the block's last ``event`` field (9.2.6 "Process the
    # field"), or None. ServerSentEvent reports an explicit ``event: message``
    # and no event field alike, as the standard does; the SDKs tell them apart.
    value = None
    for line in lines:
        if line.startswith("event"):
            name, _, rest = line.partition(":")
            if name == "event":
                value = rest[1:] if rest.startswith(" ") else rest
    return value


class _Stream:
    """One stream: feeds the parser line by line, keeping each block's lines.

    The parser alone decides what is dispatched (9.2.6: a block without data
    is not); this class only cuts lines (CR, LF or CRLF, as 9.2.5 does and as
    ``bytes.splitlines`` does) to hand each event the lines of its block.
    """

    __slots__ = ("_after_cr", "_at_start", "_block", "_explicit", "_parser", "_partial")

    def __init__(self, parser: EventStreamParser, explicit_message: bool) -> None:
        self._parser = parser
        self._explicit = explicit_message
        self._partial: list[bytes] = []
        self._block: list[str] = []
        self._after_cr = False
        self._at_start = True

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[SDKEvent]:
        data = bytes(chunk)
        feed = self._parser.feed
        out: list[SDKEvent] = []
        if self._after_cr and data:
            self._after_cr = False
            if data[0] == 10:
                # The LF half of a CRLF cut between two reads.
                feed(data[:1])
                data = data[1:]
        for piece in data.splitlines(keepends=True):
            events = feed(piece)
            last = piece[-1]
            if last != 10 and last != 13:  # noqa: PLR1714  (ints)
                self._partial.append(piece)  # the line goes on in the next read
                continue
            if self._partial:
                self._partial.append(piece)
                piece = b"".join(self._partial)
                self._partial = []
            end = -2 if piece.endswith(b"\r\n") else -1
            line = piece[:end]
            self._after_cr = last == 13
            if self._at_start:
                self._at_start = False
                if line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
            if line:
                self._block.append(line.decode("utf-8", "replace"))
                continue
            block, self._block = self._block, []
            out.extend(self._event(sse, block) for sse in events)
        return out

    def close(self) -> list[SDKEvent]:
        # An unterminated last event is discarded (9.2.6, end of stream).
        return [self._event(sse, self._block) for sse in self._parser.close()]

    def _event(self, sse: ServerSentEvent, block: list[str]) -> SDKEvent:
        name: str | None = sse.event
        if name == "message" and not (self._explicit and _event_field(block)):
            name = None
        return SDKEvent(name, sse.data, sse.id or None, sse.retry, tuple(block))


class SSEDecoder:
    """Decodes a byte stream into :class:`SDKEvent` objects with sse_core.

    It has the two methods a Stainless ``Stream`` calls on its decoder
    (the ``SSEBytesDecoder`` protocol in ``<sdk>/_streaming.py``). Each call
    parses one whole stream with a fresh :class:`~sse_core.EventStreamParser`,
    so one decoder may serve any number of streams.

    Args:
        max_line_size: the parser's line bound (:data:`SDK_MAX_LINE_SIZE`).
        max_event_size: the parser's event bound (:data:`SDK_MAX_EVENT_SIZE`).
        explicit_message: report an explicit ``event: message`` as
            ``"message"`` (openai, anthropic: the default) rather than
            ``None`` (writer-sdk). :func:`install` sets it from the client.

    Crossing a bound raises :class:`~sse_core.LimitExceededError` out of the
    SDK's iterator.
    """

    __slots__ = ("_explicit", "_max_event_size", "_max_line_size")

    def __init__(
        self,
        *,
        max_line_size: int = SDK_MAX_LINE_SIZE,
        max_event_size: int = SDK_MAX_EVENT_SIZE,
        explicit_message: bool = True,
    ) -> None:
        self._max_line_size = max_line_size
        self._max_event_size = max_event_size
        self._explicit = explicit_message
        # Reject bad bounds now rather than in the middle of a request.
        self._new_stream()

    def _new_stream(self) -> _Stream:
        parser = EventStreamParser(
            max_line_size=self._max_line_size, max_event_size=self._max_event_size
        )
        return _Stream(parser, self._explicit)

    def iter_bytes(
        self, iterator: Iterable[bytes | bytearray | memoryview]
    ) -> Iterator[SDKEvent]:
        """Yield the events of a stream given as byte chunks of any size."""
        stream = self._new_stream()
        for chunk in iterator:
            yield from stream.feed(chunk)
        yield from stream.close()

    async def aiter_bytes(
        self, iterator: AsyncIterable[bytes | bytearray | memoryview]
    ) -> AsyncIterator[SDKEvent]:
        """Async form of :meth:`iter_bytes`."""
        stream = self._new_stream()
        async for chunk in iterator:
            for event in stream.feed(chunk):
                yield event
        for event in stream.close():
            yield event

    def __repr__(self) -> str:
        return (
            f"SSEDecoder(max_line_size={self._max_line_size}, "
            f"max_event_size={self._max_event_size}, "
            f"explicit_message={self._explicit})"
        )


# The SDKs whose Stream yields chunks only for unnamed events.
_DEFAULT_TYPE_IS_NONE = frozenset({"writerai"})


def install(
    client: _ClientT,
    *,
    max_line_size: int = SDK_MAX_LINE_SIZE,
    max_event_size: int = SDK_MAX_EVENT_SIZE,
) -> _ClientT:
    """Make a Stainless-generated ``client`` decode its streams with sse_core.

    Works on sync and async clients (``writerai.Writer``, ``openai.OpenAI``,
    ``anthropic.AsyncAnthropic``, ...). It sets the instance's
    ``_make_sse_decoder``; every streamed call then uses :class:`SSEDecoder`,
    including the ``with_raw_response`` / ``with_streaming_response`` paths and
    the SDKs' streaming helpers, which all build their ``Stream`` with this
    client. ``copy()`` and ``with_options()`` build a new client from the class,
    so they are wrapped too: the clients they return are installed as well.

    The bounds default to :data:`SDK_MAX_LINE_SIZE` and
    :data:`SDK_MAX_EVENT_SIZE` (256 MiB each: the SDKs have none, and openai
    delivers events of 64 MiB). The event name is reported as the client's SDK
    expects it (see :class:`SDKEvent`), from the package the client's class
    belongs to.

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
    package = type(client).__module__.partition(".")[0]
    factory = functools.partial(
        SSEDecoder,
        max_line_size=max_line_size,
        max_event_size=max_event_size,
        explicit_message=package not in _DEFAULT_TYPE_IS_NONE,
    )
    factory()  # validates the bounds
    patch = vars(client)
    patch["_make_sse_decoder"] = factory
    bounds = {"max_line_size": max_line_size, "max_event_size": max_event_size}
    for name in ("copy", "with_options"):
        method = getattr(type(client), name, None)
        if callable(method):
            patch[name] = _installing(method, client, bounds)
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


def __dir__() -> list[str]:
    return sorted(__all__)
