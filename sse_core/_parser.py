"""The incremental, sans-I/O event stream parser: bytes in, events out.

:class:`EventStreamParser` implements the HTML Standard, section 9.2
"Server-sent events", in two halves:

* this module, the scanner: "Parsing an event stream" (9.2.5), bytes to
  complete lines, in :meth:`EventStreamParser.feed`;
* :mod:`sse_core._interpreter`, the interpreter: "Interpreting an event
  stream" (9.2.6), the field rules and dispatch, with its own map of rules
  to functions.

Where each rule of 9.2.5 lives:

==========================================  =================================
9.2.5 rule                                  implemented by
==========================================  =================================
a line ends at CRLF, LF or a lone CR        ``feed`` (:func:`_normalize`)
a CR at the end of a read ends its line;    ``feed``: the ``_AFTER_CR``
an LF first in the next one is the rest     state
of that CRLF
one leading U+FEFF (BOM) is skipped         ``feed``: the ``_START`` state;
                                            ``close`` for a stream of just
                                            a BOM
UTF-8 decode (invalid bytes become U+FFFD)  per value, see
                                            :mod:`sse_core._interpreter`
end of file: the unterminated line is       ``close``
discarded
(sse_core) ``max_line_size``                ``feed`` (``_find_long_line``),
                                            ``_spill`` for a held line
==========================================  =================================

``tests/sse_model.py`` is the same standard written for clarity over a whole
stream; the parser is property-tested against it, and against
:class:`_PlainEventStreamParser`, which is this scanner with the plain
line-by-line interpreter only (no fast path).

How a read goes through ``feed``:

1. Between events with nothing held (the ``_READY`` state), a read that is
   exactly one event of one ``data: `` line becomes its event at once: the
   shape of a server that flushes after every event.
2. A read without CR or LF is appended to the held partial line (a
   bytearray, in 64 KiB segments); nothing else happens. A line that starts
   between events is first held as the bytes object its read was (the
   ``_HELD`` state), since the next read usually ends it: the read that
   does is joined to it and goes on as one read between events, through
   step 1 (the rest of an event cut in two by a read boundary).
3. A read that ends a held ``data: `` line (a longer one, grown over
   several reads) with a blank line, and holds no other line ending,
   becomes its event at once.
4. Otherwise CRLF and CR become LF (C-level ``bytes.replace``, skipped when
   the read has no CR), the held bytes are joined once with the read, and
   everything up to the last LF goes to the interpreter as ``(data, start,
   end)``, not sliced. The rest is held.

Paths 1 and 3 are fast paths: each says which general-path behaviour it
equals, and :class:`_PlainEventStreamParser` takes neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Generic, Literal, overload

from ._errors import (
    IncompleteEventError,
    LimitExceededError,
    SSETypeError,
    SSEUsageError,
)
from ._events import ServerSentEvent
from ._interpreter import MAX_RETRY, Item, _Interpreter, _new_event

if TYPE_CHECKING:
    # A default lets ``EventStreamParser`` stand for
    # ``EventStreamParser[ServerSentEvent]`` in annotations (PEP 696).
    from typing_extensions import TypeVar

    ItemT = TypeVar("ItemT", bound=Item, default=ServerSentEvent)
else:
    from typing import TypeVar

    ItemT = TypeVar("ItemT")

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "DEFAULT_MAX_LINE_SIZE",
    "MAX_RETRY",
    "EventStreamParser",
    "ItemT",
    "_PlainEventStreamParser",
]

DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024
"""Default ``max_line_size``: 16 MiB in one line."""

DEFAULT_MAX_EVENT_SIZE = 32 * 1024 * 1024
"""Default ``max_event_size``: 32 MiB of data in one event."""

_DEFAULT_VALUE_LIMIT = min(DEFAULT_MAX_LINE_SIZE - 6, DEFAULT_MAX_EVENT_SIZE)

# Parser states. _NORMAL (0, so that a read in the middle of a line costs
# one test): open, and no other state applies; _open says whether an event
# is under way, and a partial line may be held.
_NORMAL = 0
# Open, between events, and nothing held: the one state where a read may
# take the one-event fast path, so one test covers all those conditions.
_READY = 1
# Open, and no line has ended yet: a BOM may still come.
_START = 2
# Open, and the last read ended in CR: an LF first in the next read is the
# second half of a CRLF.
_AFTER_CR = 3
# Open, between events, and the start of a line held from one read, as the
# bytes object that read was (no copy; a bytearray once it grows). The read
# that ends the line is joined to it and taken as a read made _READY.
_HELD = 4
# Not open (feed raises): the last two, so one comparison finds them.
_CLOSED, _FAILED = 5, 6

_decode = bytes.decode
_BOM = b"\xef\xbb\xbf"
# No line is held: the bytes singleton, told apart from an empty bytearray
# by identity.
_IDLE = b""
# A held line is kept in segments of this size: growing one buffer to 8 MiB
# re-copies it on every reallocation.
_SEGMENT = 64 * 1024


def _as_bytes(data: object) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)  # pyright: ignore[reportUnknownArgumentType]
    raise SSETypeError(
        f"feed() takes bytes, bytearray or memoryview, not {type(data).__name__}"
    )


class EventStreamParser(_Interpreter, Generic[ItemT]):
    """Incremental parser: bytes in, :class:`ServerSentEvent` objects out.

    Feed it raw bytes as the transport delivers them, in pieces of any size;
    :meth:`feed` returns the events completed so far. Any split of the same
    bytes gives the same events as one feed. It does no I/O.

    Args:
        max_line_size: the longest line accepted, in bytes, not counting the
            line ending. It also bounds the bytes held while waiting for a
            line's end. Crossing it raises :class:`LimitExceededError`.
        max_event_size: the most data one event may collect, in bytes of
            UTF-8 (the data lines' values, plus one byte per line break
            between them). Crossing it raises :class:`LimitExceededError`.
            Only ``data`` lines count: comments and other fields buffer
            nothing.
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
        comments: when true, :meth:`feed` returns each comment line as a
            :class:`Comment` among the events, in the order the stream held
            them (``EventStreamParser[ServerSentEvent | Comment]`` to a type
            checker). By default comments are left out and cost nothing.

    After a :class:`LimitExceededError`, or an exception from ``on_comment``,
    the parser is *failed*: :meth:`feed` raises :class:`SSEUsageError` until
    :meth:`reset` is called. After :meth:`close`, :meth:`feed` raises
    :class:`SSEUsageError` too.
    """

    __slots__ = (
        "_held",
        "_hold_limit",
        "_max_line_size",
        "_open",
        "_pending",
        "_raise_on_incomplete",
        "_state",
        "_truncated",
        "_value_limit",
    )

    # Whether feed() may take its fast paths (_PlainEventStreamParser: no).
    _fast_paths = True

    @overload
    def __init__(
        self: EventStreamParser[ServerSentEvent],
        *,
        max_line_size: int = ...,
        max_event_size: int = ...,
        on_comment: Callable[[str], object] | None = ...,
        raise_on_incomplete: bool = ...,
        last_event_id: str = ...,
        comments: Literal[False] = ...,
    ) -> None: ...

    @overload
    def __init__(
        self: EventStreamParser[Item],
        *,
        max_line_size: int = ...,
        max_event_size: int = ...,
        on_comment: Callable[[str], object] | None = ...,
        raise_on_incomplete: bool = ...,
        last_event_id: str = ...,
        comments: bool,
    ) -> None: ...

    def __init__(
        self,
        *,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        on_comment: Callable[[str], object] | None = None,
        raise_on_incomplete: bool = False,
        last_event_id: str = "",
        comments: bool = False,
    ) -> None:
        for name, value in (
            ("max_line_size", max_line_size),
            ("max_event_size", max_event_size),
        ):
            if type(value) is not int or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        _check_last_event_id(last_event_id)
        self._max_line_size = max_line_size
        self._max_event_size = max_event_size
        # The longest value a "data: " line can hold without crossing either
        # bound, if it is an event's only data line (the default's int is
        # shared: no allocation per idle parser).
        value_limit = min(max_line_size - 6, max_event_size)
        if value_limit == _DEFAULT_VALUE_LIMIT:
            value_limit = _DEFAULT_VALUE_LIMIT
        self._value_limit = value_limit
        self._on_comment = on_comment
        self._comments = bool(comments)
        self._raise_on_incomplete = raise_on_incomplete
        self._last_event_id = last_event_id
        self._retry = None
        self._start_stream()

    def _start_stream(self) -> None:
        # The bytes of a line not ended yet: b"" when idle (no allocation per
        # idle parser), else a bytearray grown by each read, after the full
        # _SEGMENT-sized segments in _held.
        self._pending: bytes | bytearray = _IDLE
        self._held: list[bytes | bytearray] | tuple[()] = ()
        self._hold_limit = min(self._max_line_size, _SEGMENT)
        self._clear_buffers()
        self._open = False
        self._state = _START
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

    @property
    def comments(self) -> bool:
        """Whether :meth:`feed` returns comments among the events."""
        return self._comments

    # -- feeding ---------------------------------------------------------------

    def feed(self, data: bytes | bytearray | memoryview) -> list[ItemT]:
        """Parse the next piece of the stream; return the events it completed.

        An event is returned by the call that delivers its terminating blank
        line, never later. With ``comments=True``, each comment line is
        returned too, as a :class:`Comment`, in stream order among the events.

        Raises:
            LimitExceededError: a line or an event crossed its bound; the
                events completed before it are on the exception.
            SSETypeError: ``data`` is not bytes, bytearray or memoryview.
            SSEUsageError: the parser is closed or failed.
        """
        if type(data) is not bytes:
            data = _as_bytes(data)
        state = self._state
        if state:
            if state == _HELD:
                if 10 in data or 13 in data:
                    # The held line ends in this read: the two become one
                    # read between events, which is all the general path
                    # would do with them (it joins held bytes to the read).
                    held: bytes = self._pending  # type: ignore[assignment]  # bytes in _HELD
                    data = held + data
                    self._pending = _IDLE
                    self._state = state = _READY
                else:
                    # The held line grows: from now on in a bytearray.
                    self._pending = bytearray(self._pending)
                    self._state = state = _NORMAL
            if state == _READY:
                if (
                    data[:6] == b"data: "
                    and data[-1] == 10
                    and data[-2] == 10
                    and 10 not in (value := data[6:-2])
                    and 13 not in value
                    and len(value) <= self._value_limit
                ):
                    # Fast path: the read is one event of one "data: " line,
                    # no CR, within both bounds, and nothing is held or open.
                    # Equals the general path, which would scan the line
                    # "data: X" and the blank line, append X to the empty data
                    # buffer and dispatch ("message", X, last event ID, None),
                    # leaving the parser _READY. (Slices and `in`, not find
                    # or startswith: their argument parsing costs more.)
                    try:
                        text = _decode(value)  # no arguments: 20% faster
                    except UnicodeDecodeError:
                        text = _decode(value, "utf-8", "replace")
                    event = ("message", text, self._last_event_id, None)
                    return [_new_event(ServerSentEvent, event)]
            elif state == _AFTER_CR:
                if not data:
                    return []
                # 9.2.5: the CR that ended the last read already ended its
                # line; an LF now is the second half of that CRLF.
                self._state = _NORMAL
                if data[0] == 10:
                    data = data[1:]
            elif state >= _CLOSED:
                raise self._unusable()
        if 10 not in data and 13 not in data:
            # No line ends in this read: hold its bytes. This is the whole
            # cost of a small read, so it is inlined; testing for a byte as
            # an int is much faster than `b"\r" in data`. (An empty read
            # may leave an empty bytearray held: harmless, and one test less.)
            pending = self._pending
            if pending:
                pending += data
            elif state == _READY and len(data) <= self._hold_limit:
                # A line starts between events: held as it came (the rest of
                # an event cut in two comes next, most of the time).
                self._pending = data
                self._state = _HELD
                return []
            else:
                self._pending = pending = bytearray(data)
                if state == _READY:
                    self._state = _NORMAL
            if len(pending) > self._hold_limit:
                self._spill()
            return []
        pending = self._pending
        if not state and pending and not self._open and self._fast_paths:
            first = data.find(b"\n")
            if (
                data[first + 1 : first + 2] == b"\n"
                and (first + 2 == len(data) or data.find(b"\n", first + 2) < 0)
                and not self._held
                and 13 not in data
                and len(pending) + first - 6 <= self._value_limit
                and len(data) - first - 2 <= self._hold_limit
                # (the prefix tested on bytes: a bytearray slice costs more)
                and (line := b"".join((pending, data[:first])))[:6] == b"data: "
            ):
                # Fast path: the read ends the held line, which is a block's
                # only line, "data: X", then the blank line; what follows is
                # no line ending. Both bounds hold (the held bytes had no CR
                # or LF), no event is open and the stream has started. Equals
                # the general path: the line and the blank line dispatch
                # ("message", X, last event ID, None), and the rest is held.
                value = line[6:]
                try:
                    text = _decode(value)
                except UnicodeDecodeError:
                    text = _decode(value, "utf-8", "replace")
                if first + 2 < len(data):
                    self._pending = bytearray(data[first + 2 :])
                else:
                    self._pending = _IDLE
                    self._state = _READY
                event = ("message", text, self._last_event_id, None)
                return [_new_event(ServerSentEvent, event)]
        ends_in_cr = False
        if 13 in data:
            # A CR that ends the read ends its line now, without waiting to
            # see whether an LF follows.
            ends_in_cr = data[-1] == 13
            data = _normalize(data)
        end = data.rfind(b"\n") + 1
        if pending is not _IDLE:
            # The held bytes are joined once, when their line ends.
            if self._held:
                parts = [*self._held, pending, data]
                end += sum(map(len, parts)) - len(data)
                data = b"".join(parts)
                self._drop_held()
            else:
                end += len(pending)
                data = b"".join((pending, data))
                self._pending = _IDLE
        start = 0
        if state == _START and data[:3] == _BOM:
            # 9.2.5: one leading BOM is skipped; a later U+FEFF is content.
            start = 3
        stop = end
        too_long = 0
        if end > self._max_line_size:
            # Only this much input can hold an over-long line: interpret the
            # lines before it, then raise.
            stop, too_long = self._find_long_line(data, end)
        events: list[ItemT] = []
        if start < stop:
            try:
                self._interpret(
                    data,
                    start,
                    stop,
                    events,  # type: ignore[arg-type]
                    self._open,
                )
            except BaseException as exc:
                self._fail()
                if isinstance(exc, LimitExceededError):
                    exc.events = events  # type: ignore[assignment]  # ItemT is an Item
                raise
        if too_long:
            self._fail()
            raise LimitExceededError(
                "max_line_size",
                self._max_line_size,
                too_long,
                events,  # type: ignore[arg-type]
            )
        # After a blank line no event is open: dispatch empties every buffer.
        self._open = event_open = (
            stop - start > 1 and data[stop - 2] != 10 and self._event_open()
        )
        if end < len(data):
            self._state = _NORMAL
            self._pending = pending = bytearray(data[end:])
            if len(pending) > self._hold_limit:
                try:
                    self._spill()
                except LimitExceededError as exc:
                    exc.events = events  # type: ignore[assignment]  # ItemT is an Item
                    raise
        elif ends_in_cr:
            self._state = _AFTER_CR
        elif event_open or not self._fast_paths:
            self._state = _NORMAL
        else:
            self._state = _READY
        return events

    def _spill(self) -> None:
        # The held line reached _hold_limit: either it is over max_line_size,
        # or its current segment is full and a new one starts.
        held = self._held
        size = sum(map(len, held)) + len(self._pending)
        if size > self._max_line_size:
            self._fail()
            raise LimitExceededError("max_line_size", self._max_line_size, size)
        if len(self._pending) >= _SEGMENT:
            if held:
                held.append(self._pending)
            else:
                self._held = [self._pending]
            # Empty, but not _IDLE: the held segments are joined at line end.
            self._pending = bytearray()
        held_size = size - len(self._pending)
        self._hold_limit = min(self._max_line_size - held_size, _SEGMENT)

    def _drop_held(self) -> None:
        self._pending = _IDLE
        self._held = ()
        self._hold_limit = min(self._max_line_size, _SEGMENT)

    def _find_long_line(self, data: bytes, end: int) -> tuple[int, int]:
        # Where the first line over max_line_size starts, and its length; or
        # (end, 0). Lengths count from the start of the data, so a stripped
        # BOM still counts towards the first line, as it does while held.
        pos = 0
        for line in data[:end].split(b"\n"):
            if len(line) > self._max_line_size:
                return pos, len(line)
            pos += len(line) + 1
        return end, 0

    def _fail(self) -> None:
        self._state = _FAILED
        self._drop_held()

    def _unusable(self) -> SSEUsageError:
        if self._state == _CLOSED:
            return SSEUsageError("feed() called after close(); call reset() first")
        return SSEUsageError(
            "parser failed on an earlier error; call reset() to parse a new stream"
        )

    # -- ending ----------------------------------------------------------------

    def close(self) -> list[ItemT]:
        """Signal the end of the stream; return the events it completes.

        By the standard (9.2.6, end of file), an event without its final blank
        line is discarded, so this returns an empty list; it exists so that
        callers treat the end of a stream explicitly. If something was
        discarded, :attr:`truncated` becomes true, and with
        ``raise_on_incomplete=True`` :class:`IncompleteEventError` is raised.
        Calling it again does nothing.
        """
        state = self._state
        if state == _CLOSED:
            return []
        self._state = _CLOSED
        if state == _FAILED:
            return []
        partial = b"".join((*self._held, self._pending))
        if state == _START and partial == _BOM:
            partial = b""  # 9.2.5: a stream may be just a BOM ([ bom ] *event).
        data = _decode(b"\n".join(self._data), "utf-8", "replace")
        self._truncated = bool(
            partial or self._data or self._id_buffer != self._last_event_id
        )
        self._drop_held()
        self._data = ()
        self._data_size = 0
        if self._truncated and self._raise_on_incomplete:
            raise IncompleteEventError(data, partial)
        return []

    def reset(self, *, last_event_id: str | None = None) -> None:
        """Make the parser ready for a new stream (for example after a reconnection).

        Clears everything buffered and any closed or failed state. Keeps
        :attr:`retry`, and :attr:`last_event_id` unless ``last_event_id`` is
        given (a reconnecting client resuming after the last event its caller
        took); both belong to the event source rather than to one connection.
        Raises ``ValueError`` for an ID no stream could set (NUL, CR or LF).
        """
        if last_event_id is not None:
            _check_last_event_id(last_event_id)
            self._last_event_id = last_event_id
        self._start_stream()

    def __repr__(self) -> str:
        state = "closed" if self._state == _CLOSED else "open"
        if self._state == _FAILED:
            state = "failed"
        return (
            f"<EventStreamParser {state} last_event_id={self._last_event_id!r} "
            f"retry={self._retry!r} "
            f"buffered={sum(map(len, self._held)) + len(self._pending)}B>"
        )


def _check_last_event_id(value: object) -> None:
    if not isinstance(value, str) or any(char in value for char in "\0\r\n"):
        # No stream can produce such an ID (9.2.5, 9.2.6).
        raise ValueError("last_event_id must be a str without NUL, CR or LF")


def _normalize(data: bytes) -> bytes:
    # 9.2.5: lines end in CRLF, LF or a lone CR; make them all LF.
    data = data.replace(b"\r\n", b"\n")
    if 13 in data:  # a lone CR too: rarer than CRLF, memchr is cheap
        data = data.replace(b"\r", b"\n")
    return data


class _PlainEventStreamParser(EventStreamParser[ItemT]):
    """The reference: the same scanner, and the interpreter without fast paths.

    Every line goes through :meth:`_Interpreter._interpret_lines`, and
    ``feed`` takes none of its own fast paths (it never enters the ``_READY``
    state either). ``tests/test_fast_paths.py`` checks that
    :class:`EventStreamParser` gives exactly what this gives.
    """

    __slots__ = ()

    _fast_paths = False

    def _interpret(
        self, data: bytes, start: int, end: int, out: list[Item], event_open: bool
    ) -> None:
        self._interpret_plain(data, start, end, out)
