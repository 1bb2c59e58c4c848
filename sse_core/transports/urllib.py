"""Event streams with the standard library only (:mod:`urllib.request`).

* :func:`open_stream`: the body of one stream, for the command line when
  httpx is not installed;
* :class:`EventSource`: a stream that reconnects like a browser's
  ``EventSource``, resuming with ``Last-Event-ID``.

The body is decoded by sse_core (gzip, deflate), a bounded piece at a time.
"""

from __future__ import annotations

import typing as _t
from contextlib import contextmanager as _cm

from .. import _http
from .._parser import ItemT as _ItemT

if _t.TYPE_CHECKING:
    import http.client
    import urllib.request
    from collections.abc import Iterator, Mapping


__all__ = ["EventSource", "open_stream"]


class _Connection(_http.Connection):
    # A response, or an HTTPError (urllib raises for any status outside 2xx;
    # the error is the response).
    def __init__(self, response: http.client.HTTPResponse, url: str) -> None:
        self.response = response
        self.head = _http.ResponseHead(response.status, response.headers.get, url)

    def raw_chunks(self) -> Iterator[bytes]:
        read1 = getattr(self.response, "read1", None) or self.response.read
        return _http.read_chunks(read1)

    def abort(self) -> None:
        _http.shutdown_socket(self.response)

    def close(self) -> None:
        self.response.close()


def _open(
    opener: urllib.request.OpenerDirector | None,
    method: str,
    url: str,
    headers: dict[str, _t.Any],
    *,
    data: bytes | None,
    timeout: float | None,
) -> _Connection:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    if opener is None:
        opener = urllib.request.build_opener()
    try:
        if timeout is None:  # the socket default (urllib's sentinel is private)
            response = opener.open(request)
        else:
            response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        return _Connection(_t.cast("http.client.HTTPResponse", exc), url)
    return _Connection(response, url)


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
    wait forever); redirects are followed. HTTP 204 gives an empty body.
    Pieces hold at most 64 KiB, whatever the ``Content-Encoding``.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        ContentEncodingError: the body's encoding is not gzip, deflate or none.
        OSError: the server cannot be reached or a read timed out
            (``urllib.error.URLError`` is an ``OSError``).
        http.client.HTTPException: the connection broke mid-body
            (``http.client.IncompleteRead``).
    """
    headers = _http.request_headers(headers)
    connection = _open(None, method, url, headers, data=body, timeout=timeout)
    try:
        yield _http.check_response(connection.head, connection.raw_chunks())[1]
    finally:
        connection.close()


class EventSource(
    _http.SyncEventSource["urllib.request.OpenerDirector | None", _ItemT]
):
    """A reconnecting event stream with the standard library only.

    ``EventSource(opener, method, url, *, reconnector=None, on_retry=None,
    sleep=None, headers=None, data=None, timeout=None)``: the same as
    :class:`sse_core.transports.httpx.EventSource` (resumption with
    ``Last-Event-ID``, ``on_retry``, :meth:`close` from any thread,
    :meth:`restart`).

    Args:
        opener: a :class:`urllib.request.OpenerDirector` (for proxies,
            cookies, authentication), or ``None`` for a default one.
        method, url: the request.
        headers: extra request headers.
        data: the request body, for ``POST``.
        timeout: seconds for the connection and each read (``None``: the
            socket default). A read timeout is retried like a drop.
        reconnector, on_retry, sleep: as for the httpx ``EventSource``.
    """

    _options = frozenset({"data", "timeout"})

    def _connect(self, headers: dict[str, _t.Any]) -> _http.Connection:
        return _open(
            self.client,
            self.method,
            self.url,
            headers,
            data=self._kwargs.get("data"),
            timeout=self._kwargs.get("timeout"),
        )

    def _retryable(self) -> tuple[type[BaseException], ...]:
        import http.client

        # URLError (refused, unreachable) and timeouts are OSErrors;
        # IncompleteRead (a cut chunked body) is an HTTPException.
        return (OSError, http.client.HTTPException)


def __dir__() -> list[str]:
    return sorted(__all__)
