"""Event streams from a :class:`trio.abc.ReceiveStream`.

Install trio with ``pip install ".[trio]"`` from a checkout.
"""

from __future__ import annotations

import typing as _t

from .._iterate import aiter_events as _aiter_events

if _t.TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import trio

    from .._events import ServerSentEvent
    from .._parser import EventStreamParser

__all__ = ["aiter_events"]


def aiter_events(
    stream: trio.abc.ReceiveStream, parser: EventStreamParser | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Yield the events received on ``stream`` until end of file.

    A trio ``ReceiveStream`` iterates over what ``receive_some()`` returns, as
    it arrives, so the core parser takes it as it is.
    """
    return _aiter_events(stream, parser)


def __dir__() -> list[str]:
    return sorted(__all__)
