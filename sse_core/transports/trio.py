"""Event streams from a :class:`trio.abc.ReceiveStream` (extra: ``sse_core[trio]``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from .._events import ServerSentEvent
from .._iterate import aiter_events as _aiter_events
from .._parser import EventStreamParser

if TYPE_CHECKING:
    import trio

__all__ = ["aiter_events"]


def aiter_events(
    stream: trio.abc.ReceiveStream, parser: EventStreamParser | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Yield the events received on ``stream`` until end of file.

    A trio ``ReceiveStream`` iterates over what ``receive_some()`` returns, as
    it arrives, so the core parser takes it as it is.
    """
    return _aiter_events(stream, parser)
