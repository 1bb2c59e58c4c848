"""Interpreting an event stream: the HTML Standard's 9.2.6, over complete lines.

This is the second half of :class:`~sse_core.EventStreamParser` (the first,
:mod:`sse_core._parser`, turns bytes into lines). It is a base class rather
than an object of its own so that a read costs no extra attribute lookup.

The contract: :meth:`_Interpreter._interpret` receives ``data[start:end]``,
complete lines, each ending in LF (CR and CRLF already made LF, the BOM
already skipped, every line within ``max_line_size``). It appends the events
(and, with ``comments=True``, the comments) those lines complete to ``out``,
in stream order, and leaves the state of the unfinished block in the buffers.

Where each rule of 9.2.6 lives (all but the first and last rows are one
branch each of the plain loop, :meth:`_Interpreter._interpret_lines`):

=========================================  ===================================
9.2.6 rule                                 implemented by
=========================================  ===================================
the data, event type and last event ID     ``_Interpreter`` slots (the data
buffers; the reconnection time             buffer: values to join with LF);
                                           ``_clear_buffers`` for a new stream
"If the line is empty": dispatch the       ``_interpret_lines``: the only
event (last event ID string, empty data    place an event is made from the
buffer dispatches nothing, "message")      buffers
"If the line starts with a colon":         ``_interpret_lines``, then
a comment                                  ``_comment`` (``comments=True``,
                                           ``on_comment``)
"If the line contains a colon" /           ``_interpret_lines``
"Otherwise": field name and value
"process the field": ``data``              ``_interpret_lines``;
                                           ``_append_data`` for a run of data
                                           lines taken by a fast path
``event``; ``id`` (not if it holds NUL);   ``_interpret_lines``;
``retry`` (ASCII digits only); other       :func:`_retry_value`
names ignored
end of the stream: discard the             ``EventStreamParser.close``
unfinished event                           (:mod:`sse_core._parser`)
=========================================  ===================================

:meth:`_Interpreter._interpret_lines` is the reference: a plain loop over
those steps with no shortcut (its buffers in local variables, which is only
where it keeps them). Everything else here, and two paths at the top of
``EventStreamParser.feed``, is a fast path that takes a common shape of
input off that loop: one-line ``data:`` events (``_one_line_events`` and
the one-block case in ``_interpret``), runs of ``data:`` lines
(``_data_lines``). Each says which plain-path behaviour it equals, and
``tests/test_fast_paths.py`` checks that it does by running every stream
through ``_PlainEventStreamParser`` (the same scanner, this loop only) as
well. ``tests/sse_model.py`` is the standard written out over a whole stream,
with no incremental state at all; the parser is tested against it too.

Decoding: the standard decodes the stream, then splits it into lines. This
interpreter works on bytes and decodes each value once, when an event is
built. The two orders give the same text: CR, LF and ``:`` are ASCII bytes,
which never occur inside a multibyte UTF-8 sequence and end any invalid one,
so every line boundary is a decoding boundary, and field names compare equal
as bytes exactly when they do as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat
from typing import Any, Callable, Union

from ._errors import LimitExceededError
from ._events import Comment, ServerSentEvent

__all__ = ["MAX_RETRY", "Item", "_Interpreter", "_new_event"]

MAX_RETRY = 2**63 - 1
"""Largest reconnection time reported, in ms; longer ``retry`` values are clamped."""

Item = Union[ServerSentEvent, Comment]
"""What a parser built with ``comments=True`` returns: events and comments."""

# tuple.__new__ skips NamedTuple's Python-level __new__ (about 40% cheaper).
_new_event: Callable[..., Any] = tuple.__new__  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
_decode = bytes.decode
# Infinite and stateless: reused by every call instead of built per read.
_EVENT_TYPE = repeat(ServerSentEvent)
_MESSAGE = repeat("message")
_NO_RETRY = repeat(None)
_UTF8 = repeat("utf-8")
_REPLACE = repeat("replace")
# An open event holding more than _FOLD values averaging under _FOLD_SMALL
# bytes folds them into one buffer (bigger values cost little overhead).
_FOLD = 32
_FOLD_SMALL = 512
_BLANK_LINE = (b"",)
# The plain loop splits at most this much input into lines at a time, so a
# read of millions of short lines never becomes a list of millions of items.
_WINDOW = 64 * 1024


def _retry_value(digits: bytes) -> int:
    # 9.2.6 "retry": any run of ASCII digits is a base-ten integer. int() of
    # thousands of digits raises on CPython >= 3.11 and is quadratic, so values
    # beyond MAX_RETRY are clamped instead of converted.
    significant = digits.lstrip(b"0")
    if len(significant) > 19:
        return MAX_RETRY
    return min(int(significant or b"0"), MAX_RETRY)


def _data_run(body: bytes) -> bytes | None:
    # body: lines after a first "data: ", without the last LF. If every line
    # is a "data: " line, return their values joined with LF (what appending
    # them one by one to the data buffer gives); else None. Splitting at
    # "\ndata: " and looking for an LF in the parts is two C calls.
    if 10 not in body:
        return body
    values = body.split(b"\ndata: ")
    if 10 in b"".join(values):
        return None
    return b"\n".join(values)


class _Interpreter:
    """The 9.2.6 half of the parser: buffers, field rules, dispatch, fast paths."""

    __slots__ = (
        "_comments",
        "_data",
        "_data_size",
        "_event_retry",
        "_event_type",
        "_id_buffer",
        "_last_event_id",
        "_max_event_size",
        "_on_comment",
        "_retry",
    )

    _comments: bool
    # The data buffer: () when empty (no allocation per idle parser), else
    # the values of its data lines (or runs of them already joined) to be
    # joined with LF; _data_size is the joined size.
    _data: list[bytes | bytearray] | tuple[()]
    _data_size: int
    _event_retry: int | None
    _event_type: bytes
    _id_buffer: str
    _last_event_id: str
    _max_event_size: int
    _on_comment: Callable[[str], object] | None
    _retry: int | None

    def _clear_buffers(self) -> None:
        # 9.2.6: a stream starts with empty buffers; the last event ID buffer
        # starts at the last event ID string (resumed from, or carried over).
        self._data = ()
        self._data_size = 0
        self._event_type = b""
        self._event_retry = None
        self._id_buffer = self._last_event_id

    def _event_open(self) -> bool:
        # Whether a blank line now would change anything: the block under
        # way has set a buffer.
        return bool(
            self._data
            or self._event_type
            or self._event_retry is not None
            or self._id_buffer != self._last_event_id
        )

    # -- the standard's steps: the reference ---------------------------------

    def _interpret_lines(self, lines: Iterable[bytes], out: list[Item]) -> None:
        # 9.2.6, for each line (without its line ending), in order. The
        # buffers live in locals during the loop and are stored back after
        # it; what must survive an exception (the last event ID string, the
        # reconnection time) is stored as soon as it is set.
        data: list[bytes | bytearray] | tuple[()] = self._data
        size = self._data_size
        event_type = self._event_type
        event_retry = self._event_retry
        id_buffer = self._id_buffer
        for line in lines:
            if not line:
                # "If the line is empty": dispatch the event. This is the
                # only place an event is made from the buffers. 1: the last
                # event ID string becomes the buffer's value, whether or not
                # an event follows.
                self._last_event_id = id_buffer
                if data:
                    # 4-9: the type is the event type buffer, or "message"
                    # when empty; the data is the data buffer without its
                    # last LF. (2-3: an empty buffer dispatches nothing.)
                    event = (
                        _decode(event_type, "utf-8", "replace")
                        if event_type
                        else "message",
                        _decode(b"\n".join(data), "utf-8", "replace"),
                        id_buffer,
                        event_retry,
                    )
                    out.append(_new_event(ServerSentEvent, event))
                    data = ()
                    size = 0
                # Either way the data and event type buffers are emptied.
                event_type = b""
                event_retry = None
            elif line[0] == 58:
                # "If the line starts with a U+003A COLON character": ignore
                # the line (sse_core reports it when asked to).
                if self._comments or self._on_comment is not None:
                    self._comment(_decode(line[1:], "utf-8", "replace"), out)
            else:
                # "If the line contains a U+003A COLON character": the name is
                # before the first colon, the value after it, less one leading
                # space. "Otherwise": the whole line is the name, the value
                # empty. One partition at ": " does both for the usual line;
                # when the first colon is not followed by a space, or there
                # is none, partition at ":".
                name, space, value = line.partition(b": ")
                if not space or 58 in name:
                    name, _, value = line.partition(b":")
                # "Process the field".
                if name == b"data":
                    # Append the value, then an LF, to the data buffer: the
                    # LF is implied (values are joined with LF at dispatch).
                    if data:
                        data.append(value)
                        size += 1 + len(value)
                    else:
                        data = [value]
                        size = len(value)
                    if size > self._max_event_size:
                        raise LimitExceededError(
                            "max_event_size", self._max_event_size, size
                        )
                elif name == b"event":
                    event_type = value
                elif name == b"id":
                    # Ignored if the value contains U+0000 NULL.
                    if 0 not in value:
                        id_buffer = _decode(value, "utf-8", "replace")
                elif name == b"retry" and value.isdigit():
                    # Only ASCII digits (bytes.isdigit tests just those).
                    event_retry = self._retry = _retry_value(value)
                # Any other name: the field is ignored.
        self._data = data
        self._data_size = size
        self._event_type = event_type
        self._event_retry = event_retry
        self._id_buffer = id_buffer
        if len(data) > _FOLD and size < _FOLD_SMALL * len(data):
            self._fold()

    def _append_data(self, run: bytes) -> None:
        # Data lines' values joined with LF, appended to the data buffer:
        # equals the loop's "data" branch for each of them when the run fits
        # under max_event_size (the caller checks that it does).
        data = self._data
        if data:
            data.append(run)
            self._data_size += 1 + len(run)
            if len(data) > _FOLD and self._data_size < _FOLD_SMALL * len(data):
                self._fold()
        else:
            self._data = [run]
            self._data_size = len(run)

    def _fold(self) -> None:
        # Many small values held for an open event: fold them into one
        # bytearray, grown in place, so that it costs about its own size
        # instead of ~40 bytes per value.
        data = self._data
        assert data  # only called with more than _FOLD values
        head = data[0]
        if type(head) is not bytearray:
            head = bytearray(head)
        head += b"\n"
        head += b"\n".join(data[1:])
        self._data = [head]

    def _comment(self, text: str, out: list[Item]) -> None:
        # A comment line, reported in stream order: as an item among the
        # events (comments=True) and to on_comment.
        if self._comments:
            out.append(_new_event(Comment, (text,)))
        if self._on_comment is not None:
            self._on_comment(text)

    def _interpret_plain(
        self, data: bytes, start: int, end: int, out: list[Item]
    ) -> None:
        # The reference interpreter over data[start:end], in windows of whole
        # lines of at most _WINDOW bytes (or one longer line).
        while start < end:
            stop = end
            if end - start > _WINDOW:
                stop = data.rfind(b"\n", start, start + _WINDOW) + 1
                if stop <= start:
                    stop = data.find(b"\n", start, end) + 1
            lines = data[start:stop].split(b"\n")
            lines.pop()  # the empty piece after the last LF
            self._interpret_lines(lines, out)
            start = stop

    # -- fast paths ----------------------------------------------------------

    def _interpret(
        self, data: bytes, start: int, end: int, out: list[Item], event_open: bool
    ) -> None:
        # Interpret data[start:end] (complete lines), taking the fast paths
        # where the input has their shape. In order: the rest of a block
        # under way, whole blocks, the start of an unfinished block.
        # event_open: what _event_open() says (the caller knows it).
        if event_open:
            if self._data_lines(data, start, end):
                return  # the middle of an event bigger than a read
            # The block under way ends at the first blank line: first in the
            # input, or the second LF of the first "\n\n".
            stop = start
            if data[start] != 10:
                stop = data.find(b"\n\n", start, end) + 1 or end
                if not self._data_lines(data, start, stop):
                    self._interpret_plain(data, start, stop, out)
                if stop == end:
                    return
            self._interpret_lines(_BLANK_LINE, out)
            start = stop + 1
            if start == end:
                return
        # No event is open: a blank line here would dispatch nothing, so the
        # whole blocks are the input up to its last blank line.
        cut = data.rfind(b"\n\n", start, end) + 2
        if cut > start + 1:
            first = data.find(b"\n", start, cut)
            if (
                data[first + 1] == 10
                and data[start : start + 6] == b"data: "
                and cut - start <= self._max_event_size
            ):
                # The first block is one "data: " line, and no event in
                # these blocks can cross max_event_size.
                if first + 2 == cut:
                    # Fast path: it is the only block (a read that finishes
                    # an event). Equals the plain path: the value goes to the
                    # empty data buffer, then the blank line dispatches
                    # ("message", value, last event ID, None).
                    value = data[start + 6 : first]
                    try:
                        text = _decode(value)  # no arguments: 20% faster
                    except UnicodeDecodeError:
                        text = _decode(value, "utf-8", "replace")
                    event = ("message", text, self._last_event_id, None)
                    out.append(_new_event(ServerSentEvent, event))
                elif not self._one_line_events(data, start, cut, out):
                    self._interpret_plain(data, start, cut, out)
            else:
                self._interpret_plain(data, start, cut, out)
            start = cut
        if start < end and not self._data_lines(data, start, end):
            self._interpret_plain(data, start, end, out)

    def _data_lines(self, data: bytes, start: int, end: int) -> bool:
        # Fast path for data[start:end] made only of "data: " lines, no blank
        # line: their values, joined with LF in C, go to the data buffer in
        # one _append_data, which equals one _append_data per line when the
        # run fits under max_event_size. Else returns False, having done
        # nothing (the plain path then raises at the line that crosses it;
        # the room test is one byte short of exact on an empty buffer).
        if data[start : start + 6] == b"data: ":
            run = _data_run(data[start + 6 : end - 1])
            if run is not None and len(run) < self._max_event_size - self._data_size:
                self._append_data(run)
                return True
        return False

    def _one_line_events(
        self, data: bytes, start: int, cut: int, out: list[Item]
    ) -> bool:
        # Fast path for blocks that are each one "data: " line, the shape of
        # LLM token streams, built with a few C-level calls (split, decode,
        # map) instead of a Python loop per line. data[start:cut]: whole
        # blocks, each ending in a blank line, no event open, at most
        # max_event_size bytes (so no event can cross it). Equals the plain
        # path: each block appends its value to the empty data buffer and
        # dispatches ("message", value, last event ID, None), leaving the
        # buffers empty. Returns False, having done nothing, if a block has
        # another shape.
        # Several: split at "\n\ndata: "; each block is one line iff no
        # value then holds an LF (looked for in the joined values: memchr).
        piece = data[start + 6 : cut - 2]
        values: Iterable[str]
        if piece.isascii():
            # One decode for the whole read instead of one per event (on
            # non-ASCII input a wide str makes every slice dearer instead).
            values = piece.decode("ascii").split("\n\ndata: ")
            if "\n" in "".join(values):
                return False
        else:
            raw = piece.split(b"\n\ndata: ")
            if 10 in b"".join(raw):
                return False
            try:
                values = list(map(_decode, raw))  # no arguments: 20% faster
            except UnicodeDecodeError:
                values = map(_decode, raw, _UTF8, _REPLACE)
        last_id = self._last_event_id
        out += map(
            _new_event, _EVENT_TYPE, zip(_MESSAGE, values, repeat(last_id), _NO_RETRY)
        )
        return True
