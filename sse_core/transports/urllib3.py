"""Event streams over urllib3 2.x (``pip install ".[urllib3]"`` from a checkout).

The body is read raw with ``read1`` and decoded by sse_core, a bounded piece
at a time, whatever the ``Content-Encoding``.
"""

from __future__ import annotations

import typing as _t
from contextlib import contextmanager as _cm
from functools import partial as _partial

from .. import _http
from .._iterate import iter_events as _iter_events
from .._parser import ItemT as _ItemT
from ._common import EventStream

if _t.TYPE_CHECKING:
    from collections.abc import Iterator

    import urllib3
    from urllib3._request_methods import RequestMethods

    from .._events import ServerSentEvent
    from .._parser import EventStreamParser

__all__ = ["EventSource", "connect_sse", "iter_chunks", "iter_events"]


def _raw_chunks(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    # read1 returns what has arrived; stream() would wait for 64 KiB (or the
    # end) on a body without chunked encoding.
    return _http.read_chunks(_partial(response.read1, decode_content=False))


def _head(response: urllib3.BaseHTTPResponse, url: str) -> _http.ResponseHead:
    return _http.ResponseHead(response.status, response.headers.get, url)


def iter_chunks(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    """Yield the decoded body of a ``preload_content=False`` response as it arrives.

    Pieces hold at most 64 KiB whatever the ``Content-Encoding``.
    """
    encoding = response.headers.get("Content-Encoding", "")
    return _http.decoded(_raw_chunks(response), encoding)


def iter_events(
    response: urllib3.BaseHTTPResponse, parser: EventStreamParser | None = None
) -> Iterator[ServerSentEvent]:
    """Yield the events of a ``preload_content=False`` response (no status check)."""
    return _iter_events(iter_chunks(response), parser)


def _request(
    http: RequestMethods,
    method: str,
    url: str,
    headers: dict[str, _t.Any],
    **kwargs: _t.Any,
) -> urllib3.BaseHTTPResponse:
    return http.request(
        method,
        url,
        headers=headers,
        preload_content=False,
        decode_content=False,
        **kwargs,
    )


def _close(response: urllib3.BaseHTTPResponse) -> None:
    # Closed, not returned to the pool: an event stream is rarely read to
    # its end.
    response.close()
    response.release_conn()


@_cm
def connect_sse(
    http: RequestMethods,
    method: str,
    url: str,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: _t.Any,
) -> Iterator[EventStream[urllib3.BaseHTTPResponse]]:
    """Send a request with a ``PoolManager`` (or a pool) and give its event stream.

    ``Accept: text/event-stream``, ``Cache-Control: no-cache`` and
    ``Pragma: no-cache`` are added unless ``headers`` sets them; other keyword
    arguments go to ``http.request()``. On exit the connection is closed, not
    returned to the pool. HTTP 204 gives a stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        ContentEncodingError: the body's encoding is not gzip, deflate or none.
    """
    headers = _http.request_headers(kwargs.pop("headers", None))
    response = _request(http, method, url, headers, **kwargs)
    try:
        _, body = _http.check_response(_head(response, url), _raw_chunks(response))
        yield EventStream(response, body, parser)
    finally:
        _close(response)


class _Connection(_http.Connection):
    def __init__(self, response: urllib3.BaseHTTPResponse, url: str) -> None:
        self.response = response
        self.head = _head(response, url)

    def raw_chunks(self) -> Iterator[bytes]:
        return _raw_chunks(self.response)

    def abort(self) -> None:
        _http.shutdown_socket(self.response)

    def close(self) -> None:
        _close(self.response)


class EventSource(_http.SyncEventSource["RequestMethods", _ItemT]):
    """A reconnecting event stream over a urllib3 ``PoolManager`` (or a pool).

    ``EventSource(pool_manager, method, url, *, reconnector=None,
    on_retry=None, sleep=None, **kwargs)``: the same as
    :class:`sse_core.transports.httpx.EventSource` (resumption with
    ``Last-Event-ID``, ``on_retry``, :meth:`close` from any thread,
    :meth:`restart`); other keyword arguments go to ``http.request()``. Pass
    ``timeout=urllib3.Timeout(connect=..., read=...)`` so a silent server is
    noticed and retried.
    """

    def _connect(self, headers: dict[str, _t.Any]) -> _http.Connection:
        url = str(self.url)
        response = _request(self.client, self.method, url, headers, **self._kwargs)
        return _Connection(response, url)

    def _retryable(self) -> tuple[type[BaseException], ...]:
        import urllib3.exceptions

        return (
            urllib3.exceptions.ProtocolError,
            urllib3.exceptions.TimeoutError,
            urllib3.exceptions.MaxRetryError,
            urllib3.exceptions.NewConnectionError,
        )


def __dir__() -> list[str]:
    return sorted(__all__)
