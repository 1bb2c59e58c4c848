"""Event streams over urllib3 (``pip install "sse_core[urllib3]"``, urllib3 2.x)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._errors import BadResponseError
from .._events import ServerSentEvent
from .._iterate import iter_events as _iter_events
from .._parser import EventStreamParser
from .._reconnect import ResponseVerdict, classify_response
from ._common import EventStream, read_chunks, read_start, request_headers

if TYPE_CHECKING:
    import urllib3
    from urllib3._request_methods import RequestMethods

__all__ = ["connect_sse", "iter_chunks", "iter_events"]


def iter_chunks(response: urllib3.BaseHTTPResponse) -> Iterator[bytes]:
    """Yield the body of a ``preload_content=False`` response as it arrives.

    ``read1`` returns what has arrived; ``stream()`` would wait for 64 KiB
    (or the end) on a body without chunked encoding.
    """
    return read_chunks(response.read1)


def iter_events(
    response: urllib3.BaseHTTPResponse, parser: EventStreamParser | None = None
) -> Iterator[ServerSentEvent]:
    """Yield the events of a ``preload_content=False`` response (no status check)."""
    return _iter_events(iter_chunks(response), parser)


@contextmanager
def connect_sse(
    http: RequestMethods,
    method: str,
    url: str,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: Any,
) -> Iterator[EventStream[urllib3.BaseHTTPResponse]]:
    """Send a request with a ``PoolManager`` (or a pool) and give its event stream.

    ``Accept: text/event-stream`` and ``Cache-Control: no-store`` are added
    unless ``headers`` sets them; other keyword arguments go to
    ``http.request()``. On exit the connection is closed, not returned to the
    pool, since an event stream is rarely read to its end. HTTP 204 gives a
    stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
    """
    headers = request_headers(kwargs.pop("headers", None))
    response = http.request(
        method, url, headers=headers, preload_content=False, **kwargs
    )
    try:
        content_type = response.headers.get("Content-Type", "")
        verdict = classify_response(response.status, content_type)
        if verdict is ResponseVerdict.FAIL:
            raise BadResponseError(
                response.status, content_type, read_start(iter_chunks(response)), url
            )
        chunks = iter_chunks(response) if verdict is ResponseVerdict.OPEN else ()
        yield EventStream(response, chunks, parser)
    finally:
        response.close()
        response.release_conn()
