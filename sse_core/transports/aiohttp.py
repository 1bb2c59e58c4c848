"""Event streams over aiohttp (``pip install "sse_core[aiohttp]"``).

aiohttp's default ``ClientTimeout(total=300)`` ends any stream after five
minutes: pass ``timeout=aiohttp.ClientTimeout(total=None, sock_read=...)``
for long streams.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from .._errors import BadResponseError
from .._events import ServerSentEvent
from .._iterate import aiter_events as _aiter_events
from .._parser import EventStreamParser
from .._reconnect import ResponseVerdict, classify_response
from ._common import AsyncEventStream, aread_start, no_chunks, request_headers

if TYPE_CHECKING:
    import aiohttp
    from yarl import URL

__all__ = ["aconnect_sse", "aiter_events"]


def aiter_events(
    response: aiohttp.ClientResponse, parser: EventStreamParser | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Yield the events of a response's body as it arrives (no status check)."""
    # iter_any() yields whatever has arrived; iterating the StreamReader itself
    # would split on LF only and wait for it.
    return _aiter_events(response.content.iter_any(), parser)


@asynccontextmanager
async def aconnect_sse(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: Any,
) -> AsyncIterator[AsyncEventStream[aiohttp.ClientResponse]]:
    """Send a request and give its event stream; the response closes on exit.

    ``Accept: text/event-stream`` and ``Cache-Control: no-store`` are added
    unless ``headers`` sets them; other keyword arguments go to
    ``session.request()``. HTTP 204 gives a stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
    """
    headers = request_headers(kwargs.pop("headers", None))
    async with session.request(method, url, headers=headers, **kwargs) as response:
        content_type = response.headers.get("Content-Type", "")
        verdict = classify_response(response.status, content_type)
        if verdict is ResponseVerdict.FAIL:
            raise BadResponseError(
                response.status,
                content_type,
                await aread_start(response.content.iter_any()),
                str(response.url),
            )
        chunks = (
            response.content.iter_any()
            if verdict is ResponseVerdict.OPEN
            else no_chunks()
        )
        yield AsyncEventStream(response, chunks, parser)
