"""Every exception the sse_core core raises, typed by who is at fault.

The tree::

    SSEError                      anything sse_core raises
    ├── SSEProtocolError          the remote peer sent something unacceptable
    │   ├── LimitExceededError    a line or an event past a configured bound
    │   ├── IncompleteEventError  the stream ended mid-event (when asked to tell)
    │   ├── BadResponseError      the HTTP response is not an event stream
    │   └── ContentEncodingError  a Content-Encoding sse_core cannot decode
    ├── SSEUsageError             the local caller used the API wrongly
    │   └── SSETypeError          feed() given something that is not bytes
    ├── EncodeError               a value the encoder cannot write faithfully
    └── RetriesExhaustedError     a reconnecting client gave up

    LastEventIdWarning            (a UserWarning) reconnecting without an ID
                                  that no header can carry

``except SSEError`` catches every exception above. The Writer endpoint layer
adds its own subtree under :class:`SSEError`, rooted at
``sse_core.endpoints.StreamError``; it lives in ``sse_core/endpoints/_errors.py``,
a leaf module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._events import Comment, ServerSentEvent

__all__ = [
    "BadResponseError",
    "ContentEncodingError",
    "EncodeError",
    "IncompleteEventError",
    "LastEventIdWarning",
    "LimitExceededError",
    "RetriesExhaustedError",
    "SSEError",
    "SSEProtocolError",
    "SSETypeError",
    "SSEUsageError",
]


class SSEError(Exception):
    """Base class of every exception raised by sse_core."""


class SSEProtocolError(SSEError):
    """The stream itself is unacceptable: the remote peer is at fault."""


class SSEUsageError(SSEError):
    """The parser was used wrongly: the local caller is at fault.

    Raised when feeding a parser after :meth:`~sse_core.EventStreamParser.close`
    or after it failed with a :class:`LimitExceededError` (call ``reset()`` to
    start a new stream).
    """


class SSETypeError(SSEUsageError, TypeError):
    """``feed()`` was given something other than bytes, bytearray or memoryview."""


class LimitExceededError(SSEProtocolError):
    """A line or an event grew past one of the parser's configured bounds.

    Attributes:
        limit: the name of the constructor option that was exceeded
            (``"max_line_size"`` or ``"max_event_size"``).
        max_size: the configured value of that option.
        size: the size that was reached (at least ``max_size + 1``; the parser
            stops reading as soon as the bound is crossed, so this is a lower
            bound on how large the line or event would have become).
        events: the events the failing ``feed()`` call completed before the
            bound was crossed, so nothing already parsed is lost (for a
            parser built with ``comments=True``, its comments too, in order).

    After this error the parser refuses further input (``feed()`` raises
    :class:`SSEUsageError`) until :meth:`~sse_core.EventStreamParser.reset` is
    called.
    """

    def __init__(
        self,
        limit: str,
        max_size: int,
        size: int,
        events: list[ServerSentEvent | Comment] | None = None,
    ) -> None:
        what = "line" if limit == "max_line_size" else "event data"
        super().__init__(f"{what} exceeds {limit}={max_size}: reached {size} bytes")
        self.limit = limit
        self.max_size = max_size
        self.size = size
        self.events: list[ServerSentEvent | Comment] = (
            events if events is not None else []
        )


class IncompleteEventError(SSEProtocolError):
    """The stream ended in the middle of an event (or a line).

    Raised by :meth:`~sse_core.EventStreamParser.close` only when the parser
    was built with ``raise_on_incomplete=True``; otherwise the unfinished event
    is silently discarded, as the HTML Standard requires, and
    ``parser.truncated`` is set instead.

    Attributes:
        data: the data lines the unfinished event had collected, joined with
            ``"\\n"`` (``""`` if none).
        partial_line: the undecoded bytes of a final line that had no line
            ending (``b""`` if the stream ended at a line boundary).
    """

    def __init__(self, data: str, partial_line: bytes) -> None:
        parts: list[str] = []
        if data:
            parts.append(f"{len(data)} characters of event data")
        if partial_line:
            parts.append(f"{len(partial_line)} bytes of an unterminated line")
        detail = " and ".join(parts) or "an unterminated event"
        super().__init__(f"stream ended mid-event; discarded {detail}")
        self.data = data
        self.partial_line = partial_line


class BadResponseError(SSEProtocolError):
    """An HTTP response that is not an event stream (not 2xx or not text/event-stream).

    Raised by the transport helpers that make the request themselves, before
    any parsing. HTTP 204 is not an error: the standard uses it to tell a
    client to stop reconnecting, and helpers treat it as an empty stream.

    Attributes:
        status_code: the HTTP status.
        content_type: the ``Content-Type`` header, ``""`` if absent.
        body_start: up to the first 512 bytes of the body, to show what the
            server sent instead (an HTML error page, a JSON error, ...).
        url: the requested URL, as text.
    """

    def __init__(
        self, status_code: int, content_type: str, body_start: bytes, url: str = ""
    ) -> None:
        snippet = body_start[:200].decode("utf-8", "replace")
        where = f" from {url}" if url else ""
        super().__init__(
            f"expected a 2xx text/event-stream response{where}, got HTTP "
            f"{status_code} with Content-Type {content_type or '(none)'!r}: "
            f"{snippet!r}"
        )
        self.status_code = status_code
        self.content_type = content_type
        self.body_start = body_start
        self.url = url


class ContentEncodingError(SSEProtocolError):
    """A response body sse_core cannot decode within its bounds.

    Its ``Content-Encoding`` is one sse_core does not decode itself (it
    decodes ``gzip``, ``deflate`` and ``identity``, with a bounded output per
    step), or the compressed data is corrupt. Send ``Accept-Encoding`` with
    the encodings you accept; the transports send ``gzip, deflate``.

    Attributes:
        encoding: the ``Content-Encoding`` header as received.
    """

    def __init__(self, encoding: str, detail: str) -> None:
        super().__init__(f"cannot decode Content-Encoding {encoding!r}: {detail}")
        self.encoding = encoding


class EncodeError(SSEError, ValueError):
    """A value cannot be written so that a parser reads back the same value."""


class RetriesExhaustedError(SSEError):
    """Too many connection attempts in a row failed; the client gave up.

    The last failure (a network error, or ``None`` for a stream that ended
    without delivering an event) is the exception's ``__cause__``.

    Attributes:
        attempts: the number of failed attempts in a row.
        last_event_id: the last event ID received, to resume from later.
    """

    def __init__(self, attempts: int, last_event_id: str) -> None:
        plural = "" if attempts == 1 else "s in a row"
        super().__init__(
            f"gave up reconnecting: {attempts} connection attempt{plural} "
            "delivered no event"
        )
        self.attempts = attempts
        self.last_event_id = last_event_id


class LastEventIdWarning(UserWarning):
    """A reconnection goes without ``Last-Event-ID``: the ID cannot be a header value.

    The server sent an ``id`` holding a control character (after stripping
    surrounding spaces and tabs, as Fetch does), which no HTTP library will
    send; the stream reconnects without it rather than die, so the server
    starts over from its beginning.
    """
