"""Event streams over httpx, sync and async (``pip install "sse_core[httpx]"``).

* :func:`connect_sse` / :func:`aconnect_sse`: one request, its events;
* :class:`EventSource` / :class:`AsyncEventSource`: a stream that reconnects
  like a browser's ``EventSource``, resuming with ``Last-Event-ID``;
* :func:`open_stream`: the raw bytes of one stream, for the command line.
"""

from __future__ import annotations

import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any, Callable

from .._errors import BadResponseError
from .._events import ServerSentEvent
from .._parser import EventStreamParser
from .._reconnect import Reconnector, ResponseVerdict, classify_response
from ._common import (
    REQUEST_HEADERS,
    AsyncEventStream,
    EventStream,
    aread_start,
    no_chunks,
    read_start,
)

if TYPE_CHECKING:
    from types import TracebackType

    import httpx

__all__ = [
    "AsyncEventSource",
    "EventSource",
    "aconnect_sse",
    "connect_sse",
    "open_stream",
]


def _request_headers(
    headers: Any, resume: Mapping[str, str] | None = None
) -> httpx.Headers:
    import httpx

    merged = httpx.Headers(headers)
    for name, value in REQUEST_HEADERS.items():
        if name not in merged:
            merged[name] = value
    if resume:
        # 9.2.4: the Last-Event-ID value is UTF-8; httpx encodes str values
        # as ASCII, so give it bytes.
        merged.update(
            httpx.Headers(
                {name.encode(): value.encode() for name, value in resume.items()}
            )
        )
    return merged


def _content_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("content-type", "")
    return content_type


def _body(response: httpx.Response) -> Iterable[bytes]:
    content_type = _content_type(response)
    verdict = classify_response(response.status_code, content_type)
    if verdict is ResponseVerdict.FAIL:
        raise BadResponseError(
            response.status_code,
            content_type,
            read_start(response.iter_bytes()),
            str(response.url),
        )
    if verdict is ResponseVerdict.STOP:
        return ()
    return response.iter_bytes()


async def _abody(response: httpx.Response) -> AsyncIterator[bytes]:
    content_type = _content_type(response)
    verdict = classify_response(response.status_code, content_type)
    if verdict is ResponseVerdict.FAIL:
        raise BadResponseError(
            response.status_code,
            content_type,
            await aread_start(response.aiter_bytes()),
            str(response.url),
        )
    if verdict is ResponseVerdict.STOP:
        return no_chunks()
    return response.aiter_bytes()


@contextmanager
def connect_sse(
    client: httpx.Client,
    method: str,
    url: str | httpx.URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: Any,
) -> Iterator[EventStream[httpx.Response]]:
    """Send a request and give its event stream; the response closes on exit.

    ``Accept: text/event-stream`` and ``Cache-Control: no-store`` are added
    unless ``headers`` sets them; other keyword arguments go to
    ``client.stream()``. HTTP 204 gives a stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
    """
    headers = _request_headers(kwargs.pop("headers", None))
    with client.stream(method, url, headers=headers, **kwargs) as response:
        yield EventStream(response, _body(response), parser)


@asynccontextmanager
async def aconnect_sse(
    client: httpx.AsyncClient,
    method: str,
    url: str | httpx.URL,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: Any,
) -> AsyncIterator[AsyncEventStream[httpx.Response]]:
    """Async form of :func:`connect_sse`, for ``httpx.AsyncClient``."""
    headers = _request_headers(kwargs.pop("headers", None))
    async with client.stream(method, url, headers=headers, **kwargs) as response:
        yield AsyncEventStream(response, await _abody(response), parser)


@contextmanager
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
            method, url, headers=_request_headers(headers), content=body
        ) as response:
            yield iter(_body(response))


def _retryable() -> tuple[type[Exception], ...]:
    import httpx

    # What a dropped or unreachable server raises. Not retried: errors in the
    # request itself (an unsupported URL scheme, a local protocol misuse).
    return (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class EventSource:
    """Iterate over a stream's events, reconnecting as a browser's ``EventSource`` does.

    When the stream ends or the connection drops, it waits the delay the
    :class:`~sse_core.Reconnector` computes (the server's ``retry``, plus
    backoff and jitter), then sends the request again with ``Last-Event-ID``
    so the server resumes after the last complete event: no event is
    delivered twice or lost. It stops at an HTTP 204.

    Args:
        client: the ``httpx.Client`` to send requests with.
        method, url: the request; other keyword arguments (``headers``,
            ``json``, ``params``, ``timeout``...) go to ``client.stream()``
            for every attempt.
        reconnector: the reconnection state and policy (by default
            ``Reconnector()``); read ``last_event_id`` from it afterwards.
        sleep: how to wait between attempts (``time.sleep``).

    Raises (while iterating):
        BadResponseError: a response is not 2xx or not ``text/event-stream``
            (never retried, as the standard says).
        RetriesExhaustedError: ``policy.max_attempts`` attempts in a row
            delivered no event.

    Use it as a context manager, or call :meth:`close`, to close the current
    response when you stop iterating early.
    """

    def __init__(
        self,
        client: httpx.Client,
        method: str,
        url: str | httpx.URL,
        *,
        reconnector: Reconnector | None = None,
        sleep: Callable[[float], object] = time.sleep,
        **kwargs: Any,
    ) -> None:
        self.client = client
        self.method = method
        self.url = url
        self.reconnector = reconnector if reconnector is not None else Reconnector()
        self._headers = kwargs.pop("headers", None)
        self._kwargs = kwargs
        self._sleep = sleep
        self._events: Generator[ServerSentEvent, None, None] | None = None

    @property
    def last_event_id(self) -> str:
        """The last event ID received: the ``Last-Event-ID`` of the next attempt."""
        return self.reconnector.last_event_id

    def __iter__(self) -> Iterator[ServerSentEvent]:
        if self._events is None:
            self._events = self._run()
        return self._events

    def _run(self) -> Generator[ServerSentEvent, None, None]:
        retryable = _retryable()
        state = self.reconnector
        while True:
            error: Exception | None = None
            headers = _request_headers(self._headers, state.request_headers())
            try:
                with self.client.stream(
                    self.method, self.url, headers=headers, **self._kwargs
                ) as response:
                    verdict = state.response_received(
                        response.status_code, _content_type(response)
                    )
                    for chunk in _body(response):
                        yield from state.feed(chunk)
                    if verdict is ResponseVerdict.STOP:
                        return
            except retryable as exc:
                error = exc
            self._sleep(state.connection_lost(error))

    def close(self) -> None:
        """Stop: close the current response, if any."""
        if self._events is not None:
            self._events.close()

    def __enter__(self) -> EventSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEventSource:
    """Async form of :class:`EventSource`, for ``httpx.AsyncClient``.

    ``sleep`` defaults to ``anyio.sleep`` (httpx depends on anyio), so it runs
    under asyncio and trio. Iterate with ``async for``; use ``async with`` or
    :meth:`aclose` to close the current response when stopping early.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str | httpx.URL,
        *,
        reconnector: Reconnector | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.client = client
        self.method = method
        self.url = url
        self.reconnector = reconnector if reconnector is not None else Reconnector()
        self._headers = kwargs.pop("headers", None)
        self._kwargs = kwargs
        self._sleep = sleep
        self._events: AsyncGenerator[ServerSentEvent, None] | None = None

    @property
    def last_event_id(self) -> str:
        """The last event ID received: the ``Last-Event-ID`` of the next attempt."""
        return self.reconnector.last_event_id

    def __aiter__(self) -> AsyncIterator[ServerSentEvent]:
        if self._events is None:
            self._events = self._run()
        return self._events

    async def _run(self) -> AsyncGenerator[ServerSentEvent, None]:
        retryable = _retryable()
        sleep = self._sleep
        if sleep is None:
            import anyio

            sleep = anyio.sleep
        state = self.reconnector
        while True:
            error: Exception | None = None
            headers = _request_headers(self._headers, state.request_headers())
            try:
                async with self.client.stream(
                    self.method, self.url, headers=headers, **self._kwargs
                ) as response:
                    verdict = state.response_received(
                        response.status_code, _content_type(response)
                    )
                    async for chunk in await _abody(response):
                        for event in state.feed(chunk):
                            yield event
                    if verdict is ResponseVerdict.STOP:
                        return
            except retryable as exc:
                error = exc
            await sleep(state.connection_lost(error))

    async def aclose(self) -> None:
        """Stop: close the current response, if any."""
        if self._events is not None:
            await self._events.aclose()

    async def __aenter__(self) -> AsyncEventSource:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
