"""Event streams from an :class:`asyncio.StreamReader`: a socket, a pipe, a process."""

from __future__ import annotations

import typing as _t

from .._http import READ_SIZE as _READ_SIZE
from .._iterate import aiter_events as _aiter_events

if _t.TYPE_CHECKING:
    import asyncio
    from collections.abc import AsyncIterator

    from .._events import ServerSentEvent
    from .._parser import EventStreamParser

__all__ = ["aiter_chunks", "aiter_events"]


async def aiter_chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """Yield what the reader receives, until end of file."""
    # read(n) returns what has arrived; iterating the reader would split on LF
    # only (a CR-terminated stream would stall) and fail on lines over 64 KiB.
    while True:
        chunk = await reader.read(_READ_SIZE)
        if not chunk:
            return
        yield chunk


def aiter_events(
    reader: asyncio.StreamReader, parser: EventStreamParser | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Yield the events read from ``reader`` until end of file."""
    return _aiter_events(aiter_chunks(reader), parser)


def __dir__() -> list[str]:
    return sorted(__all__)
