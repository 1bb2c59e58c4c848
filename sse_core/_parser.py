"""The incremental, sans-I/O event stream parser.

It implements the HTML Standard, section 9.2 "Server-sent events":
"Parsing an event stream" (9.2.5) and "Interpreting an event stream" (9.2.6).
Rule names in the comments below refer to those two sections.

How a feed is processed, and why it is fast:

1. Line endings are normalised to LF with two C-level ``bytes.replace`` calls
   (skipped when the feed has no CR at all). A CR that ends a feed has already
   ended its line; an LF that starts the next feed is then dropped.
2. Everything up to the last LF is complete lines. It is joined with the
   pending partial line (one join per completed line, never a re-scan) and
   decoded once. CR and LF are ASCII, so a line boundary is always a UTF-8
   sequence boundary: decoding whole feeds gives exactly what decoding the
   whole stream at once would, including U+FFFD for invalid bytes.
3. The text is split on blank lines. A block that is a pure run of
   ``data: `` lines, the shape of nearly every LLM event, becomes an event
   with a few C-level string operations; any other block goes through the
   line-by-line interpreter, which is the reference behaviour.
"""

from __future__ import annotations

from typing import Callable

from ._errors import (
    IncompleteEventError,
    LimitExceededError,
    SSETypeError,
    SSEUsageError,
)
from ._events import ServerSentEvent

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "DEFAULT_MAX_LINE_SIZE",
    "MAX_RETRY",
    "EventStreamParser",
]

DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024
"""Default ``max_line_size``: 16 MiB of input in one line."""

DEFAULT_MAX_EVENT_SIZE = 32 * 1024 * 1024
"""Default ``max_event_size``: 32 Mi characters of data in one event."""

MAX_RETRY = 2**63 - 1
"""Largest reconnection time reported, in ms; longer ``retry`` values are clamped."""

# Parser states.
_OPEN, _CLOSED, _FAILED = 0, 1, 2

# tuple.__new__ skips NamedTuple's Python-level __new__: measured 84 ns vs
# 142 ns per event on CPython 3.11.
_new_event = tuple.__new__


def _retry_value(digits: str) -> int:
    # 9.2.6 "retry": any run of ASCII digits is a base-ten integer. int() of
    # thousands of digits raises on CPython >= 3.11 and is quadratic, so values
    # longer than MAX_RETRY are clamped instead of converted.
    significant = digits.lstrip("0")
    if len(significant) > 19:
        return MAX_RETRY
    return min(int(significant or "0"), MAX_RETRY)


class EventStreamParser:
    """Incremental parser: bytes in, :class:`ServerSentEvent` objects out.

    Feed it raw bytes as the transport delivers them, in pieces of any size;
    :meth:`feed` returns the events completed so far. Any split of the same
    bytes gives the same events as one feed. It does no I/O.

    Args:
        max_line_size: the longest line accepted, in bytes, not counting the
            line ending. It also bounds the bytes held while waiting for a
            line's end. Crossing it raises :class:`LimitExceededError`.
        max_event_size: the most data one event may collect, in characters
            (the length of ``event.data``, counting a newline between data
            lines). Crossing it raises :class:`LimitExceededError`. Only
            ``data`` lines count: comments and other fields buffer nothing.
        on_comment: called with the text after the ``:`` of every comment line
            (for example ``" ping"`` for ``": ping"``), in stream order, as its
            line is parsed. Use it to reset keep-alive timers. When ``None``
            (the default) comments cost nothing. If it raises, the exception
            propagates and the parser is failed (see :meth:`reset`).
        raise_on_incomplete: when true, :meth:`close` raises
            :class:`IncompleteEventError` if the stream stopped mid-event;
            otherwise the unfinished event is discarded as the standard says
            and :attr:`truncated` is set.
        last_event_id: the last event ID to start from, when resuming a stream
            with a ``Last-Event-ID`` request header; events report it as their
            ``id`` until the server sends a new one (as browsers do on
            reconnection).

    After a :class:`LimitExceededError`, or an exception from ``on_comment``,
    the parser is *failed*: :meth:`feed` raises :class:`SSEUsageError` until
    :meth:`reset` is called. After :meth:`close`, :meth:`feed` raises
    :class:`SSEUsageError` too.
    """

    __slots__ = (
        "_at_start",
        "_data",
        "_data_size",
        "_event_retry",
        "_event_type",
        "_id_buffer",
        "_last_event_id",
        "_max_event_size",
        "_max_line_size",
        "_on_comment",
        "_pending",
        "_pending_size",
        "_raise_on_incomplete",
        "_retry",
        "_skip_lf",
        "_state",
        "_truncated",
    )

    def __init__(
        self,
        *,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        on_comment: Callable[[str], object] | None = None,
        raise_on_incomplete: bool = False,
        last_event_id: str = "",
    ) -> None:
        for name, value in (
            ("max_line_size", max_line_size),
            ("max_event_size", max_event_size),
        ):
            if type(value) is not int or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if not isinstance(last_event_id, str) or "\0" in last_event_id:
            raise ValueError("last_event_id must be a str without U+0000")
        self._max_line_size = max_line_size
        self._max_event_size = max_event_size
        self._on_comment = on_comment
        self._raise_on_incomplete = raise_on_incomplete
        self._last_event_id = last_event_id
        self._retry: int | None = None
        self._start_stream()

    def _start_stream(self) -> None:
        # 9.2.6: a new stream starts with empty buffers; the last event ID
        # string and the reconnection time belong to the event source and
        # carry over.
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._skip_lf = False
        self._at_start = True
        # () rather than [] for "no data lines": it costs no allocation per
        # idle parser and per dispatched event.
        self._data: list[str] | tuple[()] = ()
        self._data_size = 0
        self._event_type = ""
        self._event_retry: int | None = None
        self._id_buffer = self._last_event_id
        self._state = _OPEN
        self._truncated = False

    # -- public state ----------------------------------------------------------

    @property
    def last_event_id(self) -> str:
        """The standard's "last event ID string", set at every blank line.

        Send it as the ``Last-Event-ID`` header when reconnecting. An ``id``
        field takes effect at the next blank line, whether or not that line
        dispatches an event; an ``id`` in a block the stream never finished
        does not count.
        """
        return self._last_event_id

    @property
    def retry(self) -> int | None:
        """The latest valid ``retry`` value in milliseconds, or ``None`` if none yet.

        It takes effect as soon as its line is parsed (9.2.6), even in a block
        that never dispatches.
        """
        return self._retry

    @property
    def truncated(self) -> bool:
        """Whether :meth:`close` discarded an unfinished event or line.

        True when the stream ended after data lines or an ``id`` field with no
        blank line after them, or in the middle of a line.
        """
        return self._truncated

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called (and :meth:`reset` has not)."""
        return self._state == _CLOSED

    # -- feeding ---------------------------------------------------------------

    def feed(self, data: bytes | bytearray | memoryview) -> list[ServerSentEvent]:
        """Parse the next piece of the stream; return the events it completed.

        An event is returned by the call that delivers its terminating blank
        line, never later.

        Raises:
            LimitExceededError: a line or an event crossed its bound; the
                events completed before it are on the exception.
            SSETypeError: ``data`` is not bytes, bytearray or memoryview.
            SSEUsageError: the parser is closed or failed.
        """
        if self._state:
            raise self._unusable()
        if type(data) is not bytes:
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise SSETypeError(
                    "feed() takes bytes, bytearray or memoryview, "
                    f"not {type(data).__name__}"
                )
            data = bytes(data)
        if not data:
            return []
        if self._skip_lf:
            # 9.2.5: CR LF is one line ending, even split across two feeds.
            self._skip_lf = False
            if data[0] == 10:
                data = data[1:]
                if not data:
                    return []
        if b"\r" in data:
            # 9.2.5: lines end in CRLF, LF or a lone CR. A CR at the end of a
            # feed ends its line now; the LF that may follow is dropped above.
            self._skip_lf = data[-1] == 13
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = data.rfind(b"\n")
        if end < 0:
            return self._hold_partial(data)
        pending = self._pending
        if pending:
            pending.append(data)
            end += self._pending_size
            data = b"".join(pending)
            self._pending = []
            self._pending_size = 0
        if end > self._max_line_size:
            # Only a feed with more than max_line_size bytes of complete lines
            # can hold an over-long one: look for it line by line.
            start = 0
            for line in data[:end].split(b"\n"):
                if len(line) > self._max_line_size:
                    events = self._interpret_bytes(data[: start - 1]) if start else []
                    self._fail()
                    raise LimitExceededError(
                        "max_line_size", self._max_line_size, len(line), events
                    )
                start += len(line) + 1
        events = self._interpret_bytes(data[:end])
        if end + 1 < len(data):
            try:
                self._hold_partial(data[end + 1 :])
            except LimitExceededError as exc:
                exc.events = events
                raise
        return events

    def _interpret_bytes(self, lines: bytes) -> list[ServerSentEvent]:
        # lines: complete lines joined by LF, the last one's ending removed.
        text = lines.decode("utf-8", "replace")
        if self._at_start:
            self._at_start = False
            if text[:1] == "\ufeff":
                # 9.2.5: one leading BOM is skipped; a later U+FEFF is content.
                text = text[1:]
        events: list[ServerSentEvent] = []
        try:
            if len(text) < self._max_event_size - self._data_size:
                # No event can cross max_event_size within this text.
                self._interpret(text, events)
            else:
                self._interpret_bounded(text, events)
        except LimitExceededError as exc:
            exc.events = events
            raise
        except BaseException:
            self._fail()
            raise
        return events

    def _hold_partial(self, piece: bytes) -> list[ServerSentEvent]:
        # A line without its ending yet: keep the bytes (no copy, no re-scan:
        # they are joined once when the line ends).
        self._pending.append(piece)
        self._pending_size += len(piece)
        size = self._pending_size
        if size > self._max_line_size:
            self._fail()
            raise LimitExceededError("max_line_size", self._max_line_size, size)
        return []

    def _fail(self) -> None:
        self._state = _FAILED
        self._pending = []
        self._pending_size = 0

    def _unusable(self) -> SSEUsageError:
        if self._state == _CLOSED:
            return SSEUsageError("feed() called after close(); call reset() first")
        return SSEUsageError(
            "parser failed on an earlier error; call reset() to parse a new stream"
        )

    # -- interpreting ----------------------------------------------------------

    def _interpret_bounded(self, text: str, events: list[ServerSentEvent]) -> None:
        # The text is longer than the room left under max_event_size. Interpret
        # it in slices that end at a line boundary and are no longer than the
        # room left, checking the unfinished event between slices: no event
        # inside a slice can cross the bound, and each slice takes at least one
        # line, so this stays linear.
        pos = 0
        size = len(text)
        while True:
            room = max(self._max_event_size - self._data_size, 0)
            cut = pos + room
            if cut >= size:
                self._interpret(text[pos:], events)
                return
            stop = text.rfind("\n", pos, cut + 1)
            if stop < 0:
                stop = text.find("\n", cut)
                if stop < 0:
                    self._interpret(text[pos:], events)
                    return
            self._interpret(text[pos:stop], events)
            pos = stop + 1

    def _interpret(self, text: str, events: list[ServerSentEvent]) -> None:
        # text holds complete lines separated by "\n" (its last line had its
        # ending removed). Blocks between blank lines are split off first.
        blocks = (text + "\n").split("\n\n")
        # The last block's lines have no blank line after them (yet).
        rest = blocks.pop()
        last_id = self._last_event_id
        if blocks and (
            self._data
            or self._event_type
            or self._event_retry is not None
            or self._id_buffer != last_id
        ):
            # An event is under way from the previous feed: finish it the slow way.
            self._interpret_lines(blocks[0], events, dispatch=True)
            del blocks[0]
            last_id = self._last_event_id
        append = events.append
        for block in blocks:
            if block[:6] == "data: ":
                newlines = block.count("\n")
                if not newlines:
                    # The shape of almost every LLM event: one "data: " line.
                    append(
                        _new_event(
                            ServerSentEvent, ("message", block[6:], last_id, None)
                        )
                    )
                    continue
                if block.count("\ndata: ") == newlines:
                    # Every line is a "data: " line: strip the prefixes in C
                    # rather than line by line (4x faster on 40-line events).
                    data = block[6:].replace("\ndata: ", "\n")
                    append(
                        _new_event(ServerSentEvent, ("message", data, last_id, None))
                    )
                    continue
            self._interpret_lines(block, events, dispatch=True)
            last_id = self._last_event_id
        if rest:
            self._interpret_lines(rest[:-1], events, dispatch=False)

    def _interpret_lines(
        self, block: str, events: list[ServerSentEvent], dispatch: bool
    ) -> None:
        # The line-by-line interpreter: 9.2.6 as written. When dispatch is
        # true, a blank line follows the block.
        data = self._data
        counted = len(data)
        start_data = data
        event_type = self._event_type
        event_retry = self._event_retry
        id_buffer = self._id_buffer
        last_id = self._last_event_id
        on_comment = self._on_comment
        lines = block.split("\n")
        if dispatch:
            lines.append("")
        for line in lines:
            if not line:
                # 9.2.6 "If the line is empty": dispatch the event.
                last_id = id_buffer
                if data:
                    append_event = events.append
                    append_event(
                        _new_event(
                            ServerSentEvent,
                            (
                                event_type or "message",
                                "\n".join(data),
                                last_id,
                                event_retry,
                            ),
                        )
                    )
                    data = ()
                # An empty data buffer dispatches nothing; either way the
                # data and event type buffers are reset.
                event_type = ""
                event_retry = None
                continue
            colon = line.find(":")
            if colon == 0:
                # 9.2.6 "If the line starts with a colon": a comment.
                if on_comment is not None:
                    on_comment(line[1:])
                continue
            if colon > 0:
                # 9.2.6 "If the line contains a colon": name before it, value
                # after it without one leading space.
                name = line[:colon]
                value = (
                    line[colon + 2 :]
                    if line[colon + 1 : colon + 2] == " "
                    else line[colon + 1 :]
                )
            else:
                # 9.2.6 "Otherwise": the whole line is the name, value empty.
                name = line
                value = ""
            if name == "data":
                if data:
                    data.append(value)
                else:
                    data = [value]
            elif name == "event":
                event_type = value
            elif name == "id":
                # 9.2.6 "id": ignored if it contains U+0000 NULL.
                if "\0" not in value:
                    id_buffer = value
            elif name == "retry" and value.isdigit() and value.isascii():
                # 9.2.6 "retry": only ASCII digits; anything else is ignored.
                event_retry = self._retry = _retry_value(value)
            # 9.2.6: any other field name is ignored.
        self._data = data
        self._event_type = event_type
        self._event_retry = event_retry
        self._id_buffer = id_buffer
        self._last_event_id = last_id
        if data:
            if data is not start_data:
                counted = 0
                self._data_size = -1
            self._data_size += sum(map(len, data[counted:])) + len(data) - counted
            size = self._data_size
            if size > self._max_event_size:
                self._fail()
                raise LimitExceededError("max_event_size", self._max_event_size, size)
        else:
            self._data_size = 0

    # -- ending ----------------------------------------------------------------

    def close(self) -> list[ServerSentEvent]:
        """Signal the end of the stream; return the events it completes.

        By the standard (9.2.6, end of file), an event without its final blank
        line is discarded, so this returns an empty list; it exists so that
        callers treat the end of a stream explicitly. If something was
        discarded, :attr:`truncated` becomes true, and with
        ``raise_on_incomplete=True`` :class:`IncompleteEventError` is raised.
        Calling it again does nothing.
        """
        if self._state == _CLOSED:
            return []
        failed = self._state == _FAILED
        self._state = _CLOSED
        if failed:
            return []
        partial = b"".join(self._pending)
        data = "\n".join(self._data)
        self._truncated = bool(
            partial or self._data or self._id_buffer != self._last_event_id
        )
        self._pending = []
        self._pending_size = 0
        self._data = ()
        self._data_size = 0
        if self._truncated and self._raise_on_incomplete:
            raise IncompleteEventError(data, partial)
        return []

    def reset(self) -> None:
        """Make the parser ready for a new stream (for example after a reconnection).

        Clears everything buffered and any closed or failed state. Keeps
        :attr:`last_event_id` and :attr:`retry`, which belong to the event
        source rather than to one connection.
        """
        self._start_stream()

    def __repr__(self) -> str:
        state = ("open", "closed", "failed")[self._state]
        return (
            f"<EventStreamParser {state} last_event_id={self._last_event_id!r} "
            f"retry={self._retry!r} buffered={self._pending_size}B>"
        )
