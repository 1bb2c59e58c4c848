"""A reference model of the event stream format, written for clarity, not speed.

It follows the WHATWG HTML Standard, section 9.2.5 "Parsing an event stream"
and 9.2.6 "Interpreting an event stream", step by step and over the *whole*
stream at once, so that it shares no idea with the incremental parser it
checks: no feeds, no pending bytes, no fast paths.

1. The whole byte stream is decoded as UTF-8, invalid bytes becoming U+FFFD,
   and one leading U+FEFF is dropped (9.2.5: "UTF-8 decode").
2. The text is split into lines at CRLF, LF or a lone CR (9.2.5). Python's
   ``str.splitlines`` is not used: it also splits at U+2028, U+0085, U+000B and
   others, which are ordinary characters here. Whatever follows the last line
   ending is an unterminated line; it is discarded at the end of the stream.
3. Each line is interpreted as 9.2.6 says.

What sse_core adds to the standard, and this model follows:

* ``ServerSentEvent.retry`` is the value of a valid ``retry`` field inside the
  event's own block (``None`` otherwise); the stream-wide reconnection time is
  the latest valid one. Values are read as base-ten integers and clamped to
  :data:`sse_core.MAX_RETRY`.
* ``truncated`` says whether the end of the stream discarded something: a
  non-empty unterminated line, collected data lines, or an ``id`` field not
  yet made the last event ID by a blank line.
* ``last_event_id`` may be given to start from, as the parser's constructor
  option does: it starts both the last event ID string and its buffer.
* Optional bounds: ``max_line_size`` (bytes of one line, its line ending not
  counted, a leading BOM counted in line 1; an unterminated line crosses it as
  soon as it is longer) and ``max_event_size`` (bytes of one block's data so
  far: the data values as they came on the wire, plus one byte per LF that
  joins two of them). The model reports the first bound crossed, in stream
  order, and the events dispatched before that point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sse_core import MAX_RETRY, ServerSentEvent

__all__ = ["ModelResult", "parse_stream", "retry_value"]

# 9.2.5: a line ends at a CRLF pair, at an LF on its own or at a CR on its own.
# The alternation tries CRLF first, so a CR directly followed by an LF is one
# line ending, never two.
_LINE_ENDING_TEXT = re.compile("\r\n|\r|\n")
_LINE_ENDING_BYTES = re.compile(b"\r\n|\r|\n")
_ASCII_DIGITS = re.compile("[0-9]+")


@dataclass(frozen=True)
class ModelResult:
    """What the model says a whole stream produces.

    When ``violation`` is set (the name of the bound crossed first), ``events``
    are the events dispatched before it and the other fields are the state at
    that point, which the parser does not promise to report.
    """

    events: tuple[ServerSentEvent, ...]
    last_event_id: str
    retry: int | None
    truncated: bool
    comments: tuple[str, ...] = ()
    violation: str | None = None
    # For IncompleteEventError: the unfinished event's data, the raw bytes of
    # the unterminated line.
    pending_data: str = ""
    partial_line: bytes = b""


def retry_value(digits: str) -> int:
    """The reconnection time that a ``retry`` value of ASCII digits sets.

    Compared as digit strings, so a value of any length costs nothing and
    never meets CPython's limit on converting long strings to int.
    """
    significant = digits.lstrip("0") or "0"
    largest = str(MAX_RETRY)
    if (len(significant), significant) > (len(largest), largest):
        return MAX_RETRY
    return int(significant)


def _raw_value(raw_line: bytes) -> bytes:
    # The value of a field line as it came on the wire: the same cut as on the
    # decoded line, since ":" and " " are ASCII and decode to themselves.
    _, _, value = raw_line.partition(b":")
    return value[1:] if value.startswith(b" ") else value


def parse_stream(
    stream: bytes,
    *,
    last_event_id: str = "",
    max_line_size: int | None = None,
    max_event_size: int | None = None,
) -> ModelResult:
    """Parse a complete stream (the connection then closed) the standard's way."""
    # 9.2.5: decode the whole stream; one leading BOM is not content.
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    pieces = _LINE_ENDING_TEXT.split(text)
    lines, unterminated = pieces[:-1], pieces[-1]

    # The same split over the raw bytes gives each line as it came on the
    # wire, for the bounds. CR and LF never occur inside a UTF-8 sequence,
    # valid or not, so both splits cut the stream in the same places.
    raw_pieces = _LINE_ENDING_BYTES.split(stream)
    assert len(raw_pieces) == len(pieces)
    data_bytes: list[bytes] = []

    # 9.2.6: the buffers of one stream start empty, except that the last event
    # ID buffer starts at the ID resumed from (as the parser's option does);
    # the last event ID string and the reconnection time belong to the event
    # source.
    data_buffer = ""
    event_type_buffer = ""
    last_event_id_buffer = last_event_id
    last_event_id_string = last_event_id
    reconnection_time: int | None = None
    event_retry: int | None = None
    events: list[ServerSentEvent] = []
    comments: list[str] = []

    def result(violation: str | None = None) -> ModelResult:
        truncated = violation is None and bool(
            unterminated or data_buffer or last_event_id_buffer != last_event_id_string
        )
        return ModelResult(
            events=tuple(events),
            last_event_id=last_event_id_string,
            retry=reconnection_time,
            truncated=truncated,
            comments=tuple(comments),
            violation=violation,
            pending_data=data_buffer[:-1],
            partial_line=raw_pieces[-1] if unterminated else b"",
        )

    for number, line in enumerate([*lines, unterminated]):
        # A BOM is not part of line 1 once decoded, but it was input.
        if max_line_size is not None and len(raw_pieces[number]) > max_line_size:
            return result("max_line_size")
        if number == len(lines):
            # The unterminated line. 9.2.6: at the end of the file, whatever
            # is pending is discarded, and an unfinished event is not dispatched.
            break

        if line == "":
            # 9.2.6, blank line: dispatch the event.
            # The last event ID string is set whether or not an event follows.
            last_event_id_string = last_event_id_buffer
            if data_buffer != "":
                # An empty data buffer dispatches nothing; otherwise the LF
                # that ended the last data line is not part of the data.
                if data_buffer.endswith("\n"):
                    data_buffer = data_buffer[:-1]
                events.append(
                    ServerSentEvent(
                        event=event_type_buffer or "message",
                        data=data_buffer,
                        id=last_event_id_string,
                        retry=event_retry,
                    )
                )
            data_buffer = ""
            data_bytes = []
            event_type_buffer = ""
            event_retry = None
            continue

        if line.startswith(":"):
            # 9.2.6, line starting with a colon: a comment, ignored (sse_core
            # reports it to on_comment).
            comments.append(line[1:])
            continue

        if ":" in line:
            # 9.2.6, line containing a colon: the field name is what precedes
            # the first colon, the value what follows it, less one leading
            # space if there is one.
            name, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
        else:
            # 9.2.6, any other line: the whole line is the field name and the
            # value is empty.
            name, value = line, ""

        if name == "event":
            event_type_buffer = value
        elif name == "data":
            data_buffer += value + "\n"
            data_bytes.append(_raw_value(raw_pieces[number]))
            size = len(b"\n".join(data_bytes))
            if max_event_size is not None and size > max_event_size:
                return result("max_event_size")
        elif name == "id":
            if "\0" not in value:
                last_event_id_buffer = value
        elif name == "retry" and _ASCII_DIGITS.fullmatch(value):
            # Only ASCII digits: "+5", " 5", "\u0665" and "" are ignored.
            event_retry = reconnection_time = retry_value(value)
        # 9.2.6: any other field name is ignored.

    return result()
