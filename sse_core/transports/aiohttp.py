"""Event streams over aiohttp (``pip install ".[aiohttp]"`` from a checkout).

aiohttp's default ``ClientTimeout(total=300)`` ends any stream after five
minutes: pass ``timeout=aiohttp.ClientTimeout(total=None, sock_read=...)``
for long streams.
"""

from __future__ import annotations

import typing as _t
from contextlib import asynccontextmanager as _acm

from .. import _http
from .._iterate import aiter_events as _aiter_events
from .._parser import ItemT as _ItemT
from ._common import AsyncEventStream

if _t.TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import aiohttp
    from yarl import URL

    from .._events import ServerSentEvent
    from .._parser import EventStreamParser

__all__ = ["AsyncEventSource", "aconnect_sse", "aiter_events"]


def _decodes(session: aiohttp.ClientSession, kwargs: dict[str, _t.Any]) -> bool:
    # Whether aiohttp itself undoes Content-Encoding (its default).
    auto = kwargs.get("auto_decompress")
    if auto is None:
        auto = getattr(session, "auto_decompress", True)
    return bool(auto)


def _head(response: aiohttp.ClientResponse, decoded: bool) -> _http.ResponseHead:
    return _http.ResponseHead(
        response.status, response.headers.get, str(response.url), decoded=decoded
    )


async def _pieces(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    # iter_any() yields whatever has arrived; iterating the StreamReader itself
    # would split on LF only and wait for it.
    async for chunk in response.content.iter_any():
        yield chunk


def aiter_events(
    response: aiohttp.ClientResponse, parser: EventStreamParser | None = None
) -> AsyncIterator[ServerSentEvent]:
    """Yield the events of a response's body as it arrives (no status check).

    The body is taken as aiohttp gives it (decoded, by default), in pieces of
    at most 64 KiB.
    """
    return _aiter_events(_http.adecoded(_pieces(response), ""), parser)


@_acm
async def aconnect_sse(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: _t.Any,
) -> AsyncIterator[AsyncEventStream[aiohttp.ClientResponse]]:
    """Send a request and give its event stream; the response closes on exit.

    ``Accept: text/event-stream``, ``Cache-Control: no-cache`` and
    ``Pragma: no-cache`` are added unless ``headers`` sets them; other keyword
    arguments go to ``session.request()``. HTTP 204 gives a stream with no
    events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
    """
    headers = _http.request_headers(kwargs.pop("headers", None))
    decoded = _decodes(session, kwargs)
    async with session.request(method, url, headers=headers, **kwargs) as response:
        _, body = await _http.acheck_response(
            _head(response, decoded), _pieces(response)
        )
        yield AsyncEventStream(response, body, parser)


class _Connection(_http.AsyncConnection):
    def __init__(self, response: aiohttp.ClientResponse, decoded: bool) -> None:
        self.response = response
        self.head = _head(response, decoded)

    def raw_chunks(self) -> AsyncIterator[bytes]:
        return _pieces(self.response)

    def abort(self) -> None:
        # Closes the connection: a pending read ends at once.
        self.response.close()

    async def aclose(self) -> None:
        self.response.close()


class AsyncEventSource(_http.AsyncEventSource["aiohttp.ClientSession", _ItemT]):
    """A reconnecting event stream over an ``aiohttp.ClientSession``.

    ``AsyncEventSource(client_session, method, url, *, reconnector=None,
    on_retry=None, sleep=None, **kwargs)``: the same as
    :class:`sse_core.transports.httpx.AsyncEventSource` (resumption with
    ``Last-Event-ID``, ``on_retry``, :meth:`aclose` from another task,
    :meth:`restart`); other keyword arguments go to ``session.request()``.
    Pass ``timeout=aiohttp.ClientTimeout(total=None, sock_read=...)``: the
    default ends every connection after five minutes.
    """

    def _request_headers(self) -> dict[str, _t.Any]:
        # aiohttp takes str values and encodes them as UTF-8 itself.
        return _http.request_headers(
            self._headers, self.reconnector, resume_as_bytes=False
        )

    async def _connect(self, headers: dict[str, _t.Any]) -> _http.AsyncConnection:
        response = await self.client.request(
            self.method, self.url, headers=headers, **self._kwargs
        )
        return _Connection(response, _decodes(self.client, self._kwargs))

    def _retryable(self) -> tuple[type[BaseException], ...]:
        import asyncio

        import aiohttp

        return (
            aiohttp.ClientConnectionError,
            aiohttp.ClientPayloadError,
            asyncio.TimeoutError,
        )

    async def _wait(self, delay: float) -> None:
        import asyncio
        import contextlib

        self._wakeup = wakeup = asyncio.Event()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(wakeup.wait(), delay)
        self._wakeup = None


def __dir__() -> list[str]:
    return sorted(__all__)
