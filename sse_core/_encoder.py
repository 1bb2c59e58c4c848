"""Writing the protocol: events to bytes that any conforming parser reads back."""

from __future__ import annotations

from ._errors import EncodeError
from ._events import ServerSentEvent
from ._parser import MAX_RETRY

__all__ = ["EventStreamEncoder", "encode", "encode_comment"]


def _check_line(kind: str, value: str) -> None:
    # A CR or LF would end the line early (9.2.5): the parser would read
    # something else back.
    if "\r" in value or "\n" in value:
        raise EncodeError(f"{kind} cannot contain CR or LF: {value!r}")


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EncodeError(f"not encodable as UTF-8 (lone surrogate?): {exc}") from None


def encode(
    data: str | None = None,
    *,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """Encode one event block, ending with its blank line.

    Only the fields given are written, in the order comment, event, id, retry,
    data. ``data`` may contain LF: each line becomes a ``data:`` line, and the
    parser joins them back with LF. ``data=""`` writes one empty data line (an
    event with empty data); ``data=None`` writes no data line, so the block
    dispatches nothing (useful to send only an ``id`` or a ``retry``).
    ``event=None`` or ``"message"`` writes no event line (the default type).
    ``id=""`` writes an empty ``id`` line, which resets the last event ID.

    Raises:
        EncodeError: a value cannot round-trip: CR in data (the parser would
            read it back as LF); CR or LF in the event type, id or comment; NUL
            in the id (the parser ignores such ids); a retry outside 0..2**63-1; a lone
            surrogate.
    """
    lines: list[str] = []
    if comment is not None:
        _check_line("a comment", comment)
        lines.append(":" + comment)
    if event is not None and event not in ("", "message"):
        _check_line("an event type", event)
        lines.append("event: " + event)
    if id is not None:
        _check_line("an id", id)
        if "\0" in id:
            raise EncodeError(f"an id cannot contain U+0000 (it is ignored): {id!r}")
        lines.append("id: " + id if id else "id")
    if retry is not None:
        if type(retry) is not int or not 0 <= retry <= MAX_RETRY:
            # Parsers clamp longer values (sse_core to MAX_RETRY): they would
            # not read back the same number.
            raise EncodeError(f"retry must be an int from 0 to 2**63-1, got {retry!r}")
        lines.append(f"retry: {retry}")
    if data is not None:
        if "\r" in data:
            raise EncodeError(
                "data cannot contain CR: parsers read CR and CRLF back as LF; "
                "normalise line endings to LF first"
            )
        lines.extend("data: " + line for line in data.split("\n"))
    lines.append("\n")
    return _utf8("\n".join(lines))


def encode_comment(text: str = "") -> bytes:
    """Encode a comment line (e.g. a keep-alive), ending with a blank line."""
    _check_line("a comment", text)
    return _utf8(":" + text + "\n\n")


class EventStreamEncoder:
    """Encode :class:`ServerSentEvent` sequences that parse back to themselves.

    An event's ``id`` is the last event ID at dispatch time, which persists
    from one event to the next; the encoder writes an ``id`` line only when
    it changes, so ``parse(encoder.encode(e) for e in events) == events``.
    """

    __slots__ = ("_last_id",)

    def __init__(self, last_event_id: str = "") -> None:
        self._last_id = last_event_id

    def encode(self, event: ServerSentEvent) -> bytes:
        """Encode one event."""
        new_id = None if event.id == self._last_id else event.id
        block = encode(event.data, event=event.event, id=new_id, retry=event.retry)
        self._last_id = event.id
        return block
