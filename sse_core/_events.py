"""What the parser produces: events, and (when asked) comments."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

__all__ = ["Comment", "ServerSentEvent"]


class ServerSentEvent(NamedTuple):
    """One dispatched server-sent event: immutable, compared by value.

    The fields follow the HTML Standard's ``MessageEvent`` as created by the
    "dispatch the event" steps:

    * ``event``: the event type; ``"message"`` when the block had no ``event``
      field or an empty one.
    * ``data``: the block's ``data`` lines joined with ``"\\n"``.
    * ``id``: the last event ID string at dispatch time (it persists across
      events until the server changes it); ``""`` if never set.
    * ``retry``: the reconnection time in milliseconds set by a valid ``retry``
      field *inside this event's own block*, else ``None``. The stream-wide
      value is :attr:`EventStreamParser.retry <sse_core.EventStreamParser.retry>`.

    It is a named tuple (the cheapest immutable value object CPython offers:
    measured at about the cost of a ``__slots__`` class, several times cheaper
    than a frozen dataclass), so it also unpacks as
    ``event, data, id, retry = sse``.
    """

    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None

    def json(self) -> Any:
        """Return ``json.loads(self.data)`` (``json.JSONDecodeError`` if not JSON)."""
        return json.loads(self.data)


class Comment(NamedTuple):
    """One comment line (``:`` first), for a parser built with ``comments=True``.

    The standard ignores comments; servers send them as keep-alives
    (``: ping``). A parser built with ``comments=True`` returns them among
    the events, in the order the stream held them, so that a proxy can relay
    them or a client can reset a timer at the right place in the stream.

    * ``text``: the line after its ``:``, decoded as UTF-8, leading space
      kept (``" ping"`` for ``": ping"``).

    Tell it from an event with ``isinstance(item, Comment)``.
    """

    text: str
