"""Event streams over httpx, sync and async.

Install httpx with ``pip install ".[httpx]"`` from a checkout.

* :func:`connect_sse` / :func:`aconnect_sse`: one request, its events;
* :class:`EventSource` / :class:`AsyncEventSource`: a stream that reconnects
  like a browser's ``EventSource``, resuming with ``Last-Event-ID``;
* :func:`open_stream`: the raw bytes of one stream, for the command line.

The body is read raw (``iter_raw``) and decoded here, a bounded piece at a
time: httpx's ``iter_bytes`` inflates each network read whole, so a small
gzip body could make one enormous chunk.
"""

from __future__ import annotations

import typing as _t
from contextlib import asynccontextmanager as _acm
from contextlib import contextmanager as _cm

from .. import _http
from .._parser import ItemT as _ItemT
from ._common import AsyncEventStream, EventStream

if _t.TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator, Mapping

    import httpx

    from .._parser import EventStreamParser
    from .._reconnect import Reconnector

__all__ = [
    "AsyncEventSource",
    "EventSource",
    "aconnect_sse",
    "connect_sse",
    "open_stream",
]


def _headers(
    headers: _t.Any, reconnector: Reconnector[_t.Any] | None = None
) -> httpx.Headers:
    import httpx

    if isinstance(headers, httpx.Headers):
        headers = headers.multi_items()
    return httpx.Headers(_http.request_headers(headers, reconnector))


def _head(response: httpx.Response) -> _http.ResponseHead:
    return _http.ResponseHead(
        response.status_code, response.headers.get, str(response.url)
    )


def _socket_of(response: httpx.Response) -> _t.Any:
    stream = response.extensions.get("network_stream")
    return None if stream is None else stream.get_extra_info("socket")


@_cm
def connect_sse(
    client: httpx.Client,
    method: str,
    url: str | httpx.URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: _t.Any,
) -> Iterator[EventStream[httpx.Response]]:
    """Send a request and give its event stream; the response closes on exit.

    ``Accept: text/event-stream``, ``Cache-Control: no-cache`` and
    ``Pragma: no-cache`` are added unless ``headers`` sets them; other keyword
    arguments go to ``client.stream()``. HTTP 204 gives a stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        ContentEncodingError: the body's encoding is not gzip, deflate or none.
    """
    headers = _headers(kwargs.pop("headers", None))
    with client.stream(method, url, headers=headers, **kwargs) as response:
        _, body = _http.check_response(_head(response), response.iter_raw())
        yield EventStream(response, body, parser)


@_acm
async def aconnect_sse(
    client: httpx.AsyncClient,
    method: str,
    url: str | httpx.URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: _t.Any,
) -> AsyncIterator[AsyncEventStream[httpx.Response]]:
    """Async form of :func:`connect_sse`, for ``httpx.AsyncClient``."""
    headers = _headers(kwargs.pop("headers", None))
    async with client.stream(method, url, headers=headers, **kwargs) as response:
        _, body = await _http.acheck_response(_head(response), response.aiter_raw())
        yield AsyncEventStream(response, body, parser)


@_cm
def open_stream(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = 30.0,
    method: str = "GET",
    body: bytes | None = None,
) -> Iterator[Iterator[bytes]]:
    """Request an event stream and give its body as an iterator of byte chunks.

    ``timeout`` bounds the connection and each read, in seconds (``None``:
    wait forever); redirects are followed. Same contract as
    :func:`sse_core.transports.urllib.open_stream`.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        httpx.TransportError: the server cannot be reached or the read failed.
    """
    import httpx

    with httpx.Client(timeout=timeout, follow_redirects=True) as client:  # noqa: SIM117 - Python 3.9
        with client.stream(
            method, url, headers=_headers(headers), content=body
        ) as response:
            yield _http.check_response(_head(response), response.iter_raw())[1]


def _retryable() -> tuple[type[BaseException], ...]:
    import httpx

    # What a dropped or unreachable server raises. Not retried: errors in the
    # request itself (an unsupported URL scheme, a local protocol misuse).
    return (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class _Connection(_http.Connection):
    def __init__(self, context: _t.ContextManager[httpx.Response]) -> None:
        self._context = context
        self.response = context.__enter__()
        self.head = _head(self.response)

    def raw_chunks(self) -> Iterator[bytes]:
        return self.response.iter_raw()

    def abort(self) -> None:
        _http.shutdown_socket(_socket_of(self.response))

    def close(self) -> None:
        self._context.__exit__(None, None, None)


class _AsyncConnection(_http.AsyncConnection):
    def __init__(
        self, context: _t.AsyncContextManager[httpx.Response], response: httpx.Response
    ) -> None:
        self._context = context
        self.response = response
        self.head = _head(response)

    def raw_chunks(self) -> AsyncIterator[bytes]:
        return self.response.aiter_raw()

    def abort(self) -> None:
        _http.shutdown_socket(_socket_of(self.response))

    async def aclose(self) -> None:
        await self._context.__aexit__(None, None, None)


class EventSource(_http.SyncEventSource["httpx.Client", _ItemT]):
    """Iterate over a stream's events, reconnecting as a browser's ``EventSource`` does.

    When the stream ends or the connection drops, it waits the delay the
    :class:`~sse_core.Reconnector` computes (the server's ``retry``, plus
    backoff and jitter), then sends the request again with ``Last-Event-ID``
    so the server resumes after the last event delivered: no event is
    delivered twice or lost. It stops at an HTTP 204.

    ``EventSource(client, method, url, *, reconnector=None, on_retry=None,
    sleep=None, **kwargs)``:

    Args:
        client: the ``httpx.Client`` to send requests with.
        method, url: the request; other keyword arguments (``headers``,
            ``json``, ``params``, ``timeout``...) go to ``client.stream()``
            for every attempt.
        reconnector: the reconnection state and policy (by default
            ``Reconnector()``); read ``last_event_id`` from it afterwards.
            With ``Reconnector(comments=True)`` the source yields each
            comment line too, as a :class:`~sse_core.Comment`, in stream
            order among the events.
        on_retry: ``on_retry(error, delay)`` is called before every wait, with
            the cause (the exception, or ``None`` for a clean end) and the
            delay in seconds.
        sleep: how to wait between attempts; by default a wait that
            :meth:`close` and :meth:`restart` cut short.

    Raises (while iterating):
        BadResponseError: a response is not 2xx or not ``text/event-stream``
            (never retried, as the standard says, unless its status is in the
            policy's ``retry_statuses``).
        RetriesExhaustedError: ``policy.max_attempts`` attempts in a row
            delivered no event.
        LimitExceededError: a line or event past the parser's bounds, after
            the events completed before it.

    :meth:`close` may be called from any thread; :meth:`restart` reconnects at
    once. Use it as a context manager to close the response when done.
    """

    def _connect(self, headers: dict[str, _t.Any]) -> _http.Connection:
        context = self.client.stream(
            self.method, self.url, headers=_headers(headers), **self._kwargs
        )
        return _Connection(context)

    def _retryable(self) -> tuple[type[BaseException], ...]:
        return _retryable()


class AsyncEventSource(_http.AsyncEventSource["httpx.AsyncClient", _ItemT]):
    """Async form of :class:`EventSource`, for ``httpx.AsyncClient``.

    It runs under asyncio and trio (it waits with anyio, which httpx depends
    on). Iterate with ``async for``; :meth:`aclose` (or ``async with``) stops,
    from another task too; :meth:`restart` reconnects at once. ``sleep``, if
    given, is an async function.
    """

    async def _connect(self, headers: dict[str, _t.Any]) -> _http.AsyncConnection:
        context = self.client.stream(
            self.method, self.url, headers=_headers(headers), **self._kwargs
        )
        return _AsyncConnection(context, await context.__aenter__())

    def _retryable(self) -> tuple[type[BaseException], ...]:
        return _retryable()

    async def _wait(self, delay: float) -> None:
        import anyio

        self._wakeup = wakeup = anyio.Event()
        with anyio.move_on_after(delay):
            await wakeup.wait()
        self._wakeup = None


def __dir__() -> list[str]:
    return sorted(__all__)
