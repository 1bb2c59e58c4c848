"""Event streams over requests (``pip install "sse_core[requests]"``).

The body is read with ``response.raw.read1()``, which returns bytes as they
arrive. ``iter_content(chunk_size=None)`` is not enough: on a body without
chunked encoding it waits for the end of the stream (measured with urllib3
2.x), and ``decode_unicode=True`` would decode with a guessed charset where
the standard says UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from .._errors import BadResponseError
from .._events import ServerSentEvent
from .._iterate import iter_events as _iter_events
from .._parser import EventStreamParser
from .._reconnect import ResponseVerdict, classify_response
from ._common import EventStream, read_chunks, read_start, request_headers

if TYPE_CHECKING:
    import requests

__all__ = ["connect_sse", "iter_chunks", "iter_events"]


def iter_chunks(response: requests.Response) -> Iterator[bytes]:
    """Yield the raw body of a ``stream=True`` response as it arrives.

    Errors are translated as ``iter_content()`` translates them (a cut
    connection raises ``requests.exceptions.ChunkedEncodingError``).
    """
    import requests.exceptions
    import urllib3.exceptions

    raw = response.raw
    if not hasattr(raw, "read1"):  # urllib3 < 2
        yield from response.iter_content(chunk_size=None)
        return
    try:
        yield from read_chunks(partial(raw.read1, decode_content=True))
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except urllib3.exceptions.DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from exc


def iter_events(
    response: requests.Response, parser: EventStreamParser | None = None
) -> Iterator[ServerSentEvent]:
    """Yield the events of a ``stream=True`` response (no status check)."""
    return _iter_events(iter_chunks(response), parser)


@contextmanager
def connect_sse(
    session: requests.Session,
    method: str,
    url: str,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: Any,
) -> Iterator[EventStream[requests.Response]]:
    """Send a streaming request and give its event stream; closed on exit.

    ``Accept: text/event-stream`` and ``Cache-Control: no-store`` are added
    unless ``headers`` sets them; other keyword arguments go to
    ``session.request()``. HTTP 204 gives a stream with no events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
    """
    headers = request_headers(kwargs.pop("headers", None))
    with session.request(
        method, url, headers=headers, stream=True, **kwargs
    ) as response:
        content_type = response.headers.get("Content-Type", "")
        verdict = classify_response(response.status_code, content_type)
        if verdict is ResponseVerdict.FAIL:
            raise BadResponseError(
                response.status_code,
                content_type,
                read_start(iter_chunks(response)),
                response.url,
            )
        chunks = iter_chunks(response) if verdict is ResponseVerdict.OPEN else ()
        yield EventStream(response, chunks, parser)
